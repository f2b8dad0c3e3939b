// Private to the curl transports: the HTTP/1.1 response side of the direct path, shared by the
// synchronous DirectConnection (poll) and the asynchronous engine (Asio). Bytes go in as the
// connection produces them; Boost.Beast's parser turns them into a status, headers and a body
// (or, with a BodySink, body pieces handed over as they arrive, chunked framing removed).
// It enforces the response size limit, skips 1xx interim responses and decides whether the
// connection may be reused. It performs no I/O and keeps no clock: the driver owns both.
#pragma once

#include <curl/curl.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "bedrock/http/transport.h"
#include "curl_call.h"

namespace bedrock::http::detail {

class ResponseReader {
 public:
  enum class Step { NeedMore, Done, Failed };

  // `read_chunk`: how much room prepare() offers per read.
  explicit ResponseReader(std::size_t read_chunk);
  ~ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  // Starts a new response. max_body 0 means no limit. `sink` (may be null) receives the head
  // and the body instead of the Response.
  void start(std::size_t max_body, BodySink* sink);

  // Room for the next read; commit() says how much of it the read filled.
  boost::asio::mutable_buffer prepare();
  void commit(std::size_t received);
  // Parses what has been committed.
  Step parse();
  // The peer closed the connection: a response framed by the close ends here, any other fails.
  Step end_of_stream();
  // Releases the read buffer's memory (between responses, or while waiting for the first byte).
  void release_buffer();

  // Bytes of the response received so far (head and body, with framing).
  std::size_t response_bytes() const { return response_bytes_; }
  // Body bytes received so far (stored or passed to the sink).
  std::size_t body_bytes() const;

  // After Done: the response (body empty when a sink took it) and whether the connection
  // may carry another request.
  Response take_response();
  bool keep_alive() const { return keep_alive_; }

  // After Failed: the CURLcode curl's own engine reports for the same failure (with its detail),
  // or CURLE_ABORTED_BY_CALLBACK and the reason (TooLarge, or SinkStopped when the sink refused).
  CURLcode code() const { return code_; }
  const std::string& detail() const { return detail_; }
  AbortReason abort() const { return abort_; }
  // The final response's status and announced length when its head had arrived (0 / -1).
  long status() const;
  long long content_length() const;

 private:
  struct State;
  Step fail(CURLcode code, std::string detail = {}, AbortReason abort = AbortReason::None);
  Step head_done();
  Step finish();

  const std::size_t read_chunk_;
  std::unique_ptr<State> state_;
  boost::beast::flat_buffer buffer_;  // received bytes not yet parsed
  std::size_t response_bytes_ = 0;
  bool keep_alive_ = false;
  CURLcode code_ = CURLE_OK;
  std::string detail_;
  AbortReason abort_ = AbortReason::None;
};

}  // namespace bedrock::http::detail
