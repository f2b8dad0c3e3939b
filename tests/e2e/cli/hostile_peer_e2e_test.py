#!/usr/bin/env python3
"""bedrock-content against a hostile endpoint: a loopback server that answers with invalid
UTF-8, a huge announced Content-Length, and a user whose endpoint URL carries a password.
Every run must end in a typed error with a documented exit code, never a crash or exit 1
("unexpected failure"), and never print the password.

Usage: hostile_peer_e2e_test.py BEDROCK_CONTENT
"""
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

CLI = sys.argv[1]
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
EXIT_CONFIG, EXIT_INPUT, EXIT_SERVICE, EXIT_NOT_FOUND = 3, 4, 7, 10


class RawServer:
    """Answers every request on 127.0.0.1 (port 0) with the same raw bytes, then closes."""

    def __init__(self, reply):
        self.reply = reply
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn):
        try:
            conn.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            conn.sendall(self.reply)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.sock.close()


def clean_env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": home, "AWS_ACCESS_KEY_ID": "AKIDHOSTILE",
                "AWS_SECRET_ACCESS_KEY": "hostile/secret+KEY0123456789abcdefgh",
                "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_MAX_ATTEMPTS": "1"})
    env.pop("BEDROCK_CONTENT_CONFIG", None)
    env.pop("XDG_CONFIG_HOME", None)
    return env


def reply(status, body, headers=()):
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close",
            *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class HostilePeerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="bedrock-hostile-home-")

    def run_cli(self, endpoint, *args, timeout=120):
        return subprocess.run([CLI, "--endpoint-url", endpoint, *args], capture_output=True,
                              timeout=timeout, env=clean_env(self.home))

    def assert_typed_failure(self, r, code):
        self.assertGreaterEqual(r.returncode, 0, f"killed by a signal: {r.stderr!r}")
        self.assertEqual(r.returncode, code, r.stderr)

    def test_json_output_survives_invalid_utf8_error_body(self):
        # A non-JSON error body with invalid UTF-8: --json prints a valid document with U+FFFD.
        server = RawServer(reply(400, b"<html>bad \xff\xfe gateway \xc3</html>",
                                 ["x-amzn-ErrorType: ValidationException"]))
        try:
            r = self.run_cli(server.url, "--json", "invoke", "-m", HAIKU, "-p", "hi")
        finally:
            server.stop()
        self.assert_typed_failure(r, EXIT_INPUT)
        out = json.loads(r.stdout.decode("utf-8"))
        self.assertEqual(out["error"]["code"], "Validation")
        self.assertIn("\ufffd", out["error"]["detail"])
        self.assertIn("gateway", out["error"]["detail"])

    def test_json_output_survives_invalid_utf8_model_id(self):
        # The model id is the user's, but it is quoted in the error: --json still prints.
        server = RawServer(reply(404, b'{"message":"no such model"}',
                                 ["x-amzn-ErrorType: ResourceNotFoundException"]))
        try:
            r = self.run_cli(server.url, "--json", "invoke", "-m", b"bad\xffmodel", "-p", "hi")
        finally:
            server.stop()
        self.assert_typed_failure(r, EXIT_NOT_FOUND)
        out = json.loads(r.stdout.decode("utf-8"))
        self.assertEqual(out["error"]["code"], "ResourceNotFound")
        self.assertIn("bad\ufffdmodel", out["error"]["detail"])

    def test_huge_content_length_is_a_typed_error_in_summarize(self):
        # "Content-Length: 99999999999" used to make a map-reduce worker reserve ~100 GB and
        # abort the process with an uncaught std::bad_alloc.
        server = RawServer(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 99999999999\r\n\r\n{\"partial\":")
        rng = random.Random(5)
        words = "retries budgets deadlines throttling quotas models tokens latency".split()
        text = "\n\n".join(" ".join(rng.choice(words) for _ in range(120)) + "."
                           for _ in range(200))
        path = os.path.join(self.home, "doc.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            r = self.run_cli(server.url, "--json", "summarize", "--chunking", "always", "-j", "4",
                             path, timeout=240)
        finally:
            server.stop()
        self.assert_typed_failure(r, EXIT_SERVICE)
        out = json.loads(r.stdout.decode("utf-8"))
        self.assertIn("response too large", out["error"]["detail"])
        self.assertIn("chunk", out["error"]["detail"])  # it came from a map-reduce worker

    def test_endpoint_password_is_never_printed(self):
        secret = "Hunter2SecretPw"
        for extra in ([], ["--json"], ["--verbose"]):
            with self.subTest(flags=extra):
                r = self.run_cli(f"http://admin:{secret}@127.0.0.1:9", *extra, "invoke", "-m",
                                 HAIKU, "-p", "hi")
                self.assert_typed_failure(r, EXIT_CONFIG)
                self.assertNotIn(secret.encode(), r.stdout + r.stderr)
                self.assertIn(b"****@127.0.0.1:9", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
