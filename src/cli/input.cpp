#include "bedrock/cli/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace bedrock::cli {

std::optional<std::size_t> first_invalid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned int cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8.
    bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::nullopt;
}

Result<std::string> read_input(const std::optional<std::string>& path, std::istream& in,
                               bool stdin_is_terminal) {
  std::string text;
  std::string source;
  if (path && *path != "-") {
    source = *path;
    std::error_code ec;
    auto size = std::filesystem::file_size(*path, ec);
    if (ec)
      return fail(ErrorCode::Validation, fmt::format("cannot read {}: {}", *path, ec.message()));
    if (size > kMaxInputBytes) {
      return fail(ErrorCode::Validation, fmt::format("{} is {} bytes; the limit is {} bytes", *path,
                                                     size, kMaxInputBytes));
    }
    std::ifstream file(*path, std::ios::binary);
    if (!file) {
      return fail(ErrorCode::Validation,
                  fmt::format("cannot open {}: {}", *path, std::strerror(errno)));
    }
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  } else {
    source = "standard input";
    if (!path && stdin_is_terminal) {
      return fail(ErrorCode::Validation,
                  "no input: pass a FILE argument or pipe text into standard input");
    }
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (text.size() > kMaxInputBytes) {
        return fail(ErrorCode::Validation,
                    fmt::format("standard input exceeds the limit of {} bytes", kMaxInputBytes));
      }
    }
  }
  bool blank = std::all_of(text.begin(), text.end(),
                           [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
  if (blank) return fail(ErrorCode::Validation, fmt::format("{} is empty", source));
  if (auto bad = first_invalid_utf8(text)) {
    return fail(ErrorCode::Validation,
                fmt::format("{} is not valid UTF-8 (first bad byte at offset {})", source, *bad));
  }
  return text;
}

}  // namespace bedrock::cli
