#!/usr/bin/env python3
"""bedrock-content end to end: every command, run as a process, against bedrock-emulator.

Usage: cli_e2e_test.py BEDROCK_CONTENT BEDROCK_EMULATOR
Each test starts the CLI with a clean environment (no real ~/.aws, IMDS disabled) pointed at
an emulator started for the suite (or for the test, when it needs faults or latency).
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import e2e_support
from e2e_support import clean_env

CLI, EMULATOR = sys.argv[1], sys.argv[2]
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
NOVA = "amazon.nova-micro-v1:0"

# Exit codes documented in `bedrock-content --help` and the README.
EXIT_OK, EXIT_USAGE, EXIT_CONFIG, EXIT_INPUT, EXIT_AUTH = 0, 2, 3, 4, 5
EXIT_THROTTLED, EXIT_SERVICE, EXIT_NETWORK, EXIT_DEADLINE, EXIT_NOT_FOUND = 6, 7, 8, 9, 10
EXIT_CANCELLED = 130


def start_emulator(*extra):
    return e2e_support.Emulator(EMULATOR, *extra)


def make_document(paragraphs, seed=1):
    rng = random.Random(seed)
    words = ("retries budgets deadlines throttling quotas models tokens latency users answers "
             "requests signatures regions fallbacks chunks summaries progress").split()
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(5):
            n = rng.randint(8, 18)
            sentences.append(" ".join(rng.choice(words) for _ in range(n)).capitalize() + ".")
        out.append(" ".join(sentences))
    return "\n\n".join(out)


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = start_emulator()
        cls.home = tempfile.mkdtemp(prefix="bedrock-e2e-home-")
        cls.tmp = tempfile.mkdtemp(prefix="bedrock-e2e-")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    def run_cli(self, *args, stdin=None, endpoint=None, env=None, timeout=120):
        cmd = [CLI, "--endpoint-url", endpoint or self.emulator.url, *args]
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout,
                              env=env or clean_env(self.home))

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    # -- every command ---------------------------------------------------------------------

    def test_invoke_prints_completion_and_figures(self):
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "Retries need budgets. Deadlines too.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertIn("Retries need budgets.", r.stdout)
        self.assertRegex(r.stderr, r"1 call, 1 attempt, \d+ input \+ \d+ output tokens")

    def test_invoke_json_record_for_every_family_native_and_converse(self):
        for model in [HAIKU, "anthropic.claude-v2:1", "amazon.titan-text-express-v1", NOVA,
                      "meta.llama2-13b-chat-v1", "meta.llama3-8b-instruct-v1:0",
                      "mistral.mistral-7b-instruct-v0:2", "mistral.mistral-large-2407-v1:0",
                      "cohere.command-text-v14", "cohere.command-r-v1:0", "ai21.j2-mid-v1",
                      "ai21.jamba-1-5-mini-v1:0", "us.deepseek.r1-v1:0", "openai.gpt-oss-20b-1:0"]:
            for converse in ([], ["--converse"]):
                with self.subTest(model=model, converse=bool(converse)):
                    r = self.run_cli("--json", "invoke", "-m", model, *converse,
                                     "-p", "Summaries help. Readers are busy.", "--max-tokens", "200")
                    self.assertEqual(r.returncode, EXIT_OK, r.stderr)
                    out = json.loads(r.stdout)
                    self.assertTrue(out["completion"]["text"])
                    rec = out["record"]
                    self.assertEqual(rec["outcome"], "success")
                    self.assertEqual(rec["model_used"], model)
                    self.assertEqual(rec["attempts"], 1)
                    self.assertGreater(rec["input_tokens"], 0)
                    self.assertGreater(rec["output_tokens"], 0)
                    self.assertTrue(rec["request_id"])

    def test_invoke_prompt_from_stdin_and_file(self):
        r = self.run_cli("invoke", "-m", NOVA, stdin="From a pipe. Works fine.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertIn("From a pipe.", r.stdout)
        path = self.write("prompt.txt", "From a file. Also fine.")
        r = self.run_cli("invoke", "-m", NOVA, "--file", path)
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertIn("From a file.", r.stdout)

    def test_models_lists_registry(self):
        r = self.run_cli("--json", "models")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        ids = {m["id"] for m in json.loads(r.stdout)["models"]}
        self.assertIn(HAIKU, ids)
        self.assertGreater(len(ids), 40)

    def test_tokens_counts_the_prompt(self):
        path = self.write("count.txt", "Count these words. Then count them again.")
        r = self.run_cli("tokens", "-m", HAIKU, path)
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        count = int(r.stdout.strip())
        self.assertGreater(count, 0)
        r = self.run_cli("--json", "tokens", "-m", HAIKU, "--converse",
                         stdin="Count these words. Then count them again.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        out = json.loads(r.stdout)
        self.assertGreater(out["input_tokens"], 0)
        self.assertEqual(out["record"]["outcome"], "success")
        self.assertEqual(out["record"]["input_tokens"], out["input_tokens"])
        self.assertEqual(out["record"]["output_tokens"], 0)

    def test_profile_only_model_goes_through_its_inference_profile(self):
        # Bedrock refuses the plain id of a model it serves only through inference profiles;
        # the client sends it to the region's geography profile and the record says so.
        sonnet4 = "anthropic.claude-sonnet-4-20250514-v1:0"
        r = self.run_cli("--json", "invoke", "-m", sonnet4, "-p", "Say hi.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        record = json.loads(r.stdout)["record"]
        self.assertEqual(record["profile_used"], "us." + sonnet4)
        self.assertEqual(record["outcome"], "success")
        r = self.run_cli("--no-inference-profiles", "invoke", "-m", sonnet4, "-p", "Say hi.")
        self.assertEqual(r.returncode, EXIT_INPUT, r.stderr)
        self.assertIn("inference profile", r.stderr)

    def test_summarize_small_text_in_one_call(self):
        r = self.run_cli("--json", "summarize", "--paragraphs", "1",
                         stdin=make_document(3) + "\n")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        out = json.loads(r.stdout)
        self.assertFalse(out["chunked"])
        self.assertEqual(len(out["records"]), 1)
        self.assertTrue(out["summary"].strip())

    def test_summarize_one_megabyte_document_map_reduce(self):
        doc = make_document(2200)
        self.assertGreater(len(doc.encode()), 1_000_000)
        path = self.write("big.txt", doc)
        r = self.run_cli("--json", "summarize", "-j", "4", path, timeout=240)
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        out = json.loads(r.stdout)
        self.assertTrue(out["chunked"])
        self.assertGreater(out["chunks"], 10)
        self.assertGreaterEqual(out["reduce_levels"], 1)
        self.assertGreaterEqual(len(out["records"]), out["chunks"] + 1)
        self.assertTrue(all(rec["outcome"] == "success" for rec in out["records"]))
        self.assertTrue(out["summary"].strip())
        # Not a terminal: one status line, not a redrawn bar.
        r2 = self.run_cli("summarize", path, timeout=240)
        self.assertEqual(r2.returncode, EXIT_OK, r2.stderr)
        self.assertRegex(r2.stderr, r"\d+/\d+ chunks, [\d,]+ tokens, [\d.]+ s\n")
        self.assertNotIn("\r", r2.stderr)

    def test_rephrase_expand_blog_product_social(self):
        r = self.run_cli("rephrase", "--style", "casual",
                         stdin="The launch is delayed by two weeks. The supplier missed a deadline.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertTrue(r.stdout.strip())

        r = self.run_cli("--json", "expand", stdin="- fast\n- reliable\n- cheap\n")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["paragraphs"]), 3)

        r = self.run_cli("--json", "blog", "--topic", "Why retries need budgets", "--length", "short")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        post = json.loads(r.stdout)
        self.assertTrue(post["title"])
        self.assertEqual(post["target_words"], [300, 600])

        details = self.write("product.json", json.dumps(
            {"name": "TrailLite 2", "features": ["480 g", "waterproof"], "audience": "hikers"}))
        r = self.run_cli("--json", "product", "--details", details, "--tone", "playful")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertTrue(json.loads(r.stdout)["text"])

        r = self.run_cli("--json", "social", "--platforms", "twitter,linkedin,mastodon",
                         stdin="We shipped v2 of our toolkit: retries, deadlines and fallbacks.")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        posts = json.loads(r.stdout)["posts"]
        self.assertEqual([p["platform"] for p in posts], ["x", "linkedin", "mastodon"])
        for p in posts:
            self.assertLessEqual(p["length"], p["limit"])

    def test_help_for_every_command_has_examples(self):
        for cmd in ["invoke", "tokens", "summarize", "rephrase", "expand", "blog", "product", "social"]:
            r = subprocess.run([CLI, cmd, "--help"], capture_output=True, text=True, timeout=10)
            self.assertEqual(r.returncode, 0)
            self.assertIn("Examples:", r.stdout, cmd)
        r = subprocess.run([CLI, "--help"], capture_output=True, text=True, timeout=10)
        self.assertIn("Exit codes:", r.stdout)

    # -- error paths -----------------------------------------------------------------------

    def test_empty_input_is_an_input_error(self):
        r = self.run_cli("summarize", stdin="   \n")
        self.assertEqual(r.returncode, EXIT_INPUT)
        self.assertIn("empty", r.stderr)

    def test_usage_error(self):
        r = self.run_cli("summarize", "--paragraphs", "0", stdin="x")
        self.assertEqual(r.returncode, EXIT_USAGE)
        r = self.run_cli("frobnicate")
        self.assertEqual(r.returncode, EXIT_USAGE)

    def test_too_long_without_chunking_says_by_how_much(self):
        path = self.write("toolong.txt", make_document(2200))
        r = self.run_cli("summarize", "--chunking", "never", path)
        self.assertEqual(r.returncode, EXIT_INPUT, r.stderr)
        self.assertIn("too long", r.stderr.lower())
        self.assertRegex(r.stderr, r"\d")

    def test_unknown_model_is_not_found(self):
        r = self.run_cli("invoke", "-m", "acme.unknown-model-v1", "-p", "hi")
        self.assertEqual(r.returncode, EXIT_NOT_FOUND, r.stderr)

    def test_no_credentials_is_a_configuration_error(self):
        env = clean_env(self.home)
        del env["AWS_ACCESS_KEY_ID"]
        del env["AWS_SECRET_ACCESS_KEY"]
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "hi", env=env)
        self.assertEqual(r.returncode, EXIT_CONFIG, r.stderr)
        self.assertIn("No AWS credentials were found", r.stderr)

    def test_wrong_secret_is_an_auth_error_and_secret_not_printed(self):
        env = clean_env(self.home)
        env["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-wrong-secret-wrong"
        r = self.run_cli("--verbose", "invoke", "-m", HAIKU, "-p", "hi", env=env)
        self.assertEqual(r.returncode, EXIT_AUTH, r.stderr)
        self.assertIn("signature", r.stderr.lower())
        self.assertNotIn("wrong-secret-wrong-secret-wrong", r.stderr + r.stdout)

    def test_upstream_throttling_exhausts_retries(self):
        emu = start_emulator("--fault", "ThrottlingException=1.0")
        try:
            r = self.run_cli("--json", "invoke", "-m", HAIKU, "-p", "hi", endpoint=emu.url)
            self.assertEqual(r.returncode, EXIT_THROTTLED, r.stderr)
            self.assertEqual(json.loads(r.stdout)["error"]["code"], "Throttling")
            self.assertIn("throttling", r.stderr.lower())
        finally:
            emu.stop()

    def test_throttling_storm_resolved_by_retries(self):
        emu = start_emulator("--fault", "ThrottlingException=next:2")
        try:
            r = self.run_cli("--json", "invoke", "-m", HAIKU, "-p", "Storms pass.", endpoint=emu.url)
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            self.assertEqual(json.loads(r.stdout)["record"]["attempts"], 3)
        finally:
            emu.stop()

    def test_fallback_to_second_model(self):
        emu = start_emulator("--fault", f"{HAIKU}=ModelTimeoutException=1.0")
        try:
            r = self.run_cli("--json", "invoke", "-m", HAIKU, "--fallback", NOVA,
                             "-p", "Fallbacks keep users happy.", endpoint=emu.url)
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            rec = json.loads(r.stdout)["record"]
            self.assertEqual(rec["model_used"], NOVA)
            self.assertEqual(rec["skipped_models"][0]["model_id"], HAIKU)
            self.assertIn("ModelTimeout", rec["skipped_models"][0]["reason"])
        finally:
            emu.stop()

    def test_stalled_primary_leaves_the_fallback_its_turn(self):
        # The primary never answers; its attempt gets half of the 4 s deadline, so the fallback
        # answers well inside it (it used to time out the whole call with exit 9).
        emu = start_emulator("--fault", f"{HAIKU}=stall=1.0")
        try:
            start = time.monotonic()
            r = self.run_cli("--json", "--timeout", "4", "invoke", "-m", HAIKU, "--fallback", NOVA,
                             "-p", "hi", endpoint=emu.url)
            elapsed = time.monotonic() - start
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            rec = json.loads(r.stdout)["record"]
            self.assertEqual(rec["model_used"], NOVA)
            self.assertEqual(rec["skipped_models"][0]["model_id"], HAIKU)
            self.assertGreaterEqual(elapsed, 1.9)
            self.assertLess(elapsed, 3.9)
        finally:
            emu.stop()

    def test_deadline_on_a_stalled_upstream(self):
        emu = start_emulator("--fault", "stall=1.0")
        try:
            start = time.monotonic()
            r = self.run_cli("--timeout", "1.5", "invoke", "-m", HAIKU, "-p", "hi", endpoint=emu.url)
            elapsed = time.monotonic() - start
            self.assertEqual(r.returncode, EXIT_DEADLINE, r.stderr)
            self.assertGreaterEqual(elapsed, 1.4)
            self.assertLess(elapsed, 4.0)
        finally:
            emu.stop()

    def test_ctrl_c_cancels_in_flight_calls(self):
        emu = start_emulator("--latency-ms", "3000")
        try:
            path = self.write("cancel.txt", make_document(2200))
            proc = subprocess.Popen([CLI, "--endpoint-url", emu.url, "summarize", path],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=clean_env(self.home))
            time.sleep(1.0)
            start = time.monotonic()
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, EXIT_CANCELLED, err)
            self.assertLess(time.monotonic() - start, 2.5)
            self.assertIn("cancel", err.lower())
        finally:
            emu.stop()


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
