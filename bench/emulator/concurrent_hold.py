#!/usr/bin/env python3
"""Opens N connections to the emulator at once, sends one InvokeModel on each, and checks
that all N complete with 200 about `latency` seconds later (i.e. they were held open
concurrently, not served one after another). Prints timings and the emulator's thread count
sampled while the requests were open.

usage: concurrent_hold.py HOST PORT N EXPECTED_LATENCY_S EMULATOR_PID
"""
import asyncio
import os
import resource
import sys
import time

BODY = (b'{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,'
        b'"messages":[{"role":"user","content":"Hello there."}]}')


def request(host, port):
    return (f"POST /model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n").encode() + BODY


def threads_of(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return -1




async def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    latency, pid = float(sys.argv[4]), int(sys.argv[5])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    payload = request(host, port)

    # Phase 1: open every connection first (a bounded burst of connects at a time), so the
    # requests that follow are all outstanding together.
    sem = asyncio.Semaphore(1000)

    async def connect():
        async with sem:
            return await asyncio.open_connection(host, port)

    t0 = time.monotonic()
    conns = await asyncio.gather(*(connect() for _ in range(n)))
    t_connected = time.monotonic()

    # Phase 2: send all N requests (timestamping each), then wait for all N responses.
    sent_at = []
    for _, writer in conns:
        writer.write(payload)
        sent_at.append(time.monotonic())
    sampler_stop = False

    async def sample_threads():
        peak = 0
        while not sampler_stop:
            peak = max(peak, threads_of(pid))
            await asyncio.sleep(0.05)
        return peak

    sampler = asyncio.create_task(sample_threads())

    async def response(reader, writer):
        await writer.drain()
        status = await reader.readline()
        done = time.monotonic()
        await reader.read()
        writer.close()
        return status.startswith(b"HTTP/1.1 200"), done

    results = await asyncio.gather(*(response(r, w) for r, w in conns), return_exceptions=True)
    sampler_stop = True
    max_threads = await sampler
    ok = 0
    events = []
    latencies = []
    for start, res in zip(sent_at, results):
        if isinstance(res, Exception):
            continue
        good, done = res
        ok += good
        latencies.append(done - start)
        events += [(start, 1), (done, -1)]
    events.sort()
    open_now = peak_open = 0
    for _, delta in events:
        open_now += delta
        peak_open = max(peak_open, open_now)
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("nan")
    worst = latencies[-1] if latencies else float("nan")
    print(f"concurrent: {n} connections opened in {t_connected - t0:.2f}s; {ok}/{n} answered 200; "
          f"peak requests open at once {peak_open}; per-request time p50 {p50:.2f}s max "
          f"{worst:.2f}s (configured latency {latency:.1f}s); emulator threads: {max_threads}")
    return 0 if ok == n and peak_open >= n * 0.9 and worst < latency + 3 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
