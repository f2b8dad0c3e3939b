// Structured output: the native outputConfig and the forced-tool form against golden bodies
// (docs/wire-protocol.md §8.6), the registry's choice and its per-call override, and answers
// turned into validated JSON text.
#include "bedrock/models/structured_output.h"

#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;
using testing::max_tokens;

constexpr const char* kHaiku45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
constexpr const char* kHaiku3 = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kPlaceSchema =
    R"({"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},)"
    R"("required":["city"],"additionalProperties":false})";

Prompt place_prompt(StructuredMode mode = StructuredMode::Auto) {
  Prompt p = Prompt::from_user("Where is the Louvre?");
  p.output_schema = OutputSchema{"place", kPlaceSchema, "Where something is.", mode};
  return p;
}

// Claude Haiku 4.5 is on AWS's structured-output list: outputConfig with the schema as a string.
TEST(StructuredOutput, NativeFormMatchesGolden) {
  EXPECT_EQ(structured_form(*place_prompt().output_schema, testing::model(kHaiku45)),
            StructuredMode::Native);
  auto body = encode_converse(place_prompt(), max_tokens(512), testing::model(kHaiku45));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_structured_native.json"));
}

// Claude 3 Haiku is not: a forced tool whose input schema is the schema.
TEST(StructuredOutput, ToolFormMatchesGolden) {
  EXPECT_EQ(structured_form(*place_prompt().output_schema, testing::model(kHaiku3)),
            StructuredMode::Tool);
  auto body = encode_converse(place_prompt(), max_tokens(512), testing::model(kHaiku3));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_structured_tool.json"));
}

// The per-call mode overrides the registry both ways.
TEST(StructuredOutput, ModeOverridesRegistry) {
  auto tool = encode_converse(place_prompt(StructuredMode::Tool), {}, testing::model(kHaiku45));
  ASSERT_TRUE(tool.has_value());
  EXPECT_TRUE(json::parse(*tool).contains("toolConfig"));
  EXPECT_FALSE(json::parse(*tool).contains("outputConfig"));
  auto native = encode_converse(place_prompt(StructuredMode::Native), {}, testing::model(kHaiku3));
  ASSERT_TRUE(native.has_value());
  EXPECT_TRUE(json::parse(*native).contains("outputConfig"));
}

// Families without a named tool choice are forced with "any"; a non-object schema is wrapped.
TEST(StructuredOutput, ToolFormForOtherFamiliesAndWrappedSchema) {
  Prompt p = Prompt::from_user("Three colors?");
  p.output_schema = OutputSchema{"", R"({"type":"array","items":{"type":"string"}})"};
  auto body = encode_converse(p, {}, testing::model("meta.llama3-8b-instruct-v1:0"));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  const json config = json::parse(*body)["toolConfig"];
  EXPECT_EQ(config["toolChoice"], json::parse(R"({"any":{}})"));
  EXPECT_EQ(config["tools"][0]["toolSpec"]["name"], "structured_output");
  EXPECT_EQ(config["tools"][0]["toolSpec"]["inputSchema"]["json"],
            json::parse(R"({"type":"object","properties":{"value":{"type":"array",)"
                        R"("items":{"type":"string"}}},"required":["value"]})"));
}

// The caller's tools cannot share the request with the forced tool; a bad schema is refused;
// native InvokeModel bodies refuse structured output.
TEST(StructuredOutput, InvalidRequestsAreValidation) {
  Prompt with_tools = place_prompt();
  with_tools.tools.tools.push_back({"other", "", R"({"type":"object"})"});
  auto a = encode_converse(with_tools, {}, testing::model(kHaiku3));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::Validation);
  Prompt bad_schema = place_prompt();
  bad_schema.output_schema->schema_json = "[1]";
  EXPECT_FALSE(encode_converse(bad_schema, {}, testing::model(kHaiku3)).has_value());
  Prompt bad_name = place_prompt();
  bad_name.output_schema->name = "no spaces";
  EXPECT_FALSE(encode_converse(bad_name, {}, testing::model(kHaiku3)).has_value());
  auto native =
      codec_for(ModelFamily::AnthropicMessages).encode(place_prompt(), {}, testing::model(kHaiku3));
  ASSERT_FALSE(native.has_value());
  EXPECT_NE(native.error().message.find("Converse"), std::string::npos);
}

// Tool form: the forced call's input becomes the text, the call and the tool_use stop go.
TEST(StructuredOutput, ToolAnswerBecomesJsonText) {
  Completion c;
  c.tool_calls = {{"t1", "place", R"({"city":"Paris","country":"France"})"}};
  c.stop_reason = StopReason::ToolUse;
  c.raw_stop_reason = "tool_use";
  auto r = structured_answer(c, *place_prompt().output_schema, testing::model(kHaiku3));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->text, R"({"city":"Paris","country":"France"})");
  EXPECT_TRUE(r->tool_calls.empty());
  EXPECT_EQ(r->stop_reason, StopReason::EndTurn);
  EXPECT_EQ(r->raw_stop_reason, "tool_use");
  EXPECT_EQ(r->structured, StructuredMode::Tool);
}

// Tool form with a wrapped schema: the "value" member is the answer.
TEST(StructuredOutput, WrappedToolAnswerIsUnwrapped) {
  OutputSchema schema{"", R"({"type":"array","items":{"type":"string"}})"};
  Completion c;
  c.tool_calls = {{"t1", "structured_output", R"({"value":["red","green"]})"}};
  auto r = structured_answer(c, schema, testing::model(kHaiku3));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->text, R"(["red","green"])");
}

// Native form: the text is validated and returned compact, key order kept.
TEST(StructuredOutput, NativeAnswerIsValidated) {
  Completion good;
  good.text = "{ \"country\": \"France\", \"city\": \"Paris\" }";
  auto r = structured_answer(good, *place_prompt().output_schema, testing::model(kHaiku45));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->text, R"({"country":"France","city":"Paris"})");
  EXPECT_EQ(r->structured, StructuredMode::Native);
  Completion extra;
  extra.text = R"({"city":"Paris","mayor":"x"})";
  auto bad = structured_answer(extra, *place_prompt().output_schema, testing::model(kHaiku45));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::SchemaMismatch);
  EXPECT_NE(bad.error().message.find("\"/mayor\""), std::string::npos) << bad.error().message;
}

// No JSON, or no call of the forced tool, is a SchemaMismatch.
TEST(StructuredOutput, MissingAnswerIsSchemaMismatch) {
  Completion prose;
  prose.text = "The Louvre is in Paris.";
  auto a = structured_answer(prose, *place_prompt().output_schema, testing::model(kHaiku45));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code, ErrorCode::SchemaMismatch);
  auto b = structured_answer(prose, *place_prompt().output_schema, testing::model(kHaiku3));
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, ErrorCode::SchemaMismatch);
  EXPECT_NE(b.error().message.find("place"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::models
