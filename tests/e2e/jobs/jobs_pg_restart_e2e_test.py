"""Two bedrock-content-servers share one PostgreSQL queue (scripts/test-postgres), and PostgreSQL
itself goes down mid-run (a fast shutdown) and comes back on the same port and data: submits
during the outage are refused with a clear 503 (nothing half-accepted), both servers live
through it, and afterwards every job accepted before, and every job submitted again after, ends
succeeded exactly once per idempotency key; none lost, none left queued or running. Exit 77
(skipped) without PostgreSQL binaries.

Usage: jobs_pg_restart_e2e_test.py SERVER_BINARY EMULATOR_BINARY TEST_POSTGRES_SCRIPT"""
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
BEFORE = 300  # submitted before the outage
DURING = 20   # submitted during it (refused), and again after it
# A short lease: results that could not be written during the outage run again soon after.
CONFIG = "[server.jobs]\nworkers = 16\nlease_seconds = 2\npoll_seconds = 0.1\n"


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


def job(i):
    return {"kind": "rephrase", "idempotency_key": f"restart-{i}",
            "input": {"text": f"Parcel {i} left the depot.", "style": "casual"}}


class PostgresRestartMidRun(unittest.TestCase):
    def test_postgres_down_and_up_every_job_succeeds_once(self):
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
                return call(servers[i % 2].url, "POST", "/v1/jobs", job(i))
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                results = list(pool.map(submit, range(BEFORE)))
            self.assertEqual({s for s, _ in results}, {202})
            ids = {f"restart-{i}": body["id"] for i, (_, body) in enumerate(results)}

            # Down while jobs run on both servers.
            deadline = time.monotonic() + 60
            while len(call(servers[1].url, "GET", "/v1/jobs?status=succeeded&limit=1000")[1]
                      ["jobs"]) < 40:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.05)
            down = subprocess.run([TEST_POSTGRES, "down", pg], capture_output=True, text=True,
                                  timeout=60)
            self.assertEqual(down.returncode, 0, down.stderr)

            outage_started = time.monotonic()
            for i in range(BEFORE, BEFORE + DURING):
                status, body = submit(i)
                self.assertEqual(status, 503, body)
                self.assertIn(body.get("code"), {"JobStoreUnavailable", "Overloaded"}, body)
            status, body = call(servers[0].url, "GET", "/v1/jobs?limit=5")
            self.assertEqual(status, 503, body)
            # The outage lasts longer than a lease: running jobs' renewals and result writes
            # fail and the claimers keep failing, and both servers live through it.
            time.sleep(max(0.0, 2.5 - (time.monotonic() - outage_started)))
            for s in servers:
                self.assertIsNone(s.proc.poll(), "a server died while PostgreSQL was down")

            up = subprocess.run([TEST_POSTGRES, "up", pg], capture_output=True, text=True,
                                timeout=60)
            self.assertEqual(up.returncode, 0, up.stderr)
            # The refused submits again: now accepted, each once.
            deadline = time.monotonic() + 30
            for i in range(BEFORE, BEFORE + DURING):
                while True:
                    status, body = submit(i)
                    if status != 503:
                        break
                    self.assertLess(time.monotonic(), deadline, body)
                    time.sleep(0.1)
                self.assertEqual(status, 202, body)
                ids[f"restart-{i}"] = body["id"]

            deadline = time.monotonic() + 120
            while True:
                jobs = all_jobs(servers[0].url)
                if len(jobs) == len(ids) and all(j["status"] == "succeeded" for j in jobs):
                    break
                self.assertLess(time.monotonic(), deadline,
                                {s: sum(j["status"] == s for j in jobs)
                                 for s in ("queued", "running", "failed", "cancelled")})
                time.sleep(0.2)
            self.assertEqual({j["idempotency_key"]: j["id"] for j in jobs}, ids)
            for s in servers:
                self.assertIsNone(s.proc.poll())
        finally:
            for s in servers:
                if s.proc.poll() is None:
                    s.stop()
            emulator.stop()
            subprocess.run([TEST_POSTGRES, "stop", pg], capture_output=True, timeout=120)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not os.environ.get("BEDROCK_PG_BIN"):
        print("PostgreSQL server binaries are not installed: skipped")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0], "-v"])
