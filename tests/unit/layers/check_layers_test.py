#!/usr/bin/env python3
"""scripts/check-layers on small made-up trees: it must fail on an upward or sideways edge,
naming the file and the edge, and pass on a tree whose arrows all point down.

Usage: check_layers_test.py <path to scripts/check-layers>
"""

import os
import subprocess
import sys
import tempfile
import unittest

CHECKER = None  # set from argv in main


def write(root, relpath, text):
    path = os.path.join(root, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def clean_tree(root):
    """core <- http <- auth, models <- runtime, emulator on models: every arrow allowed."""
    write(root, "include/bedrock/core/clock.h", "#pragma once\n#include <chrono>\n")
    write(root, "src/core/clock.cpp", '#include "bedrock/core/clock.h"\n')
    write(root, "src/core/CMakeLists.txt", "bedrock_layer(bedrock_core)\n")
    write(root, "include/bedrock/http/transport.h", '#include "bedrock/core/clock.h"\n')
    write(root, "src/http/curl_call.h", '#include "bedrock/core/clock.h"\n')
    write(root, "src/http/curl_call.cpp", '#include "curl_call.h"\n')
    write(root, "src/auth/sigv4.cpp", '#include "bedrock/http/transport.h"\n')
    write(root, "src/models/codec.cpp", '#include "bedrock/core/clock.h"\n')
    write(root, "src/runtime/client.cpp",
          '#include "bedrock/models/codec.h"\n#include "runtime/call_loop.h"\n')
    write(root, "src/runtime/CMakeLists.txt",
          "bedrock_layer(bedrock_runtime PUBLIC_DEPS bedrock_models bedrock_auth)\n")
    write(root, "src/emulator/model/render.cpp", '#include "bedrock/models/codec.h"\n')
    write(root, "apps/tool/main.cpp", '#include "cli/app.h"\n#include "bedrock/runtime/x.h"\n')
    write(root, "tests/unit/core/clock_test.cpp", '#include "bedrock/runtime/x.h"\n')


def run(root):
    return subprocess.run([sys.executable, CHECKER, root], capture_output=True, text=True,
                          timeout=30)


class CheckLayers(unittest.TestCase):
    def test_clean_tree_passes(self):
        # Downward includes, same-layer private headers, apps and tests including anything: clean.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            result = run(root)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertEqual(result.stdout.count("->"), 0, result.stdout)

    def test_core_including_runtime_fails_naming_file_and_edge(self):
        # The upward arrow the check exists for: the lowest layer reaching the client.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, "src/core/clock.cpp",
                  '#include "bedrock/core/clock.h"\n\n#include "bedrock/runtime/bedrock_client.h"\n')
            result = run(root)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("src/core/clock.cpp:3: core -> runtime", result.stdout)
            self.assertIn("bedrock/runtime/bedrock_client.h", result.stdout)
            self.assertEqual(len(result.stdout.strip().splitlines()), 1, result.stdout)

    def test_public_header_and_sideways_edges_fail(self):
        # A public header counts as much as a source, and the emulator may not use the client.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, "include/bedrock/models/codec.h", '#include "bedrock/http/transport.h"\n')
            write(root, "src/emulator/model/render.cpp", '#include "runtime/call_loop.h"\n')
            result = run(root)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("include/bedrock/models/codec.h:1: models -> http", result.stdout)
            self.assertIn("src/emulator/model/render.cpp:1: emulator -> runtime", result.stdout)

    def test_relative_path_into_another_layer_fails(self):
        # "../" reaching into a sibling folder is an include of that layer's private header.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, "src/models/codec.cpp", '#include "../runtime/call_loop.h"\n')
            result = run(root)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("src/models/codec.cpp:1: models -> runtime", result.stdout)

    def test_cmake_link_upward_fails(self):
        # The link graph is checked as well as the includes: CMake is where a layer's reach grows.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, "src/core/CMakeLists.txt",
                  "bedrock_layer(bedrock_core PUBLIC_DEPS bedrock_http)\n")
            result = run(root)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("src/core/CMakeLists.txt:1: core -> http (bedrock_http)", result.stdout)

    def test_unknown_layer_fails(self):
        # A new folder must be placed in the table, not pass unchecked.
        with tempfile.TemporaryDirectory() as root:
            clean_tree(root)
            write(root, "src/scheduler/queue.cpp", '#include "bedrock/core/clock.h"\n')
            result = run(root)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("scheduler: not in the layer table", result.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    CHECKER = sys.argv.pop(1)
    unittest.main(verbosity=2)
