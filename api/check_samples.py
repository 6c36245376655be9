#!/usr/bin/env python3
"""Check the webhook API description against the sample events, offline.

    python3 api/check_samples.py [-v]

What it checks (exit status 1 and a list of failures if anything is wrong):

1. api/openapi.yaml: schemas are self-contained and strict enough to be loaded at runtime by
   a JSON Schema 2020-12 validator by pointer (#/components/schemas/WebhookEvent): every
   $ref is local, no OpenAPI-only keywords or $id inside schemas, every object schema is
   closed, every pattern compiles and is anchored with ^ ... $(?![\\s\\S]).
2. Every events/*.json and events/edge/*.json sample validates against WebhookEvent
   (Draft 2020-12, formats asserted); every events/edge/invalid.*.json fails, with errors at
   exactly the pointers listed in EXPECTED_INVALID below (a missing member counts at its own
   pointer, e.g. /data/appointment/start).
3. There is one sample per event type, named events/<type>.json, and the request examples
   in openapi.yaml are exactly those samples; the response examples match their schemas.
4. Every events/outbound/**/*.json (the events telebridge sends the platform, written by
   functions/from-ehr-translator OutboundSamplesTest from the HL7 fixtures) validates against
   #/components/schemas/OutboundEvent (patient.context.*.json, written by shared/json
   ContextEventWriterTest, against #/components/schemas/ContextEvent), and there is one events/outbound/<type>.json per
   outbound type (the webhooks of openapi.yaml).
5. Each sample has its API Gateway wrapper in events/apigw/ (same relative path) whose
   body is byte-for-byte the sample and whose signature verifies (the secret defaults to
   the development secret; pass --secret for others). Regenerate them with
   python3 events/apigw/generate.py.

Only the jsonschema / referencing / PyYAML packages are needed; nothing is fetched.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import pathlib
import re
import sys

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = pathlib.Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "api" / "openapi.yaml"
EVENTS = ROOT / "events"
APIGW = EVENTS / "apigw"
DOC_URI = "urn:telebridge:api:openapi.yaml"
ENVELOPE = "#/components/schemas/WebhookEvent"
OUTBOUND = "#/components/schemas/OutboundEvent"
OUTBOUND_DIR = EVENTS / "outbound"
OUTBOUND_EVENT_TYPES = ["ehr.result.available", "ehr.patient.updated", "ehr.appointment.changed", "ehr.patients.merged",
                        "patient.context.ready", "patient.context.unavailable"]
CONTEXT = "#/components/schemas/ContextEvent"
BODY_LIMIT = 245760
DEV_SECRET = "dev-webhook-secret-change-me"
TOLERANCE_NOTE = "timestamps are not checked against the clock here"

EVENT_TYPES = [
    "patient.registered", "patient.updated",
    "appointment.booked", "appointment.rescheduled", "appointment.cancelled", "appointment.no_show",
    "visit.note_signed", "visit.orders_placed", "visit.charges_posted",
]

# Invalid samples and the exact set of JSON Pointers their errors must point at.
EXPECTED_INVALID = {
    "edge/invalid.appointment.booked.json": {
        "/patient/birthDate",              # "07/19/1984", not YYYY-MM-DD
        "/data/appointment/start",         # missing
        "/data/appointment/provider/npi",  # 8 digits
    },
}

# Schema keywords that are OpenAPI-only (or would break pointer loading) inside a schema.
FORBIDDEN_KEYWORDS = {"nullable", "discriminator", "xml", "externalDocs", "example", "$id", "$schema", "$anchor",
                      "$dynamicAnchor", "readOnly", "writeOnly"}
# Object schemas allowed to stay open: constraint-only fragments applied on top of a closed
# schema, the envelope's `data` (closed by the per-type schema), and RFC 9457 problems
# (extension members are allowed by the RFC).
OPEN_OBJECTS = {
    "/components/schemas/WebhookEvent/properties/data",
    "/components/schemas/PatientDemographicsRequired",
    "/components/schemas/Problem",
}
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SUBSCHEMA_ONE = ("items", "contains", "if", "then", "else", "not", "additionalProperties",
                 "unevaluatedProperties", "unevaluatedItems", "propertyNames", "contentSchema")
SUBSCHEMA_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")


class NoTimestampLoader(yaml.SafeLoader):
    """YAML loader that keeps 2025-11-20 style scalars as strings, as a JSON view would."""


NoTimestampLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Report:
    def __init__(self, verbose: bool):
        self.failures: list[str] = []
        self.passes = 0
        self.verbose = verbose

    def ok(self, what: str) -> None:
        self.passes += 1
        if self.verbose:
            print(f"ok    {what}")

    def fail(self, what: str) -> None:
        self.failures.append(what)
        print(f"FAIL  {what}")


def pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def error_pointers(error) -> set[str]:
    """Where an error is, as the intake API reports it: a missing or unknown member at its own pointer."""
    base = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        return {pointer(base + [m]) for m in missing}
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        if extras:
            return {pointer(base + [k]) for k in extras}
    return {pointer(base)}


def walk_schema(node, where: str, report: Report, refs: list) -> None:
    if not isinstance(node, dict):
        report.fail(f"{where}: a schema must be an object")
        return
    for key in FORBIDDEN_KEYWORDS & node.keys():
        report.fail(f"{where}: keyword {key!r} is not allowed inside a runtime schema")
    if "$ref" in node:
        refs.append((where, node["$ref"]))
    if "pattern" in node:
        pat = node["pattern"]
        try:
            re.compile(pat)
        except re.error as exc:
            report.fail(f"{where}/pattern: does not compile: {exc}")
        if not (pat.startswith("^") and pat.endswith(r"$(?![\s\S])")):
            report.fail(f"{where}/pattern: must start with ^ and end with $(?![\\s\\S])")
    if node.get("type") == "object" and where not in OPEN_OBJECTS:
        if node.get("additionalProperties") is not False and node.get("unevaluatedProperties") is not False:
            report.fail(f"{where}: object schema is open (needs additionalProperties: false "
                        f"or unevaluatedProperties: false)")
    for key in SUBSCHEMA_MAPS:
        for name, sub in (node.get(key) or {}).items():
            walk_schema(sub, f"{where}/{key}/{name}", report, refs)
    for key in SUBSCHEMA_ONE:
        if isinstance(node.get(key), dict):
            walk_schema(node[key], f"{where}/{key}", report, refs)
    for key in SUBSCHEMA_LIST:
        for i, sub in enumerate(node.get(key) or []):
            walk_schema(sub, f"{where}/{key}/{i}", report, refs)


def resolve_local(doc, ref: str):
    node = doc
    for token in ref[2:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def check_document(doc, report: Report) -> None:
    if doc.get("openapi") != "3.1.0":
        report.fail("openapi.yaml: openapi must be 3.1.0")
    if doc.get("jsonSchemaDialect") != "https://json-schema.org/draft/2020-12/schema":
        report.fail("openapi.yaml: jsonSchemaDialect must be the 2020-12 dialect")
    schemas = doc.get("components", {}).get("schemas", {})
    refs: list = []
    for name, schema in schemas.items():
        walk_schema(schema, f"/components/schemas/{name}", report, refs)
    for where, ref in refs:
        if not ref.startswith("#/components/schemas/"):
            report.fail(f"{where}: $ref {ref!r} is not local (#/components/schemas/...)")
            continue
        try:
            resolve_local(doc, ref)
        except (KeyError, TypeError):
            report.fail(f"{where}: $ref {ref!r} does not resolve")
    if "WebhookEvent" not in schemas:
        report.fail("openapi.yaml: #/components/schemas/WebhookEvent is missing")
    else:
        report.ok(f"openapi.yaml: {len(schemas)} schemas, {len(refs)} local $refs, strict")
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            report.fail(f"/components/schemas/{name}: not a valid 2020-12 schema: {exc.message}")


def make_validator(doc, target: str) -> Draft202012Validator:
    def no_retrieve(uri: str):
        raise LookupError(f"refusing to fetch {uri!r}: all references must be local")

    registry = Registry(retrieve=no_retrieve).with_resource(
        DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": DOC_URI + target}, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def load_json(path: pathlib.Path, report: Report):
    raw = path.read_bytes()
    try:
        return raw, json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.fail(f"{path.relative_to(ROOT)}: not UTF-8 JSON: {exc}")
        return raw, None


def check_samples(doc, report: Report) -> dict[str, bytes]:
    validator = make_validator(doc, ENVELOPE)
    samples: dict[str, bytes] = {}
    files = sorted(EVENTS.glob("*.json")) + sorted((EVENTS / "edge").glob("*.json"))
    for path in files:
        rel = path.relative_to(EVENTS).as_posix()
        raw, event = load_json(path, report)
        if event is None:
            continue
        samples[rel] = raw
        if len(raw) > BODY_LIMIT:
            report.fail(f"events/{rel}: {len(raw)} bytes, over the {BODY_LIMIT}-byte body limit")
        errors = sorted(validator.iter_errors(event), key=lambda e: list(map(str, e.absolute_path)))
        found = set().union(*(error_pointers(e) for e in errors)) if errors else set()
        if pathlib.PurePosixPath(rel).name.startswith("invalid."):
            expected = EXPECTED_INVALID.get(rel)
            if expected is None:
                report.fail(f"events/{rel}: invalid sample without an EXPECTED_INVALID entry")
            elif found != expected:
                report.fail(f"events/{rel}: errors at {sorted(found)}, expected exactly {sorted(expected)}")
            else:
                report.ok(f"events/{rel}: rejected as expected at {sorted(found)}")
            if report.verbose:
                for e in errors:
                    # keyword and location only: messages can echo values, and values may be PHI
                    print(f"        {sorted(error_pointers(e))}  keyword={e.validator}")
        else:
            if errors:
                for e in errors:
                    report.fail(f"events/{rel}: {sorted(error_pointers(e))} ({e.validator}): {e.message}")
            else:
                report.ok(f"events/{rel}: valid")
    for missing in set(EXPECTED_INVALID) - samples.keys():
        report.fail(f"events/{missing}: listed in EXPECTED_INVALID but not found")
    for t in EVENT_TYPES:
        if f"{t}.json" not in samples:
            report.fail(f"events/{t}.json: no sample for event type {t}")
        else:
            event = json.loads(samples[f"{t}.json"])
            if event.get("type") != t:
                report.fail(f"events/{t}.json: type is {event.get('type')!r}, not {t!r}")
    for rel in samples:
        if "/" not in rel and rel[:-5] not in EVENT_TYPES:
            report.fail(f"events/{rel}: not named after an event type")
    return samples


def check_examples(doc, samples: dict[str, bytes], report: Report) -> None:
    op = doc["paths"]["/v1/events"]["post"]
    media = op["requestBody"]["content"]["application/json"]
    examples = media.get("examples", {})
    for t in EVENT_TYPES:
        if t not in examples:
            report.fail(f"openapi.yaml: no request example named {t}")
        elif f"{t}.json" in samples and examples[t].get("value") != json.loads(samples[f"{t}.json"]):
            report.fail(f"openapi.yaml: request example {t} differs from events/{t}.json")
        else:
            report.ok(f"openapi.yaml: request example {t} equals events/{t}.json")
    for status, response in op["responses"].items():
        for mtype, content in (response.get("content") or {}).items():
            ref = content["schema"]["$ref"]
            validator = make_validator(doc, ref)
            for name, example in (content.get("examples") or {}).items():
                errs = list(validator.iter_errors(example["value"]))
                if errs:
                    report.fail(f"openapi.yaml: {status} example {name}: {errs[0].message}")
                elif example["value"].get("status", int(status)) not in (int(status), "accepted"):
                    report.fail(f"openapi.yaml: {status} example {name}: status field does not match")
                else:
                    report.ok(f"openapi.yaml: {status} {mtype} example {name} matches {ref}")


def check_outbound(doc, report: Report) -> int:
    if "OutboundEvent" not in doc.get("components", {}).get("schemas", {}):
        report.fail("openapi.yaml: #/components/schemas/OutboundEvent is missing")
        return 0
    validators = {OUTBOUND: make_validator(doc, OUTBOUND), CONTEXT: make_validator(doc, CONTEXT)}
    files = sorted(OUTBOUND_DIR.rglob("*.json")) if OUTBOUND_DIR.is_dir() else []
    for path in files:
        rel = path.relative_to(EVENTS).as_posix()
        _, event = load_json(path, report)
        if event is None:
            continue
        # the context events have their own envelope (no HL7 message source)
        target = CONTEXT if path.name.startswith("patient.context.") else OUTBOUND
        errors = list(validators[target].iter_errors(event))
        if errors:
            for e in errors:
                report.fail(f"events/{rel}: {sorted(error_pointers(e))} ({e.validator}): {e.message}")
        else:
            report.ok(f"events/{rel}: valid {target.rsplit('/', 1)[1]}")
    webhooks = doc.get("webhooks", {})
    for t in OUTBOUND_EVENT_TYPES:
        path = OUTBOUND_DIR / f"{t}.json"
        if t not in webhooks:
            report.fail(f"openapi.yaml: no webhook named {t}")
        if not path.is_file():
            report.fail(f"events/outbound/{t}.json: no sample for outbound event type {t}")
        elif json.loads(path.read_text(encoding="utf-8")).get("type") != t:
            report.fail(f"events/outbound/{t}.json: type is not {t!r}")
    return len(files)


def check_apigw(samples: dict[str, bytes], secrets: list[str], report: Report) -> None:
    expected_files = {f"{rel}" for rel in samples}
    present = {p.relative_to(APIGW).as_posix() for p in APIGW.rglob("*.json")} if APIGW.is_dir() else set()
    for extra in sorted(present - expected_files):
        report.fail(f"events/apigw/{extra}: no matching sample (stale; rerun events/apigw/generate.py)")
    for rel, raw in samples.items():
        path = APIGW / rel
        if not path.is_file():
            report.fail(f"events/apigw/{rel}: missing (run python3 events/apigw/generate.py)")
            continue
        _, wrapper = load_json(path, report)
        if wrapper is None:
            continue
        problems = []
        body = wrapper.get("body")
        if not isinstance(body, str) or body.encode("utf-8") != raw:
            problems.append("body is not byte-for-byte the sample")
        for key, want in (("version", "2.0"), ("routeKey", "POST /v1/events"), ("rawPath", "/v1/events"),
                          ("rawQueryString", ""), ("isBase64Encoded", False)):
            if wrapper.get(key) != want:
                problems.append(f"{key} is {wrapper.get(key)!r}, expected {want!r}")
        ctx = wrapper.get("requestContext", {})
        http = ctx.get("http", {})
        if (http.get("method"), http.get("path"), ctx.get("stage")) != ("POST", "/v1/events", "$default"):
            problems.append("requestContext.http method/path or stage is wrong")
        headers = wrapper.get("headers", {})
        if any(k != k.lower() for k in headers):
            problems.append("header names must be lower case")
        if headers.get("content-type") != "application/json":
            problems.append("content-type header is not application/json")
        ts = headers.get("x-telebridge-timestamp", "")
        sig_header = headers.get("x-telebridge-signature", "")
        if not ts.isdigit():
            problems.append("x-telebridge-timestamp is not Unix seconds")
        elif isinstance(body, str):
            given = [v.strip()[3:] for v in sig_header.split(",") if v.strip().startswith("v1=")]
            wanted = [hmac.new(s.encode("utf-8"), ts.encode("ascii") + b"." + body.encode("utf-8"),
                               hashlib.sha256).hexdigest() for s in secrets]
            if not any(hmac.compare_digest(g, w) for g in given for w in wanted):
                problems.append("x-telebridge-signature does not verify with the given secret(s)")
        if problems:
            for p in problems:
                report.fail(f"events/apigw/{rel}: {p}")
        else:
            report.ok(f"events/apigw/{rel}: body in sync, signature verifies (ts {ts})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every check, not only failures")
    parser.add_argument("--secret", action="append",
                        help=f"webhook secret(s) for checking events/apigw signatures (default: {DEV_SECRET})")
    parser.add_argument("--skip-apigw", action="store_true", help="do not check events/apigw")
    args = parser.parse_args()
    report = Report(args.verbose)

    try:
        doc = yaml.load(OPENAPI.read_text(encoding="utf-8"), Loader=NoTimestampLoader)
    except (OSError, yaml.YAMLError) as exc:
        print(f"FAIL  api/openapi.yaml: cannot be read: {exc}")
        return 1
    check_document(doc, report)
    if report.failures:
        print(f"\n{len(report.failures)} check(s) failed in api/openapi.yaml; fix those before the samples are checked.")
        return 1
    samples = check_samples(doc, report)
    check_examples(doc, samples, report)
    outbound = check_outbound(doc, report)
    if not args.skip_apigw:
        check_apigw(samples, args.secret or [DEV_SECRET], report)

    if report.failures:
        print(f"\n{len(report.failures)} check(s) failed, {report.passes} passed.")
        return 1
    print(f"All {report.passes} checks passed ({len(samples)} samples, {outbound} outbound samples; "
          f"{'apigw skipped' if args.skip_apigw else 'apigw wrappers verified, ' + TOLERANCE_NOTE}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
