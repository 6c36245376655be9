#!/usr/bin/env python3
"""Wrap every webhook sample in a signed API Gateway HTTP API (payload format 2.0) event.

    python3 events/apigw/generate.py                       # fixed timestamp 1764000000, dev secret
    python3 events/apigw/generate.py --timestamp now --out /tmp/apigw-now
    python3 events/apigw/generate.py --secret old --secret new   # rotation: two v1= values

Reads events/*.json and events/edge/*.json and writes events/apigw/<same relative path>
(or under --out), as `sam local invoke -e` and the handler tests take them. The body is
the sample file's exact bytes (as a UTF-8 string), signed as the API describes:

    X-Telebridge-Signature: v1=<lowercase hex HMAC-SHA256(secret, "<timestamp>." + body)>

The output is deterministic for a given timestamp and secret(s), so re-running it after
editing a sample changes only that sample's wrapper. In events/apigw (not in another
--out folder) wrappers whose sample is gone are removed. Standard library only.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
EVENTS = HERE.parent
DEFAULT_TIMESTAMP = 1764000000          # 2025-11-24T16:00:00Z: fixed, so the files do not churn
DEV_SECRET = "dev-webhook-secret-change-me"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ACCOUNT_ID = "123456789012"
API_ID = "local"
DOMAIN = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
USER_AGENT = "telehealth-platform-webhooks/1.0"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body,
                    hashlib.sha256).hexdigest()


def request_time(timestamp: int) -> str:
    t = time.gmtime(timestamp)
    return f"{t.tm_mday:02d}/{MONTHS[t.tm_mon - 1]}/{t.tm_year}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"


def wrap(rel: str, body: bytes, timestamp: int, secrets: list[str]) -> dict:
    signature = ",".join(f"v1={sign(s, timestamp, body)}" for s in secrets)
    # deterministic, API Gateway-looking request id (base64 of a digest of file + timestamp)
    request_id = base64.b64encode(hashlib.sha256(f"{rel}@{timestamp}".encode()).digest()[:12]).decode()
    return {
        "version": "2.0",
        "routeKey": "POST /v1/events",
        "rawPath": "/v1/events",
        "rawQueryString": "",
        "headers": {
            "content-length": str(len(body)),
            "content-type": "application/json",
            "host": DOMAIN,
            "user-agent": USER_AGENT,
            "x-forwarded-for": "127.0.0.1",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
            "x-telebridge-signature": signature,
            "x-telebridge-timestamp": str(timestamp),
        },
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": DOMAIN,
            "domainPrefix": API_ID,
            "http": {
                "method": "POST",
                "path": "/v1/events",
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": USER_AGENT,
            },
            "requestId": request_id,
            "routeKey": "POST /v1/events",
            "stage": "$default",
            "time": request_time(timestamp),
            "timeEpoch": timestamp * 1000,
        },
        "body": body.decode("utf-8"),
        "isBase64Encoded": False,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timestamp", default=str(DEFAULT_TIMESTAMP),
                        help=f"Unix seconds to sign with, or 'now' (default {DEFAULT_TIMESTAMP})")
    parser.add_argument("--secret", action="append",
                        help=f"signing secret; repeat for a rotation header with several v1= values "
                             f"(default {DEV_SECRET!r})")
    parser.add_argument("--out", type=pathlib.Path, default=HERE,
                        help="output folder (default: events/apigw)")
    args = parser.parse_args()

    if args.timestamp == "now":
        timestamp = int(time.time())
    elif args.timestamp.isdigit():
        timestamp = int(args.timestamp)
    else:
        parser.error("--timestamp takes Unix seconds or 'now'")
    secrets = args.secret or [DEV_SECRET]
    out = args.out.resolve()

    sources = sorted(EVENTS.glob("*.json")) + sorted((EVENTS / "edge").glob("*.json"))
    if not sources:
        print("no samples found under events/", file=sys.stderr)
        return 1
    written = set()
    for src in sources:
        rel = src.relative_to(EVENTS).as_posix()
        body = src.read_bytes()
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            print(f"events/{rel}: not UTF-8", file=sys.stderr)
            return 1
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(wrap(rel, body, timestamp, secrets), indent=2, ensure_ascii=False) + "\n"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
        written.add(target)
    if out == HERE:  # prune only our own folder, never an arbitrary --out
        for stale in sorted(out.rglob("*.json")):
            if stale not in written:
                stale.unlink()
                print(f"removed {stale} (no sample)")
    print(f"{len(written)} events signed with timestamp {timestamp} and {len(secrets)} secret(s) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
