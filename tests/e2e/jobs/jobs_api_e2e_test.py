"""POST/GET/DELETE /v1/jobs and "async": true over real sockets: bedrock-content-server (its job
store a SQLite file in a temporary state directory) in front of bedrock-emulator.

Usage: jobs_api_e2e_test.py SERVER_BINARY EMULATOR_BINARY"""
import base64
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from jobs_support import Emulator, Server, call  # noqa: E402

SERVER, EMULATOR = sys.argv[1], sys.argv[2]
REPHRASE = {"text": "The release moved to Friday because the load tests found a leak.",
            "style": "casual"}


def wait_finished(base, job_id, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, job = call(base, "GET", "/v1/jobs/" + job_id)
        assert status == 200, job
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s")


def admin(emulator, body):
    req = urllib.request.Request(emulator.admin + "/admin/faults", data=json.dumps(body).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200, r.read()


class JobsApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp()
        cls.emulator = Emulator(EMULATOR, admin=True)
        cls.server = Server(SERVER, cls.emulator.url, cls.home)
        cls.base = cls.server.url

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.emulator.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_submit_runs_and_answers_like_the_api_endpoint(self):
        status, job = call(self.base, "POST", "/v1/jobs", {"kind": "rephrase", "input": REPHRASE})
        self.assertEqual(status, 202, job)
        self.assertTrue(job["id"].startswith("job_"))
        self.assertIn(job["status"], ("queued", "running", "succeeded"))
        done = wait_finished(self.base, job["id"])
        self.assertEqual(done["status"], "succeeded", done)
        self.assertEqual(done["attempts"], 1)
        self.assertIn("started_at", done)
        self.assertIn("finished_at", done)
        _, direct = call(self.base, "POST", "/api/rephrase", REPHRASE)
        self.assertEqual(done["result"]["rephrased_text"], direct["rephrased_text"])
        for field in ("latency", "model", "usage", "cost_usd", "calls", "request_id"):
            self.assertIn(field, done["result"])
        self.assertEqual(done["result"]["request_id"], job["id"])
        self.assertEqual(len(done["records"]), 1)
        self.assertGreater(done["records"][0]["output_tokens"], 0)

    def test_every_kind_runs(self):
        inputs = {
            "summarize": {"text": "Revenue grew 12% in Q3. Costs fell. " * 10, "max_length": 40},
            "expand": {"bullets": ["fast builds", "fewer bugs"]},
            "blog": {"topic": "durable job queues", "length": "short"},
            "product": {"name": "Quill", "features": ["light", "fast"], "audience": "writers"},
            "social": {"content": "We shipped durable jobs.", "platforms": ["twitter"]},
            "invoke": {"model": "anthropic.claude-3-haiku-20240307-v1:0", "prompt": "Say hi",
                       "max_tokens": 50},
        }
        ids = {}
        for kind, body in inputs.items():
            status, job = call(self.base, "POST", "/v1/jobs", {"kind": kind, "input": body})
            self.assertEqual(status, 202, (kind, job))
            ids[kind] = job["id"]
        for kind, job_id in ids.items():
            done = wait_finished(self.base, job_id)
            self.assertEqual(done["status"], "succeeded", (kind, done))
        self.assertTrue(wait_finished(self.base, ids["invoke"])["result"]["text"])

    def test_map_reduce_summary_reports_progress(self):
        text = " ".join(f"Paragraph {i}: the quarterly numbers moved in several directions."
                        for i in range(200))
        status, job = call(self.base, "POST", "/v1/jobs",
                           {"kind": "summarize", "input": {"text": text, "chunking": "always"}})
        self.assertEqual(status, 202, job)
        done = wait_finished(self.base, job["id"], 60)
        self.assertEqual(done["status"], "succeeded", done)
        self.assertTrue(done["result"]["chunked"])
        self.assertGreater(done["progress"]["total"], 0)
        self.assertEqual(done["progress"]["done"], done["progress"]["total"])
        # The map step's chunks and the reduce calls, counted together; the tokens of them all.
        self.assertEqual(done["progress"]["total"], done["result"]["calls"])
        self.assertGreater(done["progress"]["tokens"], 0)
        self.assertLessEqual(done["progress"]["tokens"], done["result"]["usage"]["total_tokens"] * 2)
        self.assertGreaterEqual(done["progress"]["elapsed_ms"], 0)

    def test_a_fallback_answer_names_the_model_asked_first(self):
        # Rephrasing asks Claude 3.5 Sonnet first, then Claude 3 Haiku (the built-in defaults).
        primary = "anthropic.claude-3-5-sonnet-20240620-v1:0"
        fallback = "anthropic.claude-3-haiku-20240307-v1:0"
        admin(self.emulator, {"model": primary,
                              "next": {"kind": "ModelErrorException", "count": 1000}})
        try:
            status, direct = call(self.base, "POST", "/api/rephrase", REPHRASE)
            self.assertEqual(status, 200, direct)
            self.assertEqual((direct["model"], direct["fallback_from"]), (fallback, primary))
            status, job = call(self.base, "POST", "/api/rephrase", {**REPHRASE, "async": True})
            self.assertEqual(status, 202, job)
            done = wait_finished(self.base, job["id"])
            self.assertEqual(done["status"], "succeeded", done)
            self.assertEqual((done["result"]["model"], done["result"]["fallback_from"]),
                             (fallback, primary))
        finally:
            admin(self.emulator, {"model": primary, "clear": True})
        _, direct = call(self.base, "POST", "/api/rephrase", REPHRASE)
        self.assertEqual(direct["model"], primary)
        self.assertNotIn("fallback_from", direct)

    def test_idempotency_key_returns_the_existing_job(self):
        body = {"kind": "rephrase", "input": REPHRASE, "idempotency_key": "same-key-1"}
        first_status, first = call(self.base, "POST", "/v1/jobs", body)
        second_status, second = call(self.base, "POST", "/v1/jobs", body)
        self.assertEqual(first_status, 202)
        self.assertEqual(second_status, 200)
        self.assertEqual(first["id"], second["id"])

    def test_validation_names_the_field(self):
        status, error = call(self.base, "POST", "/v1/jobs", {"kind": "rephrase", "input": {}})
        self.assertEqual(status, 400)
        self.assertEqual(error["code"], "Validation")
        self.assertEqual(error["field"], "input.text")
        self.assertTrue(error["request_id"])
        status, error = call(self.base, "POST", "/v1/jobs", {"kind": "poem", "input": {}})
        self.assertEqual((status, error["field"]), (400, "kind"))
        status, error = call(self.base, "POST", "/v1/jobs",
                             {"kind": "expand", "input": {"bullets": []}})
        self.assertEqual((status, error["field"]), (400, "input.bullets"))
        status, error = call(self.base, "POST", "/v1/jobs",
                             {"kind": "rephrase", "input": REPHRASE, "priority": 5000})
        self.assertEqual((status, error["field"]), (400, "priority"))

    def test_async_api_request_returns_a_job(self):
        status, job = call(self.base, "POST", "/api/rephrase", {**REPHRASE, "async": True})
        self.assertEqual(status, 202, job)
        self.assertEqual(job["kind"], "rephrase")
        self.assertEqual(wait_finished(self.base, job["id"])["status"], "succeeded")
        status, error = call(self.base, "POST", "/api/summarize", {"async": True})
        self.assertEqual((status, error["field"]), (400, "text"))

    def test_async_summary_of_attachments(self):
        """A PDF and a picture stored with the job's input, read back by the runner and sent to
        the model as document and image blocks (the emulator's answer names what it read)."""
        pdf = b"%PDF-1.4\n%%EOF\n"
        png = b"\x89PNG\r\n\x1a\n" + bytes(24)
        body = {"async": True, "attachments": [
            {"name": "Q3 report.pdf", "data": base64.b64encode(pdf).decode()},
            {"name": "chart.png", "data": base64.b64encode(png).decode()}]}
        status, job = call(self.base, "POST", "/api/summarize", body)
        self.assertEqual(status, 202, job)
        done = wait_finished(self.base, job["id"])
        self.assertEqual(done["status"], "succeeded", done)
        self.assertIn(f'(Read: document "Q3 report" (pdf, {len(pdf)} bytes); image (png, {len(png)} bytes).)',
                      done["result"]["summary"])
        self.assertEqual(done["result"]["chunked"], False)
        status, job = call(self.base, "POST", "/v1/jobs", {"kind": "product", "input": {
            "name": "Quill lamp", "audience": "readers",
            "attachments": [{"name": "lamp.png", "data": base64.b64encode(png).decode()}]}})
        self.assertEqual(status, 202, job)
        done = wait_finished(self.base, job["id"])
        self.assertEqual(done["status"], "succeeded", done)
        self.assertIn("(Read: image (png", done["result"]["description"])
        status, error = call(self.base, "POST", "/api/summarize", {
            "async": True, "attachments": [{"name": "a.pdf", "data": "%%% not base64"}]})
        self.assertEqual(status, 400, error)
        self.assertTrue(error["field"].endswith("attachments[0].data"), error)

    def test_list_pages_and_filters(self):
        ids = []
        for i in range(5):
            _, job = call(self.base, "POST", "/v1/jobs",
                          {"kind": "rephrase", "input": REPHRASE, "idempotency_key": f"list-{i}"})
            ids.append(job["id"])
        for job_id in ids:
            wait_finished(self.base, job_id)
        seen, cursor = [], ""
        for _ in range(100):
            status, page = call(self.base, "GET", f"/v1/jobs?status=succeeded&limit=2&cursor={cursor}")
            self.assertEqual(status, 200, page)
            self.assertLessEqual(len(page["jobs"]), 2)
            self.assertTrue(all(j["status"] == "succeeded" for j in page["jobs"]))
            seen += [j["id"] for j in page["jobs"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(set(ids) <= set(seen))
        status, error = call(self.base, "GET", "/v1/jobs?status=sleeping")
        self.assertEqual((status, error["field"]), (400, "status"))

    def test_unknown_job_is_404(self):
        self.assertEqual(call(self.base, "GET", "/v1/jobs/job_nope")[0], 404)
        self.assertEqual(call(self.base, "DELETE", "/v1/jobs/job_nope")[0], 404)


class SlowUpstream(unittest.TestCase):
    """An emulator answering after 1.5 s: jobs stay running long enough to cancel, and one
    worker with a queue of 3 fills up."""

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp()
        cls.emulator = Emulator(EMULATOR, "--latency-ms", "1500", admin=True)
        cls.server = Server(SERVER, cls.emulator.url, cls.home, "--jobs-workers", "1",
                            config="[server.jobs]\nmax_queued = 3\n")
        cls.base = cls.server.url

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.emulator.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_cancel_running_job_cancels_its_call_and_queue_full_is_503(self):
        _, job = call(self.base, "POST", "/v1/jobs", {"kind": "rephrase", "input": REPHRASE})
        deadline = time.monotonic() + 10
        while call(self.base, "GET", "/v1/jobs/" + job["id"])[1]["status"] != "running":
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.01)
        started = time.monotonic()
        status, cancelled = call(self.base, "DELETE", "/v1/jobs/" + job["id"])
        self.assertEqual((status, cancelled["status"]), (200, "cancelled"))
        self.assertEqual(cancelled["error"]["code"], "Cancelled")
        # The worker is free again well before the 1.5 s call would have answered.
        statuses = []
        for i in range(8):
            status, body = call(self.base, "POST", "/v1/jobs",
                                {"kind": "rephrase", "input": REPHRASE, "idempotency_key": f"q{i}"})
            statuses.append((status, body.get("code")))
        self.assertIn((503, "QueueFull"), statuses, statuses)
        self.assertIn((202, None), statuses, statuses)
        _, first = call(self.base, "GET", "/v1/jobs/" + job["id"])
        self.assertEqual(first["status"], "cancelled")
        self.assertLess(time.monotonic() - started, 5)


class Drain(unittest.TestCase):
    """SIGTERM: running jobs finish within the drain grace and write their results; past the
    grace they are left to their leases and run again after a restart (at least once)."""

    def run_drain(self, grace, config=""):
        home = tempfile.mkdtemp()
        emulator = Emulator(EMULATOR, "--latency-ms", "1000")
        try:
            server = Server(SERVER, emulator.url, home, "--drain-grace", grace, config=config)
            ids = []
            for i in range(3):
                _, job = call(server.url, "POST", "/v1/jobs",
                              {"kind": "rephrase",
                               "input": {"text": f"Job {i} is on its way.", "style": "casual"}})
                ids.append(job["id"])
            deadline = time.monotonic() + 10
            while any(call(server.url, "GET", "/v1/jobs/" + i)[1]["status"] != "running"
                      for i in ids):
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.01)
            server.proc.terminate()
            self.assertEqual(server.proc.wait(timeout=30), 0)
            server.stop()
            again = Server(SERVER, emulator.url, home, config=config)
            try:
                return [wait_finished(again.url, i, 30) for i in ids]
            finally:
                again.stop()
        finally:
            emulator.stop()
            shutil.rmtree(home, ignore_errors=True)

    def test_running_jobs_finish_within_the_grace(self):
        jobs = self.run_drain("10")
        self.assertEqual([(j["status"], j["attempts"]) for j in jobs], [("succeeded", 1)] * 3)

    def test_jobs_past_the_grace_run_again_after_restart(self):
        jobs = self.run_drain("0.1", "[server.jobs]\nlease_seconds = 1\n")
        self.assertEqual([(j["status"], j["attempts"]) for j in jobs], [("succeeded", 2)] * 3)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
