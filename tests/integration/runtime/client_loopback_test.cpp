// BedrockClient over the real curl transport against a scriptable loopback server.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "bedrock/credentials/provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"
#include "fakes/fixed_random.h"
#include "fakes/loopback_server.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::LoopbackRequest;
using bedrock::testing::LoopbackResponse;
using bedrock::testing::LoopbackServer;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

const std::string kAnthropicBody =
    R"({"id":"m","type":"message","role":"assistant","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":3}})";

class StaticCredentials final : public credentials::CredentialsProvider {
 public:
  Result<auth::Credentials> get() override {
    auth::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    return c;
  }
  std::string_view name() const override { return "static"; }
};

LoopbackResponse error_response(int status, const std::string& type, std::string body) {
  return LoopbackResponse::json(
      status, std::move(body),
      {{"x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"},
       {"x-amzn-RequestId", "rid-" + type}});
}

std::unique_ptr<BedrockClient> make_client(const LoopbackServer& server, double jitter = 0.01,
                                           std::shared_ptr<InvocationSink> sink = nullptr) {
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = server.url("");
  o.credentials = std::make_shared<StaticCredentials>();
  o.transport = std::make_shared<http::CurlTransport>();
  o.random = std::make_shared<FixedRandom>(jitter);  // backoffs of 10 ms, 20 ms, ...
  o.sink = std::move(sink);
  auto c = BedrockClient::create(std::move(o));
  if (!c) throw std::runtime_error(describe(c.error()));
  return std::move(*c);
}

// A plain call: encoded path, signed request, decoded answer, request id kept.
TEST(ClientLoopback, Success) {
  LoopbackServer server([](const LoopbackRequest&) {
    return LoopbackResponse::json(200, kAnthropicBody, {{"x-amzn-RequestId", "rid-ok"}});
  });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, "Hello");
  EXPECT_EQ(r->record.request_id, "rid-ok");
  EXPECT_EQ(r->record.input_tokens, 9);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  ASSERT_TRUE(reqs[0].header("Authorization"));
  EXPECT_EQ(reqs[0].header("Authorization")->rfind("AWS4-HMAC-SHA256 ", 0), 0u);
  EXPECT_EQ(reqs[0].header("amz-sdk-request"), "attempt=1; max=3");
  EXPECT_NE(reqs[0].body.find("anthropic_version"), std::string::npos);
}

struct ShapeCase {
  LoopbackResponse response;
  ErrorCode code;
  std::string message;
  std::string request_id;
};

// Every error shape travels through real HTTP and is classified the same way.
TEST(ClientLoopback, ErrorShapes) {
  std::vector<ShapeCase> cases;
  cases.push_back({error_response(400, "ValidationException", R"({"message":"bad input"})"),
                   ErrorCode::Validation, "bad input", "rid-ValidationException"});
  cases.push_back({LoopbackResponse::json(
                       400, R"({"__type":"com.amazon.bedrock#ValidationException","message":"b"})"),
                   ErrorCode::Validation, "b", ""});
  cases.push_back({error_response(403, "AccessDeniedException", R"({"Message":"Capital M"})"),
                   ErrorCode::AccessDenied, "Capital M", "rid-AccessDeniedException"});
  cases.push_back({LoopbackResponse::text(404, "<html>nope</html>"), ErrorCode::ResourceNotFound,
                   "<html>nope</html>", ""});
  cases.push_back({error_response(424, "ModelErrorException",
                                  R"({"message":"model failed","originalStatusCode":502})"),
                   ErrorCode::ModelError, "model failed", "rid-ModelErrorException"});
  for (auto& c : cases) {
    LoopbackResponse resp = c.response;
    LoopbackServer server([resp](const LoopbackRequest&) { return resp; });
    ASSERT_TRUE(server.start());
    auto client = make_client(server);
    auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.code) << c.message;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().request_id, c.request_id);
    EXPECT_EQ(server.requests_served(), 1u);  // none of these is retried
    if (c.code == ErrorCode::ModelError) {
      EXPECT_EQ(r.error().original_status, 502);
    }
  }
}

// A throttling storm (first two calls throttled) is absorbed by the retries.
TEST(ClientLoopback, ThrottlingStormResolvedByRetries) {
  std::atomic<int> n{0};
  LoopbackServer server([&](const LoopbackRequest&) {
    if (++n <= 2) return error_response(429, "ThrottlingException", R"({"message":"slow"})");
    return LoopbackResponse::json(200, kAnthropicBody);
  });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.attempts, 3);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].header("amz-sdk-invocation-id"), reqs[2].header("amz-sdk-invocation-id"));
  EXPECT_NE(reqs[2].header("amz-sdk-request")->find("attempt=3; max=3"), std::string::npos);
  // Keep-alive: the retries reuse the connection.
  EXPECT_EQ(reqs[0].connection_id, reqs[2].connection_id);
}

// A service failing every call drains the retry quota; then calls stop retrying.
TEST(ClientLoopback, RetryQuotaExhaustion) {
  LoopbackServer server([](const LoopbackRequest&) {
    return error_response(500, "InternalServerException", R"({"message":"boom"})");
  });
  ASSERT_TRUE(server.start());
  auto client = make_client(server, 0.0);
  for (int i = 0; i < 50; ++i)
    ASSERT_FALSE(client->invoke(kHaiku, models::Prompt::from_user("hi")));
  EXPECT_EQ(server.requests_served(), 150u);
  EXPECT_EQ(client->retry_quota().available(), 0);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InternalServer);
  EXPECT_NE(r.error().message.find("retry quota exhausted"), std::string::npos);
  EXPECT_EQ(server.requests_served(), 151u);
}

// A server that never answers: DeadlineExceeded on time (within 250 ms of the deadline).
TEST(ClientLoopback, NeverAnswersDeadlineOnTime) {
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.timeout = milliseconds(1000);
  const auto t0 = Steady::now();
  auto r = client->invoke(req);
  const auto took = std::chrono::duration_cast<milliseconds>(Steady::now() - t0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << describe(r.error());
  EXPECT_GE(took, milliseconds(950));  // curl rounds its timer to the millisecond
  EXPECT_LE(took, milliseconds(1250));
}

// Cancellation aborts an in-flight transfer promptly.
TEST(ClientLoopback, CancelDuringTransfer) {
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::stall(); });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  std::atomic<bool> cancelled{false};
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.cancelled = &cancelled;
  std::thread canceller([&] {
    server.wait_for_requests(1, milliseconds(5000));
    std::this_thread::sleep_for(milliseconds(100));
    cancelled = true;
  });
  const auto t0 = Steady::now();
  auto r = client->invoke(req);
  const auto took = std::chrono::duration_cast<milliseconds>(Steady::now() - t0);
  canceller.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled) << describe(r.error());
  EXPECT_LE(took, milliseconds(1500));
}

// The primary is not enabled: the fallback model answers with its own body format.
TEST(ClientLoopback, FallbackToSecondModel) {
  LoopbackServer server([](const LoopbackRequest& req) {
    if (req.target.find("anthropic") != std::string::npos) {
      return error_response(403, "AccessDeniedException",
                            R"({"message":"You don't have access to the model"})");
    }
    return LoopbackResponse::json(
        200,
        R"({"generation":"llama says hi","prompt_token_count":5,"generation_token_count":4,"stop_reason":"stop"})");
  });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  InvokeRequest req;
  req.model_id = kHaiku;
  req.fallbacks = {kLlama};
  req.prompt = models::Prompt::from_user("hi");
  auto r = client->invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, "llama says hi");
  EXPECT_EQ(r->record.model_used, kLlama);
  ASSERT_EQ(r->record.skipped.size(), 1u);
  EXPECT_NE(r->record.skipped[0].reason.find("AccessDenied"), std::string::npos);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].target, "/model/meta.llama3-8b-instruct-v1%3A0/invoke");
  EXPECT_NE(reqs[1].body.find("\"prompt\""), std::string::npos);
}

// Eight threads share one client over real connections; every call succeeds and is counted.
TEST(ClientLoopback, EightThreadsShareOneClient) {
  std::atomic<int> n{0};
  LoopbackServer server([&](const LoopbackRequest& req) {
    // Every 7th first attempt fails once; retries succeed, so the outcome is deterministic.
    if (req.header("amz-sdk-request") == "attempt=1; max=3" && ++n % 7 == 0) {
      return error_response(503, "ServiceUnavailableException", "{}");
    }
    return LoopbackResponse::json(200, kAnthropicBody);
  });
  ASSERT_TRUE(server.start());
  auto metrics = std::make_shared<MetricsAggregator>();
  auto client = make_client(server, 0.001, metrics);
  constexpr int kThreads = 8, kCalls = 40;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
        if (r && r->completion.text == "Hello") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kCalls);
  auto total = metrics->total();
  EXPECT_EQ(total.successes, static_cast<uint64_t>(kThreads * kCalls));
  EXPECT_EQ(total.attempts, server.requests_served());
  EXPECT_GT(total.p50.count(), 0);
  EXPECT_LE(server.connections_accepted(), 16u);  // connections are reused
}

// Bedrock's on-demand refusal over real HTTP: the client answers it by re-signing the call for
// the us. profile (the signature covers the new path), and later calls go there at once.
TEST(ClientLoopback, OnDemandRefusalRetriedOnProfile) {
  LoopbackServer server([](const LoopbackRequest& req) {
    if (req.target.rfind("/model/anthropic.", 0) == 0) {
      return error_response(
          400, "ValidationException",
          R"({"message":"Invocation of model ID anthropic.claude-3-haiku-20240307-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model."})");
    }
    return LoopbackResponse::json(200, kAnthropicBody, {{"x-amzn-RequestId", "rid-profile"}});
  });
  ASSERT_TRUE(server.start());
  auto client = make_client(server);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.profile_used, "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(r->record.request_id, "rid-profile");
  auto again = client->invoke(kHaiku, models::Prompt::from_user("again"));
  ASSERT_TRUE(again.has_value()) << describe(again.error());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[1].target, "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  EXPECT_EQ(reqs[2].target, "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
  EXPECT_NE(reqs[0].header("Authorization"), reqs[1].header("Authorization"));
}

}  // namespace
}  // namespace bedrock::runtime
