// Event-stream decoder throughput for bench/stream: a ConverseStream-shaped body (contentBlockDelta
// events carrying a few words and Bedrock's random-length "p" padding, as real streams do) fed to
// EventStreamDecoder in transport-sized reads. Prints one JSON line with the median of the runs:
//   {"messages":..,"bytes":..,"read_size":..,"median_mb_per_s":..,"min_mb_per_s":..,
//    "max_mb_per_s":..,"median_mb_per_cpu_s":..}
// MB per CPU-second (this thread's CPU time) is the figure that survives a busy machine.
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "bedrock/models/event_stream.h"
#include "bedrock/models/event_stream_decoder.h"

namespace {

// CPU time of this thread: on a shared, noisy VM the wall clock also counts other processes.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t read_size = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 16384;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 9;
  std::string body;
  const std::string padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::size_t messages = 0;
  while (body.size() < (64u << 20)) {
    const std::string payload = fmt::format(
        R"({{"contentBlockIndex":0,"delta":{{"text":"word {} and more words "}},"p":"{}"}})",
        messages, padding.substr(0, messages % padding.size()));
    bedrock::models::append_event(body, "contentBlockDelta", payload);
    ++messages;
  }
  std::vector<double> rates;
  std::vector<double> cpu_rates;
  std::size_t payload_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    bedrock::models::EventStreamDecoder decoder;
    payload_bytes = 0;
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = thread_cpu_seconds();
    for (std::size_t at = 0; at < body.size(); at += read_size) {
      auto st =
          decoder.feed(std::string_view(body).substr(at, read_size),
                       [&](const bedrock::models::EventStreamMessageView& m) -> bedrock::Status {
                         payload_bytes += m.payload.size();
                         return {};
                       });
      if (!st) {
        fmt::print(stderr, "decoder_bench: {}\n", st.error().message);
        return 1;
      }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const double cpu_took = thread_cpu_seconds() - cpu_started;
    if (decoder.messages_decoded() != messages || !decoder.at_message_boundary()) return 1;
    rates.push_back(static_cast<double>(body.size()) / took.count() / 1e6);
    cpu_rates.push_back(static_cast<double>(body.size()) / cpu_took / 1e6);
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpu_rates.begin(), cpu_rates.end());
  fmt::print(
      "{{\"messages\":{},\"bytes\":{},\"payload_bytes\":{},\"read_size\":{},\"median_mb_per_s\":{:."
      "0f},"
      "\"min_mb_per_s\":{:.0f},\"max_mb_per_s\":{:.0f},\"median_mb_per_cpu_s\":{:.0f}}}\n",
      messages, body.size(), payload_bytes, read_size, rates[rates.size() / 2], rates.front(),
      rates.back(), cpu_rates[cpu_rates.size() / 2]);
  return 0;
}
