// Server-sent event framing: one data line per payload line, whatever the line ending, so a
// payload can neither end its event early nor add a field.
#include "bedrock/net/sse.h"

#include <gtest/gtest.h>

namespace bedrock::net {
namespace {

TEST(SseEvent, SingleLineWithAndWithoutEventName) {
  // The common case: one JSON payload per event.
  std::string out;
  append_sse_event(out, R"({"delta":"hi"})");
  EXPECT_EQ(out, "data: {\"delta\":\"hi\"}\n\n");
  out.clear();
  append_sse_event(out, "done", "final");
  EXPECT_EQ(out, "event: final\ndata: done\n\n");
}

TEST(SseEvent, EveryLineEndingSplitsData) {
  // LF, CRLF and a lone CR each start a new data line; a blank line inside data stays data.
  std::string out;
  append_sse_event(out, "a\nb\r\nc\rd\n\ne");
  EXPECT_EQ(out, "data: a\ndata: b\ndata: c\ndata: d\ndata: \ndata: e\n\n");
}

TEST(SseEvent, EventNameCannotInjectAField) {
  // A newline in the event name would start a forged field; it is dropped.
  std::string out;
  append_sse_event(out, "x", "a\nid: 7\r");
  EXPECT_EQ(out, "event: aid: 7\ndata: x\n\n");
}

TEST(SseEvent, EmptyDataIsOneEmptyLine) {
  // An event with empty data still dispatches (one empty data line).
  std::string out;
  append_sse_event(out, "");
  EXPECT_EQ(out, "data: \n\n");
}

TEST(SseHead, IsAnEventStream) {
  // The head a browser's EventSource and curl -N expect.
  const HttpResponse head = sse_head();
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_EQ(head[boost::beast::http::field::content_type], "text/event-stream");
  EXPECT_EQ(head[boost::beast::http::field::cache_control], "no-cache");
}

}  // namespace
}  // namespace bedrock::net
