// Handlers that answer later: from another thread, from a timer, not at all (500), by
// throwing (500); and the next request on a connection waits for the answer.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

TEST(NetResponder, AnswersLaterFromAnotherThread) {
  // The handler returns at once; a worker thread answers 100 ms later.
  std::vector<std::thread> workers;
  std::mutex mu;
  auto running = serve({}, [&](HttpRequest& request, Responder responder) {
    std::string target(request.target());
    std::lock_guard lock(mu);
    workers.emplace_back([responder = std::move(responder), target]() mutable {
      std::this_thread::sleep_for(100ms);
      responder.send(text_response("late " + target));
    });
  });
  RawClient client(running.port);
  const auto started = std::chrono::steady_clock::now();
  client.send(request("GET", "/a"));
  client.read_until([](const std::string& b) { return has_responses(b, 1); }, 5s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 200u);
  EXPECT_EQ(parsed->body, "late /a");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 100ms);
  running.server->stop(1s);
  for (auto& t : workers) t.join();
}

TEST(NetResponder, DroppedResponderIsAnsweredFiveHundredAndKeepsTheConnection) {
  // A handler that forgets to answer gets a 500 written for it; the connection goes on.
  auto running = serve({}, [](HttpRequest& request, Responder responder) {
    if (request.target() == "/ok") responder.send(text_response("fine"));
  });
  RawClient client(running.port);
  client.send(request("GET", "/forgot") + request("GET", "/ok"));
  client.read_until([](const std::string& b) { return has_responses(b, 2); }, 5s);
  std::string_view rest = client.received();
  const auto first = parse_response(rest);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 500u);
  EXPECT_EQ(nlohmann::json::parse(first->body)["code"], "InternalError");
  rest.remove_prefix(first->consumed);
  const auto second = parse_response(rest);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "fine");
}

TEST(NetResponder, ThrowingHandlerIsAnsweredFiveHundred) {
  // An exception never reaches the I/O thread: it is logged and answered.
  auto running = serve({}, [](HttpRequest&, Responder) { throw std::runtime_error("boom"); });
  RawClient client(running.port);
  client.send(request("GET", "/"));
  client.read_until([](const std::string& b) { return has_responses(b, 1); }, 5s);
  const auto parsed = parse_response(client.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 500u);
}

TEST(NetResponder, PipelinedRequestWaitsForTheAnswerBeforeIt) {
  // Two requests in one write: the second reaches the handler only after the first's answer
  // (given after a 150 ms timer) is written, and the answers come back in order.
  std::atomic<int> calls{0};
  std::atomic<bool> second_early{false};
  std::atomic<bool> first_answered{false};
  auto running = serve({}, [&](HttpRequest& request, Responder responder) {
    if (calls.fetch_add(1) == 1 && !first_answered.load()) second_early = true;
    if (request.target() == "/slow") {
      responder.after(150ms, [&](Responder later) {
        first_answered = true;
        later.send(text_response("slow"));
      });
      return;
    }
    responder.send(text_response("fast"));
  });
  RawClient client(running.port);
  client.send(request("GET", "/slow") + request("GET", "/fast"));
  client.read_until([](const std::string& b) { return has_responses(b, 2); }, 5s);
  std::string_view rest = client.received();
  const auto first = parse_response(rest);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "slow");
  rest.remove_prefix(first->consumed);
  const auto second = parse_response(rest);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "fast");
  EXPECT_FALSE(second_early.load());
  EXPECT_EQ(calls.load(), 2);
}

}  // namespace
}  // namespace bedrock::net::testing
