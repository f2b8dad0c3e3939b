// Paced streams on the wire: the head and first event after the configured latency, then one
// event per stream-token time, on timers (many paced streams share one I/O thread). Bounds
// are lower bounds the server guarantees, and upper bounds generous enough for a loaded
// machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "emulator_client.h"
#include "stream_client.h"

namespace bedrock::emulator::testing {
namespace {

using std::chrono::milliseconds;

constexpr const char* kConverseBody =
    R"({"messages":[{"role":"user","content":[{"text":"The sky is blue. Grass is green. )"
    R"(Summarize the following: the harbour town woke slowly and boats came in."}]}]})";
constexpr const char* kLongClaudeBody =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user",)"
    R"("content":"Summarize the following:\n\nThe harbour town woke slowly. Fishing boats came )"
    R"(in with the tide and the market filled with voices. By noon the square was crowded."}]})";

ServerOptions options(int threads = 2) {
  ServerOptions o;
  o.auth.enabled = false;
  o.threads = threads;
  o.stall_timeout = std::chrono::seconds(3);
  return o;
}

LatencySpec fixed(double ms) {
  LatencySpec spec;
  spec.kind = LatencySpec::Kind::Fixed;
  spec.a_ms = ms;
  return spec;
}

double median_gap(const TimedStream& s) {
  std::vector<double> gaps;
  for (std::size_t i = 1; i < s.message_at.size(); ++i) {
    gaps.push_back((s.message_at[i] - s.message_at[i - 1]).count());
  }
  if (gaps.empty()) return 0;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return gaps[gaps.size() / 2];
}

struct PacedCase {
  const char* name;
  const char* path;
  const char* body;
};

void PrintTo(const PacedCase& c, std::ostream* os) { *os << c.name; }

class PacedStream : public ::testing::TestWithParam<PacedCase> {};

// First byte no sooner than the latency; the events spread over at least (n-1) gaps after it;
// the typical gap is about the token time.
TEST_P(PacedStream, FirstByteAfterLatencyThenOneEventPerGap) {
  auto emu = start_emulator(options());
  emu->behavior().set_latency("", fixed(250));
  emu->behavior().set_stream_token_ms(40);
  const TimedStream s = stream_call(emu->port(), GetParam().path, GetParam().body);
  ASSERT_TRUE(s.completed);
  ASSERT_EQ(s.status, 200);
  EXPECT_TRUE(s.chunked);
  ASSERT_TRUE(s.read.problem.empty()) << s.read.problem;
  const std::size_t n = s.read.messages.size();
  ASSERT_GE(n, 5u);
  ASSERT_EQ(s.message_at.size(), n);
  EXPECT_GE(s.head_at.count(), 250.0);
  EXPECT_GE(s.message_at.front().count(), 250.0);
  EXPECT_LT(s.message_at.front().count(), 250.0 + 2000);
  EXPECT_GE(s.message_at.back().count(), 250.0 + 40.0 * static_cast<double>(n - 1));
  EXPECT_LT(s.message_at.back().count(), 250.0 + 40.0 * static_cast<double>(n - 1) + 3000);
  EXPECT_GE(median_gap(s), 20.0);
  EXPECT_LT(median_gap(s), 40.0 + 500);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(s.message_type(i), "event");
}

INSTANTIATE_TEST_SUITE_P(
    Operations, PacedStream,
    ::testing::Values(PacedCase{"InvokeModelWithResponseStream", kStreamPath, kLongClaudeBody},
                      PacedCase{"ConverseStream", kConverseStreamPath, kConverseBody}),
    [](const ::testing::TestParamInfo<PacedCase>& param_info) {
      return std::string(param_info.param.name);
    });

// --stream-token-ms 0: the whole stream in one response with a Content-Length, as before.
TEST(PacedStreamOff, ZeroTokenTimeSendsTheStreamWhole) {
  auto emu = start_emulator(options());
  emu->behavior().set_stream_token_ms(0);
  const Exchange r = send(post(emu->port(), kStreamPath, kLongClaudeBody));
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(r.header("content-length").empty());
  EXPECT_TRUE(r.header("transfer-encoding").empty());
  const auto read = bedrock::testing::read_event_stream(r.body);
  EXPECT_TRUE(read.problem.empty()) << read.problem;
  EXPECT_GE(read.messages.size(), 5u);
}

// Fifty paced streams on ONE I/O thread finish in about one stream's time, and plain calls
// made meanwhile are answered promptly: pacing waits on timers, never on the thread.
TEST(PacedStreamLoad, FiftyStreamsDoNotStarveOtherRequests) {
  auto emu = start_emulator(options(1));
  emu->behavior().set_latency("anthropic.claude-3-haiku-20240307-v1:0", fixed(200));
  emu->behavior().set_stream_token_ms(30);
  const TimedStream one = stream_call(emu->port(), kStreamPath, kLongClaudeBody);
  ASSERT_TRUE(one.completed);
  const std::size_t events = one.read.messages.size();
  const double single_ms = 200.0 + 30.0 * static_cast<double>(events - 1);

  constexpr int kStreams = 50;
  std::atomic<int> complete{0};
  std::vector<std::thread> clients;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kStreams; ++i) {
    clients.emplace_back([&] {
      const TimedStream s =
          stream_call(emu->port(), kStreamPath, kLongClaudeBody, std::chrono::seconds(30));
      if (s.completed && s.read.problem.empty() && s.read.messages.size() == events) ++complete;
    });
  }
  // Plain calls to a model without latency while the streams are in flight.
  std::this_thread::sleep_for(milliseconds(250));
  double slowest_plain_ms = 0;
  for (int i = 0; i < 10; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const Exchange r = send(post(emu->port(), "/model/amazon.titan-text-express-v1/invoke",
                                 R"({"inputText":"The sky is blue. Grass is green."})"));
    slowest_plain_ms =
        std::max(slowest_plain_ms, Millis(std::chrono::steady_clock::now() - t0).count());
    EXPECT_EQ(r.status, 200);
  }
  for (auto& t : clients) t.join();
  const double all_ms = Millis(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(complete.load(), kStreams);
  // Serialised on the thread they would take kStreams * single_ms.
  EXPECT_LT(all_ms, single_ms * 8);
  EXPECT_LT(slowest_plain_ms, 1000.0);
}

}  // namespace
}  // namespace bedrock::emulator::testing
