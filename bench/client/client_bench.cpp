// Per-call latency of one InvokeModel round trip on a kept-alive loopback connection, for
// bench/client/run.sh. Modes against the same server:
//   floor - bare libcurl: one easy handle per thread, the same POST every time (the floor);
//   floor-signed - the same, also sending fixed copies of a signed call's extra headers;
//   transport - CurlTransport::send of a prebuilt request (no build/sign/parse);
//   ours  - BedrockClient::invoke: build the Anthropic body, SigV4-sign, send over
//           CurlTransport, classify, decode, record (the whole product path).
// Threads share one BedrockClient (as in production). `--mode a,b,c` interleaves the modes
// in one process: every thread runs a batch of one mode, all threads switch mode together at
// a barrier, and the order rotates each cycle, so the machine's drift (2-3x over seconds on
// these shared hosts) hits every mode alike. Prints one JSON line per mode:
//   {"impl":..,"threads":..,"calls":..,"median_us":..,"p90_us":..,"calls_per_s":..}
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/credentials/static_provider.h"
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
  std::vector<std::string> modes{"ours"};
  int threads = 1;
  int calls = 3000;  // per mode
  int warmup = 100;  // per mode and thread
  int batch = 100;   // calls per thread before every thread switches mode
};

std::vector<std::string> split_modes(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--url")
      a.url = v;
    else if (k == "--mode")
      a.modes = split_modes(v);
    else if (k == "--threads")
      a.threads = std::max(1, std::stoi(v));
    else if (k == "--calls")
      a.calls = std::max(1, std::stoi(v));
    else if (k == "--warmup")
      a.warmup = std::max(0, std::stoi(v));
    else if (k == "--batch")
      a.batch = std::max(1, std::stoi(v));
    else
      throw std::runtime_error("unknown flag " + k);
  }
  if (a.url.empty()) throw std::runtime_error("--url is required");
  if (a.modes.empty()) throw std::runtime_error("--mode needs at least one mode");
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
  o.credentials = std::make_shared<bedrock::credentials::StaticCredentialsProvider>(creds);
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

using Call = std::function<void()>;

struct ModeResult {
  std::vector<double> samples_us;
  double wall_seconds = 0;  // summed over this mode's batches
};

// Runs every mode for `calls` calls spread over `threads` threads, interleaved in batches.
// make_calls(thread) returns one callable per mode for that thread.
std::vector<ModeResult> run(const Args& args,
                            const std::function<std::vector<Call>()>& make_calls) {
  const std::size_t modes = args.modes.size();
  const int per_thread = args.calls / args.threads;
  const int batches_per_mode = (per_thread + args.batch - 1) / args.batch;
  // samples[thread][mode]
  std::vector<std::vector<std::vector<double>>> samples(static_cast<size_t>(args.threads),
                                                        std::vector<std::vector<double>>(modes));
  std::vector<ModeResult> results(modes);
  Clock::time_point batch_start;
  std::size_t current_mode = 0;
  auto batch_done = [&]() noexcept {
    const auto now = Clock::now();
    results[current_mode].wall_seconds += std::chrono::duration<double>(now - batch_start).count();
  };
  std::barrier start_line(args.threads);
  std::barrier finish_line(args.threads, batch_done);
  std::vector<std::thread> pool;
  for (int t = 0; t < args.threads; ++t) {
    pool.emplace_back([&, t] {
      auto calls = make_calls();
      for (auto& call : calls)
        for (int i = 0; i < args.warmup; ++i) call();
      auto& mine = samples[static_cast<size_t>(t)];
      for (int cycle = 0; cycle < batches_per_mode; ++cycle) {
        for (std::size_t step = 0; step < modes; ++step) {
          const std::size_t m = (step + static_cast<std::size_t>(cycle)) % modes;
          const int done = cycle * args.batch;
          const int n = std::min(args.batch, per_thread - done);
          start_line.arrive_and_wait();
          if (t == 0) {
            current_mode = m;
            batch_start = Clock::now();
          }
          start_line.arrive_and_wait();
          for (int i = 0; i < n; ++i) {
            const auto t0 = Clock::now();
            calls[m]();
            mine[m].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
          }
          finish_line.arrive_and_wait();
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  for (std::size_t m = 0; m < modes; ++m) {
    auto& all = results[m].samples_us;
    for (auto& per_thread_samples : samples) {
      all.insert(all.end(), per_thread_samples[m].begin(), per_thread_samples[m].end());
    }
    std::sort(all.begin(), all.end());
  }
  return results;
}

double median(const std::vector<double>& v) {
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) try {
  const Args args = parse(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);

  // Shared by all threads, as in production; created only when a mode needs them.
  std::unique_ptr<bedrock::runtime::BedrockClient> client;
  std::shared_ptr<bedrock::http::CurlTransport> transport;
  const auto prompt = bedrock::models::Prompt::from_user("Say hello.");
  const auto params = bench_params();
  bedrock::http::Request prebuilt;
  prebuilt.url = args.url + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
  prebuilt.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  prebuilt.body = kBody;
  for (const auto& mode : args.modes) {
    if (mode == "ours" && !client) client = make_client(args.url, args.threads);
    if (mode == "transport" && !transport) {
      bedrock::http::CurlTransportOptions t;
      t.max_idle_handles = static_cast<size_t>(std::max(8, args.threads));
      transport = std::make_shared<bedrock::http::CurlTransport>(t);
    }
    if (mode != "ours" && mode != "transport" && mode != "floor" && mode != "floor-signed") {
      throw std::runtime_error("--mode must list floor, floor-signed, transport or ours");
    }
  }

  auto make_calls = [&]() {
    std::vector<Call> calls;
    for (const auto& mode : args.modes) {
      if (mode == "floor" || mode == "floor-signed") {
        auto caller = std::make_shared<FloorCaller>(args.url, mode == "floor-signed");
        calls.push_back([caller] { caller->call(); });
      } else if (mode == "ours") {
        calls.push_back([&] {
          auto r = client->invoke(kModel, prompt, params);
          if (!r || r->completion.text.empty()) {
            throw std::runtime_error(r ? "empty answer" : bedrock::describe(r.error()));
          }
        });
      } else {
        // CurlTransport alone with a prebuilt request: splits our overhead between the
        // transport and the client (build + sign + classify + decode + record). It sets the
        // limits BedrockClient sets on every call, so curl runs the same timers.
        calls.push_back([&] {
          bedrock::http::CallOptions options;
          options.connect_timeout = std::chrono::seconds(5);
          options.read_timeout = std::chrono::seconds(60);
          options.deadline = Clock::now() + std::chrono::seconds(300);
          auto r = transport->send(prebuilt, options);
          if (!r || r->status != 200) throw std::runtime_error("transport call failed");
        });
      }
    }
    return calls;
  };

  const auto results = run(args, make_calls);
  for (std::size_t m = 0; m < args.modes.size(); ++m) {
    const auto& samples = results[m].samples_us;
    fmt::print(
        R"({{"impl":"{}","threads":{},"calls":{},"median_us":{:.2f},"p90_us":{:.2f},"calls_per_s":{:.1f}}})"
        "\n",
        args.modes[m], args.threads, samples.size(), median(samples),
        samples[static_cast<size_t>(0.9 * static_cast<double>(samples.size() - 1))],
        static_cast<double>(samples.size()) / results[m].wall_seconds);
  }
  curl_global_cleanup();
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bedrock_client_bench: {}\n", e.what());
  return 1;
}
