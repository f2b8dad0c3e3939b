// Structured output and prompt-cache usage through the client (sync and async drivers, streamed
// and not): a valid answer comes back as JSON text, a mismatch is the typed SchemaMismatch error
// (not retried), and the record carries the form used and the cache token counts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"
#include "stream_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;

class ClientStructured : public ::testing::TestWithParam<Driver> {};

constexpr const char* kHaiku45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
constexpr const char* kSchema =
    R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"],)"
    R"("additionalProperties":false})";

InvokeRequest structured_request(const char* model) {
  InvokeRequest r;
  r.model_id = model;
  r.prompt = models::Prompt::from_user("Where is the Louvre?");
  r.prompt.output_schema = models::OutputSchema{"place", kSchema};
  r.use_converse = true;
  return r;
}

std::string converse_answer(const std::string& content, const char* stop = "end_turn") {
  return R"({"output":{"message":{"role":"assistant","content":[)" + content +
         R"(]}},"stopReason":")" + stop +
         R"(","usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15}})";
}

std::string tool_stream(const std::string& input_json) {
  const std::string piece1 = input_json.substr(0, input_json.size() / 2);
  const std::string piece2 = input_json.substr(input_json.size() / 2);
  auto delta = [](const std::string& p) {
    return R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":)" + nlohmann::json(p).dump() +
           "}}}";
  };
  return converse_frames({
      {"messageStart", R"({"role":"assistant"})"},
      {"contentBlockStart",
       R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t1","name":"place"}}})"},
      {"contentBlockDelta", delta(piece1)},
      {"contentBlockDelta", delta(piece2)},
      {"contentBlockStop", R"({"contentBlockIndex":0})"},
      {"messageStop", R"({"stopReason":"tool_use"})"},
      {"metadata", R"({"usage":{"inputTokens":10,"outputTokens":5,"totalTokens":15,)"
                   R"("cacheReadInputTokens":100,"cacheWriteInputTokens":0},)"
                   R"("metrics":{"latencyMs":30}})"},
  });
}

// Native form (Claude Haiku 4.5): outputConfig sent, the answer's JSON returned compact.
TEST_P(ClientStructured, NativeAnswerIsReturnedAsJsonText) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(200, converse_answer(R"({"text":"{ \"city\": \"Paris\" }"})"));
  auto r = h.invoke(structured_request(kHaiku45));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, R"({"city":"Paris"})");
  EXPECT_EQ(r->record.structured_output, "native");
  const auto body = nlohmann::json::parse(h.transport->requests().at(0).body);
  EXPECT_EQ(body["outputConfig"]["textFormat"]["type"], "json_schema");
}

// Tool form (Claude 3 Haiku): the forced tool's input is the answer.
TEST_P(ClientStructured, ToolAnswerIsReturnedAsJsonText) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200,
      converse_answer(R"({"toolUse":{"toolUseId":"t1","name":"place","input":{"city":"Paris"}}})",
                      "tool_use"));
  auto r = h.invoke(structured_request(kHaiku));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->completion.text, R"({"city":"Paris"})");
  EXPECT_TRUE(r->completion.tool_calls.empty());
  EXPECT_EQ(r->record.structured_output, "tool");
  const auto body = nlohmann::json::parse(h.transport->requests().at(0).body);
  EXPECT_EQ(body["toolConfig"]["toolChoice"]["tool"]["name"], "place");
}

// A mismatching answer is SchemaMismatch naming the pointer, sent once, recorded as a failure.
TEST_P(ClientStructured, MismatchIsTypedErrorNotRetried) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200,
      converse_answer(R"({"toolUse":{"toolUseId":"t1","name":"place","input":{"city":7}}})",
                      "tool_use"),
      {{"x-amzn-RequestId", "rid-7"}});
  auto r = h.invoke(structured_request(kHaiku));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::SchemaMismatch);
  EXPECT_NE(r.error().message.find("\"/city\""), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().request_id, "rid-7");
  EXPECT_EQ(h.transport->requests().size(), 1u);
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].outcome, Outcome::Failure);
  EXPECT_EQ(h.sink->records[0].error_code, "SchemaMismatch");
  EXPECT_EQ(h.sink->records[0].structured_output, "tool");
}

// Streamed: the tool input assembled from its deltas is the answer; cache reads are recorded.
TEST_P(ClientStructured, StreamedToolAnswerIsJsonText) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stream_handler(200, tool_stream(R"({"city":"Paris"})"), 7));
  int events = 0;
  StreamCallback cb = [&](const models::StreamEvent&) { ++events; };
  auto r = h.invoke_stream(structured_request(kHaiku), cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_GT(events, 0);
  EXPECT_EQ(r->completion.text, R"({"city":"Paris"})");
  EXPECT_EQ(r->completion.usage.cache_read_input_tokens, 100);
  EXPECT_EQ(r->record.cache_read_input_tokens, 100);
  EXPECT_EQ(r->record.structured_output, "tool");
}

// Streamed mismatch: the same typed error after the events were delivered.
TEST_P(ClientStructured, StreamedMismatchIsTypedError) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stream_handler(200, tool_stream(R"({"town":"Paris"})"), 7));
  StreamCallback cb = [](const models::StreamEvent&) {};
  auto r = h.invoke_stream(structured_request(kHaiku), cb);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::SchemaMismatch);
  EXPECT_NE(r.error().message.find("city"), std::string::npos) << r.error().message;
  EXPECT_EQ(h.transport->requests().size(), 1u);
}

// Cache counts of a Converse answer reach the record, priced at the cached rates.
TEST_P(ClientStructured, CacheUsageIsRecordedAndPriced) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_response(
      200,
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},)"
      R"("stopReason":"end_turn","usage":{"inputTokens":1000,"outputTokens":1000,)"
      R"("totalTokens":2002000,"cacheReadInputTokens":1000000,"cacheWriteInputTokens":1000000}})");
  InvokeRequest req;
  req.model_id = "anthropic.claude-3-5-haiku-20241022-v1:0";
  req.prompt = models::Prompt::from_user("hi", "long system");
  req.prompt.system_cache_point = models::CachePoint{};
  req.use_converse = true;
  auto r = h.invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.cache_read_input_tokens, 1000000);
  EXPECT_EQ(r->record.cache_write_input_tokens, 1000000);
  // Claude 3.5 Haiku: 0.80 in, 4.00 out, 0.08 read, 1.00 write per 1M.
  EXPECT_NEAR(r->record.cost_usd, 0.0008 + 0.004 + 0.08 + 1.00, 1e-9);
  EXPECT_NE(h.transport->requests().at(0).body.find("cachePoint"), std::string::npos);
}

// 1-hour cache writes are priced at 2x input: by the request's TTL when the answer has no
// cacheDetails, by cacheDetails when it has them.
TEST_P(ClientStructured, OneHourWritesPricedByTtl) {
  const std::string unsplit =
      R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},)"
      R"("stopReason":"end_turn","usage":{"inputTokens":0,"outputTokens":0,)"
      R"("totalTokens":1000000,"cacheReadInputTokens":0,"cacheWriteInputTokens":1000000)";
  InvokeRequest req;
  req.model_id = "anthropic.claude-3-5-haiku-20241022-v1:0";
  req.prompt = models::Prompt::from_user("hi", "long system");
  req.prompt.system_cache_point = models::CachePoint{models::CacheTtl::OneHour};
  req.use_converse = true;
  {
    Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
    h.transport->push_response(200, unsplit + "}}");
    auto r = h.invoke(req);
    ASSERT_TRUE(r.has_value()) << describe(r.error());
    EXPECT_EQ(r->record.cache_write_1h_input_tokens, 1000000);
    // Claude 3.5 Haiku: 0.80 in, so 1.60 per 1M for 1-hour writes.
    EXPECT_NEAR(r->record.cost_usd, 1.60, 1e-9);
  }
  {
    Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
    h.transport->push_response(200, unsplit +
                                        R"(,"cacheDetails":[{"ttl":"1h","inputTokens":250000},)"
                                        R"({"ttl":"5m","inputTokens":750000}]}})");
    auto r = h.invoke(req);
    ASSERT_TRUE(r.has_value()) << describe(r.error());
    EXPECT_EQ(r->record.cache_write_1h_input_tokens, 250000);
    EXPECT_NEAR(r->record.cost_usd, 0.25 * 1.60 + 0.75 * 1.00, 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ClientStructured,
                         ::testing::Values(Driver::Sync, Driver::Async), driver_name);

}  // namespace
}  // namespace bedrock::runtime
