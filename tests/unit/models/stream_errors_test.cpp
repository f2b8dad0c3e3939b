// Failures in a stream: every in-stream exception kind becomes the typed error the same
// failure gets outside a stream, and hostile or broken payloads are refused with
// InvalidResponse (or repaired, for invalid UTF-8) without throwing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bedrock/core/utf8.h"
#include "bedrock/models/codec.h"
#include "stream_test_support.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

struct ExceptionCase {
  const char* member;
  ErrorCode code;
  const char* aws_type;
  bool retryable;
};

// Each exception member maps to its code, AWS name and the code's retry default (§2.4, §2.6).
TEST(StreamException, EveryKindIsTyped) {
  const ExceptionCase cases[] = {
      {"throttlingException", ErrorCode::Throttling, "ThrottlingException", true},
      {"modelStreamErrorException", ErrorCode::ModelStreamError, "ModelStreamErrorException",
       false},
      {"validationException", ErrorCode::Validation, "ValidationException", false},
      {"internalServerException", ErrorCode::InternalServer, "InternalServerException", true},
      {"serviceUnavailableException", ErrorCode::ServiceUnavailable, "ServiceUnavailableException",
       true},
      {"modelTimeoutException", ErrorCode::ModelTimeout, "ModelTimeoutException", false},
  };
  for (const auto& c : cases) {
    const std::string bytes = testing::exception_message(c.member, R"({"message":"slow down"})");
    for (int api = 0; api < 2; ++api) {
      auto events = api == 0 ? testing::decode_converse_bytes(bytes)
                             : testing::decode_invoke_bytes(bytes, F::TitanText);
      ASSERT_TRUE(events.has_value()) << c.member;
      ASSERT_EQ(events->size(), 1u);
      const auto* failure = std::get_if<StreamFailure>(&events->front());
      ASSERT_NE(failure, nullptr) << c.member;
      EXPECT_EQ(failure->error.code, c.code) << c.member;
      EXPECT_EQ(failure->error.aws_type, c.aws_type);
      EXPECT_EQ(failure->error.retryable, c.retryable) << c.member;
      EXPECT_EQ(failure->error.message, "slow down");
    }
  }
}

// modelStreamErrorException keeps the model's status and message.
TEST(StreamException, ModelStreamErrorKeepsOriginal) {
  const Error e = stream_exception_error(
      "modelStreamErrorException",
      R"({"message":"Model failed","originalStatusCode":503,"originalMessage":"overloaded","p":"ab"})");
  EXPECT_EQ(e.code, ErrorCode::ModelStreamError);
  EXPECT_EQ(e.original_status, 503);
  EXPECT_NE(e.message.find("Model failed"), std::string::npos);
  EXPECT_NE(e.message.find("overloaded"), std::string::npos);
}

// An unknown kind or unreadable payload still yields a typed (Unknown) error.
TEST(StreamException, UnknownKindAndBadPayload) {
  const Error e = stream_exception_error("newFancyException", "not json{");
  EXPECT_EQ(e.code, ErrorCode::Unknown);
  EXPECT_EQ(e.aws_type, "newFancyException");
  EXPECT_FALSE(e.message.empty());
}

// After a failure the accumulator keeps the text so far and finish() returns the error.
TEST(StreamException, AccumulatorKeepsTextAndReturnsFailure) {
  std::string bytes;
  append_event(bytes, "contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Partial"}})");
  bytes += testing::exception_message("throttlingException", R"({"message":"Too many"})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value());
  const auto acc = testing::accumulate(*events);
  EXPECT_EQ(acc.completion().text, "Partial");
  auto out = acc.finish();
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::Throttling);
}

// A stream cut before the stop reason is an InvalidResponse at the end.
TEST(StreamAccumulatorEnd, CutStreamIsInvalidResponse) {
  StreamAccumulator acc;
  acc.add(TextDelta{0, "half"});
  auto out = acc.finish();
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
}

Result<std::vector<StreamEvent>> one_chunk(F family, const std::string& chunk) {
  return testing::decode_invoke_bytes(testing::frame_chunks({chunk}), family);
}

// Malformed chunks of every streaming family are InvalidResponse, never an exception.
TEST(StreamLimits, MalformedChunksRefused) {
  const std::vector<std::pair<F, std::string>> bad = {
      {F::AnthropicMessages, "{not json"},
      {F::AnthropicMessages, R"(["an","array"])"},
      {F::AnthropicMessages,
       R"({"type":"content_block_delta","delta":{"type":"text_delta","text":5}})"},
      {F::AnthropicMessages,
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}})"},
      {F::AnthropicMessages, R"({"type":"content_block_start","index":0})"},
      {F::TitanText, R"({"outputText":["x"]})"},
      {F::Nova, R"({"contentBlockDelta":{"delta":"text","contentBlockIndex":0}})"},
      {F::Nova, R"({"contentBlockDelta":{"delta":{"text":"a"},"contentBlockIndex":-1}})"},
      {F::Llama3, R"({"generation":{"a":1}})"},
      {F::MistralText, R"({"outputs":[{"text":"a","stop_reason":7}]})"},
      {F::DeepSeek, R"({"choices":[{"text":true}]})"},
      {F::AnthropicText, ""},
  };
  for (const auto& [family, chunk] : bad) {
    auto out = one_chunk(family, chunk);
    ASSERT_FALSE(out.has_value()) << to_string(family) << ": " << chunk;
    EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse) << chunk;
  }
}

// Deep nesting is refused before the parser sees it, in chunks and Converse payloads.
TEST(StreamLimits, DeepNestingRefused) {
  const std::string deep =
      R"({"outputText":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto out = one_chunk(F::TitanText, deep);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(out.error().message.find("deeper"), std::string::npos);

  std::string bytes;
  append_event(bytes, "metadata",
               R"({"usage":)" + std::string(65, '{') + std::string(65, '}') + "}");
  auto converse = testing::decode_converse_bytes(bytes);
  ASSERT_FALSE(converse.has_value());
  EXPECT_EQ(converse.error().code, ErrorCode::InvalidResponse);
}

// Brackets inside strings do not count towards the depth.
TEST(StreamLimits, BracketsInStringsAreText) {
  const std::string text(200, '[');
  auto out =
      one_chunk(F::TitanText, R"({"outputText":")" + text + R"(","completionReason":"FINISHED"})");
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(testing::accumulate(*out).completion().text, text);
}

// Over-size chunks and payloads are refused by length.
TEST(StreamLimits, OversizedRefused) {
  const std::string huge = R"({"outputText":")" + std::string(1'000'001, 'a') + R"("})";
  auto out = one_chunk(F::TitanText, huge);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(out.error().message.find("over the limit"), std::string::npos);

  StreamState small;
  small.limits.max_chunk_bytes = 10;
  auto refused = codec_for(F::Llama3).decode_stream_chunk(R"({"generation":"0123456789"})", small);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidResponse);
}

// DeepSeek never holds more unclassified text than the limit.
TEST(StreamLimits, DeepSeekHeldTextBounded) {
  StreamState state;
  state.limits.max_held_bytes = 16;
  auto first =
      codec_for(F::DeepSeek).decode_stream_chunk(R"({"choices":[{"text":"0123456789"}]})", state);
  ASSERT_TRUE(first.has_value());
  auto second =
      codec_for(F::DeepSeek).decode_stream_chunk(R"({"choices":[{"text":"0123456789"}]})", state);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::InvalidResponse);
}

// Invalid UTF-8 inside a delta is replaced by U+FFFD; the rest of the text survives.
TEST(StreamLimits, InvalidUtf8Replaced) {
  auto out = one_chunk(
      F::TitanText, "{\"outputText\":\"ok \xC3\x28 \xFF end\",\"completionReason\":\"FINISHED\"}");
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(testing::accumulate(*out).completion().text, "ok \xEF\xBF\xBD( \xEF\xBF\xBD end");

  std::string bytes;
  append_event(bytes, "contentBlockDelta",
               "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\xE2\x82\"}}");
  auto converse = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(converse.has_value()) << converse.error().message;
  EXPECT_TRUE(is_valid_utf8(testing::accumulate(*converse).completion().text));
}

// Bad framing of the chunk event itself: no bytes, bad base64, no message type.
TEST(StreamLimits, BadChunkEventsRefused) {
  for (const char* payload : {R"({"p":"abc"})", R"({"bytes":"!!notbase64"})", R"({"bytes":7})"}) {
    std::string bytes;
    append_event(bytes, "chunk", payload);
    auto out = testing::decode_invoke_bytes(bytes, F::TitanText);
    ASSERT_FALSE(out.has_value()) << payload;
    EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse) << payload;
  }
  std::string untyped;
  append_event_stream_message(untyped, {{":event-type", "chunk"}}, "{}");
  auto out = testing::decode_invoke_bytes(untyped, F::TitanText);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
  auto converse = testing::decode_converse_bytes(untyped);
  ASSERT_FALSE(converse.has_value());
}

// Unknown events and members are skipped, for forward compatibility.
TEST(StreamLimits, UnknownEventsIgnored) {
  std::string bytes;
  append_event(bytes, "somethingNew", R"({"x":1})");
  append_event(bytes, "contentBlockDelta",
               R"({"contentBlockIndex":0,"delta":{"citation":{"title":"t"}},"p":"abc"})");
  auto events = testing::decode_converse_bytes(bytes);
  ASSERT_TRUE(events.has_value());
  EXPECT_TRUE(events->empty());
  auto ping = one_chunk(F::AnthropicMessages, R"({"type":"ping"})");
  ASSERT_TRUE(ping.has_value());
  EXPECT_TRUE(ping->empty());
}

}  // namespace
}  // namespace bedrock::models
