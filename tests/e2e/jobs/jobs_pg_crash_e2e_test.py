"""Two bedrock-content-servers share one PostgreSQL queue (scripts/test-postgres: a throwaway
server on loopback); 600 jobs with idempotency keys are submitted through both, one server is
killed with SIGKILL while they run, and the other finishes every job: exactly one job per key,
all succeeded, none left queued or running. Exit 77 (skipped) without PostgreSQL binaries.

Usage: jobs_pg_crash_e2e_test.py SERVER_BINARY EMULATOR_BINARY TEST_POSTGRES_SCRIPT"""
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from jobs_support import Emulator, Server, call  # noqa: E402

SERVER, EMULATOR, TEST_POSTGRES = sys.argv[1], sys.argv[2], sys.argv[3]
JOBS = 600
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


class TwoServersOneQueue(unittest.TestCase):
    def test_kill9_one_server_the_other_finishes_every_job_once(self):
        tmp = tempfile.mkdtemp()
        os.chmod(tmp, 0o755)  # the database server may run as the postgres user
        pg = os.path.join(tmp, "pg")
        started = subprocess.run([TEST_POSTGRES, "start", pg], capture_output=True, text=True,
                                 timeout=120)
        self.assertEqual(started.returncode, 0, started.stderr)
        url = open(os.path.join(pg, "url")).read().strip()
        emulator = Emulator(EMULATOR, "--latency-ms", "200")
        homes = [os.path.join(tmp, "a"), os.path.join(tmp, "b")]
        for h in homes:
            os.mkdir(h)
        servers = []
        try:
            servers = [Server(SERVER, emulator.url, h, "--jobs-url", url, config=CONFIG)
                       for h in homes]

            def submit(i):
                return call(servers[i % 2].url, "POST", "/v1/jobs",
                            {"kind": "rephrase", "idempotency_key": f"pg-{i}",
                             "input": {"text": f"Parcel {i} left the depot.", "style": "casual"}})
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                results = list(pool.map(submit, range(JOBS)))
            self.assertEqual({s for s, _ in results}, {202})
            ids = {f"pg-{i}": body["id"] for i, (_, body) in enumerate(results)}
            deadline = time.monotonic() + 60
            while len(call(servers[1].url, "GET", "/v1/jobs?status=succeeded&limit=1000")[1]
                      ["jobs"]) < 100:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            servers[0].kill9()
            survivor = servers[1]
            deadline = time.monotonic() + 180
            while True:
                jobs = all_jobs(survivor.url)
                if len(jobs) == JOBS and all(j["status"] == "succeeded" for j in jobs):
                    break
                self.assertLess(time.monotonic(), deadline,
                                {s: sum(j["status"] == s for j in jobs)
                                 for s in ("queued", "running", "failed", "cancelled")})
                time.sleep(0.2)
            self.assertEqual({j["idempotency_key"]: j["id"] for j in jobs}, ids)
            self.assertTrue(any(j["attempts"] >= 2 for j in jobs))
        finally:
            for s in servers:
                if s.proc.poll() is None:
                    s.stop()
            emulator.stop()
            subprocess.run([TEST_POSTGRES, "stop", pg], capture_output=True, timeout=120)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    # The script's own check (it exits 77 without the server binaries), before any test runs.
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not os.environ.get("BEDROCK_PG_BIN"):
        print("PostgreSQL server binaries are not installed: skipped")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0], "-v"])
