// Reading the text a command works on: a file argument, or standard input when piped.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "bedrock/core/result.h"

namespace bedrock::cli {

// Largest input accepted (bytes). Larger files are refused before being read, so a mistaken
// argument (a disk image, /dev/zero) cannot exhaust memory.
inline constexpr std::size_t kMaxInputBytes = 256u * 1024 * 1024;

// Reads `path` when given ("-" means stdin), else stdin unless it is a terminal.
// Errors (Validation): file missing or unreadable, stdin is a terminal with no file given,
// input empty or only whitespace, input larger than kMaxInputBytes, input not valid UTF-8
// (the message gives the byte offset).
Result<std::string> read_input(const std::optional<std::string>& path, std::istream& in,
                               bool stdin_is_terminal);

}  // namespace bedrock::cli
