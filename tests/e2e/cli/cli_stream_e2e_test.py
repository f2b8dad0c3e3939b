#!/usr/bin/env python3
"""bedrock-content's streamed output end to end, as a process, against bedrock-emulator.

Usage: cli_stream_e2e_test.py BEDROCK_CONTENT BEDROCK_EMULATOR
A streamed answer must print exactly what the whole-answer output prints; pipes and --json get
the whole answer unless --stream forces it; Ctrl-C during a stream exits 130 promptly.
"""
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest

# The helpers of the main CLI suite (same arguments); its test class is not collected here.
from cli_e2e_test import (CLI, EXIT_CANCELLED, EXIT_OK, HAIKU, NOVA, clean_env, make_document,
                          start_emulator)

PROMPT = "Streams print tokens as they arrive. Pipes get the whole answer. Ctrl-C stops it."
TEXT = "The launch is delayed by two weeks. The supplier missed a deadline. We are sorry."


class CliStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = start_emulator()
        cls.home = tempfile.mkdtemp(prefix="bedrock-e2e-stream-home-")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    def run_cli(self, *args, stdin=None, endpoint=None, timeout=120):
        cmd = [CLI, "--endpoint-url", endpoint or self.emulator.url, *args]
        return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout,
                              env=clean_env(self.home))

    def ok(self, r):
        self.assertEqual(r.returncode, EXIT_OK, r.stderr.decode(errors="replace"))
        return r.stdout

    def test_invoke_stream_prints_the_same_bytes_as_the_whole_answer(self):
        for model, extra in [(HAIKU, []), (NOVA, ["--converse"]), ("meta.llama3-8b-instruct-v1:0", [])]:
            with self.subTest(model=model):
                whole = self.ok(self.run_cli("invoke", "-m", model, *extra, "-p", PROMPT))
                streamed = self.ok(self.run_cli("invoke", "--stream", "-m", model, *extra,
                                                "-p", PROMPT))
                self.assertTrue(whole.strip())
                self.assertEqual(streamed, whole)
                no_stream = self.ok(self.run_cli("invoke", "--no-stream", "-m", model, *extra,
                                                 "-p", PROMPT))
                self.assertEqual(no_stream, whole)

    def test_json_gets_the_whole_document_even_with_stream(self):
        plain = json.loads(self.ok(self.run_cli("--json", "invoke", "-m", HAIKU, "-p", PROMPT)))
        forced = json.loads(self.ok(self.run_cli("--json", "invoke", "--stream", "-m", HAIKU,
                                                 "-p", PROMPT)))
        self.assertEqual(forced["completion"], plain["completion"])
        self.assertEqual(forced["record"]["outcome"], "success")
        r = json.loads(self.ok(self.run_cli("--json", "rephrase", "--stream", stdin=TEXT.encode())))
        self.assertTrue(r["text"].strip())
        self.assertEqual(r["style"], "professional")

    def test_rephrase_stream_into_a_pipe(self):
        default = self.ok(self.run_cli("rephrase", "--style", "casual", stdin=TEXT.encode()))
        streamed = self.ok(self.run_cli("rephrase", "--style", "casual", "--stream",
                                        stdin=TEXT.encode()))
        no_stream = self.ok(self.run_cli("rephrase", "--style", "casual", "--no-stream",
                                         stdin=TEXT.encode()))
        self.assertTrue(default.strip())
        self.assertEqual(streamed, default)
        self.assertEqual(no_stream, default)
        self.assertTrue(streamed.endswith(b"\n"))

    def test_content_commands_stream_when_forced(self):
        summary = self.ok(self.run_cli("summarize", "--stream", "-n", "1",
                                       stdin=make_document(3).encode()))
        whole = self.ok(self.run_cli("summarize", "-n", "1", stdin=make_document(3).encode()))
        self.assertEqual(summary, whole)
        # Map-reduce: only the final step streams, and it prints what the whole answer prints.
        doc = make_document(40).encode()
        chunked = self.run_cli("summarize", "--stream", "--chunking", "always", stdin=doc)
        self.assertEqual(self.ok(chunked),
                         self.ok(self.run_cli("summarize", "--chunking", "always", stdin=doc)))
        self.assertRegex(chunked.stderr.decode(), r"\d+/\d+ chunks")
        post = self.ok(self.run_cli("blog", "--stream", "--topic", "Retry budgets",
                                    "--length", "short"))
        self.assertEqual(post, self.ok(self.run_cli("blog", "--topic", "Retry budgets",
                                                    "--length", "short")))
        social = self.ok(self.run_cli("social", "--stream", "--platforms", "twitter,mastodon",
                                      stdin=b"We shipped v2 with retries and fallbacks."))
        text = social.decode()
        self.assertIn("== X (Twitter) ==\n", text)
        self.assertIn("== Mastodon ==\n", text)
        self.assertRegex(text, r"\(\d+/280 characters\)\n")
        self.assertRegex(text, r"\(\d+/500 characters\)\n$")
        self.assertTrue(self.ok(self.run_cli("expand", "--stream", stdin=b"- fast\n- cheap\n")))
        self.assertTrue(self.ok(self.run_cli("product", "--stream", "--name", "TrailLite",
                                             "--feature", "480 g", "--audience", "hikers")))

    def test_usage_stream_and_no_stream_exclude_each_other(self):
        r = self.run_cli("rephrase", "--stream", "--no-stream", stdin=TEXT.encode())
        self.assertEqual(r.returncode, 2)

    def interrupt(self, emu, args, stdin=None, wait=1.0):
        proc = subprocess.Popen([CLI, "--endpoint-url", emu.url, *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=clean_env(self.home))
        if stdin is not None:
            proc.stdin.write(stdin)
        proc.stdin.close()
        proc.stdin = None  # communicate() must not flush it again
        time.sleep(wait)
        self.assertIsNone(proc.poll(), "finished before Ctrl-C")
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        return proc.returncode, time.monotonic() - start, out, err.decode(errors="replace")

    def test_ctrl_c_while_the_model_holds_the_answer(self):
        emu = start_emulator("--latency-ms", "8000")
        try:
            code, elapsed, _, err = self.interrupt(emu, ["invoke", "--stream", "-m", HAIKU,
                                                         "-p", PROMPT])
            self.assertEqual(code, EXIT_CANCELLED, err)
            self.assertLess(elapsed, 2.5)
            self.assertIn("cancel", err.lower())
        finally:
            emu.stop()

    def test_ctrl_c_on_a_stalled_stream_from_a_pipe(self):
        emu = start_emulator("--fault", "stall=1.0")
        try:
            code, elapsed, out, err = self.interrupt(emu, ["rephrase", "--stream"],
                                                     stdin=TEXT.encode())
            self.assertEqual(code, EXIT_CANCELLED, err)
            self.assertLess(elapsed, 2.5)
            self.assertIn("cancel", err.lower())
        finally:
            emu.stop()

    def test_ctrl_c_mid_stream_keeps_the_text_printed_once(self):
        # Needs a client that delivers a stream incrementally and an emulator that paces it; with
        # either answering in one piece there is no "mid-stream" to interrupt.
        # 100 ms between events: the ~20 text events of this answer take ~2 s, so the interrupt
        # 0.2 s after the first one lands mid-stream.
        emu = start_emulator("--stream-token-ms", "100")
        try:
            proc = subprocess.Popen(
                [CLI, "--endpoint-url", emu.url, "invoke", "--stream", "-m", HAIKU,
                 "--max-tokens", "200", "-p", make_document(4)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(self.home))
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            self.assertTrue(ready, "no output within 30 s")
            first = os.read(proc.stdout.fileno(), 65536)
            time.sleep(0.2)
            if proc.poll() is not None:
                proc.communicate(timeout=10)
                self.skipTest("the answer arrived in one piece (no incremental stream to cut)")
            proc.send_signal(signal.SIGINT)
            rest, err = proc.communicate(timeout=10)
            err = err.decode(errors="replace")
            self.assertEqual(proc.returncode, EXIT_CANCELLED, err)
            self.assertIn("incomplete", err)
            printed = first + rest
            whole = self.ok(self.run_cli("invoke", "-m", HAIKU, "--max-tokens", "200",
                                         "-p", make_document(4)))
            # What was printed is a prefix of the whole answer, shown once, line ended.
            self.assertTrue(whole.startswith(printed.rstrip(b"\n")), printed)
            self.assertLess(len(printed), len(whole))
        finally:
            emu.stop()


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
