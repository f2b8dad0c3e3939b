// Per-call cost of CurlTransport against a bare libcurl POST loop, both on one kept-alive
// loopback connection to the same server. Blocks of calls alternate between the two so machine
// noise hits both alike. Prints one JSON line per implementation plus the median ratio.
//
// The process pins itself to one CPU first. The loopback server runs a thread per connection,
// and on these VMs a reply that has to wake a thread on the other, idle core costs ~75 us
// where a hand-off on the same core costs ~5 us; left to the scheduler, whichever connection's
// thread landed across cores looked 10x slower (run to run the "winner" flipped). On one core
// the figure is the CPU each call costs, which is what this compares.
//   bedrock_http_transport_bench [--calls N] [--block B] [--threads T]
#include <curl/curl.h>
#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/http/curl_transport.h"
#include "fakes/loopback_server.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kBody =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":"Say hello."}]}]})";
const std::vector<std::pair<std::string, std::string>> kHeaders = {
    {"Content-Type", "application/json"},
    {"Accept", "application/json"},
    {"X-Amz-Date", "20240115T120000Z"},
    {"Authorization",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/aws4_request, "
     "SignedHeaders=accept;content-type;host;x-amz-date, Signature=0123456789abcdef"}};

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

class BareCurl {
 public:
  explicit BareCurl(const std::string& url) : url_(url), handle_(curl_easy_init()) {
    for (const auto& [k, v] : kHeaders)
      headers_ = curl_slist_append(headers_, (k + ": " + v).c_str());
    curl_easy_setopt(handle_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, kBody);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, static_cast<long>(std::strlen(kBody)));
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_TCP_NODELAY, 1L);
  }
  ~BareCurl() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(handle_);
  }
  void call() {
    body_.clear();
    if (curl_easy_perform(handle_) != CURLE_OK) throw std::runtime_error("bare curl failed");
  }

 private:
  std::string url_;
  CURL* handle_;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

// The alternative design: a fresh easy handle per call whose connections live in a share handle
// (CURL_LOCK_DATA_CONNECT), locked with one mutex per curl lock data kind.
class SharedConnections {
 public:
  SharedConnections() : share_(curl_share_init()) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &SharedConnections::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &SharedConnections::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
  ~SharedConnections() { curl_share_cleanup(share_); }
  void call(const std::string& url, curl_slist* headers) {
    std::string body;
    CURL* h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_SHARE, share_);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, kBody);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(std::strlen(kBody)));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK) throw std::runtime_error("shared curl failed");
  }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<SharedConnections*>(self)->mu_[data % kLocks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<SharedConnections*>(self)->mu_[data % kLocks].unlock();
  }
  static constexpr int kLocks = 8;
  CURLSH* share_;
  std::mutex mu_[kLocks];
};

struct Stats {
  double median_us, p90_us, p99_us;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[static_cast<std::size_t>(q * (v.size() - 1))]; };
  return {at(0.5), at(0.9), at(0.99)};
}

}  // namespace

// Calls per second of `threads` threads each running `fn` `calls` times.
template <typename Fn>
double throughput(int threads, int calls, Fn fn) {
  auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < calls; ++i) fn();
    });
  }
  for (auto& th : pool) th.join();
  return threads * calls / std::chrono::duration<double>(Clock::now() - t0).count();
}

// Keeps this thread, and every thread it starts from now on, on the CPU it is running on.
void pin_to_current_cpu() {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(sched_getcpu(), &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0) std::perror("sched_setaffinity");
}

int main(int argc, char** argv) {
  pin_to_current_cpu();
  int calls = 10000;
  int block = 500;
  int threads = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--calls") == 0) calls = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--block") == 0) block = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::max(1, std::atoi(argv[i + 1]));
  }
  bedrock::testing::LoopbackServer server([](const bedrock::testing::LoopbackRequest&) {
    return bedrock::testing::LoopbackResponse::json(
        200, R"({"id":"msg","content":[{"type":"text","text":"Hello!"}]})",
        {{"x-amzn-RequestId", "11111111-2222-3333-4444-555555555555"}});
  });
  if (!server.start()) return 1;
  const std::string url = server.url("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");

  bedrock::http::CurlTransport transport;
  bedrock::http::Request request;
  request.url = url;
  request.headers = kHeaders;
  request.body = kBody;
  bedrock::http::CallOptions options;
  BareCurl bare(url);

  auto ours = [&] {
    options.deadline = Clock::now() + std::chrono::seconds(10);
    auto r = transport.send(request, options);
    if (!r || r->status != 200) throw std::runtime_error("transport failed");
  };
  for (int i = 0; i < 200; ++i) {
    bare.call();
    ours();
  }
  std::vector<double> bare_us, ours_us;
  bare_us.reserve(calls);
  ours_us.reserve(calls);
  auto time_one = [](auto&& fn) {
    auto t0 = Clock::now();
    fn();
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  };
  while (static_cast<int>(ours_us.size()) < calls) {
    for (int i = 0; i < block; ++i) bare_us.push_back(time_one([&] { bare.call(); }));
    for (int i = 0; i < block; ++i) ours_us.push_back(time_one(ours));
  }
  Stats b = stats(bare_us), o = stats(ours_us);
  fmt::print(
      R"({{"impl":"bare_libcurl","calls":{},"median_us":{:.1f},"p90_us":{:.1f},"p99_us":{:.1f}}})"
      "\n",
      bare_us.size(), b.median_us, b.p90_us, b.p99_us);
  fmt::print(
      R"({{"impl":"curl_transport","calls":{},"median_us":{:.1f},"p90_us":{:.1f},"p99_us":{:.1f}}})"
      "\n",
      ours_us.size(), o.median_us, o.p90_us, o.p99_us);
  fmt::print(R"({{"median_ratio":{:.3f},"connections":{}}})"
             "\n",
             o.median_us / b.median_us, server.connections_accepted());

  // Pooled handles (our design) against per-call handles on a shared connection cache.
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : kHeaders) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  SharedConnections shared;
  const int per_thread = std::max(1, calls / threads);
  double pooled_rate = throughput(threads, per_thread, [&] {
    auto r = transport.send(request, bedrock::http::CallOptions{});
    if (!r || r->status != 200) throw std::runtime_error("transport failed");
  });
  double shared_rate = throughput(threads, per_thread, [&] { shared.call(url, headers); });
  curl_slist_free_all(headers);
  fmt::print(R"({{"threads":{},"pooled_calls_per_s":{:.0f},"share_handle_calls_per_s":{:.0f}}})"
             "\n",
             threads, pooled_rate, shared_rate);
  return 0;
}
