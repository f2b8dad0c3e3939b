// The Converse request fields of ConverseOptions against golden bodies written from the service
// model's shapes (docs/wire-protocol.md §8.1), their constraints checked before sending, and the
// answer's additionalModelResponseFields and trace returned, streamed or not.
#include <gtest/gtest.h>

#include "bedrock/models/converse.h"
#include "codec_test_support.h"
#include "stream_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;
using testing::max_tokens;

constexpr const char* kSonnet = "anthropic.claude-3-5-sonnet-20241022-v2:0";

json encoded(const ConverseOptions& options, bool stream = false,
             InferenceParams params = max_tokens(512)) {
  auto body =
      encode_converse(Prompt::from_user("Hi"), params, testing::model(kSonnet), options, stream);
  EXPECT_TRUE(body.has_value()) << body.error().message;
  return body ? json::parse(*body) : json();
}

Error rejected(const ConverseOptions& options, bool stream = false,
               InferenceParams params = max_tokens(512)) {
  auto body =
      encode_converse(Prompt::from_user("Hi"), params, testing::model(kSonnet), options, stream);
  EXPECT_FALSE(body.has_value()) << *body;
  return body ? Error{} : body.error();
}

// performanceConfig and serviceTier are objects, spelled as the service model spells them.
TEST(ConverseFields, PerformanceAndTierMatchGolden) {
  ConverseOptions o;
  o.latency = Latency::Optimized;
  o.service_tier = ServiceTier::Flex;
  EXPECT_EQ(encoded(o), golden_json("converse/request_performance_tier.json"));
}

// requestMetadata is a string map; promptVariables wrap each value in {"text": ...}.
TEST(ConverseFields, MetadataAndVariablesMatchGolden) {
  ConverseOptions o;
  o.request_metadata = {{"team", "content"}, {"run-id", "2026-12-03T17:00Z"}};
  o.prompt_variables = {{"topic", "retries"}, {"tone", "dry"}};
  EXPECT_EQ(encoded(o), golden_json("converse/request_metadata.json"));
}

// The caller's extra request fields travel as given, with top_k added beside them; the response
// paths are sent as a list.
TEST(ConverseFields, AdditionalFieldsMergeWithTopK) {
  ConverseOptions o;
  o.additional_request_fields_json =
      R"({"anthropic_beta":["token-efficient-tools-2025-02-19"],"metadata":{"user_id":"u1"}})";
  o.additional_response_field_paths = {"/stop_sequence", "/usage/cache~1read"};
  InferenceParams params = max_tokens(512);
  params.top_k = 40;
  EXPECT_EQ(encoded(o, false, params), golden_json("converse/request_additional_fields.json"));
}

// A member given both as a parameter and in the extra fields is refused, not overwritten.
TEST(ConverseFields, AdditionalFieldsCollisionIsRefused) {
  ConverseOptions o;
  o.additional_request_fields_json = R"({"top_k":5})";
  InferenceParams params = max_tokens(512);
  params.top_k = 40;
  const Error e = rejected(o, false, params);
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_NE(e.message.find("\"top_k\""), std::string::npos) << e.message;
  // Alone, the caller's top_k is sent as given.
  EXPECT_EQ(encoded(o)["additionalModelRequestFields"], json::parse(R"({"top_k":5})"));
}

// guardrailConfig with a guardrail ARN and the lower-case trace; streamProcessingMode only in a
// ConverseStream body.
TEST(ConverseFields, GuardrailMatchesGolden) {
  ConverseOptions o;
  o.guardrail = GuardrailConfig{"arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123", "DRAFT",
                                GuardrailTrace::EnabledFull, GuardrailStreamMode::Unset};
  EXPECT_EQ(encoded(o), golden_json("converse/request_guardrail.json"));

  ConverseOptions s;
  s.guardrail = GuardrailConfig{"gr1", "3", GuardrailTrace::Enabled, GuardrailStreamMode::Async};
  EXPECT_EQ(encoded(s, /*stream=*/true), golden_json("converse/request_guardrail_stream.json"));
  const Error e = rejected(s, /*stream=*/false);
  EXPECT_NE(e.message.find("streamProcessingMode"), std::string::npos) << e.message;
}

// The service model's constraints, each broken once.
TEST(ConverseFields, ConstraintsAreChecked) {
  const auto refused = [](auto&& change) {
    ConverseOptions o;
    change(o);
    return rejected(o).code == ErrorCode::Validation;
  };
  EXPECT_TRUE(refused([](ConverseOptions& o) {
    for (int i = 0; i < 17; ++i) o.request_metadata.emplace_back("k" + std::to_string(i), "v");
  }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.request_metadata = {{"", "v"}}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.request_metadata = {{"k!", "v"}}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) {
    o.request_metadata = {{"k", std::string(257, 'v')}};
  }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.request_metadata = {{"k", "a"}, {"k", "b"}}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.prompt_variables = {{"", "x"}}; }));
  EXPECT_TRUE(
      refused([](ConverseOptions& o) { o.additional_response_field_paths.assign(11, "/a"); }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.additional_response_field_paths = {"stop"}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.additional_response_field_paths = {"/a~2"}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.additional_request_fields_json = "[1]"; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.additional_request_fields_json = "{"; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) {
    o.additional_request_fields_json = std::string(200, '[') + std::string(200, ']');
  }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.guardrail = GuardrailConfig{"GR1", "1"}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) { o.guardrail = GuardrailConfig{"gr1", "0"}; }));
  EXPECT_TRUE(refused([](ConverseOptions& o) {
    o.guardrail = GuardrailConfig{"gr1", "123456789"};
  }));
  EXPECT_TRUE(refused([](ConverseOptions& o) {
    o.guardrail = GuardrailConfig{"arn:aws:bedrock:us-east-1:1234:guardrail/x", "1"};
  }));
  // The limits themselves pass.
  ConverseOptions most;
  for (int i = 0; i < 16; ++i) most.request_metadata.emplace_back("k" + std::to_string(i), "");
  most.additional_response_field_paths.assign(10, std::string("/") + std::string(255, 'a'));
  most.guardrail = GuardrailConfig{"gr1", "99999999"};
  EXPECT_EQ(encoded(most)["requestMetadata"].size(), 16u);
}

// additionalModelResponseFields and the guardrail trace reach the Completion as JSON.
TEST(ConverseFields, ResponseFieldsAndTraceDecoded) {
  auto out = decode_converse(testing::read_golden("converse/response_fields.json"));
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "Blocked part removed.");
  EXPECT_EQ(out->stop_reason, StopReason::ContentFiltered);
  EXPECT_EQ(json::parse(out->additional_response_fields), json::parse(R"({"stop_sequence":null})"));
  const json trace = json::parse(out->trace);
  EXPECT_EQ(trace["guardrail"]["actionReason"], "Guardrail blocked.");
  EXPECT_EQ(
      trace["guardrail"]["inputAssessment"]["abc123"]["contentPolicy"]["filters"][0]["action"],
      "BLOCKED");
  // Absent members stay empty.
  auto plain = decode_converse(testing::read_golden("converse/response.json"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain->additional_response_fields.empty());
  EXPECT_TRUE(plain->trace.empty());
}

// Streamed, the fields arrive on messageStop and the trace on metadata; the accumulated answer
// carries both like the non-streamed one.
TEST(ConverseFields, StreamedResponseFieldsAndTrace) {
  std::string bytes;
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"ok"}})");
  append_event(
      bytes, "messageStop",
      R"({"stopReason":"end_turn","additionalModelResponseFields":{"stop_sequence":"END"}})");
  append_event(bytes, "metadata",
               R"({"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},)"
               R"("metrics":{"latencyMs":12},"trace":{"guardrail":{"actionReason":"none"}}})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  auto out = testing::accumulate(*events).finish();
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->text, "ok");
  EXPECT_EQ(json::parse(out->additional_response_fields),
            json::parse(R"({"stop_sequence":"END"})"));
  EXPECT_EQ(json::parse(out->trace), json::parse(R"({"guardrail":{"actionReason":"none"}})"));
  EXPECT_EQ(testing::accumulate(*events).metrics().latency_ms, 12);
}

}  // namespace
}  // namespace bedrock::models
