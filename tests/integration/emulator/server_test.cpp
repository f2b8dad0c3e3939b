// Routes, headers and error shapes of the emulator over real loopback HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bedrock/core/base64.h"
#include "emulator_client.h"
#include "fakes/event_stream_reader.h"

namespace bedrock::emulator::testing {
namespace {

ServerOptions no_auth() {
  ServerOptions o;
  o.auth.enabled = false;
  return o;
}

// InvokeModel answers with the native body, a request id and token-count headers that agree
// with the body's usage.
TEST(EmulatorServer, InvokeReturnsNativeBodyAndHeaders) {
  auto emu = start_emulator(no_auth());
  auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("x-amzn-requestid").size(), 36u);
  EXPECT_FALSE(r.header("date").empty());
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["type"], "message");
  EXPECT_EQ(body["content"][0]["text"], "The sky is blue. Grass is green.");
  EXPECT_EQ(r.header("x-amzn-bedrock-input-token-count"),
            std::to_string(body["usage"]["input_tokens"].get<int>()));
  EXPECT_EQ(r.header("x-amzn-bedrock-output-token-count"),
            std::to_string(body["usage"]["output_tokens"].get<int>()));
  EXPECT_EQ(r.header("x-amzn-bedrock-invocation-latency"), "0");
  // Deterministic: the same request gets the same bytes.
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).body, r.body);
}

// Repeated bodies are answered from a per-thread cache (256 entries, cleared when full); a hit
// must give the bytes a miss gives, a one-byte change must miss, and an entry evicted by 300
// other bodies must be answered again the same way.
TEST(EmulatorServer, AnswerCacheNeverChangesAnAnswer) {
  ServerOptions options = no_auth();
  options.threads = 1;  // one cache, so the eviction below really happens
  auto emu = start_emulator(options);
  const auto body_for = [](const std::string& text) {
    return R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":")" +
           text + R"("}]})";
  };
  const auto answer = [&](const std::string& text) {
    auto r = send(post(emu->port(), kClaudePath, body_for(text)));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  };
  const std::string first = answer("Rivers carry water. Hills shed rain.");
  EXPECT_EQ(answer("Rivers carry water. Hills shed rain."), first);
  EXPECT_NE(
      nlohmann::json::parse(answer("Rivers carry water! Hills shed rain."))["content"][0]["text"],
      nlohmann::json::parse(first)["content"][0]["text"]);
  for (int i = 0; i < 300; ++i) answer("Filler request " + std::to_string(i) + ".");
  EXPECT_EQ(answer("Rivers carry water. Hills shed rain."), first);

  // Converse renders from the cached request and answer; only the latency may differ.
  const std::string converse_path = "/model/us.amazon.nova-lite-v1%3A0/converse";
  const std::string converse_body =
      R"({"messages":[{"role":"user","content":[{"text":"Cats purr. Dogs bark."}]}]})";
  auto miss = nlohmann::json::parse(send(post(emu->port(), converse_path, converse_body)).body);
  auto hit = nlohmann::json::parse(send(post(emu->port(), converse_path, converse_body)).body);
  miss.erase("metrics");
  hit.erase("metrics");
  EXPECT_EQ(hit, miss);
}

// Converse answers in the family-independent shape, with usage adding up.
TEST(EmulatorServer, ConverseShape) {
  auto emu = start_emulator(no_auth());
  auto r =
      send(post(emu->port(), "/model/us.amazon.nova-lite-v1%3A0/converse",
                R"({"messages":[{"role":"user","content":[{"text":"Cats purr. Dogs bark."}]}]})"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["output"]["message"]["role"], "assistant");
  EXPECT_EQ(body["stopReason"], "end_turn");
  EXPECT_EQ(body["usage"]["totalTokens"].get<int>(),
            body["usage"]["inputTokens"].get<int>() + body["usage"]["outputTokens"].get<int>());
}

// ConverseStream answers 200 with an event stream whose deltas rebuild Converse's answer and
// whose metadata carries the same usage; it is counted under its own operation.
TEST(EmulatorServer, ConverseStreamIsAnEventStreamOfTheConverseAnswer) {
  auto emu = start_emulator(no_auth());
  const std::string body =
      R"({"messages":[{"role":"user","content":[{"text":"Cats purr. Dogs bark. Birds sing."}]}]})";
  auto r = send(post(emu->port(), "/model/us.amazon.nova-lite-v1%3A0/converse-stream", body));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(r.header("x-amzn-requestid").size(), 36u);
  auto stream = bedrock::testing::read_event_stream(r.body);
  ASSERT_EQ(stream.problem, "");
  ASSERT_GE(stream.messages.size(), 5u);
  std::string text;
  for (const auto& m : stream.messages) {
    if (m.headers.at(":event-type") != "contentBlockDelta") continue;
    text += nlohmann::json::parse(m.payload)["delta"]["text"].get<std::string>();
  }
  auto whole = nlohmann::json::parse(
      send(post(emu->port(), "/model/us.amazon.nova-lite-v1%3A0/converse", body)).body);
  EXPECT_EQ(text, whole["output"]["message"]["content"][0]["text"]);
  EXPECT_EQ(stream.messages.front().headers.at(":event-type"), "messageStart");
  EXPECT_EQ(stream.messages.back().headers.at(":event-type"), "metadata");
  EXPECT_EQ(nlohmann::json::parse(stream.messages.back().payload)["usage"], whole["usage"]);
  EXPECT_EQ(emu->counters().count("us.amazon.nova-lite-v1:0", "Success"), 2u);

  // Validation errors come back before any stream, as plain JSON errors.
  auto bad = send(post(emu->port(), "/model/us.amazon.nova-lite-v1%3A0/converse-stream", "{}"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_type(), "ValidationException");
}

// An inference-profile ARN in the path is URL-decoded into one model id, encoded or not.
TEST(EmulatorServer, DecodesArnModelIds) {
  auto emu = start_emulator(no_auth());
  const std::string encoded =
      "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus."
      "anthropic.claude-3-haiku-20240307-v1%3A0/invoke";
  EXPECT_EQ(send(post(emu->port(), encoded, kClaudeBody)).status, 200);
  const std::string literal =
      "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us."
      "anthropic.claude-3-haiku-20240307-v1:0/invoke";
  EXPECT_EQ(send(post(emu->port(), literal, kClaudeBody)).status, 200);
}

// Validation failures, unknown models and unknown routes get the AWS error shape.
// Ids as Bedrock treats them: a made-up id with a known provider prefix is invalid, a
// profile-only model refuses its plain id and answers through its profile, and --model (here
// Fixtures::add_model) serves an id the table lacks.
TEST(EmulatorServer, ModelIdsAsBedrockTreatsThem) {
  ServerOptions options = no_auth();
  options.fixtures.add_model("anthropic.claude-opus-9-20300101-v1:0");
  auto emu = start_emulator(options);
  const std::string converse = R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})";
  auto invalid =
      send(post(emu->port(), "/model/anthropic.claude-opus-8-20300101-v1%3A0/converse", converse));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.error_type(), "ValidationException");
  EXPECT_EQ(nlohmann::json::parse(invalid.body)["message"],
            "The provided model identifier is invalid.");
  auto plain = send(
      post(emu->port(), "/model/anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse", converse));
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.error_type(), "ValidationException");
  EXPECT_EQ(nlohmann::json::parse(plain.body)["message"],
            "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand "
            "throughput isn\u2019t supported. Retry your request with the ID or ARN of an "
            "inference profile that contains this model.");
  auto profile = send(post(
      emu->port(), "/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse", converse));
  EXPECT_EQ(profile.status, 200) << profile.body;
  auto added =
      send(post(emu->port(), "/model/anthropic.claude-opus-9-20300101-v1%3A0/converse", converse));
  EXPECT_EQ(added.status, 200) << added.body;
}

TEST(EmulatorServer, ErrorShapes) {
  auto emu = start_emulator(no_auth());
  auto v = send(post(emu->port(), kClaudePath, R"({"anthropic_version":"bedrock-2023-05-31"})"));
  EXPECT_EQ(v.status, 400);
  EXPECT_EQ(v.error_type(), "ValidationException");
  EXPECT_EQ(v.header("x-amzn-errortype"),
            "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
  EXPECT_FALSE(v.header("x-amzn-requestid").empty());
  EXPECT_TRUE(nlohmann::json::parse(v.body)["message"].is_string());

  auto big = send(post(emu->port(), kClaudePath,
                       R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":999999,)"
                       R"("messages":[{"role":"user","content":"hi"}]})"));
  EXPECT_EQ(big.error_type(), "ValidationException");

  // Bedrock answers an id that names no model with a ValidationException, not a 404.
  auto nf = send(post(emu->port(), "/model/nosuch.model-v1%3A0/invoke", "{}"));
  EXPECT_EQ(nf.status, 400);
  EXPECT_EQ(nf.error_type(), "ValidationException");
  EXPECT_EQ(nlohmann::json::parse(nf.body)["message"], "The provided model identifier is invalid.");

  auto unknown = send(post(emu->port(), "/model/x/frobnicate", "{}"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_type(), "UnknownOperationException");
  EXPECT_EQ(send(get(emu->port(), "/")).error_type(), "UnknownOperationException");

  // Jurassic-2 does not stream on Bedrock either.
  auto stream = send(post(emu->port(), "/model/ai21.j2-mid-v1/invoke-with-response-stream",
                          R"({"prompt":"Hi there.","maxTokens":20})"));
  EXPECT_EQ(stream.status, 400);
  EXPECT_EQ(stream.error_type(), "ValidationException");
  EXPECT_NE(stream.body.find("The model is unsupported for streaming."), std::string::npos)
      << stream.body;
}

// InvokeModelWithResponseStream: "chunk" events whose base64 "bytes" are Claude's stream
// chunks; their text deltas rebuild InvokeModel's answer and the last one has the metrics.
TEST(EmulatorServer, InvokeWithResponseStreamCarriesTheNativeChunks) {
  auto emu = start_emulator(no_auth());
  const std::string path =
      "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream";
  auto r = send(post(emu->port(), path, kClaudeBody));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(r.header("x-amzn-bedrock-content-type"), "application/json");
  auto stream = bedrock::testing::read_event_stream(r.body);
  ASSERT_EQ(stream.problem, "");
  std::string text;
  nlohmann::json last;
  for (const auto& m : stream.messages) {
    ASSERT_EQ(m.headers.at(":event-type"), "chunk");
    const auto payload = nlohmann::json::parse(m.payload);
    auto bytes = base64_decode(payload["bytes"].get<std::string>());
    ASSERT_TRUE(bytes.has_value());
    last = nlohmann::json::parse(*bytes);
    if (last["type"] == "content_block_delta") text += last["delta"]["text"].get<std::string>();
  }
  auto whole = nlohmann::json::parse(send(post(emu->port(), kClaudePath, kClaudeBody)).body);
  EXPECT_EQ(text, whole["content"][0]["text"]);
  EXPECT_EQ(last["type"], "message_stop");
  EXPECT_EQ(last["amazon-bedrock-invocationMetrics"]["outputTokenCount"],
            whole["usage"]["output_tokens"]);
}

// CountTokens counts the input of an InvokeModel body given as base64.
TEST(EmulatorServer, CountTokens) {
  auto emu = start_emulator(no_auth());
  // base64 of {"prompt":"Hello world, how are you?","max_gen_len":16}
  auto r = send(post(emu->port(), "/model/meta.llama3-8b-instruct-v1%3A0/count-tokens",
                     R"({"input":{"invokeModel":{"body":")"
                     "eyJwcm9tcHQiOiJIZWxsbyB3b3JsZCwgaG93IGFyZSB5b3U/IiwibWF4X2dlbl9sZW4iOjE2fQ=="
                     R"("}}})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GT(nlohmann::json::parse(r.body)["inputTokens"].get<int>(), 0);
}

// Fixtures replace the default answer, and scripted errors come back with their shape.
TEST(EmulatorServer, FixturesScriptAnswersAndErrors) {
  auto options = no_auth();
  options.fixtures = *Fixtures::parse(R"([
    {"contains": "weather", "response": "Sunny, 21 degrees."},
    {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}}])");
  auto emu = start_emulator(std::move(options));
  auto r = send(post(emu->port(), kClaudePath,
                     R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,)"
                     R"("messages":[{"role":"user","content":"What is the weather?"}]})"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["content"][0]["text"], "Sunny, 21 degrees.");
  auto e = send(post(emu->port(), kClaudePath,
                     R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,)"
                     R"("messages":[{"role":"user","content":"please explode"}]})"));
  EXPECT_EQ(e.status, 424);
  EXPECT_EQ(nlohmann::json::parse(e.body)["message"], "boom");
}

// Latency is applied by a timer and reported in the invocation-latency header.
TEST(EmulatorServer, FixedLatencyDelaysResponse) {
  auto emu = start_emulator(no_auth());
  emu->behavior().set_latency("", *parse_latency("150"));
  const auto start = std::chrono::steady_clock::now();
  auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds(150));
  EXPECT_EQ(r.header("x-amzn-bedrock-invocation-latency"), "150");
}

// At --max-connections, accepting pauses: a further client is served only after one closes.
TEST(EmulatorServer, MaxConnectionsPausesAccepting) {
  auto options = no_auth();
  options.max_connections = 1;
  auto emu = start_emulator(std::move(options));
  emu->behavior().set_latency("", *parse_latency("400"));
  std::thread first(
      [&] { EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  auto second = send(post(emu->port(), kClaudePath, kClaudeBody), std::chrono::seconds(5));
  first.join();
  EXPECT_EQ(second.status, 200);
  // The second had to wait for the first (~300 ms left) and then its own 400 ms.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(600));
}

}  // namespace
}  // namespace bedrock::emulator::testing
