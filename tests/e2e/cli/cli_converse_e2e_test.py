#!/usr/bin/env python3
"""bedrock-content's Converse flags end to end against bedrock-emulator: --attach, --tools,
--schema, --show-reasoning (invoke) and --count-tokens (the content commands).

Usage: cli_converse_e2e_test.py BEDROCK_CONTENT BEDROCK_EMULATOR
The emulator reads image and document blocks without judging them (it answers the text), so
these tests prove the CLI builds and sends them and refuses what Bedrock would refuse; what the
model makes of an image is beyond an emulator.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from e2e_support import Emulator, clean_env

CLI, EMULATOR = sys.argv[1], sys.argv[2]
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
DEEPSEEK = "us.deepseek.r1-v1:0"
EXIT_OK, EXIT_INPUT = 0, 4
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TOOLS = {"tools": [{"toolSpec": {
    "name": "get_weather", "description": "Current weather for a city.",
    "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}},
                             "required": ["city"]}}}}],
    "toolChoice": {"any": {}}}


class ConverseFlagsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator(EMULATOR, admin=True)
        cls.home = tempfile.mkdtemp(prefix="bedrock-e2e-home-")
        cls.tmp = tempfile.mkdtemp(prefix="bedrock-e2e-")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    def run_cli(self, *args, stdin=None, timeout=120):
        cmd = [CLI, "--endpoint-url", self.emulator.url, *args]
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout,
                              env=clean_env(self.home))

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    # -- --attach ------------------------------------------------------------------------------

    def test_attach_image_and_document_goes_through_converse(self):
        image = self.write("chart.png", PNG)
        doc = self.write("Q3 report.md", "# Q3\nRevenue grew.\n")
        r = self.run_cli("--json", "invoke", "-m", HAIKU, "-p", "Describe the chart and report.",
                         "--attach", image, "--attach", doc)
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        out = json.loads(r.stdout)
        self.assertTrue(out["completion"]["text"])
        self.assertEqual(out["record"]["outcome"], "success")
        ops = self.emulator.counters()["models"][HAIKU]["operations"]
        self.assertTrue(any("converse" in k for k in ops), ops)

    def test_attach_unknown_type_is_refused(self):
        path = self.write("archive.zip", b"PK\x03\x04")
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "What is this?", "--attach", path)
        self.assertEqual(r.returncode, EXIT_INPUT)
        self.assertIn("unknown file type", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_attach_too_large_image_is_refused_before_sending(self):
        before = self.emulator.counters()["total"]
        path = self.write("huge.png", PNG + b"\x00" * (4 * 1024 * 1024))
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "What is this?", "--attach", path)
        self.assertEqual(r.returncode, EXIT_INPUT)
        self.assertIn("huge.png is 4.00 MiB", r.stderr)
        self.assertIn("at most 3.75 MiB", r.stderr)
        self.assertEqual(self.emulator.counters()["total"], before)

    # -- --tools -------------------------------------------------------------------------------

    def test_tools_prints_the_tool_calls_as_json(self):
        path = self.write("tools.json", json.dumps(TOOLS))
        for extra in ([], ["--stream"]):
            r = self.run_cli("invoke", "-m", HAIKU, "-p", "Weather in Paris?", "--tools", path,
                             *extra)
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            out = json.loads(r.stdout)
            self.assertEqual(out["stop_reason"], "tool_use", out)
            self.assertEqual(len(out["tool_calls"]), 1)
            call = out["tool_calls"][0]
            self.assertEqual(call["name"], "get_weather")
            self.assertIsInstance(call["input"]["city"], str)
            self.assertTrue(call["id"])

    # -- --schema -------------------------------------------------------------------------------

    def test_schema_answer_is_json_matching_it(self):
        # Claude 3 Haiku has no outputConfig: the answer comes through a forced tool. Haiku 4.5
        # (through its profile) takes outputConfig itself. Either way stdout is the JSON.
        schema = {"type": "object", "required": ["title", "year", "tags"],
                  "properties": {"title": {"type": "string"}, "year": {"type": "integer"},
                                 "tags": {"type": "array", "items": {"type": "string"}}}}
        path = self.write("film.json", json.dumps(schema))
        for model, form in ((HAIKU, "tool"),
                            ("us.anthropic.claude-haiku-4-5-20251001-v1:0", "native")):
            for extra in ([], ["--stream"]):
                r = self.run_cli("invoke", "-m", model, "-p", "A film, please.", "--schema", path,
                                 *extra)
                self.assertEqual(r.returncode, EXIT_OK, r.stderr)
                answer = json.loads(r.stdout)
                self.assertIsInstance(answer["title"], str)
                self.assertIsInstance(answer["year"], int)
                self.assertTrue(all(isinstance(t, str) for t in answer["tags"]))
            r = self.run_cli("--json", "invoke", "-m", model, "-p", "A film.", "--schema", path)
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            self.assertEqual(json.loads(r.stdout)["record"]["structured_output"], form)

    # -- --cache --------------------------------------------------------------------------------

    def test_cache_writes_then_reads_the_system_prompt(self):
        system = "You answer questions about this manual. " + "The pump runs at 3 bar. " * 200
        records = []
        for question in ("What pressure?", "What pressure, again?"):
            r = self.run_cli("--json", "invoke", "-m", "amazon.nova-lite-v1:0", "--system", system,
                             "-p", question, "--cache")
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            records.append(json.loads(r.stdout)["record"])
        self.assertGreater(records[0]["cache_write_input_tokens"], 0, records[0])
        self.assertEqual(records[0]["cache_read_input_tokens"], 0, records[0])
        self.assertEqual(records[1]["cache_read_input_tokens"],
                         records[0]["cache_write_input_tokens"], records[1])
        self.assertEqual(records[1]["cache_write_input_tokens"], 0, records[1])

    def test_schema_file_errors_are_input_errors(self):
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "x", "--schema",
                         self.write("bad.json", "[1, 2]"))
        self.assertEqual(r.returncode, EXIT_INPUT, r.stderr)
        self.assertIn("schema", r.stderr.lower())
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "x", "--schema",
                         os.path.join(self.tmp, "missing.json"))
        self.assertEqual(r.returncode, EXIT_INPUT, r.stderr)

    def test_tools_file_errors_are_input_errors(self):
        bad = self.write("bad-tools.json", '{"tools": {}}')
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "hi", "--tools", bad)
        self.assertEqual(r.returncode, EXIT_INPUT)
        self.assertIn("bad-tools.json", r.stderr)
        r = self.run_cli("invoke", "-m", HAIKU, "-p", "hi", "--tools",
                         os.path.join(self.tmp, "missing.json"))
        self.assertEqual(r.returncode, EXIT_INPUT)

    # -- --show-reasoning ----------------------------------------------------------------------

    def test_show_reasoning_prints_it_on_stderr_only(self):
        full = self.run_cli("--json", "invoke", "-m", DEEPSEEK, "-p", "Why is the sky blue?")
        self.assertEqual(full.returncode, EXIT_OK, full.stderr)
        reasoning = json.loads(full.stdout)["completion"]["reasoning"]
        self.assertTrue(reasoning)
        for extra in ([], ["--converse"], ["--stream"], ["--converse", "--stream"]):
            r = self.run_cli("-q", "invoke", "-m", DEEPSEEK, "-p", "Why is the sky blue?",
                             "--show-reasoning", *extra)
            self.assertEqual(r.returncode, EXIT_OK, r.stderr)
            self.assertIn(reasoning, r.stderr, extra)
            self.assertNotIn(reasoning, r.stdout, extra)
            self.assertTrue(r.stdout.strip(), extra)
        plain = self.run_cli("-q", "invoke", "-m", DEEPSEEK, "-p", "Why is the sky blue?")
        self.assertNotIn(reasoning, plain.stderr)

    # -- --count-tokens ------------------------------------------------------------------------

    def test_count_tokens_asks_bedrock_before_the_call(self):
        def count_calls():
            total = 0
            for m in self.emulator.counters()["models"].values():
                total += sum(v for k, v in m["operations"].items() if "count" in k.lower())
            return total

        before = count_calls()
        r = self.run_cli("rephrase", "--style", "casual", stdin="The meeting is postponed.\n")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertEqual(count_calls(), before)
        r = self.run_cli("rephrase", "--style", "casual", "--count-tokens",
                         stdin="The meeting is postponed.\n")
        self.assertEqual(r.returncode, EXIT_OK, r.stderr)
        self.assertTrue(r.stdout.strip())
        self.assertEqual(count_calls(), before + 1)
        self.assertNotIn("warning", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
