"""boto3 side of bench/stream/run.sh: time to first token of invoke_model_with_response_stream.

From the call to the first chunk holding a text delta. Prints one JSON line:
{"impl":"boto3","calls":N,"median_us":..,"p90_us":..}.
"""
import argparse
import json
import os
import time

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = json.dumps({
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "Say hello."}]}],
})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", endpoint_url=args.url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"mode": "standard", "max_attempts": 3}))

    def first_token_us():
        t0 = time.perf_counter_ns()
        r = client.invoke_model_with_response_stream(modelId=MODEL, body=BODY,
                                                     contentType="application/json")
        first = None
        for event in r["body"]:
            chunk = json.loads(event["chunk"]["bytes"])
            if first is None and chunk.get("type") == "content_block_delta":
                first = (time.perf_counter_ns() - t0) / 1000.0
        assert first is not None
        return first

    for _ in range(args.warmup):
        first_token_us()
    samples = sorted(first_token_us() for _ in range(args.calls))
    print(json.dumps({"impl": "boto3", "calls": len(samples),
                      "median_us": round(samples[len(samples) // 2], 1),
                      "p90_us": round(samples[len(samples) * 9 // 10], 1)}))


if __name__ == "__main__":
    main()
