"""bedrock-content jobs submit|status|wait|list|cancel against a real bedrock-content-server and
bedrock-emulator: what they print and the exit codes of the README's table.

Usage: jobs_cli_e2e_test.py CLI_BINARY SERVER_BINARY EMULATOR_BINARY"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from jobs_support import Emulator, Server, call, clean_env  # noqa: E402

CLI, SERVER, EMULATOR = sys.argv[1], sys.argv[2], sys.argv[3]
REPHRASE = json.dumps({"text": "The release moved to Friday because of a leak.",
                       "style": "casual"})


class JobsCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp()
        cls.emulator = Emulator(EMULATOR)
        cls.slow = Emulator(EMULATOR, "--latency-ms", "3000")
        cls.server = Server(SERVER, cls.emulator.url, cls.home)
        cls.slow_home = tempfile.mkdtemp()
        cls.slow_server = Server(SERVER, cls.slow.url, cls.slow_home)

    @classmethod
    def tearDownClass(cls):
        for s in (cls.server, cls.slow_server):
            s.stop()
        cls.emulator.stop()
        cls.slow.stop()
        shutil.rmtree(cls.home, ignore_errors=True)
        shutil.rmtree(cls.slow_home, ignore_errors=True)

    def run_cli(self, *args, server=None, stdin=None):
        env = clean_env(self.home)
        env["BEDROCK_CONTENT_SERVER"] = (server or self.server).url
        return subprocess.run([CLI, *args], capture_output=True, text=True, env=env,
                              input=stdin, timeout=120)

    def test_submit_wait_status_list(self):
        out = self.run_cli("jobs", "submit", "rephrase", "--input", REPHRASE,
                           "--idempotency-key", "cli-1")
        self.assertEqual(out.returncode, 0, out.stderr)
        job_id = out.stdout.strip()
        self.assertTrue(job_id.startswith("job_"), out.stdout)
        waited = self.run_cli("jobs", "wait", job_id, "--timeout", "30")
        self.assertEqual(waited.returncode, 0, waited.stderr)
        self.assertIn("rephrased_text", json.loads(waited.stdout))
        status = self.run_cli("jobs", "status", job_id)
        self.assertEqual(status.returncode, 0)
        self.assertIn("succeeded", status.stdout)
        as_json = self.run_cli("--json", "jobs", "status", job_id)
        self.assertEqual(json.loads(as_json.stdout)["status"], "succeeded")
        listed = self.run_cli("jobs", "list", "--status", "succeeded")
        self.assertIn(job_id, listed.stdout)
        again = self.run_cli("jobs", "submit", "rephrase", "--input", REPHRASE,
                             "--idempotency-key", "cli-1")
        self.assertEqual(again.stdout.strip(), job_id)

    def test_submit_from_stdin_and_wait_in_one(self):
        out = self.run_cli("jobs", "submit", "expand", "-f", "-", "--wait",
                           stdin=json.dumps({"bullets": ["one", "two"]}))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("paragraphs", json.loads(out.stdout))

    def test_exit_codes(self):
        bad = self.run_cli("jobs", "submit", "rephrase", "--input", "{}")
        self.assertEqual(bad.returncode, 4, bad.stderr)
        self.assertIn("text", bad.stderr)
        missing = self.run_cli("jobs", "status", "job_nope")
        self.assertEqual(missing.returncode, 10, missing.stderr)
        env = clean_env(self.home)
        no_server = subprocess.run([CLI, "jobs", "list"], capture_output=True, text=True,
                                   env=env, timeout=60)
        self.assertEqual(no_server.returncode, 3)

    def test_wait_timeout_then_cancel(self):
        out = self.run_cli("jobs", "submit", "rephrase", "--input", REPHRASE,
                           server=self.slow_server)
        job_id = out.stdout.strip()
        waited = self.run_cli("jobs", "wait", job_id, "--timeout", "0.5",
                              server=self.slow_server)
        self.assertEqual(waited.returncode, 9, waited.stderr)
        cancelled = self.run_cli("jobs", "cancel", job_id, server=self.slow_server)
        self.assertEqual(cancelled.returncode, 0, cancelled.stderr)
        self.assertIn("cancelled", cancelled.stdout)
        waited = self.run_cli("jobs", "wait", job_id, server=self.slow_server)
        self.assertEqual(waited.returncode, 130, waited.stderr)
        self.assertEqual(call(self.slow_server.url, "GET", "/v1/jobs/" + job_id)[1]["status"],
                         "cancelled")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
