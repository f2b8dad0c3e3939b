// Shared set-up for BedrockClient unit tests: a client on a FakeTransport, FakeClock and
// FixedRandom, with static SigV4 credentials.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"
#include "fakes/fake_clock.h"
#include "fakes/fixed_random.h"
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

struct Harness {
  explicit Harness(double random = 0.5, config::RetryMode mode = config::RetryMode::Standard,
                   std::optional<std::string> bearer = std::nullopt) {
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
    auto c = BedrockClient::create(std::move(o));
    if (!c) throw std::runtime_error(describe(c.error()));
    client = std::move(*c);
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
