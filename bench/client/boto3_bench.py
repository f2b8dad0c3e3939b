"""boto3 side of bench/client/run.sh: per-call invoke_model latency against a loopback nginx.

Prints one JSON line: {"impl":"boto3","threads":T,"calls":N,"median_us":..,"p90_us":..}.
"""
import argparse
import json
import os
import statistics
import threading
import time

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
os.environ.pop("AWS_BEARER_TOKEN_BEDROCK", None)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
BODY = json.dumps({
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 256,
    "messages": [{"role": "user", "content": [{"type": "text", "text": "Say hello."}]}],
})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=50)
    args = ap.parse_args()

    client = boto3.client(
        "bedrock-runtime", region_name="us-east-1", endpoint_url=args.url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"mode": "standard", "max_attempts": 3},
                      max_pool_connections=max(10, args.threads)))

    def one():
        r = client.invoke_model(modelId=MODEL, body=BODY, contentType="application/json",
                                accept="application/json")
        out = json.loads(r["body"].read())
        assert out["content"][0]["text"]

    for _ in range(args.warmup):
        one()

    per_thread = args.calls // args.threads
    samples = [[] for _ in range(args.threads)]

    def worker(i):
        s = samples[i]
        for _ in range(per_thread):
            t0 = time.perf_counter_ns()
            one()
            s.append((time.perf_counter_ns() - t0) / 1000.0)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    allv = sorted(v for s in samples for v in s)
    print(json.dumps({"impl": "boto3", "threads": args.threads, "calls": len(allv),
                      "median_us": statistics.median(allv),
                      "p90_us": allv[int(0.9 * (len(allv) - 1))],
                      "calls_per_s": len(allv) / wall}))


if __name__ == "__main__":
    main()
