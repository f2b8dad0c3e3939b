// Client side of bench/async/run.sh: many Bedrock calls in flight from one thread through
// AsyncBedrockClient, and the synchronous client for comparison, against a running emulator.
//   bench_async_client async PORT CALLS IN_FLIGHT   one thread, IN_FLIGHT calls at a time
//   bench_async_client sync  PORT CALLS THREADS     BedrockClient shared by THREADS threads
//   bench_async_client sync-fresh PORT CALLS THREADS  the same, a new connection for every call
//                                                    (no idle connections kept), to compare
//                                                    with async runs that open one per call
// Prints one JSON line: calls, successes, errors by code, wall time, CPU per call (this
// process's user+system time over the calls), peak resident memory, and for async the largest
// number of calls seen in flight at once.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/async_client.h"
#include "bedrock/runtime/bedrock_client.h"

namespace {

using bedrock::runtime::ClientOptions;
using bedrock::runtime::InvokeRequest;
using bedrock::runtime::InvokeResult;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

ClientOptions options_for(int port) {
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = fmt::format("http://127.0.0.1:{}", port);
  bedrock::auth::Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  o.credentials = std::make_shared<bedrock::credentials::StaticCredentialsProvider>(c);
  o.timeout = std::chrono::seconds(60);
  return o;
}

InvokeRequest haiku() {
  InvokeRequest r;
  r.model_id = "anthropic.claude-3-haiku-20240307-v1:0";
  r.prompt = bedrock::models::Prompt::from_user("Say hello.");
  r.params.max_tokens = 64;
  return r;
}

struct Tally {
  std::mutex mu;
  int ok = 0;
  std::map<std::string, int> errors;
  void add(const bedrock::Result<InvokeResult>& r) {
    std::lock_guard lock(mu);
    if (r) {
      ++ok;
    } else {
      ++errors[std::string(bedrock::to_string(r.error().code))];
    }
  }
};

void report(std::string_view mode, int calls, int concurrency, Tally& tally, double wall,
            double cpu, int max_in_flight) {
  std::string errors;
  for (const auto& [code, n] : tally.errors) {
    errors += fmt::format("{}\"{}\":{}", errors.empty() ? "" : ",", code, n);
  }
  fmt::print(
      "{{\"mode\":\"{}\",\"calls\":{},\"concurrency\":{},\"ok\":{},\"errors\":{{{}}},"
      "\"wall_s\":{:.2f},\"cpu_us_per_call\":{:.1f},\"peak_rss_mib\":{:.1f},"
      "\"max_in_flight\":{}}}\n",
      mode, calls, concurrency, tally.ok, errors, wall, cpu * 1e6 / calls,
      static_cast<double>(peak_rss_kib()) / 1024.0, max_in_flight);
}

int run_async(int port, int calls, int in_flight) {
  boost::asio::io_context io;
  auto client = bedrock::runtime::AsyncBedrockClient::create(io, options_for(port));
  if (!client) {
    fmt::print(stderr, "{}\n", bedrock::describe(client.error()));
    return 1;
  }
  Tally tally;
  int started = 0;
  int running = 0;
  int max_running = 0;
  std::function<void()> start_one = [&] {
    ++started;
    ++running;
    max_running = std::max(max_running, running);
    (*client)->invoke(haiku(), [&](bedrock::Result<InvokeResult> r) {
      tally.add(r);
      --running;
      if (started < calls) start_one();
    });
  };
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  while (started < std::min(calls, in_flight)) start_one();
  io.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report("async", calls, in_flight, tally, wall, cpu_seconds() - cpu0, max_running);
  return tally.ok == calls ? 0 : 2;
}

int run_sync(int port, int calls, int threads, bool fresh_connections) {
  ClientOptions options = options_for(port);
  if (fresh_connections) {
    bedrock::http::CurlTransportOptions transport;
    transport.max_idle_handles = 0;
    options.transport = std::make_shared<bedrock::http::CurlTransport>(transport);
  }
  auto client = bedrock::runtime::BedrockClient::create(std::move(options));
  if (!client) {
    fmt::print(stderr, "{}\n", bedrock::describe(client.error()));
    return 1;
  }
  Tally tally;
  std::atomic<int> next{0};
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (next.fetch_add(1) < calls) tally.add((*client)->invoke(haiku()));
    });
  }
  for (auto& t : pool) t.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report(fresh_connections ? "sync-fresh" : "sync", calls, threads, tally, wall,
         cpu_seconds() - cpu0, 0);
  return tally.ok == calls ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    fmt::print(stderr, "usage: {} async|sync|sync-fresh PORT CALLS IN_FLIGHT|THREADS\n", argv[0]);
    return 1;
  }
  const std::string_view mode = argv[1];
  const int port = std::atoi(argv[2]);
  const int calls = std::atoi(argv[3]);
  const int concurrency = std::atoi(argv[4]);
  if (mode == "async") return run_async(port, calls, concurrency);
  return run_sync(port, calls, concurrency, mode == "sync-fresh");
}
