#!/usr/bin/env python3
"""Policy check of template.yaml: the rules cfn-lint does not know (checkov / cfn-guard style).

Fails (exit 1) on any finding, printing one line per finding:

  no-scan          an IAM statement allows dynamodb:Scan (or dynamodb:* / *) on the identity table,
                   or a SAM policy template that includes Scan names it
  sqs-scoped       an IAM statement allows sqs:* actions on Resource '*', or a function with an SQS event
                   has no explicit Role (SAM would attach AWSLambdaSQSQueueExecutionRole: sqs:* on '*')
  phi-retain       a PHI table (IdentityTable, AppointmentsTable) lacks DeletionPolicy/UpdateReplacePolicy
                   Retain, deletion protection or point-in-time recovery
  ingress          a security group ingress from 0.0.0.0/0, ::/0 or a block wider than /16 (also a
                   parameter's default used as such a source)
  queue-age        a queue without an ApproximateAgeOfOldestMessage alarm
  alarm-action     an alarm without an action
  visibility       an SQS-triggered function whose queue's visibility timeout is below 6 x its timeout
  http-timeout     a function behind an HTTP API with a timeout above 29 s (the API gives up at 30 s)
  concurrency      an SQS event source without MaximumConcurrency (and no reserved concurrency)
  encryption       a queue, table or log group without encryption settings
  listener-tls     the listener is not TLS by default (MllpPlaintext must default to 'false')
  s3-bucket        an S3 bucket without default encryption, a full public access block, a lifecycle rule,
                   DeletionPolicy/UpdateReplacePolicy Retain, or a bucket policy denying requests without TLS
  deploy-params    the CI deploy workflow (.github/workflows/deploy.yml) does not pass a parameter that has
                   no default (sam deploy would stop)

Usage: check_template.py [template.yaml]   |   check_template.py --self-test
Needs only PyYAML (cfn-lint brings it). Pinned rules: change them here, with a reason.
"""
import ipaddress
import os
import sys

import yaml

PHI_TABLES = ("IdentityTable", "AppointmentsTable")
IDENTITY = "IdentityTable"
SAM_TEMPLATES_WITH_SCAN = ("DynamoDBCrudPolicy", "DynamoDBReadPolicy")


class CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _tag)


def load(text):
    return yaml.load(text, Loader=CfnLoader)


def as_list(v):
    return v if isinstance(v, list) else [v]


def mentions(value, logical_id):
    """Whether a (possibly intrinsic) value refers to a resource."""
    if isinstance(value, dict):
        if value.get("Ref") == logical_id:
            return True
        ga = value.get("Fn::GetAtt")
        if isinstance(ga, list) and ga and ga[0] == logical_id:
            return True
        sub = value.get("Fn::Sub")
        if isinstance(sub, str) and "${" + logical_id in sub:
            return True
        return any(mentions(v, logical_id) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, logical_id) for v in value)
    return False


def branches(value):
    """The values a Fn::If can take (both branches), AWS::NoValue dropped; other values as they are."""
    if isinstance(value, dict) and "Fn::If" in value:
        out = []
        for b in value["Fn::If"][1:]:
            out.extend(branches(b))
        return out
    if isinstance(value, dict) and value.get("Ref") == "AWS::NoValue":
        return []
    return [value]


def statements(resource_id, resource):
    """Every IAM statement of a role / policy resource, with where it is."""
    props = resource.get("Properties", {}) or {}
    docs = []
    for p in as_list(props.get("Policies", [])):
        for pol in branches(p):
            if isinstance(pol, dict) and "PolicyDocument" in pol:
                docs.append(pol["PolicyDocument"])
            elif isinstance(pol, dict) and "Statement" in pol:  # SAM inline policy document
                docs.append(pol)
    if "PolicyDocument" in props:
        docs.append(props["PolicyDocument"])
    for doc in docs:
        for st in as_list(doc.get("Statement", [])):
            for s in branches(st):
                if isinstance(s, dict):
                    yield s


def check(t):
    findings = []
    res = t.get("Resources", {}) or {}
    params = t.get("Parameters", {}) or {}
    globals_fn = ((t.get("Globals") or {}).get("Function") or {})

    def f(rule, where, what):
        findings.append(f"{rule}: {where}: {what}")

    # ---- IAM: no Scan on the identity table, no sqs on '*'
    for rid, r in res.items():
        if r.get("Type") in ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            for arn in as_list((r.get("Properties") or {}).get("ManagedPolicyArns", [])):
                if "AWSLambdaSQSQueueExecutionRole" in str(arn):
                    f("sqs-scoped", rid, "AWSLambdaSQSQueueExecutionRole allows sqs actions on '*'")
            for s in statements(rid, r):
                if s.get("Effect") != "Allow":
                    continue
                actions = [str(a) for a in as_list(s.get("Action", []))]
                resources = as_list(s.get("Resource", []))
                scan = any(a in ("*", "dynamodb:*", "dynamodb:Scan") or a.lower() == "dynamodb:scan" for a in actions)
                if scan and (mentions(resources, IDENTITY) or "*" in resources):
                    f("no-scan", rid, "allows dynamodb:Scan on the identity table")
                if any(a == "*" or a.startswith("sqs:") for a in actions) and "*" in resources:
                    f("sqs-scoped", rid, "allows sqs actions on Resource '*'")
        if r.get("Type") == "AWS::Serverless::Function":
            props = r.get("Properties") or {}
            for p in as_list(props.get("Policies", [])):
                for pol in branches(p):
                    if isinstance(pol, dict):
                        for name in SAM_TEMPLATES_WITH_SCAN:
                            if name in pol and mentions(pol[name], IDENTITY):
                                f("no-scan", rid, f"{name} on the identity table includes dynamodb:Scan")
                    if isinstance(pol, str) and "SQS" in pol and "FullAccess" in pol:
                        f("sqs-scoped", rid, f"managed policy {pol}")
            events = props.get("Events") or {}
            sqs_events = {k: e for k, e in events.items() if (e or {}).get("Type") == "SQS"}
            http = any((e or {}).get("Type") in ("HttpApi", "Api") for e in events.values())
            timeout = props.get("Timeout", globals_fn.get("Timeout", 3))
            if sqs_events and "Role" not in props and "Role" not in globals_fn:
                f("sqs-scoped", rid, "SQS event without an explicit Role: SAM adds AWSLambdaSQSQueueExecutionRole (sqs on '*')")
            if http and isinstance(timeout, int) and timeout > 29:
                f("http-timeout", rid, f"Timeout {timeout} s behind an HTTP API (30 s integration limit)")
            for name, e in sqs_events.items():
                ep = e.get("Properties") or {}
                q = ep.get("Queue")
                qid = q.get("Fn::GetAtt", [None])[0] if isinstance(q, dict) else None
                queue = res.get(qid, {}) if qid else {}
                vis = (queue.get("Properties") or {}).get("VisibilityTimeout", 30)
                if isinstance(vis, int) and isinstance(timeout, int) and vis < 6 * timeout:
                    f("visibility", f"{rid}/{name}", f"{qid} VisibilityTimeout {vis} < 6 x Timeout {timeout}")
                if not (ep.get("ScalingConfig") or {}).get("MaximumConcurrency") and "ReservedConcurrentExecutions" not in props:
                    f("concurrency", f"{rid}/{name}", "no ScalingConfig.MaximumConcurrency nor ReservedConcurrentExecutions")

    # ---- PHI tables
    for tid in PHI_TABLES:
        r = res.get(tid)
        if r is None:
            continue
        props = r.get("Properties") or {}
        if r.get("DeletionPolicy") != "Retain" or r.get("UpdateReplacePolicy") != "Retain":
            f("phi-retain", tid, "DeletionPolicy and UpdateReplacePolicy must be Retain")
        if props.get("DeletionProtectionEnabled") is not True:
            f("phi-retain", tid, "DeletionProtectionEnabled must be true")
        if not (props.get("PointInTimeRecoverySpecification") or {}).get("PointInTimeRecoveryEnabled"):
            f("phi-retain", tid, "point-in-time recovery must stay on")

    # ---- ingress
    def wide(cidr_value, where):
        for v in branches(cidr_value):
            if isinstance(v, dict) and "Ref" in v and v["Ref"] in params:
                v = str(params[v["Ref"]].get("Default", ""))
            if not isinstance(v, str) or not v:
                continue
            try:
                net = ipaddress.ip_network(v, strict=False)
            except ValueError:
                continue
            if net.prefixlen < 16 or net.prefixlen == 0:
                f("ingress", where, f"ingress from {v} (wider than /16)")

    for rid, r in res.items():
        props = r.get("Properties") or {}
        if r.get("Type") == "AWS::EC2::SecurityGroup":
            for i, rule in enumerate(as_list(props.get("SecurityGroupIngress", []))):
                for rr in branches(rule):
                    wide(rr.get("CidrIp"), f"{rid}/ingress/{i}")
                    wide(rr.get("CidrIpv6"), f"{rid}/ingress/{i}")
        if r.get("Type") == "AWS::EC2::SecurityGroupIngress":
            wide(props.get("CidrIp"), rid)
            wide(props.get("CidrIpv6"), rid)

    # ---- alarms: an action each; an age alarm per queue
    alarms = {rid: r for rid, r in res.items() if r.get("Type") == "AWS::CloudWatch::Alarm"}
    for rid, r in alarms.items():
        actions = [a for v in as_list((r.get("Properties") or {}).get("AlarmActions", [])) for a in branches(v)]
        if not actions:
            f("alarm-action", rid, "no AlarmActions")
    for rid, r in res.items():
        if r.get("Type") != "AWS::SQS::Queue":
            continue
        aged = any((a.get("Properties") or {}).get("MetricName") == "ApproximateAgeOfOldestMessage"
                   and mentions((a.get("Properties") or {}).get("Dimensions"), rid) for a in alarms.values())
        if not aged:
            f("queue-age", rid, "no ApproximateAgeOfOldestMessage alarm")
        props = r.get("Properties") or {}
        if "KmsMasterKeyId" not in props and "SqsManagedSseEnabled" not in props:
            f("encryption", rid, "queue without KmsMasterKeyId / SqsManagedSseEnabled")
    for rid, r in res.items():
        props = r.get("Properties") or {}
        if r.get("Type") == "AWS::DynamoDB::Table" and not (props.get("SSESpecification") or {}).get("SSEEnabled"):
            f("encryption", rid, "table without SSESpecification.SSEEnabled")
        if r.get("Type") == "AWS::Logs::LogGroup" and "KmsKeyId" not in props:
            f("encryption", rid, "log group without KmsKeyId")

    # ---- S3 buckets (the claim-check payloads are PHI)
    for rid, r in res.items():
        if r.get("Type") != "AWS::S3::Bucket":
            continue
        props = r.get("Properties") or {}
        if not (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration"):
            f("s3-bucket", rid, "no BucketEncryption")
        block = props.get("PublicAccessBlockConfiguration") or {}
        if not all(block.get(k) is True for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                                  "RestrictPublicBuckets")):
            f("s3-bucket", rid, "PublicAccessBlockConfiguration must block all four")
        if not (props.get("LifecycleConfiguration") or {}).get("Rules"):
            f("s3-bucket", rid, "no LifecycleConfiguration rule (payloads must expire)")
        if r.get("DeletionPolicy") != "Retain" or r.get("UpdateReplacePolicy") != "Retain":
            f("s3-bucket", rid, "DeletionPolicy and UpdateReplacePolicy must be Retain")
        tls_only = False
        for pid, p in res.items():
            pp = p.get("Properties") or {}
            if p.get("Type") == "AWS::S3::BucketPolicy" and mentions(pp.get("Bucket"), rid):
                for st in as_list((pp.get("PolicyDocument") or {}).get("Statement", [])):
                    cond = (st or {}).get("Condition") or {}
                    if st.get("Effect") == "Deny" and str((cond.get("Bool") or {}).get("aws:SecureTransport")).lower() == "false":
                        tls_only = True
        if not tls_only:
            f("s3-bucket", rid, "no bucket policy denying aws:SecureTransport false")

    # ---- the listener is TLS unless a parameter says otherwise
    if "MllpPlaintext" in params and str(params["MllpPlaintext"].get("Default")) != "false":
        f("listener-tls", "MllpPlaintext", "must default to 'false' (TLS on by default)")
    return findings


BAD = """
Parameters:
  RequiredButNotPassed: {Type: String}
  MllpClientCidr: {Type: String, Default: 10.0.0.0/8}
  MllpPlaintext: {Type: String, Default: 'true'}
Globals:
  Function: {Timeout: 10}
Resources:
  IdentityTable:
    Type: AWS::DynamoDB::Table
    Properties: {PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}
  Q:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 30}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref IdentityTable}
      Events:
        Q: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
        Api: {Type: HttpApi}
  R:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: [sqs:SendMessage], Resource: '*'}
              - {Effect: Allow, Action: dynamodb:Scan, Resource: !GetAtt IdentityTable.Arn}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 1, ToPort: 1, CidrIp: !Ref MllpClientCidr}
        - {IpProtocol: tcp, FromPort: 1, ToPort: 1, CidrIp: 0.0.0.0/0}
  A:
    Type: AWS::CloudWatch::Alarm
    Properties: {MetricName: X}
  B:
    Type: AWS::S3::Bucket
    Properties: {}
"""


def self_test():
    findings = check(load(BAD))
    rules = {x.split(":", 1)[0] for x in findings}
    expected = {"no-scan", "sqs-scoped", "phi-retain", "ingress", "queue-age", "alarm-action", "visibility",
                "http-timeout", "concurrency", "encryption", "listener-tls", "deploy-params", "s3-bucket"}
    rules |= {x.split(":", 1)[0] for x in deploy_params(load(BAD), "sam deploy --parameter-overrides Other=1")}
    missing = expected - rules
    if missing:
        print("check_template self-test: rules that did not fire on the bad template: " + ", ".join(sorted(missing)))
        return 1
    print(f"check_template self-test: all {len(expected)} rules fire on the bad template ({len(findings)} findings)")
    return 0


def deploy_params(t, workflow_text):
    """Parameters without a default that the workflow's sam deploy does not pass."""
    required = [name for name, p in (t.get("Parameters") or {}).items() if "Default" not in (p or {})]
    return [f"deploy-params: {name}: no default and not passed by the deploy workflow"
            for name in required if f"{name}=" not in workflow_text]


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    path = argv[1] if len(argv) > 1 else "template.yaml"
    with open(path, encoding="utf-8") as fh:
        template = load(fh.read())
    findings = check(template)
    workflow = os.path.join(os.path.dirname(os.path.abspath(path)), ".github", "workflows", "deploy.yml")
    if os.path.exists(workflow):
        with open(workflow, encoding="utf-8") as fh:
            findings += deploy_params(template, fh.read())
    for x in findings:
        print(x)
    print(f"check_template: {path}: {len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
