// BodySink streaming and the first-byte timeout, on each path a request can take (see
// transport_modes.h), against the loopback server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

#include "fakes/loopback_server.h"
#include "json_post.h"
#include "recording_sink.h"
#include "transport_modes.h"

namespace bedrock::http {
namespace {

using namespace std::chrono_literals;
using bedrock::testing::LoopbackRequest;
using bedrock::testing::LoopbackResponse;
using bedrock::testing::LoopbackServer;
using testing::Mode;
using testing::ModeClient;
using testing::RecordingSink;
using Ms = std::chrono::milliseconds;

std::string chunk(std::string_view data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + std::string(data) + "\r\n";
}

const std::string kStreamHead =
    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
    "Transfer-Encoding: chunked\r\n\r\n";

class TransportSink : public ::testing::TestWithParam<Mode> {};

TEST_P(TransportSink, ChunkedBodyReachesTheSinkBeforeTheResponseEnds) {
  // The server holds its last chunk until the sink has seen the first one, so the call can only
  // succeed if bytes reach the sink while the response is still arriving.
  RecordingSink sink;
  std::atomic<bool> first_seen_in_time{false};
  const std::string first = kStreamHead + chunk("event-one;");
  LoopbackServer server([&](const LoopbackRequest&) {
    LoopbackResponse r;
    r.raw = first + chunk("event-two;") + chunk("event-three;") + "0\r\n\r\n";
    r.slow_chunk_bytes = first.size();
    r.before_piece = [&](std::size_t piece) {
      if (piece == 1) first_seen_in_time = sink.wait_for_body(5s);
    };
    return r;
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.sink = &sink;
  options.deadline = std::chrono::steady_clock::now() + 10s;
  auto r = client.send(json_post(server.url("/stream")), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(first_seen_in_time.load());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(r->header("Content-Type").value_or(""), "application/vnd.amazon.eventstream");
  EXPECT_EQ(sink.heads(), 1);
  EXPECT_EQ(sink.status(), 200);
  EXPECT_FALSE(sink.body_before_head());
  EXPECT_EQ(sink.body(), "event-one;event-two;event-three;");
  EXPECT_GE(sink.pieces().size(), 2u);
  EXPECT_EQ(sink.pieces().front(), "event-one;");
}

TEST_P(TransportSink, SinkRefusingTheBodyEndsWithCancelledAndDropsTheConnection) {
  // on_body returning false ends the call with Cancelled; the next call needs a new connection.
  LoopbackServer server([](const LoopbackRequest&) {
    LoopbackResponse r;
    r.raw = kStreamHead + chunk("a") + chunk("b") + "0\r\n\r\n";
    r.slow_chunk_bytes = kStreamHead.size() + 6;
    r.slow_interval = 20ms;
    return r;
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  RecordingSink sink;
  sink.refuse_after_pieces = 1;
  CallOptions options;
  options.sink = &sink;
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled) << r.error().message;
  EXPECT_EQ(sink.body(), "a");
  server.set_handler([](const LoopbackRequest&) { return LoopbackResponse::text(200, "ok"); });
  auto again = client.send(json_post(server.url("/")), CallOptions{});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->body, "ok");
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST_P(TransportSink, SinkRefusingTheHeadEndsWithCancelledBeforeAnyBody) {
  // on_head returning false stops the call before a body byte reaches the sink.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::text(200, "never seen"); });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  RecordingSink sink;
  sink.refuse_head = true;
  CallOptions options;
  options.sink = &sink;
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled) << r.error().message;
  EXPECT_EQ(sink.heads(), 1);
  EXPECT_EQ(sink.body(), "");
}

TEST_P(TransportSink, StreamedBodyOverTheSizeLimitIsInvalidResponse) {
  // max_response_bytes counts the bytes passed to the sink: a 5000-byte chunked body against a
  // 1000-byte limit fails, and the sink never gets more than the limit.
  LoopbackServer server([](const LoopbackRequest&) {
    LoopbackResponse r;
    r.raw = kStreamHead;
    for (int i = 0; i < 10; ++i) *r.raw += chunk(std::string(500, 'z'));
    *r.raw += "0\r\n\r\n";
    return r;
  });
  ASSERT_TRUE(server.start());
  CurlTransportOptions transport_options;
  transport_options.max_response_bytes = 1000;
  ModeClient client(GetParam(), transport_options);
  RecordingSink sink;
  CallOptions options;
  options.sink = &sink;
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse) << r.error().message;
  EXPECT_NE(r.error().message.find("too large"), std::string::npos) << r.error().message;
  EXPECT_LE(sink.body().size(), 1000u);
}

TEST_P(TransportSink, FirstByteTimeoutFiresWhileTheReadTimeoutIsLarger) {
  // A server that answers after 3 s: first_byte_timeout 200 ms ends the call with ReadTimeout
  // saying "no response within 200 ms", long before the 5 s read timeout.
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::delayed(3s, LoopbackResponse::text(200, "late"));
  });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.read_timeout = 5s;
  options.first_byte_timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = client.send(json_post(server.url("/")), options);
  Ms took = elapsed_since(start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ReadTimeout) << r.error().message;
  EXPECT_NE(r.error().message.find("no response within 200 ms"), std::string::npos)
      << r.error().message;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 1000ms);
}

TEST_P(TransportSink, FirstByteTimeoutDoesNotLimitSilenceLaterInTheBody) {
  // Once the response has started, pauses longer than first_byte_timeout (but shorter than
  // read_timeout) are fine.
  LoopbackServer server(
      [](const LoopbackRequest&) { return LoopbackResponse::slow(std::string(3, 'p'), 1, 250ms); });
  ASSERT_TRUE(server.start());
  ModeClient client(GetParam());
  CallOptions options;
  options.read_timeout = 2s;
  options.first_byte_timeout = 100ms;
  auto r = client.send(json_post(server.url("/")), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "ppp");
}

INSTANTIATE_TEST_SUITE_P(Paths, TransportSink,
                         ::testing::Values(Mode::Direct, Mode::CurlEngine, Mode::Async),
                         [](const auto& param_info) {
                           return testing::mode_name(param_info.param);
                         });

}  // namespace
}  // namespace bedrock::http
