// POST /v1/chat/completions and GET /v1/models over real sockets against the emulator: plain and
// streamed answers, aliases and the allowed models, tools (whole and streamed), response_format,
// OpenAI-shaped errors with their statuses, a fault mid-stream as the final event, and a client
// leaving mid-stream cancelling the upstream call.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "integration/net/raw_client.h"
#include "integration/runtime/emulator_process.h"
#include "server_client.h"

namespace bedrock::server {
namespace {

using bedrock::testing::EmulatorProcess;
using Json = nlohmann::json;
using testing::call;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kNova = "us.amazon.nova-lite-v1:0";

bool emulator_built() {
  return std::filesystem::exists(std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator");
}

#define REQUIRE_EMULATOR() \
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built in " << BEDROCK_BIN_DIR

std::string shared_fixtures() {
  return std::string(BEDROCK_SOURCE_DIR) + "/tests/conformance/fixtures.json";
}

// `stream_token_ms`: the emulator's pause between stream events; `fixtures`: its canned answers.
std::vector<std::string> emulator_flags(const std::string& stream_token_ms,
                                        const std::string& fixtures) {
  return {"--credentials",     "AKIDEMULATOR:emulator/secret/key/0123456789abcdef",
          "--admin-port",      "0",
          "--stream-token-ms", stream_token_ms,
          "--fixtures",        fixtures};
}

struct Fixture {
  explicit Fixture(const std::function<void(ServiceOptions&)>& adjust = {},
                   const std::string& stream_token_ms = "1",
                   const std::string& fixtures = shared_fixtures())
      : emulator(emulator_flags(stream_token_ms, fixtures)) {
    auto options = testing::loopback_options(emulator.url());
    options.client.max_attempts = 2;
    if (adjust) adjust(options);
    service = testing::start_service(std::move(options));
  }
  ~Fixture() {
    if (service) service->stop(std::chrono::milliseconds(0));
  }
  testing::Reply chat(const Json& body) {
    return call(service->port(), "POST", "/v1/chat/completions", body.dump());
  }
  void admin(const std::string& path, const Json& body) {
    net::testing::RawClient c(static_cast<std::uint16_t>(emulator.admin_port()));
    c.send(net::testing::request("POST", path, body.dump()));
    c.read_until([](const std::string& s) { return net::testing::parse_response(s).has_value(); },
                 std::chrono::seconds(5));
  }
  EmulatorProcess emulator;
  std::unique_ptr<Service> service;
};

Json user(const std::string& text) { return {{"role", "user"}, {"content", text}}; }

Json ask(const std::string& model, const std::string& text, Json extra = Json::object()) {
  Json body = {{"model", model}, {"messages", Json::array({user(text)})}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

// The data of each server-sent event in `body`, in order.
std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (true) {
    const auto end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    const std::string event = body.substr(at, end - at);
    if (event.rfind("data: ", 0) == 0) out.push_back(event.substr(6));
    at = end + 2;
  }
  return out;
}

Json tools_json() {
  return Json::parse(R"([{"type":"function","function":{"name":"get_weather",
    "description":"Current weather in a city","parameters":{"type":"object",
    "properties":{"city":{"type":"string"}},"required":["city"]}}}])");
}

// A plain question answers with OpenAI's chat.completion object.
TEST(OpenAiChatRoute, PlainCompletion) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = f.chat(ask(kHaiku, "Write one short sentence about the sea.", {{"max_tokens", 40}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  const Json j = r.json();
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["model"], kHaiku);
  EXPECT_EQ(j["id"], "chatcmpl-" + r.header("x-request-id"));
  EXPECT_FALSE(j["choices"][0]["message"]["content"].get<std::string>().empty());
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  EXPECT_GT(j["usage"]["prompt_tokens"].get<int>(), 0);
  EXPECT_EQ(j["usage"]["total_tokens"].get<int>(),
            j["usage"]["prompt_tokens"].get<int>() + j["usage"]["completion_tokens"].get<int>());
}

// An alias reaches its model and is echoed; only allowed models are served and listed.
TEST(OpenAiChatRoute, AliasesAndAllowedModels) {
  REQUIRE_EMULATOR();
  Fixture f([](ServiceOptions& o) {
    o.server.model_aliases = {{"fast", kHaiku}};
    o.server.allowed_models = {"fast", kNova};
  });
  ASSERT_TRUE(f.service);
  auto alias = f.chat(ask("fast", "Hello there."));
  ASSERT_EQ(alias.status, 200u) << alias.body;
  EXPECT_EQ(alias.json()["model"], "fast");
  auto refused = f.chat(ask("meta.llama3-8b-instruct-v1:0", "Hello there."));
  EXPECT_EQ(refused.status, 404u);
  EXPECT_EQ(refused.json()["error"]["code"], "model_not_found");
  EXPECT_EQ(refused.json()["error"]["param"], "model");
  auto models = call(f.service->port(), "GET", "/v1/models");
  ASSERT_EQ(models.status, 200u);
  EXPECT_EQ(
      models.json(),
      Json::parse(
          std::string(R"({"object":"list","data":[
      {"id":"fast","object":"model","created":)") +
          std::to_string(models.json()["data"][0]["created"].get<long long>()) +
          R"(,"owned_by":"anthropic"},{"id":"us.amazon.nova-lite-v1:0","object":"model","created":)" +
          std::to_string(models.json()["data"][1]["created"].get<long long>()) +
          R"(,"owned_by":"amazon"}]})"));
}

// A stream: the role chunk, content deltas, the finish chunk, the usage chunk, [DONE].
TEST(OpenAiChatRoute, StreamWithUsage) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  auto whole = f.chat(ask(kHaiku, "Write two short sentences about the sea."));
  auto r = f.chat(ask(kHaiku, "Write two short sentences about the sea.",
                      {{"stream", true}, {"stream_options", {{"include_usage", true}}}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  const auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 5u) << r.body;
  EXPECT_EQ(Json::parse(events[0])["choices"][0]["delta"]["role"], "assistant");
  std::string text;
  for (std::size_t i = 1; i + 3 < events.size(); ++i) {
    text += Json::parse(events[i])["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, whole.json()["choices"][0]["message"]["content"]);
  EXPECT_EQ(Json::parse(events[events.size() - 3])["choices"][0]["finish_reason"], "stop");
  const Json usage = Json::parse(events[events.size() - 2]);
  EXPECT_EQ(usage["choices"], Json::array());
  EXPECT_GT(usage["usage"]["completion_tokens"].get<int>(), 0);
  EXPECT_EQ(events.back(), "[DONE]");
}

// Tools: the model's call comes back as tool_calls, and the tool's answer finishes the turn.
TEST(OpenAiChatRoute, ToolCallRoundTrip) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  Json body = ask(kHaiku, "What should I wear in Oslo today?", {{"tools", tools_json()}});
  auto first = f.chat(body);
  ASSERT_EQ(first.status, 200u) << first.body;
  const Json message = first.json()["choices"][0]["message"];
  EXPECT_EQ(first.json()["choices"][0]["finish_reason"], "tool_calls");
  ASSERT_EQ(message["tool_calls"].size(), 1u) << first.body;
  const Json call0 = message["tool_calls"][0];
  EXPECT_EQ(call0["type"], "function");
  EXPECT_EQ(call0["function"]["name"], "get_weather");
  EXPECT_EQ(Json::parse(call0["function"]["arguments"].get<std::string>())["city"], "Oslo");
  body["messages"].push_back(message);
  body["messages"].push_back(
      {{"role", "tool"}, {"tool_call_id", call0["id"]}, {"content", "4 C, rain"}});
  auto second = f.chat(body);
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(second.json()["choices"][0]["message"]["content"], "Wear a coat: it is 4 C in Oslo.");
}

// Streamed tool calls: index, id and name first, then the arguments in fragments.
TEST(OpenAiChatRoute, StreamedToolCalls) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = f.chat(ask(kHaiku, "What should I wear in Oslo today?",
                      {{"tools", tools_json()}, {"stream", true}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto events = sse_data(r.body);
  std::string arguments;
  std::string id;
  std::string finish;
  for (const auto& e : events) {
    if (e == "[DONE]") continue;
    const Json choice = Json::parse(e)["choices"][0];
    if (choice["finish_reason"].is_string()) finish = choice["finish_reason"];
    if (!choice["delta"].contains("tool_calls")) continue;
    const Json call0 = choice["delta"]["tool_calls"][0];
    EXPECT_EQ(call0["index"], 0);
    if (call0.contains("id")) {
      EXPECT_TRUE(id.empty()) << "one start per call";
      id = call0["id"];
      EXPECT_EQ(call0["function"]["name"], "get_weather");
    }
    arguments += call0["function"]["arguments"].get<std::string>();
  }
  EXPECT_FALSE(id.empty()) << r.body;
  EXPECT_EQ(Json::parse(arguments)["city"], "Oslo");
  EXPECT_EQ(finish, "tool_calls");
  EXPECT_EQ(events.back(), "[DONE]");
}

// response_format json_schema: JSON content matching the schema, through the native form
// (Nova) and the forced-tool form (Claude 3 Haiku), whole and streamed.
TEST(OpenAiChatRoute, ResponseFormatJsonSchema) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  const Json format = Json::parse(R"({"type":"json_schema","json_schema":{"name":"city",
    "strict":true,"schema":{"type":"object","properties":{"name":{"type":"string"},
    "population":{"type":"integer"}},"required":["name","population"],
    "additionalProperties":false}}})");
  for (const char* model : {kNova, kHaiku}) {
    auto r = f.chat(ask(model, "Describe Paris.", {{"response_format", format}}));
    ASSERT_EQ(r.status, 200u) << model << ": " << r.body;
    const Json content =
        Json::parse(r.json()["choices"][0]["message"]["content"].get<std::string>());
    EXPECT_TRUE(content["name"].is_string()) << model;
    EXPECT_TRUE(content["population"].is_number_integer()) << model;
    EXPECT_EQ(r.json()["choices"][0]["finish_reason"], "stop") << model;
    EXPECT_FALSE(r.json()["choices"][0]["message"].contains("tool_calls")) << model;
  }
  auto streamed =
      f.chat(ask(kHaiku, "Describe Paris.", {{"response_format", format}, {"stream", true}}));
  ASSERT_EQ(streamed.status, 200u);
  std::string content;
  for (const auto& e : sse_data(streamed.body)) {
    if (e == "[DONE]") continue;
    const Json delta = Json::parse(e)["choices"][0]["delta"];
    EXPECT_FALSE(delta.contains("tool_calls"));
    if (delta.contains("content")) content += delta["content"].get<std::string>();
  }
  EXPECT_TRUE(Json::parse(content)["population"].is_number_integer()) << streamed.body;
}

// Errors in OpenAI's shape with their statuses: a parameter we cannot honour, a body that is
// not JSON, an unknown model, our own check before sending, and upstream throttling.
TEST(OpenAiChatRoute, ErrorsInOpenAiShape) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  auto n = f.chat(ask(kHaiku, "Hi", {{"n", 2}}));
  EXPECT_EQ(n.status, 400u);
  EXPECT_EQ(n.json()["error"]["type"], "invalid_request_error");
  EXPECT_EQ(n.json()["error"]["param"], "n");
  EXPECT_EQ(n.json()["error"]["code"], "unsupported_parameter");
  auto not_json = call(f.service->port(), "POST", "/v1/chat/completions", "{nope");
  EXPECT_EQ(not_json.status, 415u);
  EXPECT_TRUE(not_json.json()["error"].is_object()) << not_json.body;
  auto unknown = f.chat(ask("nosuch.model-v1:0", "Hi"));
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  EXPECT_EQ(unknown.json()["error"]["type"], "not_found_error");
  EXPECT_EQ(unknown.json()["error"]["param"], "model");
  // An id of a known provider that Bedrock does not have: Bedrock's own 400.
  auto invalid = f.chat(ask("anthropic.claude-nonexistent-v9:0", "Hi"));
  EXPECT_EQ(invalid.status, 400u) << invalid.body;
  Json assistant_first = ask(kHaiku, "Hi");
  assistant_first["messages"] = Json::array({{{"role", "assistant"}, {"content", "Hello"}}});
  auto local = f.chat(assistant_first);
  EXPECT_EQ(local.status, 400u);
  EXPECT_NE(local.json()["error"]["message"].get<std::string>().find("user message"),
            std::string::npos)
      << local.body;
  f.admin("/admin/faults", {{"next", {{"kind", "ThrottlingException"}, {"count", 2}}}});
  auto throttled = f.chat(ask(kHaiku, "Hi"));
  EXPECT_EQ(throttled.status, 429u) << throttled.body;
  EXPECT_FALSE(throttled.header("retry-after").empty());
  EXPECT_EQ(throttled.json()["error"]["type"], "rate_limit_error");
  f.admin("/admin/faults", {{"next", {{"kind", "ThrottlingException"}, {"count", 2}}}});
  auto throttled_stream = f.chat(ask(kHaiku, "Hi", {{"stream", true}}));
  EXPECT_EQ(throttled_stream.status, 429u) << "a stream that never began answers with a status";
}

// A failure after the stream began is the final event of a complete response, never a cut.
TEST(OpenAiChatRoute, FaultMidStreamIsFinalErrorEvent) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  f.admin("/admin/faults",
          {{"next", {{"kind", "stream:modelStreamErrorException@3"}, {"count", 1}}}});
  // Two requests on one connection: the failed stream must end as a complete response for the
  // second to be answered after it.
  net::testing::RawClient client(f.service->port());
  const std::string first = testing::request_bytes(
      "POST", "/v1/chat/completions",
      ask(kHaiku, "Write three sentences about the sea and the wind.", {{"stream", true}}).dump());
  client.send(first +
              testing::request_bytes("POST", "/v1/chat/completions", ask(kHaiku, "Hi").dump()));
  auto both = [](const std::string& bytes) {
    auto one = net::testing::parse_response(bytes);
    return one && net::testing::parse_response(std::string_view(bytes).substr(one->consumed));
  };
  client.read_until(both, std::chrono::seconds(10));
  auto r = net::testing::parse_response(client.received());
  ASSERT_TRUE(r) << client.received();
  ASSERT_EQ(r->status, 200u) << r->body;
  const auto events = sse_data(r->body);
  ASSERT_GE(events.size(), 3u) << r->body;
  EXPECT_TRUE(Json::parse(events[1])["choices"][0]["delta"].contains("content"));
  const Json last = Json::parse(events.back());
  ASSERT_TRUE(last.contains("error")) << r->body;
  EXPECT_EQ(last["error"]["type"], "server_error");
  EXPECT_EQ(last["error"]["code"], "ModelStreamError");
  EXPECT_EQ(r->body.find("[DONE]"), std::string::npos);
  auto second =
      net::testing::parse_response(std::string_view(client.received()).substr(r->consumed));
  ASSERT_TRUE(second) << "the connection was cut after the failed stream";
  EXPECT_EQ(second->status, 200u);
  EXPECT_EQ(Json::parse(second->body)["object"], "chat.completion");
}

// reasoning_effort on a thinking model: the reasoning comes back as reasoning_content, whole
// and as streamed deltas, apart from the answer.
TEST(OpenAiChatRoute, ReasoningContent) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  constexpr const char* kSonnet = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  auto r = f.chat(ask(kSonnet, "Why is the sea salty?", {{"reasoning_effort", "low"}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  const Json message = r.json()["choices"][0]["message"];
  EXPECT_FALSE(message["reasoning_content"].get<std::string>().empty()) << r.body;
  EXPECT_FALSE(message["content"].get<std::string>().empty());
  auto streamed = f.chat(
      ask(kSonnet, "Why is the sea salty?", {{"reasoning_effort", "low"}, {"stream", true}}));
  ASSERT_EQ(streamed.status, 200u);
  std::string reasoning;
  for (const auto& e : sse_data(streamed.body)) {
    if (e == "[DONE]") continue;
    const Json delta = Json::parse(e)["choices"][0]["delta"];
    if (delta.contains("reasoning_content"))
      reasoning += delta["reasoning_content"].get<std::string>();
  }
  EXPECT_EQ(reasoning, message["reasoning_content"]);
}

// Signed reasoning goes out as thinking_blocks and, sent back in the assistant message of the
// next turn (as a tool loop with thinking needs), passes Claude's signature check; an altered
// block is refused.
TEST(OpenAiChatRoute, ThinkingBlocksRoundTrip) {
  REQUIRE_EMULATOR();
  Fixture f;
  ASSERT_TRUE(f.service);
  constexpr const char* kSonnet = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  Json body = ask(kSonnet, "Why is the sea salty?", {{"reasoning_effort", "low"}});
  auto first = f.chat(body);
  ASSERT_EQ(first.status, 200u) << first.body;
  const Json message = first.json()["choices"][0]["message"];
  ASSERT_TRUE(message.contains("thinking_blocks")) << first.body;
  ASSERT_EQ(message["thinking_blocks"].size(), 1u) << first.body;
  EXPECT_EQ(message["thinking_blocks"][0]["thinking"], message["reasoning_content"]);
  EXPECT_FALSE(message["thinking_blocks"][0]["signature"].get<std::string>().empty());
  body["messages"].push_back(message);
  body["messages"].push_back(user("And why is it blue?"));
  auto second = f.chat(body);
  EXPECT_EQ(second.status, 200u) << second.body;
  body["messages"][1]["thinking_blocks"][0]["thinking"] = "Something else.";
  EXPECT_EQ(f.chat(body).status, 400u);
}

// The request's deadline passing mid-stream ends the stream with a final error event.
TEST(OpenAiChatRoute, DeadlineMidStreamIsFinalErrorEvent) {
  REQUIRE_EMULATOR();
  Fixture f([](ServiceOptions& o) { o.server.request_timeout = std::chrono::milliseconds(600); },
            "200");
  ASSERT_TRUE(f.service);
  auto r = f.chat(ask(kHaiku, "Write five sentences about the sea, the wind and the rain.",
                      {{"stream", true}, {"max_tokens", 400}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto events = sse_data(r.body);
  ASSERT_GE(events.size(), 2u) << r.body;
  const Json last = Json::parse(events.back());
  ASSERT_TRUE(last.contains("error")) << r.body;
  EXPECT_EQ(last["error"]["code"], "DeadlineExceeded");
}

// A reader slower than the answer: the stream waits for the peer (write() refused, then
// on_drained) instead of dropping or cutting, and every delta arrives in order.
TEST(OpenAiChatRoute, SlowReaderGetsTheWholeStream) {
  REQUIRE_EMULATOR();
  // A long canned answer, sent by the emulator at once: ~3 MB of chunks, past the stream's
  // 1 MiB queue and what the sockets hold.
  const auto fixtures =
      std::filesystem::temp_directory_path() / ("openai_slow_reader_" + std::to_string(getpid()));
  std::string text;
  for (int i = 0; text.size() < 240'000; ++i) text += "Wave " + std::to_string(i) + " rolls in. ";
  {
    std::ofstream out(fixtures);
    out << Json{{"fixtures", {{{"contains", "SLOWREADER"}, {"response", text}}}}}.dump();
  }
  Fixture f({}, "0", fixtures.string());
  std::filesystem::remove(fixtures);
  ASSERT_TRUE(f.service);
  constexpr const char* kSonnet = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  const Json body = ask(kSonnet, "SLOWREADER please", {{"max_tokens", 64000}});
  auto whole = f.chat(body);
  ASSERT_EQ(whole.status, 200u) << whole.body.substr(0, 300);
  net::testing::RawClient client(f.service->port(), 4096);
  Json streamed = body;
  streamed["stream"] = true;
  client.send(testing::request_bytes("POST", "/v1/chat/completions", streamed.dump()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the peer is not reading
  // Parsed only once the last chunk may have arrived: parsing 3 MB on every small read is
  // quadratic, and under ThreadSanitizer that alone passed the 30 s limit.
  client.read_until(
      [](const std::string& s) {
        return s.size() >= 5 && s.compare(s.size() - 5, 5, "0\r\n\r\n") == 0 &&
               net::testing::parse_response(s).has_value();
      },
      std::chrono::seconds(60));
  auto r = net::testing::parse_response(client.received());
  ASSERT_TRUE(r) << "incomplete after " << client.received().size() << " bytes";
  EXPECT_GT(r->body.size(), 2'000'000u);
  std::string content;
  const auto events = sse_data(r->body);
  for (const auto& e : events) {
    if (e == "[DONE]") continue;
    const Json delta = Json::parse(e)["choices"][0]["delta"];
    if (delta.contains("content")) content += delta["content"].get<std::string>();
  }
  EXPECT_EQ(content, whole.json()["choices"][0]["message"]["content"]);
  EXPECT_EQ(events.back(), "[DONE]");
}

// A client that leaves mid-stream cancels the upstream call: the request ends at once, not
// when the (slow) upstream stream would have.
TEST(OpenAiChatRoute, ClientLeavingCancelsUpstream) {
  REQUIRE_EMULATOR();
  Fixture f({}, "1000");
  ASSERT_TRUE(f.service);
  {
    net::testing::RawClient client(f.service->port());
    const Json body = ask(kHaiku, "Write five sentences about the sea, the wind and the rain.",
                          {{"stream", true}, {"max_tokens", 400}});
    client.send(testing::request_bytes("POST", "/v1/chat/completions", body.dump()));
    client.read_until(
        [](const std::string& s) { return s.find("\"content\":\"") != std::string::npos; },
        std::chrono::seconds(10));
    ASSERT_NE(client.received().find("text/event-stream"), std::string::npos);
    EXPECT_EQ(f.service->in_flight(), 1u);
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (f.service->in_flight() != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(f.service->in_flight(), 0u);
}

}  // namespace
}  // namespace bedrock::server
