// BedrockClient's Converse features against the real bedrock-emulator process, whole and streamed:
// a tool loop that finishes, structured output in both forms, reasoning sent back signed (and
// refused when altered), a prompt-cache write then read, and a document with its text. The emulator
// is the other side here, so what our encoder sends is what an independent validator accepts.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/bedrock_client.h"
#include "emulator_process.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::EmulatorProcess;

constexpr const char* kSonnet4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";

class ConverseEmulator : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built in " << BEDROCK_BIN_DIR;
    emu_ = std::make_unique<EmulatorProcess>(
        std::vector<std::string>{"--credentials", std::string(kAccessKey) + ":" + kSecret});
    ClientOptions o;
    o.region = "us-east-1";
    o.endpoint_url = emu_->url();
    auth::Credentials c;
    c.access_key_id = kAccessKey;
    c.secret_access_key = kSecret;
    o.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
    o.transport = std::make_shared<http::CurlTransport>();
    auto created = BedrockClient::create(std::move(o));
    ASSERT_TRUE(created.has_value()) << describe(created.error());
    client_ = std::move(*created);
  }

  // One Converse call, whole or streamed by the test's parameter.
  Result<InvokeResult> call(const std::string& model, const models::Prompt& prompt,
                            models::InferenceParams params = {}) {
    InvokeRequest request;
    request.model_id = model;
    request.prompt = prompt;
    request.params = params;
    request.use_converse = true;
    if (!GetParam()) return client_->invoke(request);
    return client_->invoke_stream(request, [](const models::StreamEvent&) {});
  }

  std::unique_ptr<EmulatorProcess> emu_;
  std::unique_ptr<BedrockClient> client_;
};

models::ToolSpec weather_tool() {
  models::ToolSpec spec;
  spec.name = "get_weather";
  spec.description = "Current weather for a city.";
  spec.input_schema_json =
      R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})";
  return spec;
}

// The model asks for the tool, the caller answers, the model finishes with text.
TEST_P(ConverseEmulator, ToolLoopFinishes) {
  models::Prompt prompt = models::Prompt::from_user("What is the weather in Paris?");
  prompt.tools.tools = {weather_tool()};
  prompt.tools.choice = models::ToolChoice::Tool;
  prompt.tools.forced_tool = "get_weather";
  auto asked = call(kHaiku, prompt);
  ASSERT_TRUE(asked.has_value()) << describe(asked.error());
  EXPECT_EQ(asked->completion.stop_reason, models::StopReason::ToolUse);
  ASSERT_EQ(asked->completion.tool_calls.size(), 1u);
  const models::ToolUse& use = asked->completion.tool_calls.front();
  EXPECT_EQ(use.name, "get_weather");
  EXPECT_FALSE(use.id.empty());
  EXPECT_TRUE(nlohmann::json::parse(use.input_json).at("city").is_string()) << use.input_json;

  prompt.messages.push_back(models::assistant_turn(asked->completion));
  models::Message answer;
  answer.role = models::Role::User;
  answer.tool_results.push_back({use.id, "18 C and sunny"});
  prompt.messages.push_back(answer);
  prompt.tools.choice = models::ToolChoice::Auto;
  auto done = call(kHaiku, prompt);
  ASSERT_TRUE(done.has_value()) << describe(done.error());
  EXPECT_EQ(done->completion.stop_reason, models::StopReason::EndTurn);
  EXPECT_TRUE(done->completion.tool_calls.empty());
  EXPECT_FALSE(done->completion.text.empty());
}

// A schema answer is JSON that fits it, through a forced tool (Claude 3 Haiku) or outputConfig
// (Claude Haiku 4.5), and the record says which.
TEST_P(ConverseEmulator, StructuredOutputInBothForms) {
  models::OutputSchema schema;
  schema.name = "film";
  schema.schema_json = R"({"type":"object","required":["title","year"],)"
                       R"("properties":{"title":{"type":"string"},"year":{"type":"integer"}}})";
  for (auto [model, form] : {std::pair{kHaiku, "tool"}, std::pair{kHaiku45, "native"}}) {
    models::Prompt prompt = models::Prompt::from_user("A film, please.");
    prompt.output_schema = schema;
    auto r = call(model, prompt);
    ASSERT_TRUE(r.has_value()) << model << ": " << describe(r.error());
    const auto answer = nlohmann::json::parse(r->completion.text);
    EXPECT_TRUE(answer.at("title").is_string()) << r->completion.text;
    EXPECT_TRUE(answer.at("year").is_number_integer()) << r->completion.text;
    EXPECT_EQ(r->record.structured_output, form) << model;
  }
}

// Signed reasoning goes back unchanged and the conversation goes on; altered, Bedrock refuses it.
TEST_P(ConverseEmulator, ReasoningRoundTripKeepsTheSignature) {
  models::InferenceParams params;
  params.max_tokens = 2048;
  params.reasoning_budget_tokens = 1024;
  models::Prompt prompt = models::Prompt::from_user("Why is the sky blue?");
  auto first = call(kSonnet4, prompt, params);
  ASSERT_TRUE(first.has_value()) << describe(first.error());
  ASSERT_FALSE(first->completion.reasoning_blocks.empty());
  EXPECT_FALSE(first->completion.reasoning_blocks.front().signature.empty());
  EXPECT_FALSE(first->completion.text.empty());

  prompt.messages.push_back(models::assistant_turn(first->completion));
  prompt.messages.push_back({models::Role::User, "And at sunset?"});
  auto second = call(kSonnet4, prompt, params);
  ASSERT_TRUE(second.has_value()) << describe(second.error());

  prompt.messages[1].reasoning.front().text += " (edited)";
  auto altered = call(kSonnet4, prompt, params);
  ASSERT_FALSE(altered.has_value());
  EXPECT_EQ(altered.error().code, ErrorCode::Validation) << describe(altered.error());
  EXPECT_NE(altered.error().message.find("signature"), std::string::npos)
      << altered.error().message;
}

// The first call writes the cached system prompt, the second reads it, as the record says.
TEST_P(ConverseEmulator, CachePointWritesThenReads) {
  std::string manual = "You answer questions about this manual.";
  for (int i = 0; i < 200; ++i) manual += " The pump runs at 3 bar.";
  models::Prompt prompt = models::Prompt::from_user("What pressure?", manual);
  prompt.system_cache_point = models::CachePoint{};
  auto first = call("amazon.nova-lite-v1:0", prompt);
  ASSERT_TRUE(first.has_value()) << describe(first.error());
  EXPECT_GT(first->record.cache_write_input_tokens, 0);
  EXPECT_EQ(first->record.cache_read_input_tokens, 0);
  auto second = call("amazon.nova-lite-v1:0", prompt);
  ASSERT_TRUE(second.has_value()) << describe(second.error());
  EXPECT_EQ(second->record.cache_read_input_tokens, first->record.cache_write_input_tokens);
  EXPECT_EQ(second->record.cache_write_input_tokens, 0);
}

// A document travels with its question and is answered; without text it never leaves the client.
TEST_P(ConverseEmulator, DocumentWithTextIsAnswered) {
  models::Prompt prompt = models::Prompt::from_user("Summarise the notes.");
  prompt.messages.front().documents.push_back(
      {models::DocumentFormat::Txt, "notes", models::MediaSource::from_bytes("Ship on Friday.")});
  auto r = call(kHaiku, prompt);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_FALSE(r->completion.text.empty());

  prompt.messages.front().text.clear();
  auto alone = call(kHaiku, prompt);
  ASSERT_FALSE(alone.has_value());
  EXPECT_EQ(alone.error().code, ErrorCode::Validation);
  EXPECT_TRUE(alone.error().request_id.empty()) << "refused by the client, never sent";
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConverseEmulator, ::testing::Bool(),
                         [](const auto& test) { return test.param ? "Streamed" : "Whole"; });

}  // namespace
}  // namespace bedrock::runtime
