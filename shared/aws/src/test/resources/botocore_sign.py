"""Signs one request with botocore (AWS's own Python signer) at a fixed time: S3SigV4Auth for service s3,
SigV4Auth for any other (DynamoDB's JSON protocol).

stdin: JSON {method, url, headers, body (utf-8 text), service, accessKey, secretKey, region,
amzDate (yyyyMMddTHHmmssZ)}
stdout: the Authorization header botocore computes. Used by BotocoreSigner (S3ObjectsBotocoreTest,
DynamoDbBotocoreTest) to check SignedHttp's signatures against an implementation that is not the Java SDK's.
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

r = json.load(sys.stdin)
fixed = datetime.datetime.strptime(r["amzDate"], "%Y%m%dT%H%M%SZ")


class FixedClock(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return fixed

    @classmethod
    def now(cls, tz=None):
        return fixed.replace(tzinfo=tz) if tz else fixed


request = AWSRequest(method=r["method"], url=r["url"], data=r["body"].encode("utf-8"), headers=r["headers"])
with mock.patch.object(botocore.auth.datetime, "datetime", FixedClock):
    auth = botocore.auth.S3SigV4Auth if r["service"] == "s3" else botocore.auth.SigV4Auth
    auth(Credentials(r["accessKey"], r["secretKey"]), r["service"], r["region"]).add_auth(request)
print(request.headers["Authorization"])
