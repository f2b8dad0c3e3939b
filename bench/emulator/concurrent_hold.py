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
    host, port, n, latency, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    payload = request(host, port)
    opened = []
    sem = asyncio.Semaphore(2000)  # bound the connect burst, not the number held open

    async def guarded():
        async with sem:
            reader_writer = await asyncio.open_connection(host, port)
        reader, writer = reader_writer
        writer.write(payload)
        await writer.drain()
        opened.append(1)
        status = await reader.readline()
        await reader.read()
        writer.close()
        return status.startswith(b"HTTP/1.1 200")

    start = time.monotonic()
    tasks = [asyncio.create_task(guarded()) for _ in range(n)]
    max_threads = 0
    peak_open = 0
    while not all(t.done() for t in tasks):
        max_threads = max(max_threads, threads_of(pid))
        peak_open = max(peak_open, len(opened) - sum(1 for t in tasks if t.done()))
        await asyncio.sleep(0.05)
    elapsed = time.monotonic() - start
    ok = sum(1 for t in tasks if not t.exception() and t.result())
    print(f"concurrent: {ok}/{n} completed with 200 in {elapsed:.2f}s "
          f"(latency {latency:.1f}s each; peak simultaneously open {peak_open}); "
          f"emulator threads during the run: {max_threads}")
    # Serial service would take n * latency; concurrent holds finish in about one latency
    # plus connection set-up.
    return 0 if ok == n and elapsed < latency * 4 + 5 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
