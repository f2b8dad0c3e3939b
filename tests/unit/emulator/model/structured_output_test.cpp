// Converse structured output in the emulator: outputConfig.textFormat checked as the service
// model and Bedrock do, accepted for the models that take it, answered with JSON text that
// fits the schema, streamed as the same text.
#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/schema_instance.h"
#include "emulator/model/stream_render.h"
#include "fakes/event_stream_reader.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

const json kSchema = json::parse(R"({"type":"object","properties":{
    "title":{"type":"string"},"year":{"type":"integer"},"tags":{"type":"array",
    "items":{"type":"string"},"minItems":1}},"required":["title","year","tags"]})");

std::string body_with(const json& output_config) {
  json body =
      json::parse(R"({"messages":[{"role":"user","content":[{"text":"A film, please."}]}]})");
  body["outputConfig"] = output_config;
  return body.dump();
}

json text_format(const json& schema_text) {
  return {{"textFormat",
           {{"type", "json_schema"},
            {"structure", {{"jsonSchema", {{"schema", schema_text}, {"name", "film"}}}}}}}};
}

std::string structured_output_error(const ModelInfo& m, const std::string& body) {
  auto r = parse_converse_request(m, body);
  if (r) return "";
  EXPECT_EQ(r.error().http_status, 400);
  return r.error().message;
}

// Claude 4 and Nova answer with text that parses as JSON and fits the schema, the same text
// through ConverseStream.
TEST(ConverseStructuredOutput, AnswerIsJsonFittingTheSchema) {
  for (const ModelInfo& m : {claude_sonnet_4(), nova_lite()}) {
    auto request = parse_converse_request(m, body_with(text_format(kSchema.dump())));
    ASSERT_TRUE(request) << request.error().message;
    auto answer = default_answer(m, *request);
    EXPECT_EQ(answer.stop_reason, StopReason::EndTurn);
    const json value = json::parse(answer.text);
    EXPECT_TRUE(detail::fits_schema(value, kSchema)) << answer.text;
    EXPECT_EQ(value["tags"].size(), 1u);
    json r = json::parse(render_converse_response(*request, answer, 5));
    EXPECT_EQ(r["output"]["message"]["content"][0]["text"], answer.text);
    auto read = bedrock::testing::read_event_stream(render_converse_stream(*request, answer, 5));
    ASSERT_EQ(read.problem, "");
    std::string streamed;
    for (const auto& msg : read.messages) {
      if (msg.headers.at(":event-type") != "contentBlockDelta") continue;
      streamed += json::parse(msg.payload)["delta"]["text"].get<std::string>();
    }
    EXPECT_EQ(streamed, answer.text);
  }
}

// Models without structured output get Bedrock's unsupported-field refusal; malformed shapes
// get the Coral wording; a schema that is not a JSON object is refused.
TEST(ConverseStructuredOutput, RefusalsAsBedrock) {
  const std::string ok = body_with(text_format(kSchema.dump()));
  const std::string refused =
      "This model doesn't support the outputConfig.textFormat field. Remove "
      "outputConfig.textFormat and try again.";
  EXPECT_EQ(structured_output_error(claude_haiku(), ok), refused);
  EXPECT_EQ(structured_output_error(llama3(), ok), refused);
  EXPECT_EQ(structured_output_error(deepseek(), ok), refused);
  EXPECT_EQ(structured_output_error(claude_sonnet_4(), ok), "");
  json wrong_type = text_format(kSchema.dump());
  wrong_type["textFormat"]["type"] = "xml";
  EXPECT_EQ(structured_output_error(claude_sonnet_4(), body_with(wrong_type)),
            "1 validation error detected: Value 'xml' at 'outputConfig.textFormat.type' failed "
            "to satisfy constraint: Member must satisfy enum value set: [json_schema]");
  json no_schema = text_format(kSchema.dump());
  no_schema["textFormat"]["structure"]["jsonSchema"].erase("schema");
  EXPECT_EQ(structured_output_error(claude_sonnet_4(), body_with(no_schema)),
            "1 validation error detected: Value null at "
            "'outputConfig.textFormat.structure.jsonSchema.schema' failed to satisfy constraint: "
            "Member must not be null");
  EXPECT_NE(structured_output_error(claude_sonnet_4(), body_with(text_format("not json"))), "");
  EXPECT_NE(structured_output_error(claude_sonnet_4(), body_with(text_format("[1]"))), "");
  std::string deep(5000, '[');
  EXPECT_NE(structured_output_error(claude_sonnet_4(), body_with(text_format(deep))), "");
  // An empty outputConfig asks for nothing.
  EXPECT_EQ(structured_output_error(claude_haiku(), body_with(json::object())), "");
}

}  // namespace
}  // namespace bedrock::emulator::model
