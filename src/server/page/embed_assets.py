#!/usr/bin/env python3
"""Turns the page's files into one C++ source of byte arrays (no xxd needed), each with its
Content-Type and an ETag from its content, so the server carries the page inside its binary.

Usage: embed_assets.py OUTPUT.cpp ASSET_DIR FILE...   (FILE relative to ASSET_DIR)"""
import hashlib
import os
import sys

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}


def main():
    out_path, root, files = sys.argv[1], sys.argv[2], sorted(sys.argv[3:])
    lines = ['#include "server/page/assets.h"', "", "namespace bedrock::server::page {",
             "namespace {", ""]
    entries = []
    for i, name in enumerate(files):
        ext = os.path.splitext(name)[1].lower()
        if ext not in TYPES:
            sys.exit(f"embed_assets: no Content-Type known for {name}")
        with open(os.path.join(root, name), "rb") as f:
            data = f.read()
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        # 24 bytes a line, so no line of the generated file grows without bound.
        wrapped = ",\n".join(",".join(str(b) for b in data[j:j + 24])
                              for j in range(0, len(data), 24)) or "0"
        lines.append(f"constexpr unsigned char k{i}[] = {{\n{wrapped}}};")
        etag_literal = etag.replace('"', '\\"')
        entries.append(f'    {{"/{name}", "{TYPES[ext]}", '
                       f'{{reinterpret_cast<const char*>(k{i}), {len(data)}}}, "{etag_literal}"}},')
    lines += ["", "}  // namespace", "", "std::span<const Asset> assets() {",
              f"  static const Asset table[] = {{\n" + "\n".join(entries) + "\n  };",
              "  return table;", "}", "", "}  // namespace bedrock::server::page", ""]
    text = "\n".join(lines)
    # Unchanged output keeps its timestamp, so nothing downstream rebuilds.
    if os.path.exists(out_path):
        with open(out_path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
