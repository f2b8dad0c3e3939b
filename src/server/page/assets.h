// The web page's files, compiled into the binary from src/server/page/assets/ by
// embed_assets.py (page.cmake): served as they are, with no files beside the server.
#pragma once

#include <span>
#include <string_view>

namespace bedrock::server::page {

struct Asset {
  std::string_view path;  // "/index.html", "/app.js": the file's path under assets/
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;  // quoted, from the content's SHA-256
};

// Sorted by path.
std::span<const Asset> assets();

}  // namespace bedrock::server::page
