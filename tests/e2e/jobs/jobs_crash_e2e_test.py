"""The crash test of issue 15: 1,000 jobs (each with an idempotency key) against an emulator
answering after 200 ms, bedrock-content-server killed with SIGKILL while they run, then started
again on the same SQLite file: every key ends with exactly one job, succeeded, none lost, none
left queued or running; the jobs the kill interrupted ran again (attempts 2).

Usage: jobs_crash_e2e_test.py SERVER_BINARY EMULATOR_BINARY"""
import concurrent.futures
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from jobs_support import Emulator, Server, call  # noqa: E402

SERVER, EMULATOR = sys.argv[1], sys.argv[2]
JOBS = 1000
# A short lease so the second server re-claims the killed server's jobs within seconds.
CONFIG = "[server.jobs]\nworkers = 16\nlease_seconds = 2\n"


def all_jobs(base):
    jobs, cursor = [], ""
    for _ in range(100):
        status, page = call(base, "GET", f"/v1/jobs?limit=1000&cursor={cursor}")
        assert status == 200, page
        jobs += page["jobs"]
        cursor = page["next_cursor"]
        if not cursor:
            return jobs
    raise AssertionError("more pages than expected")


def submit_all(base, start_status):
    def one(i):
        return call(base, "POST", "/v1/jobs",
                    {"kind": "rephrase", "idempotency_key": f"crash-{i}",
                     "input": {"text": f"Order {i} shipped on time to the warehouse.",
                               "style": "casual"}})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(JOBS)))
    statuses = {s for s, _ in results}
    assert statuses <= set(start_status), statuses
    return {f"crash-{i}": body["id"] for i, (_, body) in enumerate(results)}


class CrashAndRestart(unittest.TestCase):
    def test_kill9_mid_run_loses_nothing_and_succeeds_once_per_key(self):
        home = tempfile.mkdtemp()
        emulator = Emulator(EMULATOR, "--latency-ms", "200")
        try:
            first = Server(SERVER, emulator.url, home, config=CONFIG)
            ids = submit_all(first.url, {202})
            self.assertEqual(len(set(ids.values())), JOBS)
            # Let some finish and some run, then kill without a drain.
            deadline = time.monotonic() + 60
            while True:
                _, page = call(first.url, "GET", "/v1/jobs?status=succeeded&limit=1000")
                if len(page["jobs"]) >= 150:
                    break
                self.assertLess(time.monotonic(), deadline, "jobs did not start")
                time.sleep(0.05)
            _, running = call(first.url, "GET", "/v1/jobs?status=running&limit=1000")
            self.assertGreater(len(running["jobs"]), 0)
            first.kill9()

            second = Server(SERVER, emulator.url, home, config=CONFIG)
            try:
                deadline = time.monotonic() + 180
                while True:
                    jobs = all_jobs(second.url)
                    if all(j["status"] == "succeeded" for j in jobs) and len(jobs) == JOBS:
                        break
                    self.assertLess(time.monotonic(), deadline,
                                    {s: sum(j["status"] == s for j in jobs)
                                     for s in ("queued", "running", "failed", "cancelled")})
                    time.sleep(0.2)
                by_key = {}
                for j in jobs:
                    by_key.setdefault(j["idempotency_key"], []).append(j)
                self.assertEqual(set(by_key), set(ids))
                self.assertTrue(all(len(v) == 1 for v in by_key.values()))
                self.assertEqual({k: v[0]["id"] for k, v in by_key.items()}, ids)
                # The jobs the kill interrupted were claimed again.
                self.assertTrue(any(j["attempts"] >= 2 for j in jobs))
                # Submitting every key again creates nothing: the keys' jobs answer 200.
                again = submit_all(second.url, {200})
                self.assertEqual(again, ids)
                self.assertEqual(len(all_jobs(second.url)), JOBS)
            finally:
                second.stop()
        finally:
            emulator.stop()
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
