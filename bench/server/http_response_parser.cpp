#include "http_response_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace bench {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of header `name` (lower case, with the colon) in a lower-cased header block.
std::string_view header_value(std::string_view headers, std::string_view name) {
  std::size_t at = headers.find(name);
  while (at != std::string_view::npos && at != 0 && headers[at - 1] != '\n') {
    at = headers.find(name, at + 1);
  }
  if (at == std::string_view::npos) return {};
  std::size_t begin = at + name.size();
  std::size_t end = headers.find("\r\n", begin);
  std::string_view value = headers.substr(begin, end - begin);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

}  // namespace

HttpResponseParser::State HttpResponseParser::parse(std::string_view in) {
  if (!headers_done_) {
    State s = parse_headers(in);
    if (s != State::Complete) return s;
  }
  if (chunked_) return parse_chunks(in);
  if (in.size() < body_start_ + content_length_) return State::Incomplete;
  pos_ = body_start_ + content_length_;
  return State::Complete;
}

HttpResponseParser::State HttpResponseParser::parse_headers(std::string_view in) {
  std::size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return in.size() > kMaxHeaderBytes ? State::Invalid : State::Incomplete;
  }
  if (in.size() < 12 || in.substr(0, 7) != "HTTP/1.") return State::Invalid;
  auto [ptr, ec] = std::from_chars(in.data() + 9, in.data() + 12, status_);
  if (ec != std::errc{}) return State::Invalid;
  std::string headers = lowercase(in.substr(0, end + 2));
  chunked_ = header_value(headers, "transfer-encoding:").find("chunked") != std::string_view::npos;
  close_after_ = header_value(headers, "connection:") == "close";
  std::string_view length = header_value(headers, "content-length:");
  if (!chunked_ && !length.empty()) {
    auto [p, e] = std::from_chars(length.data(), length.data() + length.size(), content_length_);
    if (e != std::errc{}) return State::Invalid;
  }
  headers_done_ = true;
  body_start_ = end + 4;
  pos_ = body_start_;
  return State::Complete;
}

HttpResponseParser::State HttpResponseParser::parse_chunks(std::string_view in) {
  for (;;) {
    std::size_t line_end = in.find("\r\n", pos_);
    if (line_end == std::string_view::npos) {
      return in.size() - pos_ > 64 ? State::Invalid : State::Incomplete;
    }
    std::size_t size = 0;
    auto [ptr, ec] = std::from_chars(in.data() + pos_, in.data() + line_end, size, 16);
    if (ec != std::errc{} || size > (std::size_t{1} << 30)) return State::Invalid;
    if (size == 0) {
      // No trailers are expected; tolerate them by looking for the blank line that ends them.
      std::size_t end = in.find("\r\n\r\n", line_end);
      if (end == std::string_view::npos) return State::Incomplete;
      pos_ = end + 4;
      return State::Complete;
    }
    std::size_t next = line_end + 2 + size + 2;
    if (in.size() < next) return State::Incomplete;
    pos_ = next;
  }
}

}  // namespace bench
