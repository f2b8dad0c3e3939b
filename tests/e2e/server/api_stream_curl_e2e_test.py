"""The /api/ streams as a person sees them with `curl -N`: bedrock-content-server in front of
bedrock-emulator (a slow stream, so deltas are spread in time), events arrive one by one before
the final `done` event, and the deltas add up to the answer the `done` event carries.

Usage: api_stream_curl_e2e_test.py SERVER_BINARY EMULATOR_BINARY"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from e2e_support import Emulator, clean_env  # noqa: E402

SERVER, EMULATOR = sys.argv[1], sys.argv[2]


class Server:
    """bedrock-content-server on a free loopback port, reaching the emulator."""

    def __init__(self, emulator_url, home):
        env = clean_env(home)
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = emulator_url
        self.proc = subprocess.Popen([SERVER, "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env=env)
        line = self.proc.stdout.readline()
        found = re.search(r"http://([0-9.]+):(\d+)", line)
        if not found:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r}")
        self.url = f"http://{found.group(1)}:{found.group(2)}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def curl_stream(url, body):
    """Runs curl -N and returns [(seconds since start, event name, data)] as the lines came."""
    args = ["curl", "-N", "-sS", "--max-time", "60", "-X", "POST", "-H",
            "Content-Type: application/json", "--data", json.dumps(body), url]
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    events, name = [], ""
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            events.append((time.monotonic() - start, name, json.loads(line[len("data: "):])))
    proc.stdout.close()
    proc.wait(timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"curl exited {proc.returncode}")
    return events


@unittest.skipIf(shutil.which("curl") is None, "curl is not installed")
class ApiStreamWithCurl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp()
        # 40 ms between stream events: a rephrase answer takes a visible while to arrive.
        cls.emulator = Emulator(EMULATOR, "--stream-token-ms", "40")
        cls.server = Server(cls.emulator.url, cls.home)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.emulator.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def test_rephrase_stream_arrives_incrementally(self):
        text = "The release moved to Friday because the load tests found a leak. " * 4
        events = curl_stream(self.server.url + "/api/rephrase",
                             {"text": text, "style": "casual", "stream": True})
        names = [e[1] for e in events]
        self.assertGreaterEqual(names.count("delta"), 3, names)
        self.assertEqual(names[-1], "done", names)
        self.assertNotIn("error", names)
        done = events[-1][2]
        deltas = "".join(e[2]["text"] for e in events if e[1] == "delta")
        self.assertEqual(deltas, done["rephrased_text"])
        for field in ("latency", "model", "usage", "cost_usd", "request_id"):
            self.assertIn(field, done)
        self.assertGreater(done["usage"]["output_tokens"], 0)
        # -N shows events as they come: the first delta well before the end of the answer.
        first_delta = next(t for t, n, _ in events if n == "delta")
        self.assertGreater(events[-1][0] - first_delta, 0.08, events)

    def test_summarize_stream_final_event_has_tutorial_fields(self):
        events = curl_stream(self.server.url + "/api/summarize",
                             {"text": "Revenue grew 12% in Q3. Costs fell. " * 20,
                              "max_length": 40, "stream": True})
        self.assertEqual(events[-1][1], "done")
        done = events[-1][2]
        self.assertIn("summary", done)
        self.assertLessEqual(len(done["summary"].split()), 40)
        self.assertIsInstance(done["latency"], float)

    def test_bad_input_is_a_json_400_not_a_stream(self):
        out = subprocess.run(
            ["curl", "-N", "-sS", "--max-time", "30", "-w", "\n%{http_code}", "-X", "POST",
             "-H", "Content-Type: application/json", "--data", '{"stream": true}',
             self.server.url + "/api/rephrase"], capture_output=True, text=True, timeout=60)
        body, status = out.stdout.rsplit("\n", 1)
        self.assertEqual(status, "400")
        error = json.loads(body)
        self.assertIn("text", error["error"])
        self.assertTrue(error["request_id"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
