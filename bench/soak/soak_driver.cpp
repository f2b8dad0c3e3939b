// Many concurrent BedrockClient calls against a faulty emulator for bench/soak/run.sh. Every
// call must end in a success or a typed error (a Result); anything else (an exception, a
// crash, a call that outlives its deadline by more than the slack) is a failure of the soak.
// Prints one JSON line: calls, outcomes by error code, attempts and transport resends (together,
// what the emulator should have counted), the slowest call, and the driver's own resident memory at
// the start and the end.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/http/transport_stats.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Args {
  std::string endpoint;
  std::string bearer_token;
  int threads = 32;
  int seconds = 60;
  std::string model = "anthropic.claude-3-haiku-20240307-v1:0";
};

// Resident set size in KiB from /proc (VmRSS), 0 when unreadable.
long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

bool parse_args(int argc, char** argv, Args& args) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--endpoint") {
      args.endpoint = value;
    } else if (flag == "--bearer-token") {
      args.bearer_token = value;
    } else if (flag == "--threads") {
      args.threads = std::atoi(value.c_str());
    } else if (flag == "--seconds") {
      args.seconds = std::atoi(value.c_str());
    } else if (flag == "--model") {
      args.model = value;
    } else {
      return false;
    }
  }
  return !args.endpoint.empty() && !args.bearer_token.empty() && args.threads > 0 &&
         args.seconds > 0;
}

struct Tally {
  std::mutex mu;
  std::map<std::string, long> outcomes;  // "Success" or the ErrorCode name
  long calls = 0;
  long overran_deadline = 0;
  std::chrono::milliseconds slowest{0};
};

// Counts every attempt of every call, failed calls included: the number the emulator's admin
// counters must match.
class AttemptCounter final : public bedrock::runtime::InvocationSink {
 public:
  void record(const bedrock::runtime::InvocationRecord& record) override {
    attempts_ += record.attempts;
  }
  long attempts() const { return attempts_.load(); }

 private:
  std::atomic<long> attempts_{0};
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, args)) {
    fmt::print(stderr,
               "usage: soak_driver --endpoint URL --bearer-token T [--threads N] [--seconds S] "
               "[--model ID]\n");
    return 2;
  }
  bedrock::runtime::ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = args.endpoint;
  options.bearer_token = args.bearer_token;
  options.max_attempts = 3;
  options.read_timeout = std::chrono::milliseconds(1500);  // a stall costs 1.5 s, then a retry
  constexpr auto kCallTimeout = std::chrono::milliseconds(8000);
  constexpr auto kDeadlineSlack = std::chrono::milliseconds(500);
  options.timeout = kCallTimeout;
  auto attempt_counter = std::make_shared<AttemptCounter>();
  options.sink = attempt_counter;
  auto client = bedrock::runtime::BedrockClient::create(options);
  if (!client) {
    fmt::print(stderr, "soak_driver: {}\n", client.error().message);
    return 2;
  }

  const long rss_start_kib = resident_kib();
  Tally tally;
  std::atomic<long> unexpected_exceptions{0};
  const auto stop_at = SteadyClock::now() + std::chrono::seconds(args.seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < args.threads; ++t) {
    workers.emplace_back([&, t] {
      long n = 0;
      while (SteadyClock::now() < stop_at) {
        bedrock::runtime::InvokeRequest request;
        request.model_id = args.model;
        // Distinct prompts so the emulator's answer cache does not make the soak a cache test.
        request.prompt = bedrock::models::Prompt::from_user(
            fmt::format("Soak call {} of worker {}. Say something short.", n++, t));
        request.params.max_tokens = 64;
        const auto started = SteadyClock::now();
        try {
          auto result = (*client)->invoke(request);
          const auto took =
              std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);
          std::lock_guard lock(tally.mu);
          ++tally.calls;
          tally.slowest = std::max(tally.slowest, took);
          if (took > kCallTimeout + kDeadlineSlack) ++tally.overran_deadline;
          ++tally.outcomes[result ? std::string("Success")
                                  : std::string(bedrock::to_string(result.error().code))];
        } catch (...) {
          ++unexpected_exceptions;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const long rss_end_kib = resident_kib();

  std::string outcomes;
  for (const auto& [name, count] : tally.outcomes) {
    outcomes += fmt::format("{}\"{}\":{}", outcomes.empty() ? "" : ",", name, count);
  }
  fmt::print(
      "{{\"calls\":{},\"attempts\":{},\"resends\":{},\"outcomes\":{{{}}},\"exceptions\":{},"
      "\"overran_deadline\":{},\"slowest_ms\":{},\"rss_start_kib\":{},\"rss_end_kib\":{}}}\n",
      tally.calls, attempt_counter->attempts(),
      bedrock::http::transport_stats().stale_connection_resends, outcomes,
      unexpected_exceptions.load(), tally.overran_deadline, tally.slowest.count(), rss_start_kib,
      rss_end_kib);
  return unexpected_exceptions.load() == 0 && tally.overran_deadline == 0 ? 0 : 1;
}
