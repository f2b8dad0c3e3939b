#!/usr/bin/env python3
"""Conformance of bedrock-emulator with the real boto3 client.

Starts the built emulator (given as argv[1]) on a free port with a key pair and an admin
port, then drives it with boto3's bedrock-runtime client: every family through InvokeModel
and Converse, each injected fault surfacing as boto3's modelled exception class, auth
failures (wrong secret, unknown key, stale clock), and the admin counters.

Exit 0 on success, 1 on any failed assertion. If this boto3 has no bedrock-runtime model,
the script says so loudly and exits 0 (the only allowed skip).
"""
import json
import os
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AK, SK = "AKIDCONFORMANCE", "conformance/secret+KEY0123456789abcdefghij"


def start_emulator(binary):
    proc = subprocess.Popen(
        [binary, "--port", "0", "--admin-port", "0", "--credentials", f"{AK}:{SK}",
         "--seed", "7", "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "listening on http://" not in line:
        proc.kill()
        raise SystemExit(f"emulator did not start: {line!r} {proc.stderr.read()}")
    parts = line.split("http://")
    return proc, "http://" + parts[1].split()[0], "http://" + parts[2].rstrip(")\n")


def admin(url, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method="POST" if data is not None or path.endswith("reset") else "GET")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


# InvokeModelWithResponseStream: how each streaming family's decoded chunk carries its text.
STREAM_TEXT = {
    "AnthropicMessages": lambda c: c["delta"]["text"] if c.get("type") == "content_block_delta" else "",
    "AnthropicText": lambda c: c.get("completion") or "",
    "TitanText": lambda c: c.get("outputText") or "",
    "Nova": lambda c: c["contentBlockDelta"]["delta"]["text"] if "contentBlockDelta" in c else "",
    "Llama3": lambda c: c.get("generation") or "",
    "Llama2": lambda c: c.get("generation") or "",
    "MistralText": lambda c: c["outputs"][0]["text"],
    "DeepSeek": lambda c: c["choices"][0]["text"],
}


def dig(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def main():
    try:
        import boto3
        import botocore
        from botocore.config import Config
    except ImportError:
        print("SKIP (LOUD): boto3 is not installed; boto3 conformance NOT run", file=sys.stderr)
        return 0
    session = boto3.session.Session()
    if "bedrock-runtime" not in session.get_available_services():
        print(f"SKIP (LOUD): boto3 {boto3.__version__} has no bedrock-runtime; conformance NOT run",
              file=sys.stderr)
        return 0

    proc, endpoint, admin_url = start_emulator(sys.argv[1])
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL:", what, file=sys.stderr)

    def client(secret=SK, key=AK, retries=1):
        return session.client(
            "bedrock-runtime", region_name="us-east-1", endpoint_url=endpoint,
            aws_access_key_id=key, aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": retries, "mode": "standard"},
                          read_timeout=5, connect_timeout=5))

    try:
        os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)
        families = json.load(open(os.path.join(HERE, "families.json")))
        c = client()
        for f in families:
            # InvokeModel: native body in, the family's native shape out.
            r = c.invoke_model(modelId=f["model"], body=json.dumps(f["body"]),
                               contentType="application/json", accept="application/json")
            body = json.loads(r["body"].read())
            text = dig(body, f["text"])
            check(isinstance(text, str) and "sky" in text.lower(),
                  f"{f['family']} invoke text {text!r}")
            headers = r["ResponseMetadata"]["HTTPHeaders"]
            check(int(headers.get("x-amzn-bedrock-input-token-count", "0")) > 0,
                  f"{f['family']} input token header")
            check(r["ResponseMetadata"].get("RequestId"), f"{f['family']} request id")
            # Converse: family-independent shape.
            cv = c.converse(modelId=f["model"],
                            messages=[{"role": "user",
                                       "content": [{"text": "The sky is blue. Grass is green."}]}],
                            inferenceConfig={"maxTokens": 256})
            blocks = cv["output"]["message"]["content"]
            joined = " ".join(b.get("text", "") for b in blocks)
            check("sky" in joined.lower(), f"{f['family']} converse text {blocks!r}")
            u = cv["usage"]
            check(u["inputTokens"] + u["outputTokens"] == u["totalTokens"],
                  f"{f['family']} converse usage adds up {u}")
            check(cv["stopReason"] in ("end_turn", "max_tokens"), f"{f['family']} stopReason")
            # ConverseStream: the event stream boto3 parses must rebuild the same answer.
            cs = c.converse_stream(modelId=f["model"],
                                   messages=[{"role": "user",
                                              "content": [{"text": "The sky is blue. Grass is green."}]}],
                                   inferenceConfig={"maxTokens": 256})
            check(cs["ResponseMetadata"].get("RequestId"), f"{f['family']} stream request id")
            kinds, parts, stop, usage = [], [], None, None
            for event in cs["stream"]:
                kind = next(iter(event))
                kinds.append(kind)
                if kind == "contentBlockDelta":
                    parts.append(event[kind]["delta"].get("text", ""))
                elif kind == "messageStop":
                    stop = event[kind]["stopReason"]
                elif kind == "metadata":
                    usage = event[kind]["usage"]
            text_blocks = "".join(b["text"] for b in blocks if "text" in b)
            check("".join(parts) == text_blocks,
                  f"{f['family']} stream text {''.join(parts)!r} != {text_blocks!r}")
            check(kinds[0] == "messageStart" and kinds[-1] == "metadata",
                  f"{f['family']} stream events {kinds}")
            check(stop == cv["stopReason"], f"{f['family']} stream stopReason {stop}")
            check(usage == u, f"{f['family']} stream usage {usage} != {u}")
            # InvokeModelWithResponseStream: boto3 decodes the chunks' base64 bytes.
            streams = f["family"] in STREAM_TEXT
            try:
                rs = c.invoke_model_with_response_stream(modelId=f["model"], body=json.dumps(f["body"]),
                                                         contentType="application/json")
                check(streams, f"{f['family']} streamed but should be unsupported")
                chunks = [json.loads(e["chunk"]["bytes"]) for e in rs["body"]]
                streamed = "".join(STREAM_TEXT[f["family"]](ch) for ch in chunks) if streams else ""
                check(streamed == text, f"{f['family']} invoke stream text {streamed!r} != {text!r}")
                metrics = chunks[-1].get("amazon-bedrock-invocationMetrics", {})
                check(metrics.get("inputTokenCount", 0) > 0 and "outputTokenCount" in metrics,
                      f"{f['family']} invoke stream metrics {chunks[-1]}")
            except c.exceptions.ValidationException as e:
                check(not streams, f"{f['family']} invoke stream refused: {e}")
        print(f"ok: {len(families)} families through InvokeModel, Converse and ConverseStream; "
              f"{len(STREAM_TEXT)} family kinds through InvokeModelWithResponseStream")

        # Validation and unknown model.
        model = families[0]["model"]
        try:
            c.invoke_model(modelId=model, body=json.dumps({"messages": []}))
            check(False, "invalid body accepted")
        except c.exceptions.ValidationException:
            pass
        try:
            c.invoke_model(modelId="nosuchprovider.model-v1:0", body="{}")
            check(False, "unknown model accepted")
        except c.exceptions.ResourceNotFoundException:
            pass

        # Every injected fault surfaces as boto3's modelled exception class.
        body = json.dumps(families[0]["body"])
        for kind in ["ThrottlingException", "ServiceUnavailableException",
                     "InternalServerException", "ModelTimeoutException",
                     "ModelNotReadyException", "ModelErrorException",
                     "ServiceQuotaExceededException"]:
            admin(admin_url, "/admin/faults", {"next": {"kind": kind, "count": 1}})
            try:
                c.invoke_model(modelId=model, body=body)
                check(False, f"{kind}: call succeeded")
            except botocore.exceptions.ClientError as e:
                check(type(e).__name__ == kind, f"{kind}: got {type(e).__name__}")
                check(e.response["Error"]["Code"] == kind, f"{kind}: code")
                if kind == "ModelErrorException":
                    check(e.response.get("originalStatusCode") == 500, "originalStatusCode")
        # ConverseStream: a fault drawn before the stream starts is the modelled exception.
        admin(admin_url, "/admin/faults", {"next": {"kind": "ThrottlingException", "count": 1}})
        try:
            c.converse_stream(modelId=model,
                              messages=[{"role": "user", "content": [{"text": "Hi there."}]}])
            check(False, "converse_stream throttling: call succeeded")
        except c.exceptions.ThrottlingException:
            pass
        # Connection-level faults surface as botocore connection errors.
        for kind in ["drop", "truncate"]:
            admin(admin_url, "/admin/faults", {"next": {"kind": kind, "count": 1}})
            try:
                # The body streams lazily: a truncated one fails only when read.
                c.invoke_model(modelId=model, body=body)["body"].read()
                check(False, f"{kind}: call succeeded")
            except (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError,
                    botocore.exceptions.ResponseStreamingError) as e:
                pass
            except Exception as e:  # noqa: BLE001 - report the unexpected class
                check(False, f"{kind}: unexpected {type(e).__name__}: {e}")
        print("ok: every injected fault surfaced as its modelled exception")

        # A throttling storm resolved by the SDK's own retries.
        admin(admin_url, "/admin/reset")
        admin(admin_url, "/admin/faults", {"next": {"kind": "ThrottlingException", "count": 2}})
        r = client(retries=3).invoke_model(modelId=model, body=body)
        check(r["ResponseMetadata"]["RetryAttempts"] == 2, "storm needs 2 retries")
        counters = admin(admin_url, "/admin/counters")
        m = counters["models"][model]
        check(m["outcomes"].get("ThrottlingException") == 2 and m["outcomes"].get("Success") == 1,
              f"counters after storm {m}")
        check(m["retries"] == 2, f"retries counted {m}")

        # rpm quota: the third request within the minute is throttled.
        admin(admin_url, "/admin/quotas", {"model": "cohere.command-r-v1:0", "rpm": 2})
        crm = "cohere.command-r-v1:0"
        crb = json.dumps({"message": "hi there", "max_tokens": 8})
        c.invoke_model(modelId=crm, body=crb)
        c.invoke_model(modelId=crm, body=crb)
        try:
            c.invoke_model(modelId=crm, body=crb)
            check(False, "rpm quota not enforced")
        except c.exceptions.ThrottlingException:
            pass
        print("ok: retries, counters and rpm quota")

        # Authentication failures.
        for label, cl, expected in [
                ("wrong secret", client(secret=SK + "x"), "InvalidSignatureException"),
                ("unknown key", client(key="AKIDUNKNOWN"), "UnrecognizedClientException")]:
            try:
                cl.invoke_model(modelId=model, body=body)
                check(False, f"{label} accepted")
            except botocore.exceptions.ClientError as e:
                check(e.response["Error"]["Code"] == expected,
                      f"{label}: got {e.response['Error']['Code']}")
                check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, f"{label}: 403")
        print("ok: wrong secret -> InvalidSignatureException, unknown key -> UnrecognizedClientException")
    finally:
        proc.terminate()
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = -1
        check(rc == 0, f"emulator exit status {rc} after SIGTERM")

    if failures:
        print(f"{len(failures)} conformance failures", file=sys.stderr)
        return 1
    print("boto3 conformance: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
