# telebridge: the one adaptation of moto's DynamoDB the local stack makes (moto 5.2.1).
#
# moto keeps a table's items by partition key (Table.items: {hash: item} or {hash: {range: item}})
# but answers every Query by walking all of them (Table.query iterates self.all_items(), which
# also sorts the whole table), and TransactWriteItems deep-copies every table it touches to be able
# to roll back. With a million items each is seconds per request. This module:
#   1. Query: while Table.query runs, self.all_items() returns only the candidates - the queried
#      partition for the base table; for a GSI, the items whose index hash attribute has the queried
#      value (a per-index map built on the first query, kept up to date by put_item/update_item and
#      checked again by moto itself, so a stale entry is filtered, never returned).
#      moto still does all of the query's work (sorting, key conditions, paging, filters,
#      projections) on the candidates: results are moto's own.
#   2. TransactWriteItems: instead of deep-copying whole tables, the items the transaction names are
#      copied before and put back if it fails.
#   3. Two lookups moto repeats on every request are cached: the list of its own service packages
#      (a directory listing and a stat per package) and the method names of a responses class.
# apply() refuses (raises) when the internals this relies on are not there; MotoQueryPatchTest runs
# check() in CI: patched and unpatched moto must answer the same on a sample table.

import copy
import functools
import inspect

import moto.backends
import moto.core.responses

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

ORIGINALS = {}
APPLIED = False


def _require(condition, what):
    if not condition:
        raise RuntimeError("moto_query_patch: moto's internals changed (" + what + "); "
                           "the patch is not applied. See local/.../emulator/moto_query_patch.py")


def _verify_internals():
    params = list(inspect.signature(Table.query).parameters)
    _require(params[:8] == ["self", "hash_key", "range_comparison", "range_objs", "limit",
                            "exclusive_start_key", "scan_index_forward", "projection_expressions"],
             "Table.query's parameters: " + str(params))
    _require("hash_key_conditions" in params and "index_name" in params, "Table.query has no hash_key_conditions")
    source = inspect.getsource(Table.query)
    _require(source.count("self.all_items()") == 2, "Table.query no longer gathers its candidates with self.all_items()")
    _require(callable(getattr(Table, "all_items", None)), "Table.all_items")
    _require(callable(getattr(Table, "get_item", None)) and callable(getattr(Table, "put_item", None)), "Table.get_item/put_item")
    _require(callable(getattr(Table, "all_indexes", None)), "Table.all_indexes")
    init_source = inspect.getsource(Table.__init__)
    _require("self.items = defaultdict(dict)" in init_source, "Table.items is no longer {hash: ...}")
    twi = inspect.getsource(DynamoDBBackend.transact_write_items)
    _require("copy.deepcopy(" in twi and "self.tables[table_name] = original_table_state[table_name]" in twi,
             "DynamoDBBackend.transact_write_items' rollback")
    _require(callable(getattr(DynamoDBBackend, "update_item", None)), "DynamoDBBackend.update_item")
    _require(callable(getattr(moto.backends, "list_of_moto_modules", None)), "moto.backends.list_of_moto_modules")
    _require(callable(getattr(moto.core.responses, "method_names_from_class", None)),
             "moto.core.responses.method_names_from_class")


# ---------------------------------------------------------------------------- Query


def _partition(table, hash_key):
    if hash_key is None or hash_key not in table.items:  # "in": the defaultdict must not grow
        return []
    found = table.items[hash_key]
    return list(found.values()) if table.range_key_attr else [found]


def _index_hash_attr(table, index_name):
    for index in table.all_indexes():
        if index.name == index_name:
            hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            return hashes[0] if hashes else None
    return None


def _gsi_map(table, index_name, attr):
    """{hash value: {(table hash, table range): None}} for one index, built once per table."""
    maps = table.__dict__.setdefault("_telebridge_gsi", {})
    entry = maps.get(index_name)
    if entry is None or entry[0] != attr:
        by_value = {}
        for item in _all_stored(table):
            value = item.attrs.get(attr)
            if value is not None:
                by_value.setdefault(value, {})[(item.hash_key, item.range_key)] = None
        entry = (attr, by_value)
        maps[index_name] = entry
    return entry[1]


def _all_stored(table):
    for hash_set in table.items.values():
        if table.range_key_attr:
            yield from hash_set.values()
        else:
            yield hash_set


def _note(table, item):
    """put_item/update_item/a rollback stored this item: file it in the GSI maps built so far."""
    maps = table.__dict__.get("_telebridge_gsi")
    if not maps or item is None:
        return
    for attr, by_value in maps.values():
        value = item.attrs.get(attr)
        if value is not None:
            by_value.setdefault(value, {})[(item.hash_key, item.range_key)] = None


def _gsi_candidates(table, index_name, hash_key_conditions):
    attr = _index_hash_attr(table, index_name)
    if attr is None:
        return None
    wanted = [value for name, value in (hash_key_conditions or []) if name == attr]
    if len(wanted) != 1:
        return None
    keys = _gsi_map(table, index_name, attr).get(wanted[0], {})
    out = []
    for hash_key, range_key in list(keys):
        item = table.get_item(hash_key, range_key) if range_key is not None or not table.range_key_attr else None
        if item is not None and item.attrs.get(attr) == wanted[0]:
            out.append(item)
        else:
            keys.pop((hash_key, range_key), None)  # deleted, or its index value changed
    return out


def _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
           projection_expressions, index_name=None, consistent_read=False, filter_expression=None,
           hash_key_conditions=None, range_key_conditions=None, **filter_kwargs):
    if index_name is None:
        candidates = _partition(self, hash_key)
    elif any(i.name == index_name for i in self.all_indexes()):
        candidates = _gsi_candidates(self, index_name, hash_key_conditions)
    else:
        candidates = None  # moto's own error for an unknown index
    if candidates is not None:
        self.__dict__["all_items"] = lambda: candidates
    try:
        return ORIGINALS["Table.query"](self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                                        scan_index_forward, projection_expressions, index_name=index_name,
                                        consistent_read=consistent_read, filter_expression=filter_expression,
                                        hash_key_conditions=hash_key_conditions,
                                        range_key_conditions=range_key_conditions, **filter_kwargs)
    finally:
        self.__dict__.pop("all_items", None)


def _put_item(self, *args, **kwargs):
    item = ORIGINALS["Table.put_item"](self, *args, **kwargs)
    _note(self, item)
    return item


def _update_item(self, table_name, *args, **kwargs):
    item = ORIGINALS["DynamoDBBackend.update_item"](self, table_name, *args, **kwargs)
    _note(self.get_table(table_name), item)
    return item


# ---------------------------------------------------------------------------- TransactWriteItems


def _same_table(table, memo):
    return table


def _named_items(backend, transact_items):
    """(table, hash, range, deep copy of the stored item or None) for each item the transaction names."""
    saved = []
    for entry in transact_items:
        try:
            _, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op["Item"] if "Item" in op else op["Key"]
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
        except Exception:  # malformed: moto rejects it before it changes anything
            continue
    return saved


def _restore(saved):
    for table, hash_key, range_key, item in reversed(saved):
        if range_key is not None:
            if item is None:
                if hash_key in table.items:
                    table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = item
        elif item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
        _note(table, item)


def _transact_write_items(self, transact_items):
    saved = _named_items(self, transact_items)
    # moto's own rollback copies whole tables; make that copy the table itself, and undo by item
    Table.__deepcopy__ = _same_table
    try:
        return ORIGINALS["DynamoDBBackend.transact_write_items"](self, transact_items)
    except BaseException:
        _restore(saved)
        raise
    finally:
        del Table.__deepcopy__


# ---------------------------------------------------------------------------- apply / check


def apply():
    global APPLIED
    if APPLIED:
        return
    _verify_internals()
    ORIGINALS["Table.query"] = Table.query
    ORIGINALS["Table.put_item"] = Table.put_item
    ORIGINALS["DynamoDBBackend.update_item"] = DynamoDBBackend.update_item
    ORIGINALS["DynamoDBBackend.transact_write_items"] = DynamoDBBackend.transact_write_items
    Table.query = _query
    Table.put_item = _put_item
    DynamoDBBackend.update_item = _update_item
    DynamoDBBackend.transact_write_items = _transact_write_items
    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: modules
    moto.core.responses.method_names_from_class = functools.lru_cache(maxsize=None)(
        moto.core.responses.method_names_from_class)
    APPLIED = True


def _unpatched():
    Table.query = ORIGINALS["Table.query"]
    Table.put_item = ORIGINALS["Table.put_item"]
    DynamoDBBackend.update_item = ORIGINALS["DynamoDBBackend.update_item"]
    DynamoDBBackend.transact_write_items = ORIGINALS["DynamoDBBackend.transact_write_items"]


def _patched():
    Table.query = _query
    Table.put_item = _put_item
    DynamoDBBackend.update_item = _update_item
    DynamoDBBackend.transact_write_items = _transact_write_items


def check():
    """Patched and unpatched moto answer the same Queries and transactions on a sample table (raises if not)."""
    import os
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import boto3
    from moto import mock_aws

    apply()
    queries = [
        dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p3"}}),
        dict(KeyConditionExpression="pk = :p AND begins_with(sk, :s)", ExpressionAttributeValues={":p": {"S": "p1"}, ":s": {"S": "s1"}}),
        dict(KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b", ExpressionAttributeValues={":p": {"S": "p2"}, ":a": {"S": "s05"}, ":b": {"S": "s15"}}),
        dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p4"}}, ScanIndexForward=False, Limit=7),
        dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p5"}, ":v": {"N": "10"}}, FilterExpression="v > :v"),
        dict(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "absent"}}),
        dict(IndexName="byG", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "g2"}}),
        dict(IndexName="byG", KeyConditionExpression="g = :g AND v > :v", ExpressionAttributeValues={":g": {"S": "g1"}, ":v": {"N": "5"}}, Limit=4),
        dict(IndexName="byG", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "moved"}}),
    ]

    def run():
        with mock_aws():
            d = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
            d.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                           AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in
                                                 [("pk", "S"), ("sk", "S"), ("g", "S"), ("v", "N")]],
                           GlobalSecondaryIndexes=[{"IndexName": "byG", "Projection": {"ProjectionType": "ALL"},
                                                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"},
                                                                  {"AttributeName": "v", "KeyType": "RANGE"}]}])
            for i in range(240):
                d.put_item(TableName="t", Item={"pk": {"S": "p%d" % (i % 6)}, "sk": {"S": "s%02d" % (i // 6)},
                                                "g": {"S": "g%d" % (i % 4)}, "v": {"N": str(i % 23)}})
            out = [d.query(TableName="t", **q)["Items"] for q in queries[:1] + queries[6:7]]  # GSI maps built
            d.update_item(TableName="t", Key={"pk": {"S": "p2"}, "sk": {"S": "s03"}}, UpdateExpression="SET g = :m",
                          ExpressionAttributeValues={":m": {"S": "moved"}})
            d.delete_item(TableName="t", Key={"pk": {"S": "p2"}, "sk": {"S": "s02"}})
            ok = {"Put": {"TableName": "t", "Item": {"pk": {"S": "p1"}, "sk": {"S": "new"}, "g": {"S": "g2"}, "v": {"N": "1"}}}}
            failing = {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": "p1"}, "sk": {"S": "s00"}},
                                          "ConditionExpression": "attribute_not_exists(pk)"}}
            upd = {"Update": {"TableName": "t", "Key": {"pk": {"S": "p3"}, "sk": {"S": "s01"}}, "UpdateExpression": "SET v = :z",
                              "ExpressionAttributeValues": {":z": {"N": "99"}}}}
            try:
                d.transact_write_items(TransactItems=[ok, upd, failing])
                out.append("no cancellation")
            except d.exceptions.TransactionCanceledException as e:
                out.append(e.response["CancellationReasons"])
            d.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": {"pk": {"S": "p0"}, "sk": {"S": "t"}, "g": {"S": "g2"}, "v": {"N": "3"}}}}, upd])
            for q in queries:
                pages, start = [], None
                while True:
                    kw = dict(q, ExclusiveStartKey=start) if start else q
                    r = d.query(TableName="t", **kw)
                    pages.append((r["Items"], r["Count"], r.get("ScannedCount")))
                    start = r.get("LastEvaluatedKey")
                    if not start or len(pages) > 50:
                        break
                out.append(pages)
            out.append(d.scan(TableName="t")["Items"])
            return out

    patched = run()
    _unpatched()
    try:
        unpatched = run()
    finally:
        _patched()
    if patched != unpatched:
        for i, (a, b) in enumerate(zip(patched, unpatched)):
            if a != b:
                raise AssertionError("moto_query_patch: result %d differs from unpatched moto:\n%r\n%r" % (i, a, b))
        raise AssertionError("moto_query_patch: results differ from unpatched moto")
    return len(patched)
