#include "bedrock/core/url_redaction.h"

namespace bedrock {
namespace {

// Where an authority ends: the path, query or fragment, or anything that cannot be part of
// a URL in running text (white space, quotes, brackets).
bool ends_authority(char c) {
  switch (c) {
    case '/':
    case '?':
    case '#':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '"':
    case '\'':
    case '<':
    case '>':
    case '`':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string redact_url_credentials(std::string_view text) {
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is already in `out`
  std::size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string_view::npos) {
    const std::size_t start = pos + 3;
    std::size_t end = start;
    std::size_t at = std::string_view::npos;
    while (end < text.size() && !ends_authority(text[end])) {
      if (text[end] == '@') at = end;
      ++end;
    }
    if (at != std::string_view::npos && at > start) {
      out.append(text.substr(copied, start - copied));
      out.append("****");
      copied = at;
    }
    pos = end;
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

}  // namespace bedrock
