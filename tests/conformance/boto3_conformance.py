#!/usr/bin/env python3
"""Conformance of bedrock-emulator with the real boto3 client.

Starts the built emulator (given as argv[1]) on a free port with a key pair and an admin
port, then drives it with boto3's bedrock-runtime client: every family through InvokeModel
and Converse, each injected fault surfacing as boto3's modelled exception class, paced
streams and in-stream faults (EventStreamError), auth
failures (wrong secret, unknown key, stale clock), and the admin counters.

Exit 0 when every check this boto3 can express passed, 1 on any failed assertion, and 77
(ctest's SKIP_RETURN_CODE) when nothing can run: boto3 missing, or a botocore without the
bedrock-runtime service (Debian 12's python3-boto3 1.26 / botocore 1.29 predates it). Cases an
older boto3 cannot express (Converse, ConverseStream, API keys, exception classes it does not
model) are listed as skipped with the reason, and the rest still run.
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AK, SK = "AKIDCONFORMANCE", "conformance/secret+KEY0123456789abcdefghij"
API_KEY = "conformance-api-key-0123456789"
SKIPPED = 77


def start_emulator(binary):
    proc = subprocess.Popen(
        [binary, "--port", "0", "--admin-port", "0", "--credentials", f"{AK}:{SK}",
         "--api-key", API_KEY, "--seed", "7", "--threads", "2",
         "--fixtures", os.path.join(HERE, "fixtures.json")],
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
    "MistralChat": lambda c: c["choices"][0]["message"]["content"],
    "CohereCommandR": lambda c: c.get("text", "") if c.get("event_type") == "text-generation" else "",
    "Ai21Jamba": lambda c: c["choices"][0]["delta"].get("content") or "",
    "OpenAiGptOss": lambda c: c["choices"][0]["delta"].get("content") or "",
}


def dig(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def assemble(events):
    """A ConverseStream answer put back into Converse's shape: the message's content blocks
    (text joined, tool input parsed, reasoning text and signature joined), stopReason, usage."""
    blocks, inputs, out = {}, {}, {}
    for event in events:
        if "contentBlockStart" in event:
            e = event["contentBlockStart"]
            blocks[e["contentBlockIndex"]] = {"toolUse": dict(e["start"]["toolUse"])}
        if "contentBlockDelta" in event:
            e = event["contentBlockDelta"]
            i, d = e["contentBlockIndex"], e["delta"]
            block = blocks.setdefault(i, {})
            if "text" in d:
                block["text"] = block.get("text", "") + d["text"]
            if "toolUse" in d:
                inputs[i] = inputs.get(i, "") + d["toolUse"]["input"]
            if "reasoningContent" in d:
                r = block.setdefault("reasoningContent", {}).setdefault("reasoningText", {})
                if "text" in d["reasoningContent"]:
                    r["text"] = r.get("text", "") + d["reasoningContent"]["text"]
                if "signature" in d["reasoningContent"]:
                    r["signature"] = d["reasoningContent"]["signature"]
        if "messageStop" in event:
            out["stopReason"] = event["messageStop"]["stopReason"]
        if "metadata" in event:
            out["usage"] = event["metadata"]["usage"]
    for i, text in inputs.items():
        blocks[i]["toolUse"]["input"] = json.loads(text)
    out["content"] = [blocks[i] for i in sorted(blocks)]
    return out


def main():
    try:
        import boto3
        import botocore
        from botocore.config import Config
    except ImportError:
        print(f"SKIPPED: {sys.executable} has no boto3; boto3 conformance NOT run "
              "(scripts/install-deps.sh installs Debian's python3-boto3)", file=sys.stderr)
        return SKIPPED
    session = boto3.session.Session()
    versions = f"boto3 {boto3.__version__} / botocore {botocore.__version__} ({sys.executable})"
    if "bedrock-runtime" not in session.get_available_services():
        print(f"SKIPPED: {versions} has no bedrock-runtime service (botocore gained it in "
              "September 2023); "
              "boto3 conformance NOT run", file=sys.stderr)
        return SKIPPED
    print(f"using {versions}")

    proc, endpoint, admin_url = start_emulator(sys.argv[1])
    failures = []
    skipped = []
    checks = [0]

    def check(cond, what):
        checks[0] += 1
        if not cond:
            failures.append(what)
            print("FAIL:", what, file=sys.stderr)

    def client(secret=SK, key=AK, retries=1):
        return session.client(
            "bedrock-runtime", region_name="us-east-1", endpoint_url=endpoint,
            aws_access_key_id=key, aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": retries, "mode": "standard"},
                          read_timeout=5, connect_timeout=5))

    def supported(cond, case, reason):
        # What this boto3 cannot express is reported, never counted as passed.
        if not cond and case not in skipped:
            skipped.append(case)
            print(f"SKIP: {case}: {reason} in {versions}")
        return cond

    try:
        os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)
        families = json.load(open(os.path.join(HERE, "families.json")))
        c = client()
        modeled = set(c.meta.service_model.shape_names)
        has_converse = supported(hasattr(c, "converse"), "Converse", "no converse operation")
        has_converse_stream = supported(hasattr(c, "converse_stream"), "ConverseStream",
                                        "no converse_stream operation")
        has_invoke_stream = supported(hasattr(c, "invoke_model_with_response_stream"),
                                      "InvokeModelWithResponseStream",
                                      "no invoke_model_with_response_stream operation")
        try:
            from botocore.tokens import ScopedEnvTokenProvider  # noqa: F401 - presence check
            bearer_code = True
        except ImportError:
            bearer_code = False
        has_bearer = supported(
            bearer_code and "smithy.api#httpBearerAuth"
            in c.meta.service_model.metadata.get("auth", []),
            "API keys (AWS_BEARER_TOKEN_BEDROCK)", "no bearer-token auth for bedrock")
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
            if has_converse:
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
            if has_converse and has_converse_stream:
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
            if has_invoke_stream:
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
        print(f"ok: {len(families)} families through InvokeModel"
              + (", Converse" if has_converse else "")
              + (" and ConverseStream" if has_converse_stream else "")
              + (f"; {len(STREAM_TEXT)} family kinds through InvokeModelWithResponseStream"
                 if has_invoke_stream else ""))

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
        except c.exceptions.ValidationException as e:
            check(e.response["Error"]["Message"] == "The provided model identifier is invalid.",
                  "unknown model: %s" % e)
        # A profile-only model refuses its plain id with Bedrock's on-demand message.
        msgs = [{"role": "user", "content": [{"text": "hi"}]}]
        try:
            c.converse(modelId="anthropic.claude-3-7-sonnet-20250219-v1:0", messages=msgs)
            check(False, "profile-only model answered on demand")
        except c.exceptions.ValidationException as e:
            check("with on-demand throughput isn\u2019t supported" in str(e), "on-demand: %s" % e)
        r = c.converse(modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0", messages=msgs)
        check(r["output"]["message"]["role"] == "assistant", "profile answers: %s" % r)

        # A forced tool call, answered, then finished (Converse and ConverseStream).
        tool = {"toolSpec": {"name": "get_weather", "inputSchema": {"json": {
            "type": "object", "properties": {"city": {"type": "string"},
                                             "days": {"type": "integer"}},
            "required": ["city", "days"]}}}}
        forced = {"tools": [tool], "toolChoice": {"tool": {"name": "get_weather"}}}
        haiku = "anthropic.claude-3-haiku-20240307-v1:0"
        r = c.converse(modelId=haiku, messages=msgs, toolConfig=forced)
        use = r["output"]["message"]["content"][0].get("toolUse", {})
        check(r["stopReason"] == "tool_use" and use.get("name") == "get_weather"
              and use.get("toolUseId", "").startswith("tooluse_")
              and isinstance(use.get("input", {}).get("city"), str)
              and isinstance(use.get("input", {}).get("days"), int), "forced tool: %s" % r)
        s = c.converse_stream(modelId=haiku, messages=msgs, toolConfig=forced)
        started, pieces, stop = None, "", None
        for event in s["stream"]:
            if "contentBlockStart" in event:
                started = event["contentBlockStart"]["start"]["toolUse"]
            if "contentBlockDelta" in event:
                pieces += event["contentBlockDelta"]["delta"]["toolUse"]["input"]
            if "messageStop" in event:
                stop = event["messageStop"]["stopReason"]
        check(started == {"toolUseId": use.get("toolUseId"), "name": "get_weather"}
              and json.loads(pieces) == use.get("input") and stop == "tool_use",
              "streamed tool: %s %s %s" % (started, pieces, stop))
        turn = msgs + [r["output"]["message"],
                       {"role": "user", "content": [{"toolResult": {
                           "toolUseId": use.get("toolUseId", ""),
                           "content": [{"text": "21 C"}]}}]}]
        done = c.converse(modelId=haiku, messages=turn, toolConfig={"tools": [tool]})
        check(done["stopReason"] == "end_turn" and "text" in done["output"]["message"]["content"][0],
              "after the tool result: %s" % done)
        stray = [msgs[0], {"role": "assistant", "content": [{"text": "ok"}]},
                 {"role": "user", "content": [{"toolResult": {
                     "toolUseId": "tooluse_nope", "content": [{"text": "x"}]}}]}]
        try:
            c.converse(modelId=haiku, messages=stray, toolConfig={"tools": [tool]})
            check(False, "stray toolResult accepted")
        except c.exceptions.ValidationException:
            pass

        # Converse and ConverseStream answer the same (the stream put back together).
        def both(**kwargs):
            whole = c.converse(**kwargs)
            joined = assemble(c.converse_stream(**kwargs)["stream"])
            check(joined == {"content": whole["output"]["message"]["content"],
                             "stopReason": whole["stopReason"], "usage": whole["usage"]},
                  "stream differs: %s / %s" % (joined, whole))
            return whole

        # A fixture asks for a tool (toolChoice auto): a toolUse with the fixture's input and
        # the schema's other required members; after the result the fixture's text finishes.
        wear = [{"role": "user", "content": [{"text": "What should I wear in Oslo today?"}]}]
        r = both(modelId=haiku, messages=wear, toolConfig={"tools": [tool]})
        use = r["output"]["message"]["content"][0].get("toolUse", {})
        check(r["stopReason"] == "tool_use" and use.get("name") == "get_weather"
              and use.get("input") == {"city": "Oslo", "days": 1}, "fixture tool: %s" % r)
        turn = wear + [r["output"]["message"],
                       {"role": "user", "content": [{"toolResult": {
                           "toolUseId": use.get("toolUseId", ""), "content": [{"text": "4 C"}]}}]}]
        done = both(modelId=haiku, messages=turn, toolConfig={"tools": [tool]})
        check(done["output"]["message"]["content"] == [{"text": "Wear a coat: it is 4 C in Oslo."}]
              and done["stopReason"] == "end_turn", "fixture tool loop end: %s" % done)

        # Structured output: JSON text with the schema's required members (Claude 4), refused
        # for a model without it.
        sonnet4 = "us.anthropic.claude-sonnet-4-20250514-v1:0"
        schema = {"type": "object", "properties": {"title": {"type": "string"},
                                                   "year": {"type": "integer"}},
                  "required": ["title", "year"]}
        fmt = {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {
            "schema": json.dumps(schema), "name": "film"}}}}
        r = both(modelId=sonnet4, messages=msgs, outputConfig=fmt)
        value = json.loads(r["output"]["message"]["content"][0]["text"])
        check(isinstance(value.get("title"), str) and isinstance(value.get("year"), int),
              "structured output: %s" % r)
        try:
            c.converse(modelId=haiku, messages=msgs, outputConfig=fmt)
            check(False, "structured output accepted by Claude 3 Haiku")
        except c.exceptions.ValidationException as e:
            check("doesn't support the outputConfig.textFormat field" in str(e), str(e))

        # Reasoning: a signed reasoning block first; sent back unchanged it is accepted,
        # altered it is refused.
        think = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
        why = [{"role": "user", "content": [{"text": "Why is the sky blue? Explain."}]}]
        r = both(modelId=sonnet4, messages=why, inferenceConfig={"maxTokens": 2048},
                 additionalModelRequestFields=think)
        reasoning = r["output"]["message"]["content"][0].get("reasoningContent", {})
        check(reasoning.get("reasoningText", {}).get("signature", "") != ""
              and "text" in r["output"]["message"]["content"][1], "reasoning: %s" % r)
        follow = why + [r["output"]["message"], {"role": "user", "content": [{"text": "Thanks."}]}]
        again = c.converse(modelId=sonnet4, messages=follow, inferenceConfig={"maxTokens": 2048},
                           additionalModelRequestFields=think)
        check(again["stopReason"] == "end_turn", "reasoning sent back: %s" % again)
        altered = json.loads(json.dumps(follow))
        altered[1]["content"][0]["reasoningContent"]["reasoningText"]["text"] = "Altered."
        try:
            c.converse(modelId=sonnet4, messages=altered, inferenceConfig={"maxTokens": 2048},
                       additionalModelRequestFields=think)
            check(False, "altered reasoning accepted")
        except c.exceptions.ValidationException as e:
            check("Invalid `signature` in `thinking` block" in str(e), str(e))

        # Documents: answered beside a text block, refused alone.
        doc = {"document": {"format": "txt", "name": "notes", "source": {"bytes": b"hello"}}}
        r = both(modelId=haiku, messages=[{"role": "user", "content": [doc, {"text": "Summarize."}]}])
        check(r["stopReason"] == "end_turn", "document with text: %s" % r)
        try:
            c.converse(modelId=haiku, messages=[{"role": "user", "content": [doc]}])
            check(False, "document without a text block accepted")
        except c.exceptions.ValidationException as e:
            check("A text block must be included when using documents." in str(e), str(e))

        # Prompt caching: a cache point after a 100-token system prompt is written by Converse,
        # then read by ConverseStream; Claude 3 Haiku refuses the block.
        cached = [{"text": "c" * 400}, {"cachePoint": {"type": "default"}}]
        ask = [{"role": "user", "content": [{"text": "What does the prompt hold?"}]}]
        w = c.converse(modelId=sonnet4, system=cached, messages=ask)["usage"]
        check(w.get("cacheWriteInputTokens") == 100 and w.get("cacheReadInputTokens") == 0
              and w["totalTokens"] == w["inputTokens"] + w["outputTokens"] + 100,
              "cache write: %s" % w)
        rd = assemble(c.converse_stream(modelId=sonnet4, system=cached, messages=ask)["stream"])
        u = rd.get("usage", {})
        check(u.get("cacheReadInputTokens") == 100 and u.get("cacheWriteInputTokens") == 0
              and u.get("inputTokens") == w["inputTokens"], "cache read: %s" % u)
        try:
            c.converse(modelId=haiku, system=cached, messages=ask)
            check(False, "cachePoint accepted by Claude 3 Haiku")
        except c.exceptions.ValidationException as e:
            check("extraneous key [cachePoint] is not permitted" in str(e), str(e))

        # The same through InvokeModel's native Claude body: cache_control on the system block
        # (1h) is written, then read by InvokeModelWithResponseStream; a fifth block is refused.
        native = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                  "system": [{"type": "text", "text": "n" * 400,
                              "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
                  "messages": [{"role": "user", "content": "What does the prompt hold?"}]}
        nw = json.loads(c.invoke_model(modelId=sonnet4, body=json.dumps(native))["body"].read())
        nu = nw.get("usage", {})
        check(nu.get("cache_creation_input_tokens") == 100 and nu.get("cache_read_input_tokens") == 0
              and nu.get("cache_creation") == {"ephemeral_5m_input_tokens": 0,
                                               "ephemeral_1h_input_tokens": 100},
              "native cache write: %s" % nu)
        start = None
        for event in c.invoke_model_with_response_stream(modelId=sonnet4,
                                                         body=json.dumps(native))["body"]:
            chunk = json.loads(event["chunk"]["bytes"])
            if chunk.get("type") == "message_start":
                start = chunk["message"]["usage"]
        check(start is not None and start.get("cache_read_input_tokens") == 100
              and start.get("cache_creation_input_tokens") == 0
              and start.get("input_tokens") == nu.get("input_tokens"),
              "native cache read: %s" % start)
        five = dict(native, messages=[{"role": "user", "content": [
            {"type": "text", "text": "part %d" % i, "cache_control": {"type": "ephemeral"}}
            for i in range(4)]}])
        try:
            c.invoke_model(modelId=sonnet4, body=json.dumps(five))
            check(False, "five cache_control blocks accepted")
        except c.exceptions.ValidationException as e:
            check("A maximum of 4 blocks with cache_control may be provided. Found 5." in str(e),
                  str(e))

        # The other Converse request members (docs/wire-protocol.md §8.4): serviceTier and
        # performanceConfig come back in the answer (on the stream's metadata event), requestMetadata
        # is accepted, the requested native fields are returned, and what the service model does
        # not allow is the front end's refusal (botocore checks no enums and no maximums).
        hi = [{"role": "user", "content": [{"text": "Hi"}]}]

        def refused(expected, **kwargs):
            try:
                c.converse(modelId=haiku, messages=hi, **kwargs)
                check(False, "accepted: %s" % kwargs)
            except c.exceptions.ValidationException as e:
                check(expected in str(e), str(e))

        def stream_events(**kwargs):
            return list(c.converse_stream(modelId=haiku, messages=hi, **kwargs)["stream"])

        if supported("ServiceTier" in modeled and "PerformanceConfiguration" in modeled,
                     "serviceTier / performanceConfig", "no ServiceTier shape"):
            r = c.converse(modelId=haiku, messages=hi, serviceTier={"type": "flex"},
                           performanceConfig={"latency": "optimized"})
            check(r.get("serviceTier") == {"type": "flex"}
                  and r.get("performanceConfig") == {"latency": "optimized"},
                  "service tier answer: %s" % r)
            meta = [e["metadata"] for e in stream_events(serviceTier={"type": "priority"})
                    if "metadata" in e]
            check(len(meta) == 1 and meta[0].get("serviceTier") == {"type": "priority"},
                  "stream service tier: %s" % meta)
            refused("Value 'premium' at 'serviceTier.type' failed to satisfy constraint: Member "
                    "must satisfy enum value set: [priority, default, flex, reserved]",
                    serviceTier={"type": "premium"})
        if supported("RequestMetadata" in modeled, "requestMetadata", "no RequestMetadata shape"):
            r = c.converse(modelId=haiku, messages=hi,
                           requestMetadata={"team": "content", "run-id": "2026-12-03T17:00Z"})
            check(r["stopReason"] == "end_turn", "request metadata answer: %s" % r)
            refused("at 'requestMetadata' failed to satisfy constraint: Member must have length "
                    "less than or equal to 16",
                    requestMetadata={"k%d" % i: "v" for i in range(17)})
        paths = ["/stop_sequence", "/stop_reason", "/usage/cache~1read"]
        native = {"stop_sequence": None, "stop_reason": "end_turn"}
        r = c.converse(modelId=haiku, messages=hi, additionalModelResponseFieldPaths=paths)
        check(r.get("additionalModelResponseFields") == native, "response fields: %s" % r)
        stops = [e["messageStop"] for e in stream_events(additionalModelResponseFieldPaths=paths)
                 if "messageStop" in e]
        check(len(stops) == 1 and stops[0].get("additionalModelResponseFields") == native,
              "stream response fields: %s" % stops)
        refused("at 'additionalModelResponseFieldPaths' failed to satisfy constraint: Member must "
                "have length less than or equal to 10",
                additionalModelResponseFieldPaths=["/a"] * 11)

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
                check(e.response["Error"]["Code"] == kind, f"{kind}: code")
                if supported(kind in modeled, f"{kind} as its own exception class",
                             "the service model has no such error shape"):
                    check(type(e).__name__ == kind, f"{kind}: got {type(e).__name__}")
                    if kind == "ModelErrorException":
                        check(e.response.get("originalStatusCode") == 500, "originalStatusCode")
        # ConverseStream: a fault drawn before the stream starts is the modelled exception.
        if has_converse_stream:
            admin(admin_url, "/admin/faults",
                  {"next": {"kind": "ThrottlingException", "count": 1}})
            try:
                c.converse_stream(modelId=model,
                                  messages=[{"role": "user", "content": [{"text": "Hi there."}]}])
                check(False, "converse_stream throttling: call succeeded")
            except c.exceptions.ThrottlingException:
                pass
        # Connection-level faults surface as botocore connection errors (ResponseStreamingError
        # is what newer botocore raises for a body cut short).
        connection_errors = (botocore.exceptions.ConnectionError,
                             botocore.exceptions.HTTPClientError) + tuple(
            [botocore.exceptions.ResponseStreamingError]
            if hasattr(botocore.exceptions, "ResponseStreamingError") else [])
        for kind in ["drop", "truncate"]:
            admin(admin_url, "/admin/faults", {"next": {"kind": kind, "count": 1}})
            try:
                # The body streams lazily: a truncated one fails only when read.
                c.invoke_model(modelId=model, body=body)["body"].read()
                check(False, f"{kind}: call succeeded")
            except connection_errors:
                pass
            except Exception as e:  # noqa: BLE001 - report the unexpected class
                check(False, f"{kind}: unexpected {type(e).__name__}: {e}")
        print("ok: every injected fault surfaced with its code (and its own exception class where "
              "this boto3 models it)")

        # Paced streams: the first event no sooner than the latency, the rest one per stream
        # token time after it; boto3 reads them event by event. Then in-stream faults: an
        # exception event is boto3's EventStreamError with the member name as its code.
        if has_invoke_stream:
            admin(admin_url, "/admin/latency", {"latency_ms": 300, "stream_token_ms": 40})
            cases = [("invoke_model_with_response_stream",
                      lambda: c.invoke_model_with_response_stream(
                          modelId=model, body=body, contentType="application/json")["body"])]
            if has_converse_stream:
                cases.append(("converse_stream", lambda: c.converse_stream(
                    modelId=model,
                    messages=[{"role": "user", "content": [{"text": "The sky is blue. Grass is green."}]}],
                    inferenceConfig={"maxTokens": 256})["stream"]))
            for name, call in cases:
                start = time.monotonic()
                arrivals = [time.monotonic() - start for _ in call()]
                n = len(arrivals)
                check(n >= 4, f"{name} paced: {n} events")
                check(n and arrivals[0] >= 0.3, f"{name} paced: first event at {arrivals[:1]}")
                check(n and arrivals[-1] >= 0.3 + 0.04 * (n - 1),
                      f"{name} paced: last of {n} events at {arrivals[-1:]}")
                check(n and arrivals[-1] < 0.3 + 0.04 * n + 5, f"{name} paced: too slow {arrivals[-1:]}")
            admin(admin_url, "/admin/latency", {"latency_ms": 0, "stream_token_ms": 5})
            members = ["throttlingException", "modelStreamErrorException", "validationException",
                       "internalServerException", "serviceUnavailableException",
                       "modelTimeoutException"]
            for name, call in cases:
                for member in members:
                    if name == "converse_stream" and member == "modelTimeoutException":
                        continue  # not a ConverseStream member (docs/wire-protocol.md §2.4)
                    admin(admin_url, "/admin/faults",
                          {"next": {"kind": f"stream:{member}@2", "count": 1}})
                    got = []
                    try:
                        for event in call():
                            got.append(event)
                        check(False, f"{name} {member}: stream ended without the exception")
                    except botocore.exceptions.EventStreamError as e:
                        check(e.response["Error"]["Code"] == member,
                              f"{name} {member}: code {e.response['Error']['Code']}")
                        check(len(got) == 2, f"{name} {member}: {len(got)} events before it")
                        check(bool(e.response["Error"]["Message"]), f"{name} {member}: message")
                admin(admin_url, "/admin/faults", {"next": {"kind": "stream:drop@2", "count": 1}})
                got = []
                try:
                    for event in call():
                        got.append(event)
                    check(False, f"{name} stream:drop: stream ended normally")
                except Exception as e:  # noqa: BLE001 - any read error; which class varies by version
                    check(len(got) == 2 and not isinstance(e, botocore.exceptions.EventStreamError),
                          f"{name} stream:drop: {len(got)} events then {type(e).__name__}")
            print("ok: paced streams read event by event; in-stream exceptions are EventStreamError "
                  "with their member code; a dropped stream is a read error")

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

        # API keys: botocore prefers AWS_BEARER_TOKEN_BEDROCK over the access keys it is given,
        # so a wrong secret beside a valid key still succeeds and a wrong key is refused.
        if has_bearer:
            for label, token, secret, expected in [
                    ("valid API key, wrong secret", API_KEY, SK + "x", None),
                    ("unknown API key, valid secret", API_KEY + "x", SK, "AccessDeniedException")]:
                os.environ["AWS_BEARER_TOKEN_BEDROCK"] = token
                try:
                    bearer_session = boto3.session.Session()
                    cl = bearer_session.client(
                        "bedrock-runtime", region_name="us-east-1", endpoint_url=endpoint,
                        aws_access_key_id=AK, aws_secret_access_key=secret,
                        config=Config(retries={"total_max_attempts": 1}))
                    cl.invoke_model(modelId=model, body=body)
                    check(expected is None, f"{label}: accepted")
                except botocore.exceptions.ClientError as e:
                    check(e.response["Error"]["Code"] == expected,
                          f"{label}: got {e.response['Error']['Code']}")
                finally:
                    os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)
            print("ok: API key preferred over access keys; an unknown key -> AccessDeniedException")
    finally:
        proc.terminate()
        try:
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = -1
        check(rc == 0, f"emulator exit status {rc} after SIGTERM")

    if failures:
        print(f"{len(failures)} of {checks[0]} conformance checks failed", file=sys.stderr)
        return 1
    if skipped:
        print(f"boto3 conformance: all {checks[0]} runnable checks passed; skipped (not expressible "
              f"in {versions}): {'; '.join(skipped)}")
        return 0
    print(f"boto3 conformance: all {checks[0]} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
