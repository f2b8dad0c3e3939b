#include "fakes/loopback_request_reader.h"

#include <strings.h>

#include <charconv>
#include <string_view>

namespace bedrock::testing::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

ReadOutcome from_io(Io io) {
  return io == Io::Stopped ? ReadOutcome::Stopped : ReadOutcome::Closed;
}

}  // namespace

ReadOutcome LoopbackRequestReader::fill() {
  Io io = conn_.read_some(buf_);
  return io == Io::Ok ? ReadOutcome::Ok : from_io(io);
}

ReadOutcome LoopbackRequestReader::need(std::size_t bytes) {
  while (buf_.size() < bytes) {
    if (ReadOutcome r = fill(); r != ReadOutcome::Ok) return r;
  }
  return ReadOutcome::Ok;
}

ReadOutcome LoopbackRequestReader::line_end(std::size_t from, std::size_t& eol) {
  for (;;) {
    eol = buf_.find("\r\n", from);
    if (eol != std::string::npos) return ReadOutcome::Ok;
    if (buf_.size() - from > max_head_) return ReadOutcome::Bad;
    if (ReadOutcome r = fill(); r != ReadOutcome::Ok) return r;
  }
}

ReadOutcome LoopbackRequestReader::read_chunked(std::string& body) {
  for (;;) {
    std::size_t eol = 0;
    if (ReadOutcome r = line_end(0, eol); r != ReadOutcome::Ok) return r;
    std::string_view size_line(buf_.data(), eol);
    size_line = trim(size_line.substr(0, size_line.find(';')));  // drop chunk extensions
    std::size_t size = 0;
    auto [end, ec] =
        std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
    if (ec != std::errc() || end != size_line.data() + size_line.size() || size_line.empty()) {
      return ReadOutcome::Bad;
    }
    buf_.erase(0, eol + 2);
    if (size == 0) {
      // Trailer section: header lines until an empty one.
      for (;;) {
        if (ReadOutcome r = line_end(0, eol); r != ReadOutcome::Ok) return r;
        buf_.erase(0, eol + 2);
        if (eol == 0) return ReadOutcome::Ok;
      }
    }
    if (body.size() + size > max_body_) return ReadOutcome::BodyTooLarge;
    if (ReadOutcome r = need(size + 2); r != ReadOutcome::Ok) return r;
    body.append(buf_, 0, size);
    if (buf_.compare(size, 2, "\r\n") != 0) return ReadOutcome::Bad;
    buf_.erase(0, size + 2);
  }
}

ReadOutcome LoopbackRequestReader::next(LoopbackRequest& request) {
  std::size_t head_end = std::string::npos;
  while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (buf_.size() > max_head_) return ReadOutcome::HeadTooLarge;
    if (ReadOutcome r = fill(); r != ReadOutcome::Ok) return r;
  }
  if (head_end > max_head_) return ReadOutcome::HeadTooLarge;
  std::string_view head(buf_.data(), head_end + 2);

  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return ReadOutcome::Bad;
  request.method = std::string(line.substr(0, sp1));
  request.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  request.version = std::string(line.substr(sp2 + 1));
  if (request.version.rfind("HTTP/1.", 0) != 0) return ReadOutcome::Bad;

  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    std::string_view field = head.substr(pos, next - pos);
    pos = next + 2;
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return ReadOutcome::Bad;
    request.headers.emplace_back(std::string(field.substr(0, colon)),
                                 std::string(trim(field.substr(colon + 1))));
  }
  buf_.erase(0, head_end + 4);

  auto expect = request.header("Expect");
  if (expect && iequals(*expect, "100-continue")) {
    if (Io io = conn_.write_all("HTTP/1.1 100 Continue\r\n\r\n"); io != Io::Ok) return from_io(io);
  }
  auto te = request.header("Transfer-Encoding");
  if (te && iequals(*te, "chunked")) return read_chunked(request.body);
  if (auto cl = request.header("Content-Length")) {
    std::size_t length = 0;
    auto [end, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), length);
    if (ec != std::errc() || end != cl->data() + cl->size()) return ReadOutcome::Bad;
    if (length > max_body_) return ReadOutcome::BodyTooLarge;
    if (ReadOutcome r = need(length); r != ReadOutcome::Ok) return r;
    request.body.assign(buf_, 0, length);
    buf_.erase(0, length);
  }
  return ReadOutcome::Ok;
}

}  // namespace bedrock::testing::detail
