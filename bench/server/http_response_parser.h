// Incremental HTTP/1.1 response framing for the open-loop load generator: finds where one
// response ends (Content-Length or chunked), nothing more. Headers are read only for the status,
// the framing and `Connection: close`; the body is never copied.
#pragma once

#include <cstddef>
#include <string_view>

namespace bench {

class HttpResponseParser {
 public:
  enum class State { Incomplete, Complete, Invalid };

  // `in` is every byte received for this response so far (the caller appends and calls again);
  // progress is remembered, so each call scans only what is new.
  State parse(std::string_view in);

  int status() const { return status_; }
  bool close_after() const { return close_after_; }
  // Where the body starts in `in` (valid once the headers are complete).
  std::size_t body_start() const { return body_start_; }
  // Bytes of `in` that belong to this response (valid once Complete).
  std::size_t size() const { return pos_; }
  void reset() { *this = HttpResponseParser{}; }

 private:
  State parse_headers(std::string_view in);
  State parse_chunks(std::string_view in);

  // Bounds a hostile or broken peer: headers this long or chunk sizes this wide are not HTTP
  // we benchmark.
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

  int status_ = 0;
  bool headers_done_ = false;
  bool chunked_ = false;
  bool close_after_ = false;
  std::size_t content_length_ = 0;
  std::size_t body_start_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace bench
