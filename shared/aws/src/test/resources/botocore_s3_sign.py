"""Signs one S3 request with botocore's S3SigV4Auth (AWS's own Python signer) at a fixed time.

stdin: JSON {method, url, headers, body (utf-8 text), accessKey, secretKey, region, amzDate (yyyyMMddTHHmmssZ)}
stdout: the Authorization header botocore computes. Used by S3ObjectsBotocoreTest to check S3Objects'
signatures against an implementation that is not the Java SDK's.
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
    botocore.auth.S3SigV4Auth(Credentials(r["accessKey"], r["secretKey"]), "s3", r["region"]).add_auth(request)
print(request.headers["Authorization"])
