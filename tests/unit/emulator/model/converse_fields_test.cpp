// The Converse members of docs/wire-protocol.md §8.4 as the emulator checks and answers them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fakes/event_stream_reader.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using testing::claude_haiku;

const std::string kMessages = R"("messages":[{"role":"user","content":[{"text":"Hi"}]}])";

std::string body_with(const std::string& members) { return "{" + kMessages + "," + members + "}"; }

// The Validation message for `members`, "" when the body parses.
std::string refusal(const std::string& members, ConverseApi api = ConverseApi::Converse) {
  auto r = parse_converse_request(claude_haiku(), body_with(members), api);
  if (r) return "";
  if (r.error().http_status != 400 || r.error().aws_type != "ValidationException") {
    return "wrong kind: " + r.error().message;
  }
  return r.error().message;
}

std::string one(const std::string& value, const std::string& path, const std::string& rule) {
  return "1 validation error detected: Value " + value + " at '" + path +
         "' failed to satisfy constraint: " + rule;
}

json converse_answer(const std::string& members) {
  auto r = parse_converse_request(claude_haiku(), body_with(members));
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return {};
  return json::parse(render_converse_response(*r, default_answer(claude_haiku(), *r), 1));
}

// The metadata event's payload of the streamed answer.
json stream_metadata(const std::string& members) {
  auto r = parse_converse_request(claude_haiku(), body_with(members), ConverseApi::ConverseStream);
  EXPECT_TRUE(r) << r.error().message;
  if (!r) return {};
  auto read = bedrock::testing::read_event_stream(
      render_converse_stream(*r, default_answer(claude_haiku(), *r), 1));
  EXPECT_EQ(read.problem, "");
  if (read.messages.empty()) return {};
  EXPECT_EQ(read.messages.back().headers.at(":event-type"), "metadata");
  return json::parse(read.messages.back().payload);
}

// performanceConfig.latency is one of the enum and comes back in the answer.
TEST(ConverseFields, PerformanceConfig) {
  EXPECT_EQ(converse_answer(R"("performanceConfig":{"latency":"optimized"})")["performanceConfig"],
            (json{{"latency", "optimized"}}));
  EXPECT_EQ(stream_metadata(R"("performanceConfig":{"latency":"standard"})")["performanceConfig"],
            (json{{"latency", "standard"}}));
  EXPECT_FALSE(converse_answer("\"performanceConfig\":{}").contains("performanceConfig"));
  EXPECT_EQ(refusal(R"("performanceConfig":{"latency":"fast"})"),
            one("'fast'", "performanceConfig.latency",
                "Member must satisfy enum value set: [standard, optimized]"));
  EXPECT_EQ(refusal(R"("performanceConfig":"optimized")"),
            one("'\"optimized\"'", "performanceConfig", "Member must be of type structure"));
}

// serviceTier is an object whose type is required and one of the four tiers.
TEST(ConverseFields, ServiceTier) {
  EXPECT_EQ(converse_answer(R"("serviceTier":{"type":"flex"})")["serviceTier"],
            (json{{"type", "flex"}}));
  EXPECT_EQ(stream_metadata(R"("serviceTier":{"type":"priority"})")["serviceTier"],
            (json{{"type", "priority"}}));
  EXPECT_FALSE(converse_answer(R"("x":1)").contains("serviceTier"));
  EXPECT_EQ(refusal(R"("serviceTier":{"type":"premium"})"),
            one("'premium'", "serviceTier.type",
                "Member must satisfy enum value set: [priority, default, flex, reserved]"));
  EXPECT_EQ(refusal(R"("serviceTier":{})"),
            one("null", "serviceTier.type", "Member must not be null"));
  EXPECT_EQ(refusal(R"("serviceTier":"flex")"),
            one("'\"flex\"'", "serviceTier", "Member must be of type structure"));
}

// requestMetadata: 1-16 entries, keys 1-256 and values 0-256 characters of the pattern; values
// are not echoed (the shape is sensitive).
TEST(ConverseFields, RequestMetadata) {
  EXPECT_EQ(refusal(R"("requestMetadata":{"team":"content","run-id":"2026-12-03T17:00Z","e":""})"),
            "");
  const std::string redacted = "'*** Sensitive Data Redacted ***'";
  EXPECT_EQ(refusal(R"("requestMetadata":{})"),
            one(redacted, "requestMetadata", "Member must have length greater than or equal to 1"));
  std::string many;
  for (int i = 0; i < 17; ++i) many += (i ? "," : "") + ("\"k" + std::to_string(i) + "\":\"v\"");
  EXPECT_EQ(refusal(R"("requestMetadata":{)" + many + "}"),
            one(redacted, "requestMetadata", "Member must have length less than or equal to 16"));
  EXPECT_EQ(refusal(R"("requestMetadata":{"k!":"v"})"),
            one(redacted, "requestMetadata",
                R"(Map keys must satisfy constraint: [Member must satisfy regular expression )"
                R"(pattern: [a-zA-Z0-9\s:_@$#=/+,-.]{1,256}])"));
  EXPECT_EQ(refusal(R"("requestMetadata":{"k":")" + std::string(257, 'v') + "\"}"),
            one(redacted, "requestMetadata",
                "Map value must satisfy constraint: [Member must have length less than or equal "
                R"(to 256, Member must satisfy regular expression pattern: )"
                R"([a-zA-Z0-9\s:_@$#=/+,-.]{0,256}])"));
  EXPECT_EQ(refusal(R"("requestMetadata":{"k":1})"),
            one(redacted, "requestMetadata",
                "Map value must satisfy constraint: [Member must be of type string]"));
}

// promptVariables: a map of {"text": ...} unions; with a model id that names no prompt resource
// the service model says the member is ignored, so a well-formed map changes nothing.
TEST(ConverseFields, PromptVariables) {
  EXPECT_EQ(refusal(R"("promptVariables":{"topic":{"text":"retries"},"tone":{"text":"dry"}})"), "");
  const std::string redacted = "'*** Sensitive Data Redacted ***'";
  EXPECT_EQ(refusal(R"("promptVariables":{"topic":{}})"),
            one(redacted, "promptVariables",
                "Map value must satisfy constraint: [Member must have exactly one member set]"));
  EXPECT_EQ(refusal(R"("promptVariables":{"topic":{"text":1}})"),
            one(redacted, "promptVariables",
                "Map value must satisfy constraint: [Member must be of type string]"));
  EXPECT_EQ(refusal(R"("promptVariables":["topic"])"),
            one("'[\"topic\"]'", "promptVariables", "Member must be of type map"));
}

// additionalModelResponseFieldPaths: 0-10 pointers of 1-256 characters, then Bedrock's own
// pointer syntax check; the requested native fields come back.
TEST(ConverseFields, AdditionalModelResponseFieldPaths) {
  json answer = converse_answer(R"("additionalModelResponseFieldPaths":["/stop_sequence",
      "/usage/cache~1read","/stop_reason"])");
  EXPECT_EQ(answer["additionalModelResponseFields"],
            (json{{"stop_sequence", nullptr}, {"stop_reason", "end_turn"}}));
  EXPECT_EQ(refusal(R"("additionalModelResponseFieldPaths":[])"), "");
  EXPECT_EQ(refusal(R"("additionalModelResponseFieldPaths":[""])"),
            one("''", "additionalModelResponseFieldPaths.1.member",
                "Member must have length greater than or equal to 1"));
  const std::string long_path = "/" + std::string(256, 'a');
  EXPECT_EQ(
      refusal(R"("additionalModelResponseFieldPaths":["/a",")" + long_path + "\"]"),
      one("'" + long_path.substr(0, 64) + "...'", "additionalModelResponseFieldPaths.2.member",
          "Member must have length less than or equal to 256"));
  std::string eleven;
  for (int i = 0; i < 11; ++i) eleven += (i ? "," : "") + std::string("\"/a\"");
  EXPECT_EQ(
      refusal(R"("additionalModelResponseFieldPaths":[)" + eleven + "]"),
      one("'[\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\",\"/a\"]'",
          "additionalModelResponseFieldPaths", "Member must have length less than or equal to 10"));
  EXPECT_EQ(refusal(R"("additionalModelResponseFieldPaths":["stop_sequence"])"),
            "The JSON Pointer 'stop_sequence' in additionalModelResponseFieldPaths is not valid. "
            "Check the syntax and try again.");
  EXPECT_EQ(refusal(R"("additionalModelResponseFieldPaths":["/a~2"])"),
            "The JSON Pointer '/a~2' in additionalModelResponseFieldPaths is not valid. "
            "Check the syntax and try again.");
}

// guardrailConfig: identifier, version and trace patterns; streamProcessingMode is a member of
// ConverseStream's shape only (unknown, so ignored, in Converse).
TEST(ConverseFields, GuardrailConfigChecks) {
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:us-east-1:)"
                    R"(123456789012:guardrail/abc123","guardrailVersion":"DRAFT",)"
                    R"("trace":"enabled_full"})"),
            "");
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"arn:aws-us-gov:bedrock:)"
                    R"(us-gov-west-1:123456789012:guardrail/x1","guardrailVersion":"12345678"})"),
            "");
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"Gr1"})"),
            one("'Gr1'", "guardrailConfig.guardrailIdentifier",
                "Member must satisfy regular expression pattern: (|([a-z0-9]+)|(arn:aws(-[^:]+)?:"
                "bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))"));
  EXPECT_NE(refusal(R"("guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:us-east-1:)"
                    R"(12345678901:guardrail/abc"})"),
            "");
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"gr1","guardrailVersion":"01"})"),
            one("'01'", "guardrailConfig.guardrailVersion",
                "Member must satisfy regular expression pattern: (|([1-9][0-9]{0,7})|(DRAFT))"));
  EXPECT_NE(refusal(R"("guardrailConfig":{"guardrailVersion":"123456789"})"), "");
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"gr1","trace":"on"})"),
            one("'on'", "guardrailConfig.trace",
                "Member must satisfy enum value set: [enabled, disabled, enabled_full]"));
  const std::string mode = R"("guardrailConfig":{"guardrailIdentifier":"gr1",)"
                           R"("streamProcessingMode":"later"})";
  EXPECT_EQ(refusal(mode), "");
  EXPECT_EQ(refusal(mode, ConverseApi::ConverseStream),
            one("'later'", "guardrailConfig.streamProcessingMode",
                "Member must satisfy enum value set: [sync, async]"));
  EXPECT_EQ(refusal(R"("guardrailConfig":{"guardrailIdentifier":"gr1","streamProcessingMode":)"
                    R"("async"})",
                    ConverseApi::ConverseStream),
            "");
}

// A guardrail trace asked for comes back as trace.guardrail keyed by the guardrail's id (on the
// metadata event when streamed); "disabled" or no trace gives none.
TEST(ConverseFields, GuardrailTraceAnswered) {
  const json expected = {{"guardrail",
                          {{"inputAssessment", {{"abc123", json::object()}}},
                           {"outputAssessments", {{"abc123", json::array({json::object()})}}}}}};
  EXPECT_EQ(converse_answer(R"("guardrailConfig":{"guardrailIdentifier":"arn:aws:bedrock:)"
                            R"(us-east-1:123456789012:guardrail/abc123","guardrailVersion":"1",)"
                            R"("trace":"enabled"})")["trace"],
            expected);
  EXPECT_EQ(stream_metadata(R"("guardrailConfig":{"guardrailIdentifier":"abc123",)"
                            R"("guardrailVersion":"DRAFT","trace":"enabled_full",)"
                            R"("streamProcessingMode":"sync"})")["trace"],
            expected);
  EXPECT_FALSE(converse_answer(R"("guardrailConfig":{"guardrailIdentifier":"abc123",)"
                               R"("guardrailVersion":"1","trace":"disabled"})")
                   .contains("trace"));
  EXPECT_FALSE(converse_answer(R"("guardrailConfig":{"guardrailIdentifier":"abc123",)"
                               R"("guardrailVersion":"1"})")
                   .contains("trace"));
}

// CountTokens' converse input has none of these members, so it ignores them as unknown.
TEST(ConverseFields, CountTokensIgnoresThem) {
  EXPECT_EQ(refusal(R"("serviceTier":{"type":"premium"},"requestMetadata":{},)"
                    R"("guardrailConfig":{"trace":"on"})",
                    ConverseApi::CountTokens),
            "");
}

// Several violations are reported together, as the front end does.
TEST(ConverseFields, ViolationsAreCountedTogether) {
  EXPECT_EQ(refusal(R"("serviceTier":{},"performanceConfig":{"latency":"fast"})"),
            "2 validation errors detected: Value 'fast' at 'performanceConfig.latency' failed to "
            "satisfy constraint: Member must satisfy enum value set: [standard, optimized]; Value "
            "null at 'serviceTier.type' failed to satisfy constraint: Member must not be null");
}

}  // namespace
}  // namespace bedrock::emulator::model
