#include "bedrock/runtime/bedrock_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "bedrock/core/ascii.h"
#include "client_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;
using std::chrono::milliseconds;

// Every behaviour below (requests, signing, records) holds for the sync and the async client.
class BedrockClientBoth : public ::testing::TestWithParam<Driver> {};

const std::string kEndpoint = "https://bedrock-runtime.us-east-1.amazonaws.com";

// The model id is one percent-encoded path segment: ':' -> %3A, an ARN's '/' -> %2F (§1.3).
TEST_P(BedrockClientBoth, PathEncodingOfIdsProfilesAndArns) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->set_default([](const http::Request&, const http::CallOptions&) {
    return Result<http::Response>(http::Response{200, {}, anthropic_body()});
  });
  const std::pair<std::string, std::string> cases[] = {
      {kHaiku, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"},
      {"us.anthropic.claude-3-5-sonnet-20240620-v1:0",
       "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke"},
      {"arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
       "us.anthropic.claude-3-haiku-20240307-v1:0",
       "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus."
       "anthropic.claude-3-haiku-20240307-v1%3A0/invoke"},
  };
  for (const auto& [id, path] : cases) {
    auto r = h.invoke(id, models::Prompt::from_user("hi"));
    ASSERT_TRUE(r.has_value()) << describe(r.error());
    EXPECT_EQ(h.transport->requests().back().url, kEndpoint + path);
  }
}

// Content-Type/Accept always; guardrail, trace and latency headers when asked.
TEST_P(BedrockClientBoth, OptionalBedrockHeaders) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(200, anthropic_body());
  h.transport->push_response(200, anthropic_body());
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto plain = h.transport->requests()[0];
  EXPECT_EQ(header(plain, "Content-Type"), "application/json");
  EXPECT_EQ(header(plain, "Accept"), "application/json");
  EXPECT_FALSE(header(plain, "X-Amzn-Bedrock-GuardrailIdentifier"));
  EXPECT_FALSE(header(plain, "X-Amzn-Bedrock-Trace"));
  EXPECT_FALSE(header(plain, "X-Amzn-Bedrock-PerformanceConfig-Latency"));

  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.guardrail_id = "gr1";
  req.guardrail_version = "DRAFT";
  req.trace = "ENABLED";
  req.latency_optimized = true;
  ASSERT_TRUE(h.invoke(req).has_value());
  auto full = h.transport->requests()[1];
  EXPECT_EQ(header(full, "X-Amzn-Bedrock-GuardrailIdentifier"), "gr1");
  EXPECT_EQ(header(full, "X-Amzn-Bedrock-GuardrailVersion"), "DRAFT");
  EXPECT_EQ(header(full, "X-Amzn-Bedrock-Trace"), "ENABLED");
  EXPECT_EQ(header(full, "X-Amzn-Bedrock-PerformanceConfig-Latency"), "optimized");
  // The optional headers are signed (they precede signing), the SDK ones are not.
  auto auth = header(full, "Authorization");
  ASSERT_TRUE(auth);
  EXPECT_NE(auth->find("x-amzn-bedrock-guardrailidentifier"), std::string::npos);
  EXPECT_EQ(auth->find("amz-sdk"), std::string::npos);
}

// SigV4 by default: Authorization, X-Amz-Date, scope with the "bedrock" signing name.
TEST_P(BedrockClientBoth, SigV4WhenNoBearer) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(200, anthropic_body());
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto r = h.transport->requests()[0];
  auto auth = header(r, "Authorization");
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/", 0),
            0u)
      << *auth;
  EXPECT_EQ(header(r, "X-Amz-Date"), "20240115T120000Z");
  EXPECT_EQ(h.credentials->calls, 1);
}

// A bearer token wins over credentials and adds no SigV4 headers (docs/wire-protocol.md §4).
TEST_P(BedrockClientBoth, BearerPreferredOverSigV4) {
  Harness h(0.5, config::RetryMode::Standard, std::string("bedrock-api-key-abc"), GetParam());
  h.transport->push_response(200, anthropic_body());
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto r = h.transport->requests()[0];
  EXPECT_EQ(header(r, "Authorization"), "Bearer bedrock-api-key-abc");
  EXPECT_FALSE(header(r, "X-Amz-Date"));
  EXPECT_EQ(h.credentials->calls, 0);
}

// SDK retry headers: one invocation id per call, attempt numbers, ttl on retries; every
// attempt re-signed with a fresh X-Amz-Date.
TEST_P(BedrockClientBoth, RetryHeadersAndFreshSignature) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(429, R"({"message":"slow"})", error_headers("ThrottlingException"));
  h.transport->push_response(200, anthropic_body());
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto reqs = h.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  auto id1 = header(reqs[0], "amz-sdk-invocation-id");
  ASSERT_TRUE(id1);
  // A version-4 UUID, lower-case, as the SDKs send it.
  EXPECT_TRUE(std::regex_match(
      *id1, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << *id1;
  EXPECT_EQ(header(reqs[1], "amz-sdk-invocation-id"), id1);
  EXPECT_EQ(header(reqs[0], "amz-sdk-request"), "attempt=1; max=3");
  // Backoff 0.5 s; ttl = now + derived read timeout (4096 tokens: 275.76 s).
  EXPECT_EQ(header(reqs[1], "amz-sdk-request"), "ttl=20240115T120436Z; attempt=2; max=3");
  EXPECT_EQ(header(reqs[0], "X-Amz-Date"), "20240115T120000Z");
  EXPECT_EQ(header(reqs[1], "X-Amz-Date"), "20240115T120000Z");  // same second
  EXPECT_NE(header(reqs[0], "Authorization"), std::nullopt);
  EXPECT_EQ(h.credentials->calls, 2);  // fetched (cached by the chain) for each signing
  // The request is re-signed in place between attempts: the retry carries one of each header,
  // never the first attempt's signature or SDK headers as well.
  for (const auto& req : reqs) {
    for (const char* name : {"Authorization", "X-Amz-Date", "Host", "amz-sdk-request",
                             "amz-sdk-invocation-id", "Content-Type", "Accept"}) {
      EXPECT_EQ(std::count_if(req.headers.begin(), req.headers.end(),
                              [&](const auto& line) { return iequals_ascii(line.first, name); }),
                1)
          << name;
    }
  }
  EXPECT_EQ(reqs[0].headers.size(), reqs[1].headers.size());
  EXPECT_EQ(reqs[0].body, reqs[1].body);
}

// The transport gets the derived read timeout and the call's absolute deadline.
TEST_P(BedrockClientBoth, DerivedTimeoutsPassedToTransport) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(200, anthropic_body());
  h.transport->push_response(200, anthropic_body());
  models::InferenceParams p;
  p.max_tokens = 512;
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi"), p).has_value());
  ASSERT_TRUE(h.invoke(kHaiku, models::Prompt::from_user("hi")).has_value());
  auto opts = h.transport->call_options();
  EXPECT_EQ(opts[0].read_timeout, milliseconds(60720));  // 30 s + 512 x 60 ms
  EXPECT_EQ(opts[0].connect_timeout, milliseconds(3100));
  ASSERT_TRUE(opts[0].deadline);
  EXPECT_EQ(*opts[0].deadline - h.start, milliseconds(2 * 60720 + 30000));
  EXPECT_EQ(opts[1].read_timeout, milliseconds(275760));  // Haiku max output 4096
  EXPECT_EQ(default_read_timeout(0), milliseconds(60000));
  EXPECT_EQ(default_read_timeout(1000000), milliseconds(3600000));
}

// Usage from the body; from the token-count headers when the body has none; cost priced.
TEST_P(BedrockClientBoth, TokensFromBodyOrHeadersAndCost) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200, anthropic_body("a", true),
      {{"X-Amzn-Bedrock-Input-Token-Count", "99"}, {"X-Amzn-Bedrock-Output-Token-Count", "99"}});
  h.transport->push_response(200, anthropic_body("b", false),
                             {{"X-Amzn-Bedrock-Input-Token-Count", "1000"},
                              {"X-Amzn-Bedrock-Output-Token-Count", "2000"},
                              {"x-amzn-RequestId", "rid-7"}});
  auto a = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(a.has_value()) << describe(a.error());
  EXPECT_EQ(a->record.input_tokens, 18);
  EXPECT_EQ(a->record.output_tokens, 6);
  auto b = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(b.has_value()) << describe(b.error());
  EXPECT_EQ(b->record.input_tokens, 1000);
  EXPECT_EQ(b->record.output_tokens, 2000);
  EXPECT_TRUE(b->record.tokens_reported);
  EXPECT_EQ(b->completion.usage.output_tokens, 2000);
  EXPECT_EQ(b->record.request_id, "rid-7");
  const auto* info = models::ModelRegistry::builtin().find(kHaiku);
  ASSERT_NE(info, nullptr);
  EXPECT_DOUBLE_EQ(b->record.cost_usd, models::estimate_cost(*info, 1000, 2000));
  EXPECT_GT(b->record.cost_usd, 0.0);
  EXPECT_EQ(b->record.model_used, kHaiku);
  EXPECT_EQ(b->record.outcome, Outcome::Success);
  EXPECT_EQ(h.sink->records.size(), 2u);
}

// Per-attempt and total latency come from the injected clock.
TEST_P(BedrockClientBoth, RecordLatencies) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler([&](const http::Request&, const http::CallOptions&) {
    h.clock.advance(milliseconds(120));
    return Result<http::Response>(
        http::Response{503, error_headers("ServiceUnavailableException", "r1"), "{}"});
  });
  h.transport->push_handler([&](const http::Request&, const http::CallOptions&) {
    h.clock.advance(milliseconds(80));
    return Result<http::Response>(
        http::Response{200, {{"x-amzn-RequestId", "r2"}}, anthropic_body()});
  });
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value());
  const auto& rec = r->record;
  EXPECT_EQ(rec.attempts, 2);
  ASSERT_EQ(rec.attempt_log.size(), 2u);
  EXPECT_EQ(rec.attempt_log[0].latency, milliseconds(120));
  EXPECT_EQ(rec.attempt_log[0].http_status, 503);
  EXPECT_EQ(rec.attempt_log[0].error_code, "ServiceUnavailable");
  EXPECT_EQ(rec.attempt_log[0].request_id, "r1");
  EXPECT_EQ(rec.attempt_log[1].latency, milliseconds(80));
  EXPECT_EQ(rec.latency, milliseconds(120 + 500 + 80));  // includes the 0.5 s backoff
  EXPECT_EQ(rec.request_id, "r2");
  EXPECT_EQ(rec.timestamp, WallTime{std::chrono::seconds{1705320000}});
}

// A failed call still produces a record in the sink, with the error code.
TEST_P(BedrockClientBoth, FailureRecordReachesSink) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(400, R"({"message":"bad"})", error_headers("ValidationException"));
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(r.error().request_id, "req-1");
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].outcome, Outcome::Failure);
  EXPECT_EQ(h.sink->records[0].error_code, "Validation");
  EXPECT_EQ(h.sink->records[0].model_used, "");
  EXPECT_EQ(h.sink->records[0].attempts, 1);
}

// ModelErrorException's original status reaches the caller.
TEST_P(BedrockClientBoth, ModelErrorKeepsOriginalStatus) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(424, R"({"message":"boom","originalStatusCode":503})",
                             error_headers("ModelErrorException"));
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ModelError);
  EXPECT_EQ(r.error().original_status, 503);
  EXPECT_EQ(h.transport->calls(), 1u);
}

// An answer that is not the family's shape is InvalidResponse, not a crash.
TEST_P(BedrockClientBoth, UndecodableAnswer) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(200, "not json", {{"x-amzn-RequestId", "rid-x"}});
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse);
  EXPECT_EQ(r.error().request_id, "rid-x");
}

// Encoding errors are reported before anything is sent.
TEST_P(BedrockClientBoth, EncodingErrorSendsNothing) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  models::InferenceParams p;
  p.temperature = 7.0;
  auto r = h.invoke(kHaiku, models::Prompt::from_user("hi"), p);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(h.transport->calls(), 0u);
}

// invoke_raw sends the body as given and returns the answer untouched.
TEST(BedrockClient, InvokeRawPassesBodiesThrough) {
  Harness h;
  h.transport->push_response(
      200, R"({"anything":1})",
      {{"X-Amzn-Bedrock-Input-Token-Count", "5"}, {"X-Amzn-Bedrock-Output-Token-Count", "7"}});
  auto r = h.client->invoke_raw(kHaiku, R"({"raw":true})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, R"({"anything":1})");
  EXPECT_EQ(h.transport->requests()[0].body, R"({"raw":true})");
  EXPECT_EQ(r->record.input_tokens, 5);
  EXPECT_EQ(r->record.output_tokens, 7);
}

// Bad configuration is refused at construction.
TEST(BedrockClient, CreateValidatesOptions) {
  ClientOptions o;
  o.transport = std::make_shared<bedrock::testing::FakeTransport>();
  o.credentials = std::make_shared<StaticCredentials>();
  EXPECT_EQ(BedrockClient::create(o).error().code, ErrorCode::ConfigurationInvalid);  // region
  o.region = "us-east-1";
  o.endpoint_url = "ftp://x";
  EXPECT_EQ(BedrockClient::create(o).error().code, ErrorCode::ConfigurationInvalid);
  o.endpoint_url.clear();
  o.credentials.reset();
  EXPECT_EQ(BedrockClient::create(o).error().code, ErrorCode::ConfigurationInvalid);
}

// Cancellation before the call sends nothing.
TEST_P(BedrockClientBoth, CancelledBeforeSending) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  std::atomic<bool> cancelled{true};
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.cancelled = &cancelled;
  auto r = h.invoke(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(h.transport->calls(), 0u);
}

}  // namespace
}  // namespace bedrock::runtime

namespace bedrock::runtime {
namespace {

using namespace testing_support;

// Converse: /converse path, JSON body with messages, guardrail and latency in the body, no
// Accept or X-Amzn-Bedrock-* headers; the answer decoded from the Converse shape.
TEST_P(BedrockClientBoth, ConverseRequestAndAnswer) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200,
      R"({"output":{"message":{"role":"assistant","content":[{"text":"conv"}]}},"stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":10}})");
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.use_converse = true;
  req.guardrail_id = "gr1";
  req.guardrail_version = "1";
  req.trace = "ENABLED";
  req.latency_optimized = true;
  auto r = h.invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, "conv");
  EXPECT_EQ(r->record.input_tokens, 3);
  auto sent = h.transport->requests()[0];
  EXPECT_EQ(sent.url,
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
            "anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_FALSE(header(sent, "Accept"));
  EXPECT_FALSE(header(sent, "X-Amzn-Bedrock-GuardrailIdentifier"));
  EXPECT_NE(
      sent.body.find(
          R"("guardrailConfig":{"guardrailIdentifier":"gr1","guardrailVersion":"1","trace":"enabled"})"),
      std::string::npos)
      << sent.body;
  EXPECT_NE(sent.body.find(R"("performanceConfig":{"latency":"optimized"})"), std::string::npos);
  EXPECT_NE(sent.body.find(R"("messages")"), std::string::npos);
}

// ConverseOptions travel in the Converse body beside the guardrail mapped from the request's
// header fields; a native call with them is refused before sending.
TEST_P(BedrockClientBoth, ConverseOptionsInTheBody) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200,
      R"({"output":{"message":{"role":"assistant","content":[{"text":"conv"}]}},"stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":10},"trace":{"guardrail":{"actionReason":"none"}}})");
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.use_converse = true;
  req.guardrail_id = "gr1";
  req.guardrail_version = "2";
  req.converse.service_tier = models::ServiceTier::Priority;
  req.converse.request_metadata = {{"team", "content"}};
  auto r = h.invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.trace, R"({"guardrail":{"actionReason":"none"}})");
  const std::string body = h.transport->requests()[0].body;
  EXPECT_NE(body.find(R"("guardrailConfig":{"guardrailIdentifier":"gr1","guardrailVersion":"2"})"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"("requestMetadata":{"team":"content"})"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("serviceTier":{"type":"priority"})"), std::string::npos) << body;

  req.use_converse = false;
  auto native = h.invoke(req);
  ASSERT_FALSE(native.has_value());
  EXPECT_EQ(native.error().code, ErrorCode::Validation);
  EXPECT_EQ(h.transport->calls(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, BedrockClientBoth,
                         ::testing::Values(Driver::Sync, Driver::Async), driver_name);

}  // namespace
}  // namespace bedrock::runtime
