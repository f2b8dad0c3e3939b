// Request bodies however they arrive: in the head's segment, after it in pieces, chunked,
// several pipelined requests in one write, and a chunked body over the limit in the head's
// segment. The handler sees each body whole and each request once, in order.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

struct Echo {
  std::mutex mu;
  std::vector<std::string> bodies;
  Handler handler() {
    return [this](HttpRequest& request, Responder responder) {
      {
        std::lock_guard lock(mu);
        bodies.push_back(request.body());
      }
      responder.send(text_response(std::string(request.target()) + ":" + request.body()));
    };
  }
};

std::vector<std::string> answers(RawClient& client, std::size_t count) {
  client.read_until([count](const std::string& all) { return has_responses(all, count); }, 5s);
  std::vector<std::string> out;
  std::string_view rest = client.received();
  while (auto r = parse_response(rest)) {
    out.push_back(std::to_string(r->status) + " " + r->body);
    rest.remove_prefix(r->consumed);
  }
  return out;
}

TEST(NetRequestBody, ArrivingWithTheHeadOrInPiecesAfterIt) {
  Echo echo;
  auto running = serve({}, echo.handler());
  RawClient client(running.port);
  client.send(request("POST", "/one", "hello"));
  ASSERT_EQ(answers(client, 1), std::vector<std::string>{"200 /one:hello"});
  // The head alone, then the body in three pieces with pauses between them.
  client.send("POST /two HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
  std::this_thread::sleep_for(30ms);
  client.send("hel");
  std::this_thread::sleep_for(30ms);
  client.send("lo wo");
  std::this_thread::sleep_for(30ms);
  client.send("rld");
  EXPECT_EQ(answers(client, 2),
            (std::vector<std::string>{"200 /one:hello", "200 /two:hello world"}));
  // Part of the body with the head, the rest later.
  client.send("POST /three HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nabc");
  std::this_thread::sleep_for(30ms);
  client.send("def");
  const auto all = answers(client, 3);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2], "200 /three:abcdef");
}

TEST(NetRequestBody, ChunkedWithTheHeadAndPipelinedInOneWrite) {
  Echo echo;
  auto running = serve({}, echo.handler());
  RawClient client(running.port);
  client.send(
      "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nxy"
      "POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
      "GET /d HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(answers(client, 4),
            (std::vector<std::string>{"200 /a:abcde", "200 /b:xy", "200 /c:", "200 /d:"}));
  std::lock_guard lock(echo.mu);
  EXPECT_EQ(echo.bodies, (std::vector<std::string>{"abcde", "xy", "", ""}));
}

TEST(NetRequestBody, AChunkedBodyOverTheLimitInTheHeadsSegmentIs413) {
  ServerOptions options;
  options.max_body_bytes = 8;
  Echo echo;
  auto running = serve(options, echo.handler());
  RawClient client(running.port);
  client.send(
      "POST /big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  const auto all = answers(client, 1);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].substr(0, 3), "413");
  std::lock_guard lock(echo.mu);
  EXPECT_TRUE(echo.bodies.empty());
}

TEST(NetRequestBody, AMalformedChunkInTheHeadsSegmentClosesTheConnection) {
  Echo echo;
  auto running = serve({}, echo.handler());
  RawClient client(running.port);
  client.send(
      "POST /bad HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  client.read_until([](const std::string&) { return false; }, 2s);
  EXPECT_TRUE(client.peer_closed());
  std::lock_guard lock(echo.mu);
  EXPECT_TRUE(echo.bodies.empty());
}

}  // namespace
}  // namespace bedrock::net::testing
