// Shared set-up for BedrockClient unit tests: a client on a FakeTransport, FakeClock and
// FixedRandom, with static SigV4 credentials. With Driver::Async the same scripted calls run
// through AsyncBedrockClient on an io_context (FakeAsyncTransport over the same script, waits
// that advance the FakeClock), so one test proves both forms.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>
#include <string>

#include "bedrock/runtime/async_client.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"
#include "fakes/fake_clock.h"
#include "fakes/fixed_random.h"
#include "runtime/async_client_internal.h"
#include "tests/fakes/fake_async_transport.h"
#include "tests/fakes/fake_transport.h"

namespace bedrock::runtime::testing_support {

inline constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
inline constexpr const char* kLlama = "meta.llama3-8b-instruct-v1:0";

inline std::string anthropic_body(std::string text = "Hello", bool usage = true) {
  std::string b =
      R"({"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":")" +
      text + R"("}],"stop_reason":"end_turn","stop_sequence":null)";
  if (usage) b += R"(,"usage":{"input_tokens":18,"output_tokens":6})";
  return b + "}";
}

inline std::string llama_body() {
  return R"({"generation":"From llama","prompt_token_count":11,"generation_token_count":4,"stop_reason":"stop"})";
}

class StaticCredentials final : public credentials::CredentialsProvider {
 public:
  Result<auth::Credentials> get() override {
    ++calls;
    auth::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    c.source = "static";
    return c;
  }
  std::string_view name() const override { return "static"; }
  std::atomic<int> calls{0};  // several client threads call get() at once
};

class RecordingSink final : public InvocationSink {
 public:
  void record(const InvocationRecord& r) override {
    std::lock_guard lock(mu);
    records.push_back(r);
  }
  std::mutex mu;
  std::vector<InvocationRecord> records;
};

enum class Driver { Sync, Async };

inline std::string driver_name(const ::testing::TestParamInfo<Driver>& info) {
  return info.param == Driver::Sync ? "Sync" : "Async";
}

// Waits by advancing the FakeClock, in a later loop turn, so async retry timing is exact.
class FakeClockWaiter final : public AsyncWaiter {
 public:
  FakeClockWaiter(boost::asio::io_context& io, const FakeClock& clock) : io_(io), clock_(clock) {}
  std::unique_ptr<Pending> wait_until(SteadyTime until, std::function<void()> done) override {
    auto wait = std::make_unique<Wait>();
    boost::asio::post(io_, [flag = wait->cancelled, until, this, done = std::move(done)] {
      if (*flag) return;
      const auto now = clock_.steady();
      if (until > now) clock_.advance(until - now);
      done();
    });
    return wait;
  }
  // Fake time passes only through waits and the script, so a watched limit never fires here.
  std::unique_ptr<Pending> watch_until(SteadyTime, std::function<void()>) override {
    return std::make_unique<Wait>();
  }

 private:
  struct Wait final : Pending {
    void cancel() override { *cancelled = true; }
    std::shared_ptr<bool> cancelled = std::make_shared<bool>(false);
  };
  boost::asio::io_context& io_;
  const FakeClock& clock_;
};

struct Harness {
  explicit Harness(double random = 0.5, config::RetryMode mode = config::RetryMode::Standard,
                   std::optional<std::string> bearer = std::nullopt, Driver how = Driver::Sync,
                   const std::function<void(ClientOptions&)>& configure = {})
      : driver(how) {
    ClientOptions o;
    o.region = "us-east-1";
    o.endpoint_url = "https://bedrock-runtime.us-east-1.amazonaws.com";
    o.retry_mode = mode;
    o.transport = transport;
    o.clock = &clock;
    o.random = std::make_shared<FixedRandom>(random);
    o.sink = sink;
    o.bearer_token = std::move(bearer);
    o.credentials = credentials;
    if (configure) configure(o);
    if (driver == Driver::Async) {
      async_transport = std::make_shared<bedrock::testing::FakeAsyncTransport>(io, transport);
      ClientOptions ao = o;
      ao.async_transport = async_transport;
      auto a = make_async_client(io, std::move(ao), std::make_shared<FakeClockWaiter>(io, clock));
      if (!a) throw std::runtime_error(describe(a.error()));
      async_client = std::move(*a);
    }
    auto c = BedrockClient::create(std::move(o));
    if (!c) throw std::runtime_error(describe(c.error()));
    client = std::move(*c);
  }

  // One call through the chosen driver; the async one runs the loop until Done (bounded).
  Result<InvokeResult> invoke(const InvokeRequest& request) {
    if (driver == Driver::Sync) return client->invoke(request);
    return run_async([&](AsyncBedrockClient::Done done) {
      return async_client->invoke(request, std::move(done));
    });
  }
  Result<InvokeResult> invoke(std::string model_id, models::Prompt prompt,
                              models::InferenceParams params = {}) {
    InvokeRequest r;
    r.model_id = std::move(model_id);
    r.prompt = std::move(prompt);
    r.params = std::move(params);
    return invoke(r);
  }
  Result<InvokeResult> invoke_stream(const InvokeRequest& request, const StreamCallback& on_event) {
    if (driver == Driver::Sync) return client->invoke_stream(request, on_event);
    return run_async([&](AsyncBedrockClient::Done done) {
      return async_client->invoke_stream(request, on_event, std::move(done));
    });
  }
  // `start` begins the call; `during` (optional) runs on the loop right after, with the handle.
  template <typename Begin>
  Result<InvokeResult> run_async(Begin begin,
                                 const std::function<void(const CallHandle&)>& during = {}) {
    std::optional<Result<InvokeResult>> out;
    io.restart();
    auto guard = boost::asio::make_work_guard(io);
    handle = begin([&](Result<InvokeResult> r) {
      out = std::move(r);
      guard.reset();
    });
    if (during) during(handle);
    io.run_for(std::chrono::seconds(20));
    if (!out) return fail(ErrorCode::Unknown, "the async call never completed");
    return std::move(*out);
  }

  const RetryQuota& retry_quota() const {
    return driver == Driver::Sync ? client->retry_quota() : async_client->retry_quota();
  }
  const AdaptiveRateLimiter* rate_limiter() const {
    return driver == Driver::Sync ? client->rate_limiter() : async_client->rate_limiter();
  }

  // Elapsed fake time since construction.
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady() - start);
  }

  FakeClock clock;
  SteadyTime start = clock.steady();
  std::shared_ptr<bedrock::testing::FakeTransport> transport =
      std::make_shared<bedrock::testing::FakeTransport>();
  std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
  std::shared_ptr<StaticCredentials> credentials = std::make_shared<StaticCredentials>();
  std::unique_ptr<BedrockClient> client;
  Driver driver;
  boost::asio::io_context io;
  std::shared_ptr<bedrock::testing::FakeAsyncTransport> async_transport;
  std::unique_ptr<AsyncBedrockClient> async_client;
  CallHandle handle;
};

inline http::Headers error_headers(const char* type, const char* rid = "req-1") {
  return {{"x-amzn-ErrorType",
           std::string(type) + ":http://internal.amazon.com/coral/com.amazon.bedrock/"},
          {"x-amzn-RequestId", rid}};
}

inline std::optional<std::string> header(const http::Request& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < k.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(k[i])) !=
          std::tolower(static_cast<unsigned char>(name[i])))
        eq = false;
    if (eq) return v;
  }
  return std::nullopt;
}

}  // namespace bedrock::runtime::testing_support
