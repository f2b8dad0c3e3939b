#include "bedrock/net/sse.h"

namespace bedrock::net {
namespace http = boost::beast::http;

HttpResponse sse_head() {
  HttpResponse head{http::status::ok, 11};
  head.set(http::field::content_type, "text/event-stream");
  head.set(http::field::cache_control, "no-cache");
  return head;
}

void append_sse_event(std::string& out, std::string_view data, std::string_view event) {
  if (!event.empty()) {
    out.append("event: ");
    for (const char c : event) {
      if (c != '\r' && c != '\n') out.push_back(c);
    }
    out.push_back('\n');
  }
  // Every line terminator the spec accepts (CRLF, LF, CR) ends a data line; each piece gets
  // its own "data: " so the client joins them back with LF.
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out.push_back('\n');
}

}  // namespace bedrock::net
