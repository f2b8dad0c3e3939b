"""N requests at once through a gateway to an upstream that takes about a second: opens N
connections first, sends one request on each, then waits for every answer (bounded by a
deadline). Meanwhile it samples the gateway's resident memory and thread count from /proc, and
reads its peak (VmHWM) at the end. Used by bench/server/run."""
import asyncio
import resource
import time


def _status_fields(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.split()
    except OSError:
        pass
    return fields


def _kib(fields, key):
    return int(fields[key][0]) if key in fields else 0


async def _run(host, port, request, n, pid, deadline_s):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    connect_gate = asyncio.Semaphore(1000)

    async def connect():
        async with connect_gate:
            return await asyncio.open_connection(host, port)

    t0 = time.monotonic()
    opened = await asyncio.gather(*(connect() for _ in range(n)), return_exceptions=True)
    conns = [c for c in opened if not isinstance(c, BaseException)]
    t_connected = time.monotonic()
    for _, writer in conns:
        writer.write(request)

    peak = {"rss_kib": 0, "threads": 0}
    stop = asyncio.Event()

    async def sample():
        while not stop.is_set():
            fields = _status_fields(pid)
            peak["rss_kib"] = max(peak["rss_kib"], _kib(fields, "VmRSS"))
            if "Threads" in fields:
                peak["threads"] = max(peak["threads"], int(fields["Threads"][0]))
            try:
                await asyncio.wait_for(stop.wait(), 0.05)
            except asyncio.TimeoutError:
                pass

    sampler = asyncio.create_task(sample())

    async def answer(reader, writer):
        try:
            await writer.drain()
            status = await reader.readline()
            await reader.read()  # Connection: close; the body ends with the connection
            return status.startswith(b"HTTP/1.1 200")
        finally:
            writer.close()

    tasks = [asyncio.create_task(answer(r, w)) for r, w in conns]
    done, pending = await asyncio.wait(tasks, timeout=deadline_s) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    ok = sum(1 for t in done if not t.cancelled() and t.exception() is None and t.result())
    t_done = time.monotonic()
    stop.set()
    await sampler
    fields = _status_fields(pid)
    return {
        "requested": n,
        "connected": len(conns),
        "ok": ok,
        "connect_s": round(t_connected - t0, 2),
        "total_s": round(t_done - t0, 2),
        "unfinished_at_deadline": len(pending),
        "peak_rss_mib": round(max(peak["rss_kib"], _kib(fields, "VmHWM")) / 1024, 1),
        "peak_threads": peak["threads"],
    }


def hold(host, port, request, n, pid, deadline_s=60.0):
    """Returns counts, timings, and the peak RSS (MiB) and thread count of process `pid`."""
    return asyncio.run(_run(host, port, request, n, pid, deadline_s))
