// Private to the loopback server: reads HTTP/1.1 requests off one connection (request line,
// headers, Content-Length or chunked body), keeping bytes of pipelined requests for the next.
#pragma once

#include <cstddef>
#include <string>

#include "fakes/loopback_connection.h"
#include "fakes/loopback_server.h"

namespace bedrock::testing::detail {

enum class ReadOutcome { Ok, Closed, Stopped, Bad, HeadTooLarge, BodyTooLarge };

class LoopbackRequestReader {
 public:
  LoopbackRequestReader(LoopbackConnection& conn, std::size_t max_head, std::size_t max_body)
      : conn_(conn), max_head_(max_head), max_body_(max_body) {}

  // Reads the next request; answers "Expect: 100-continue" before reading the body.
  ReadOutcome next(LoopbackRequest& request);

 private:
  ReadOutcome fill();                                        // appends more bytes to buf_
  ReadOutcome need(std::size_t bytes);                       // until buf_ holds at least `bytes`
  ReadOutcome line_end(std::size_t from, std::size_t& eol);  // finds "\r\n" at/after from
  ReadOutcome read_chunked(std::string& body);

  LoopbackConnection& conn_;
  std::size_t max_head_;
  std::size_t max_body_;
  std::string buf_;
};

}  // namespace bedrock::testing::detail
