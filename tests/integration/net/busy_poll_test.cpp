// ServerOptions::busy_poll: a polling I/O thread still answers every request, answers made from
// other threads still arrive, an idle server falls asleep (no CPU burnt once the window has
// passed), and stop() ends a thread that is polling.
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

}  // namespace
}  // namespace bedrock::net::testing
