// invoke_stream through both drivers: frames split at awkward boundaries, events in order,
// retries only before the first event, partial output after it.
#include <gtest/gtest.h>

#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"
#include "stream_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;
using std::chrono::milliseconds;

class ClientStream : public ::testing::TestWithParam<Driver> {};

InvokeRequest stream_request(bool converse, std::vector<std::string> fallbacks = {}) {
  InvokeRequest r;
  r.model_id = kHaiku;
  r.prompt = models::Prompt::from_user("hi");
  r.use_converse = converse;
  r.fallbacks = std::move(fallbacks);
  return r;
}

struct Collected {
  std::vector<std::string> texts;
  int events = 0;
  StreamCallback callback() {
    return [this](const models::StreamEvent& e) {
      ++events;
      if (const auto* t = std::get_if<models::TextDelta>(&e)) texts.push_back(t->text);
    };
  }
};

// ConverseStream: every delta in order, the whole answer and usage at the end, record filled.
TEST_P(ClientStream, ConverseStreamDeliversEventsInOrder) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stream_handler(200, converse_hello(), 5));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(true), cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(got.texts, (std::vector<std::string>{"Hel", "lo."}));
  EXPECT_EQ(r->completion.text, "Hello.");
  EXPECT_EQ(r->completion.stop_reason, models::StopReason::EndTurn);
  EXPECT_EQ(r->completion.usage.input_tokens, 5);
  EXPECT_EQ(r->completion.usage.output_tokens, 2);
  EXPECT_TRUE(r->record.streamed);
  EXPECT_TRUE(r->record.time_to_first_token.has_value());
  EXPECT_EQ(r->record.request_id, "s-1");
  const auto req = h.transport->requests().at(0);
  EXPECT_NE(req.url.find("/converse-stream"), std::string::npos) << req.url;
  EXPECT_EQ(header(req, "Accept"), "application/vnd.amazon.eventstream");
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_TRUE(h.sink->records[0].streamed);
}

// InvokeModelWithResponseStream: Anthropic chunks split at every byte boundary.
TEST_P(ClientStream, InvokeStreamDecodesFamilyChunks) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  const std::string bytes = chunk_frames({
      R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":18,"output_tokens":1}}})",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"A cat"}})",
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" sat."}})",
      R"({"type":"content_block_stop","index":0})",
      R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}})",
      R"({"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":18,"outputTokenCount":6,"invocationLatency":412,"firstByteLatency":230}})",
  });
  h.transport->push_handler(stream_handler(200, bytes, 1));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(false), cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(got.texts, (std::vector<std::string>{"A cat", " sat."}));
  EXPECT_EQ(r->completion.text, "A cat sat.");
  EXPECT_EQ(r->record.input_tokens, 18);
  EXPECT_EQ(r->record.output_tokens, 6);
  const auto req = h.transport->requests().at(0);
  EXPECT_NE(req.url.find("/invoke-with-response-stream"), std::string::npos) << req.url;
  EXPECT_EQ(header(req, "X-Amzn-Bedrock-Accept"), "application/json");
}

// An exception before any content reached the caller is retried like the same HTTP error.
TEST_P(ClientStream, ExceptionBeforeFirstEventIsRetried) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(
      stream_handler(200,
                     converse_frames({{"messageStart", R"({"role":"assistant"})"}}) +
                         exception_frame("throttlingException", R"({"message":"slow down"})"),
                     3));
  h.transport->push_handler(stream_handler(200, converse_hello(), 7));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(true), cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(got.texts, (std::vector<std::string>{"Hel", "lo."}));
  EXPECT_EQ(r->record.attempts, 2);
  EXPECT_EQ(r->record.attempt_log[0].error_code, "Throttling");
  EXPECT_EQ(h.elapsed(), milliseconds(500));  // standard backoff, random 0.5
}

// After the first event a failure ends the call with what was delivered; no retry, no fallback.
TEST_P(ClientStream, FailureAfterFirstEventKeepsPartialOutput) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stream_handler(
      200,
      converse_frames(
          {{"messageStart", R"({"role":"assistant"})"},
           {"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hel"}})"}}) +
          exception_frame("modelStreamErrorException",
                          R"({"message":"boom","originalStatusCode":500})"),
      4));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(true, {kLlama}), cb);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ModelStreamError);
  EXPECT_EQ(r.error().partial_output, "Hel");
  EXPECT_EQ(got.texts, (std::vector<std::string>{"Hel"}));
  EXPECT_EQ(h.transport->calls(), 1u);
  ASSERT_EQ(h.sink->records.size(), 1u);
  EXPECT_EQ(h.sink->records[0].error_code, "ModelStreamError");
  EXPECT_TRUE(h.sink->records[0].time_to_first_token.has_value());
}

// A stream cut before its stop is an error carrying the text received.
TEST_P(ClientStream, CutStreamIsInvalidResponseWithPartialOutput) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  std::string bytes =
      converse_frames({{"contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hel"}})"}});
  bytes += converse_hello().substr(0, 10);  // half a prelude
  h.transport->push_handler(stream_handler(200, bytes, 6));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(true), cb);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse);
  EXPECT_EQ(r.error().partial_output, "Hel");
}

// A non-2xx answer to a stream request is read through the sink and classified as usual.
TEST_P(ClientStream, ErrorStatusIsClassifiedAndRetried) {
  Harness h(0.5, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stream_handler(503, R"({"message":"down"})", 4,
                                           error_headers("ServiceUnavailableException")));
  h.transport->push_handler(stream_handler(200, converse_hello(), 64));
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(stream_request(true), cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.attempt_log[0].error_code, "ServiceUnavailable");
  EXPECT_EQ(r->record.attempt_log[0].http_status, 503);
  EXPECT_EQ(r->completion.text, "Hello.");
}

// A stalled stream (no first byte) is given its share of the deadline; the fallback streams.
TEST_P(ClientStream, FirstByteLimitMovesToFallback) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler([&](const http::Request&, const http::CallOptions& o) {
    EXPECT_EQ(o.first_byte_timeout, milliseconds(2000));
    h.clock.advance(o.first_byte_timeout);
    return Result<http::Response>(fail(ErrorCode::ReadTimeout, "no response within 2 s"));
  });
  h.transport->push_handler(stream_handler(200, converse_hello(), 9));
  InvokeRequest req = stream_request(true, {kLlama});
  req.timeout = milliseconds(4000);
  Collected got;
  auto cb = got.callback();
  auto r = h.invoke_stream(req, cb);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.model_used, kLlama);
  ASSERT_EQ(r->record.skipped.size(), 1u);
  EXPECT_NE(r->record.skipped[0].reason.find("first byte"), std::string::npos)
      << r->record.skipped[0].reason;
  EXPECT_EQ(h.transport->calls(), 2u);
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ClientStream, ::testing::Values(Driver::Sync, Driver::Async),
                         driver_name);

}  // namespace
}  // namespace bedrock::runtime
