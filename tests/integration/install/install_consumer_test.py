#!/usr/bin/env python3
"""The installed library works for a project outside this tree.

Installs the current build to a temporary prefix, checks what went in (and what must not),
configures and builds examples/consumer against the prefix with find_package(bedrock_content)
and Ninja, then runs it against a bedrock-emulator serving a canned answer and checks the
answer the consumer prints.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
AK, SK = "AKIDCONSUMER", "consumer/secret+KEY0123456789abcdefghij"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
ANSWER = "Built against the installed tree."


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=180, **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n"
                             f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


class Emulator:
    def __init__(self, fixtures):
        self.proc = subprocess.Popen(
            [ARGS.emulator, "--port", "0", "--credentials", f"{AK}:{SK}", "--threads", "1",
             "--fixtures", fixtures],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://" not in line:
            self.proc.kill()
            raise RuntimeError(f"emulator did not start: {line!r} {self.proc.stderr.read()}")
        self.url = "http://" + line.split("http://")[1].split()[0]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class InstalledConsumer(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bedrock-install-")
        self.prefix = os.path.join(self.tmp, "prefix")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def install(self):
        run([ARGS.cmake, "--install", ARGS.build, "--prefix", self.prefix])

    def build_consumer(self):
        build = os.path.join(self.tmp, "consumer-build")
        configure = [ARGS.cmake, "-S", os.path.join(ARGS.source, "examples", "consumer"),
                     "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                     f"-DCMAKE_PREFIX_PATH={self.prefix}", f"-DCMAKE_CXX_COMPILER={ARGS.cxx}"]
        if ARGS.launcher:
            configure.append(f"-DCMAKE_CXX_COMPILER_LAUNCHER={ARGS.launcher}")
        run(configure)
        run([ARGS.cmake, "--build", build])
        return os.path.join(build, "bedrock-consumer")

    def test_installed_package_builds_and_answers(self):
        # install -> find_package -> link bedrock::client -> a signed call the emulator answers.
        self.install()
        for present in ["lib/cmake/bedrock_content/bedrock_contentConfig.cmake",
                        "lib/cmake/bedrock_content/bedrock_contentConfigVersion.cmake",
                        "include/bedrock/runtime/bedrock_client.h",
                        "include/bedrock/credentials/default_chain.h",
                        "lib/libbedrock_runtime.a", "bin/bedrock-emulator"]:
            self.assertTrue(os.path.exists(os.path.join(self.prefix, present)), present)
        # The CLI's and the emulator's internals are not part of the library's API.
        for absent in ["include/bedrock/cli", "include/bedrock/emulator",
                       "lib/libbedrock_cli.a", "lib/libbedrock_emulator.a"]:
            self.assertFalse(os.path.exists(os.path.join(self.prefix, absent)), absent)

        consumer = self.build_consumer()

        fixtures = os.path.join(self.tmp, "fixtures.json")
        with open(fixtures, "w", encoding="utf-8") as f:
            json.dump({"fixtures": [{"contains": "installed", "response": ANSWER}]}, f)
        home = os.path.join(self.tmp, "home")
        os.mkdir(home)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"HOME": home, "AWS_ACCESS_KEY_ID": AK, "AWS_SECRET_ACCESS_KEY": SK,
                    "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"})
        emulator = Emulator(fixtures)
        try:
            result = subprocess.run([consumer, emulator.url, HAIKU, "Are you installed?"],
                                    capture_output=True, text=True, env=env, timeout=60)
        finally:
            emulator.stop()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, ANSWER + "\n")
        self.assertIn(f"model {HAIKU}", result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("cmake", "cxx", "launcher", "source", "build", "emulator"):
        parser.add_argument(f"--{name}", required=name != "launcher", default="")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
