// OpenAI chat requests -> one Converse InvokeRequest: messages, sampling, tools, response
// formats, reasoning effort, and the parameters that are dropped or refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bedrock/core/base64.h"
#include "bedrock/models/registry.h"
#include "server/openai/chat_request.h"

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

ModelTarget haiku() {
  const auto* info =
      models::ModelRegistry::builtin().find("anthropic.claude-3-haiku-20240307-v1:0");
  return {"anthropic.claude-3-haiku-20240307-v1:0", info ? *info : models::ModelInfo{}};
}

ModelTarget thinking_model() {
  auto resolved =
      models::ModelRegistry::builtin().resolve("us.anthropic.claude-3-7-sonnet-20250219-v1:0");
  return {"us.anthropic.claude-3-7-sonnet-20250219-v1:0", resolved->info};
}

Json base(Json extra = Json::object()) {
  Json body = {{"model", "haiku"}, {"messages", {{{"role", "user"}, {"content", "Hi"}}}}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

Parsed<ChatCall> parse(const Json& body) { return parse_chat_request(body, haiku()); }

// The model the caller named is echoed; the resolved id goes to Bedrock through Converse.
TEST(OpenAiChatRequest, PlainUserMessageBecomesConverseCall) {
  auto call = parse(base());
  ASSERT_TRUE(call) << call.error().message;
  EXPECT_EQ(call->model, "haiku");
  EXPECT_EQ(call->invoke.model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_TRUE(call->invoke.use_converse);
  ASSERT_EQ(call->invoke.prompt.messages.size(), 1u);
  EXPECT_EQ(call->invoke.prompt.messages[0].text, "Hi");
  EXPECT_FALSE(call->stream);
  EXPECT_FALSE(call->structured);
}

// System and developer messages join into the one system prompt; same-role turns merge.
TEST(OpenAiChatRequest, SystemDeveloperAndConsecutiveTurns) {
  Json body = base();
  body["messages"] = Json::parse(R"([
    {"role":"system","content":"Be brief."},
    {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
    {"role":"user","content":"One"},
    {"role":"user","content":[{"type":"text","text":"Two"},{"type":"text","text":"Three"}]},
    {"role":"assistant","content":"Un"},
    {"role":"user","content":"Four"}])");
  auto call = parse(body);
  ASSERT_TRUE(call) << call.error().message;
  const auto& p = call->invoke.prompt;
  EXPECT_EQ(p.system, "Be brief.\n\nAnswer in French.");
  ASSERT_EQ(p.messages.size(), 3u);
  EXPECT_EQ(p.messages[0].text, "One\n\nTwo\nThree");
  EXPECT_EQ(p.messages[1].role, models::Role::Assistant);
  EXPECT_EQ(p.messages[1].text, "Un");
  EXPECT_EQ(p.messages[2].text, "Four");
}

// An assistant's tool calls and the tool messages answering them become toolUse / toolResult.
TEST(OpenAiChatRequest, ToolCallsAndToolResults) {
  Json body = base();
  body["messages"] = Json::parse(R"([
    {"role":"user","content":"Weather in Paris and Rome?"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\": \"Paris\"}"}},
      {"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
    {"role":"tool","tool_call_id":"call_1","content":"Sunny"},
    {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"Rain"}]}])");
  body["tools"] = Json::parse(
      R"([{"type":"function","function":{"name":"weather","description":"Weather now",
          "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}])");
  auto call = parse(body);
  ASSERT_TRUE(call) << call.error().message;
  const auto& p = call->invoke.prompt;
  ASSERT_EQ(p.messages.size(), 3u);
  ASSERT_EQ(p.messages[1].tool_uses.size(), 2u);
  EXPECT_EQ(p.messages[1].tool_uses[0].id, "call_1");
  EXPECT_EQ(p.messages[1].tool_uses[0].input_json, R"({"city":"Paris"})");
  EXPECT_TRUE(p.messages[1].text.empty());
  ASSERT_EQ(p.messages[2].tool_results.size(), 2u);
  EXPECT_EQ(p.messages[2].tool_results[1].tool_use_id, "call_2");
  EXPECT_EQ(p.messages[2].tool_results[1].text, "Rain");
  ASSERT_EQ(p.tools.tools.size(), 1u);
  EXPECT_EQ(p.tools.tools[0].description, "Weather now");
  EXPECT_EQ(p.tools.tools[0].input_schema_json,
            R"({"properties":{"city":{"type":"string"}},"type":"object"})");
  EXPECT_EQ(p.tools.choice, models::ToolChoice::Unset);
}

// tool_choice maps to Converse's auto / any / tool; "none" leaves the tools out.
TEST(OpenAiChatRequest, ToolChoiceForms) {
  const Json tools = Json::parse(R"([{"type":"function","function":{"name":"f"}}])");
  auto choose = [&](Json choice) {
    return parse(base({{"tools", tools}, {"tool_choice", choice}}));
  };
  EXPECT_EQ(choose("auto")->invoke.prompt.tools.choice, models::ToolChoice::Auto);
  EXPECT_EQ(choose("required")->invoke.prompt.tools.choice, models::ToolChoice::Any);
  auto named = choose(Json::parse(R"({"type":"function","function":{"name":"f"}})"));
  ASSERT_TRUE(named);
  EXPECT_EQ(named->invoke.prompt.tools.choice, models::ToolChoice::Tool);
  EXPECT_EQ(named->invoke.prompt.tools.forced_tool, "f");
  EXPECT_TRUE(choose("none")->invoke.prompt.tools.tools.empty());
  auto missing = choose(Json::parse(R"({"type":"function","function":{"name":"g"}})"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().param, "tool_choice.function.name");
}

// Sampling members map one to one; max_completion_tokens wins over max_tokens; stop may be a
// string or a list.
TEST(OpenAiChatRequest, SamplingParameters) {
  auto call = parse(base({{"max_tokens", 50},
                          {"max_completion_tokens", 70},
                          {"temperature", 0.5},
                          {"top_p", 0.9},
                          {"stop", {"END", "STOP"}}}));
  ASSERT_TRUE(call) << call.error().message;
  EXPECT_EQ(call->invoke.params.max_tokens, 70);
  EXPECT_EQ(call->invoke.params.temperature, 0.5);
  EXPECT_EQ(call->invoke.params.top_p, 0.9);
  EXPECT_EQ(call->invoke.params.stop_sequences, (std::vector<std::string>{"END", "STOP"}));
  auto one = parse(base({{"stop", "X"}, {"max_tokens", 5}}));
  EXPECT_EQ(one->invoke.params.stop_sequences, std::vector<std::string>{"X"});
  EXPECT_EQ(one->invoke.params.max_tokens, 5);
  auto hot = parse(base({{"temperature", 1.5}}));
  ASSERT_FALSE(hot);
  EXPECT_EQ(hot.error().param, "temperature");
}

// stream and stream_options.include_usage are read together.
TEST(OpenAiChatRequest, StreamOptions) {
  auto call = parse(base({{"stream", true}, {"stream_options", {{"include_usage", true}}}}));
  ASSERT_TRUE(call);
  EXPECT_TRUE(call->stream);
  EXPECT_TRUE(call->include_usage);
  EXPECT_FALSE(parse(base({{"stream", "yes"}})));
}

// Members Bedrock has no use for are dropped; ones we cannot honour are a problem naming them.
TEST(OpenAiChatRequest, DroppedAndRefusedParameters) {
  auto dropped = parse(base({{"user", "u1"},
                             {"seed", 4},
                             {"metadata", {{"a", "b"}}},
                             {"store", false},
                             {"parallel_tool_calls", true},
                             {"presence_penalty", 0},
                             {"frequency_penalty", 0.0},
                             {"n", 1},
                             {"logprobs", false},
                             {"verbosity", "medium"}}));
  ASSERT_TRUE(dropped) << dropped.error().message;
  for (const auto& [member, value] :
       std::vector<std::pair<std::string, Json>>{{"n", 2},
                                                 {"logprobs", true},
                                                 {"top_logprobs", 3},
                                                 {"audio", {{"voice", "alloy"}}},
                                                 {"presence_penalty", 0.5},
                                                 {"frequency_penalty", -1},
                                                 {"modalities", {"text", "audio"}},
                                                 {"verbosity", "low"},
                                                 {"bogus_field", 1}}) {
    auto refused = parse(base({{member, value}}));
    ASSERT_FALSE(refused) << member;
    EXPECT_EQ(refused.error().param, member);
    EXPECT_NE(refused.error().message.find(member), std::string::npos) << refused.error().message;
  }
}

// A data: URL image becomes an image block of the user turn; a web URL is refused.
TEST(OpenAiChatRequest, ImageDataUrls) {
  Json body = base();
  body["messages"][0]["content"] = Json::array(
      {{{"type", "text"}, {"text", "What is this?"}},
       {{"type", "image_url"},
        {"image_url", {{"url", "data:image/png;base64," + base64_encode("PNGBYTES")}}}}});
  auto call = parse(body);
  ASSERT_TRUE(call) << call.error().message;
  const auto& m = call->invoke.prompt.messages[0];
  EXPECT_EQ(m.text, "What is this?");
  ASSERT_EQ(m.images.size(), 1u);
  EXPECT_EQ(m.images[0].format, models::ImageFormat::Png);
  EXPECT_EQ(m.images[0].source.bytes, "PNGBYTES");
  body["messages"][0]["content"][1]["image_url"]["url"] = "https://example.com/cat.png";
  auto web = parse(body);
  ASSERT_FALSE(web);
  EXPECT_EQ(web.error().param, "messages[0].content[1].image_url.url");
}

// json_schema asks for structured output with the caller's name and schema; json_object for any
// object; text for nothing.
TEST(OpenAiChatRequest, ResponseFormats) {
  auto schema = parse(
      base({{"response_format", Json::parse(R"({"type":"json_schema","json_schema":{"name":"person",
                               "strict":true,"schema":{"type":"object","properties":{"name":
                               {"type":"string"}},"required":["name"]}}})")}}));
  ASSERT_TRUE(schema) << schema.error().message;
  EXPECT_TRUE(schema->structured);
  ASSERT_TRUE(schema->invoke.prompt.output_schema);
  EXPECT_EQ(schema->invoke.prompt.output_schema->name, "person");
  EXPECT_EQ(schema->invoke.prompt.output_schema->schema_json,
            R"({"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"})");
  auto object = parse(base({{"response_format", {{"type", "json_object"}}}}));
  ASSERT_TRUE(object);
  EXPECT_EQ(object->invoke.prompt.output_schema->schema_json, R"({"type":"object"})");
  auto text = parse(base({{"response_format", {{"type", "text"}}}}));
  ASSERT_TRUE(text);
  EXPECT_FALSE(text->structured);
  auto bad = parse(base({{"response_format", {{"type", "json_schema"}}}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().param, "response_format.json_schema.name");
}

// reasoning_effort becomes a thinking budget on a thinking model and is ignored elsewhere.
TEST(OpenAiChatRequest, ReasoningEffort) {
  auto thinking = parse_chat_request(base({{"reasoning_effort", "medium"}}), thinking_model());
  ASSERT_TRUE(thinking) << thinking.error().message;
  EXPECT_EQ(thinking->invoke.params.reasoning_budget_tokens, 2048);
  ASSERT_TRUE(thinking->invoke.params.max_tokens);
  EXPECT_GT(*thinking->invoke.params.max_tokens, 2048);
  auto plain = parse(base({{"reasoning_effort", "high"}}));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->invoke.params.reasoning_budget_tokens);
  auto small = parse_chat_request(base({{"reasoning_effort", "low"}, {"max_tokens", 100}}),
                                  thinking_model());
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().param, "max_completion_tokens");
  EXPECT_FALSE(parse(base({{"reasoning_effort", "extreme"}})));
}

// Malformed bodies are problems naming the member, never exceptions.
TEST(OpenAiChatRequest, MalformedBodies) {
  EXPECT_EQ(requested_model(Json::array()).error().param, "");
  EXPECT_EQ(requested_model(Json::object()).error().param, "model");
  EXPECT_EQ(parse(Json{{"model", "m"}}).error().param, "messages");
  EXPECT_EQ(parse(Json{{"model", "m"}, {"messages", Json::array()}}).error().param, "messages");
  Json body = base();
  body["messages"][0]["role"] = "function";
  EXPECT_EQ(parse(body).error().param, "messages[0].role");
  body = base();
  body["messages"][0]["content"] = 5;
  EXPECT_EQ(parse(body).error().param, "messages[0].content");
  body = base();
  body["messages"][0] = {
      {"role", "assistant"},
      {"tool_calls", {{{"id", "a"}, {"function", {{"name", "f"}, {"arguments", "[1]"}}}}}}};
  EXPECT_EQ(parse(body).error().param, "messages[0].tool_calls[0].function.arguments");
  EXPECT_EQ(parse(base({{"max_tokens", 0}})).error().param, "max_tokens");
  EXPECT_EQ(parse(base({{"tools", {{{"type", "custom"}}}}})).error().param, "tools[0].type");
}

}  // namespace
}  // namespace bedrock::server::openai
