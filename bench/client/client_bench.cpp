// Per-call latency of one InvokeModel round trip on a kept-alive loopback connection, for
// bench/client/run.sh. Modes against the same server:
//   floor - bare libcurl: one easy handle per thread, the same POST every time (the floor);
//   floor-signed - the same, also sending fixed copies of a signed call's extra headers;
//   transport - CurlTransport::send of a prebuilt request (no build/sign/parse);
//   ours  - BedrockClient::invoke: build the Anthropic body, SigV4-sign, send over
//           CurlTransport, classify, decode, record (the whole product path).
// Threads share one BedrockClient (as in production). Prints one JSON line:
//   {"impl":..,"threads":..,"calls":..,"median_us":..,"p90_us":..,"calls_per_s":..}
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/auth/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/bedrock_client.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kBody =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":"Say hello."}]}]})";

constexpr const char* kSignedHeaders[] = {
    "User-Agent: bedrock-content/0.1",
    "X-Amz-Date: 20261125T090713Z",
    "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/bedrock/"
    "aws4_request, SignedHeaders=accept;content-type;host;x-amz-date, "
    "Signature=7e9286624ce632cb25ed1e860b2402b7f52ea3bb448f2ff39f6c885614fab296",
    "amz-sdk-invocation-id: 2ac4c200-5508-4688-bf0c-b84a97da8348",
    "amz-sdk-request: attempt=1; max=3",
};

struct Args {
  std::string url;
  std::string mode = "ours";
  int threads = 1;
  int calls = 3000;
  int warmup = 100;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--url")
      a.url = v;
    else if (k == "--mode")
      a.mode = v;
    else if (k == "--threads")
      a.threads = std::max(1, std::stoi(v));
    else if (k == "--calls")
      a.calls = std::max(1, std::stoi(v));
    else if (k == "--warmup")
      a.warmup = std::max(0, std::stoi(v));
    else
      throw std::runtime_error("unknown flag " + k);
  }
  if (a.url.empty()) throw std::runtime_error("--url is required");
  return a;
}

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One kept-alive libcurl handle doing the same POST: what any client must at least pay.
// With `signed_bytes` it also sends fixed copies of the headers a signed Bedrock call carries
// (same names and lengths as ours: date, Authorization, user agent, SDK retry headers), so
// it costs libcurl what our request costs it, minus everything we compute.
class FloorCaller {
 public:
  FloorCaller(const std::string& url, bool signed_bytes) : handle_(curl_easy_init()) {
    url_ = url + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Accept: application/json");
    if (signed_bytes) {
      for (const char* h : kSignedHeaders) headers_ = curl_slist_append(headers_, h);
    }
    curl_easy_setopt(handle_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, kBody);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, static_cast<long>(std::strlen(kBody)));
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_TCP_NODELAY, 1L);
  }
  ~FloorCaller() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(handle_);
  }
  void call() {
    body_.clear();
    if (curl_easy_perform(handle_) != CURLE_OK) throw std::runtime_error("curl failed");
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200 || body_.empty()) throw std::runtime_error("bad floor answer");
  }

 private:
  CURL* handle_;
  curl_slist* headers_ = nullptr;
  std::string url_;
  std::string body_;
};

std::unique_ptr<bedrock::runtime::BedrockClient> make_client(const std::string& url, int threads) {
  bedrock::runtime::ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = url;
  bedrock::auth::Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  o.credentials = std::make_shared<bedrock::auth::StaticCredentialsProvider>(creds);
  bedrock::http::CurlTransportOptions t;
  t.max_idle_handles = static_cast<size_t>(std::max(8, threads));
  o.transport = std::make_shared<bedrock::http::CurlTransport>(t);
  auto c = bedrock::runtime::BedrockClient::create(std::move(o));
  if (!c) throw std::runtime_error(bedrock::describe(c.error()));
  return std::move(*c);
}

bedrock::models::InferenceParams bench_params() {
  bedrock::models::InferenceParams p;
  p.max_tokens = 256;
  return p;
}

// Runs `calls` calls spread over `threads` threads, each thread timing its own calls.
template <typename MakeCaller>
std::vector<double> run(int threads, int calls, int warmup, MakeCaller make_caller,
                        double& wall_seconds) {
  std::vector<std::vector<double>> samples(static_cast<size_t>(threads));
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  const int per_thread = calls / threads;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto call = make_caller();
      for (int i = 0; i < warmup; ++i) call();
      ++ready;
      while (!go.load()) std::this_thread::yield();
      auto& s = samples[static_cast<size_t>(t)];
      s.reserve(static_cast<size_t>(per_thread));
      for (int i = 0; i < per_thread; ++i) {
        const auto t0 = Clock::now();
        call();
        s.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = Clock::now();
  go = true;
  for (auto& th : pool) th.join();
  wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  return all;
}

double median(const std::vector<double>& v) {
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) try {
  const Args args = parse(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  double wall = 0;
  std::vector<double> samples;
  if (args.mode == "floor" || args.mode == "floor-signed") {
    samples = run(
        args.threads, args.calls, args.warmup,
        [&] {
          auto caller = std::make_shared<FloorCaller>(args.url, args.mode == "floor-signed");
          return [caller] { caller->call(); };
        },
        wall);
  } else if (args.mode == "ours") {
    auto client = make_client(args.url, args.threads);
    const auto prompt = bedrock::models::Prompt::from_user("Say hello.");
    const auto params = bench_params();
    samples = run(
        args.threads, args.calls, args.warmup,
        [&] {
          return [&] {
            auto r = client->invoke(kModel, prompt, params);
            if (!r || r->completion.text.empty()) {
              throw std::runtime_error(r ? "empty answer" : bedrock::describe(r.error()));
            }
          };
        },
        wall);
  } else if (args.mode == "transport") {
    // CurlTransport alone with a prebuilt request: splits our overhead between the transport
    // and the client (build + sign + classify + decode + record).
    bedrock::http::CurlTransportOptions t;
    t.max_idle_handles = static_cast<size_t>(std::max(8, args.threads));
    auto transport = std::make_shared<bedrock::http::CurlTransport>(t);
    bedrock::http::Request req;
    req.url = args.url + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
    req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    req.body = kBody;
    samples = run(
        args.threads, args.calls, args.warmup,
        [&] {
          return [&] {
            // The limits BedrockClient sets on every call, so curl runs the same timers.
            bedrock::http::CallOptions options;
            options.connect_timeout = std::chrono::seconds(5);
            options.read_timeout = std::chrono::seconds(60);
            options.deadline = Clock::now() + std::chrono::seconds(300);
            auto r = transport->send(req, options);
            if (!r || r->status != 200) throw std::runtime_error("transport call failed");
          };
        },
        wall);
  } else {
    throw std::runtime_error("--mode must be floor, floor-signed, transport or ours");
  }
  fmt::print(
      R"({{"impl":"{}","threads":{},"calls":{},"median_us":{:.2f},"p90_us":{:.2f},"calls_per_s":{:.1f}}})"
      "\n",
      args.mode, args.threads, samples.size(), median(samples),
      samples[static_cast<size_t>(0.9 * static_cast<double>(samples.size() - 1))],
      static_cast<double>(samples.size()) / wall);
  curl_global_cleanup();
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bedrock_client_bench: {}\n", e.what());
  return 1;
}
