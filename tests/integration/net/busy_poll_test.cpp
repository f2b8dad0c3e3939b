// ServerOptions::busy_poll: a polling I/O thread still answers every request, answers made from
// other threads still arrive, an idle server falls asleep (no CPU burnt once the window has
// passed), stop() ends a thread that is polling, and the window opens while requests come soon
// after each other and closes when they stop doing so.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "raw_client.h"
#include "test_server.h"

namespace bedrock::net::testing {
namespace {

using namespace std::chrono_literals;

std::chrono::microseconds process_cpu() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto us = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return std::chrono::duration_cast<std::chrono::microseconds>(us(usage.ru_utime) +
                                                               us(usage.ru_stime));
}

TEST(NetBusyPoll, AnswersInlineAndFromOtherThreadsThenSleepsAndStops) {
  ServerOptions options;
  options.busy_poll = 200us;
  std::vector<std::thread> workers;
  std::mutex mu;
  auto running = serve(options, [&](HttpRequest& request, Responder responder) {
    if (request.target() == "/later") {
      std::lock_guard lock(mu);
      workers.emplace_back([responder = std::move(responder)]() mutable {
        std::this_thread::sleep_for(20ms);
        responder.send(text_response("later"));
      });
      return;
    }
    responder.send(text_response("now"));
  });
  RawClient client(running.port);
  for (int i = 0; i < 50; ++i) {
    const std::size_t before = client.received().size();
    client.send(request("GET", i % 5 == 0 ? "/later" : "/now"));
    client.read_until(
        [before](const std::string& all) {
          return parse_response(std::string_view(all).substr(before)).has_value();
        },
        5s);
    auto r = parse_response(std::string_view(client.received()).substr(before));
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->body, i % 5 == 0 ? "later" : "now");
  }
  // Idle well past the window: the I/O threads sleep, so half a second costs far less CPU than
  // a thread spinning through it would (500 ms).
  std::this_thread::sleep_for(50ms);
  const auto cpu_before = process_cpu();
  std::this_thread::sleep_for(500ms);
  EXPECT_LT(process_cpu() - cpu_before, 100ms);
  const auto stop_started = std::chrono::steady_clock::now();
  running.server->stop(0ms);
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 2s);
  for (auto& w : workers) w.join();
}

TEST(NetBusyPoll, TheWindowOpensWhileEventsComeSoonAndClosesWhenTheyDoNot) {
  ServerOptions options;
  options.threads = 1;
  options.busy_poll = 2ms;
  auto running = serve(
      options, [](HttpRequest&, Responder responder) { responder.send(text_response("ok")); });
  ASSERT_EQ(running.server->poll_windows(), std::vector<std::chrono::microseconds>{0us});
  RawClient client(running.port);
  auto one_request = [&] {
    const std::size_t before = client.received().size();
    client.send(request("GET", "/"));
    client.read_until(
        [before](const std::string& all) {
          return parse_response(std::string_view(all).substr(before)).has_value();
        },
        5s);
  };
  // Requests 200 µs apart: the thread's idle spells end well within the 2 ms limit.
  for (int i = 0; i < 60; ++i) {
    one_request();
    std::this_thread::sleep_for(200us);
  }
  one_request();
  EXPECT_GT(running.server->poll_windows().at(0), 0us);
  // 10 ms apart: each spell outlasts the limit and halves the window; 2 ms is gone in 12.
  for (int i = 0; i < 16; ++i) {
    std::this_thread::sleep_for(10ms);
    one_request();
  }
  EXPECT_EQ(running.server->poll_windows().at(0), 0us);
  running.server->stop(0ms);
}

}  // namespace
}  // namespace bedrock::net::testing
