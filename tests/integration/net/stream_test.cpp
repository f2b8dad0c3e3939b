// Chunked answers: paced chunks, server-sent events to a slow reader with a bounded queue,
// and a client that leaves mid-stream reported through on_cancel.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>

#include "bedrock/net/sse.h"
#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

// Writes `count` chunks "0", "1", ... one per 20 ms, then finishes.
struct CountingTicker : std::enable_shared_from_this<CountingTicker> {
  ChunkedStream stream;
  int count = 0;
  int sent = 0;
  void tick() {
    if (sent == count) return stream.finish();
    stream.write(std::to_string(sent++));
    stream.after(20ms, [self = shared_from_this()] { self->tick(); });
  }
};

TEST(NetStream, ChunksArriveInOrderAndTheConnectionIsReused) {
  // Five paced chunks, the last chunk, then a second request on the same connection.
  auto running = serve({}, [](HttpRequest& request, Responder responder) {
    if (request.target() == "/plain") return responder.send(text_response("after"));
    auto ticker = std::make_shared<CountingTicker>();
    ticker->stream = responder.stream(text_response(""));
    ticker->count = 5;
    ticker->tick();
  });
  RawClient client(running.port);
  client.send(request("GET", "/stream"));
  client.read_until(one_response, 5s);
  const auto streamed = parse_response(client.received());
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->status, 200u);
  EXPECT_EQ(streamed->body, "01234");
  EXPECT_NE(client.received().find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_EQ(client.received().find("Content-Length"), std::string::npos);
  const std::size_t first_size = streamed->consumed;
  client.send(request("GET", "/plain"));
  client.read_until(
      [&](const std::string& b) { return parse_response(b.substr(first_size)).has_value(); }, 5s);
  const auto plain = parse_response(client.received().substr(first_size));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "after");
}

// Produces `total` SSE events as fast as the stream takes them; when write() refuses, waits
// for on_drained. Records the most bytes ever queued and how often the peer was slow.
struct SseProducer : std::enable_shared_from_this<SseProducer> {
  ChunkedStream stream;
  int total = 0;
  int next = 0;
  std::atomic<int> refusals{0};
  std::atomic<std::size_t> max_queued{0};
  std::string event;
  void pump() {
    while (next < total) {
      event.clear();
      append_sse_event(event, std::to_string(next) + ":" + std::string(1000, 'x'));
      if (!stream.write(event)) {
        ++refusals;
        stream.on_drained([self = shared_from_this()] { self->pump(); });
        return;
      }
      max_queued = std::max(max_queued.load(), stream.queued_bytes());
      ++next;
    }
    stream.finish();
  }
};

TEST(NetStream, ServerSentEventsToASlowReaderStayWithinTheQueueBound) {
  // 3000 events of ~1 KB to a client with a small receive window that waits before reading:
  // the producer is told to wait (write() false), the queue never passes 64 KB, and every
  // event arrives in order.
  ServerOptions options;
  options.max_stream_queue_bytes = 64 * 1024;
  auto producer = std::make_shared<SseProducer>();
  producer->total = 3000;
  auto running = serve(options, [producer](HttpRequest&, Responder responder) {
    producer->stream = responder.stream(sse_head());
    producer->pump();
  });
  RawClient client(running.port, 8 * 1024);
  client.send(request("GET", "/events"));
  std::this_thread::sleep_for(300ms);  // the slow reader
  // The last chunk is looked for at the tail: parsing 3 MB after every 8 KB read made this
  // test quadratic, close to its 20 s under ThreadSanitizer.
  client.read_until([](const std::string& bytes) { return bytes.ends_with("\r\n0\r\n\r\n"); }, 20s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->content_type, "text/event-stream");
  EXPECT_GT(producer->refusals.load(), 0);
  EXPECT_LE(producer->max_queued.load(), options.max_stream_queue_bytes);
  std::size_t at = 0;
  for (int i = 0; i < producer->total; ++i) {
    const std::string expected = "data: " + std::to_string(i) + ":";
    at = parsed->body.find(expected, at);
    ASSERT_NE(at, std::string::npos) << "event " << i;
  }
  running.server->stop(1s);
  producer->stream = ChunkedStream();
}

TEST(NetStream, ClientLeavingMidStreamFiresCancel) {
  // The handler streams one chunk and waits for more from its "upstream"; the client reads
  // it and hangs up; on_cancel runs so the handler can cancel its upstream call.
  auto cancelled = std::make_shared<std::promise<void>>();
  auto holder = std::make_shared<ChunkedStream>();
  auto running = serve({}, [cancelled, holder](HttpRequest&, Responder responder) {
    *holder = responder.stream(text_response(""));
    holder->on_cancel([cancelled] { cancelled->set_value(); });
    holder->write("first");
  });
  RawClient client(running.port);
  client.send(request("GET", "/stream"));
  client.read_until([](const std::string& b) { return b.find("first") != std::string::npos; }, 5s);
  ASSERT_NE(client.received().find("first"), std::string::npos);
  client.close();
  EXPECT_EQ(cancelled->get_future().wait_for(5s), std::future_status::ready);
  running.server->stop(1s);
  *holder = ChunkedStream();
}

}  // namespace
}  // namespace bedrock::net::testing
