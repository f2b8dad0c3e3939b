#include "input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "bedrock/core/utf8.h"

namespace bedrock::cli {

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
