// Prompt caching through InvokeModel's native Claude body against the real bedrock-emulator
// process, whole and streamed: the client's cache_control is accepted by an independent validator,
// the first call writes the prefix and the second reads it, and the record prices the 1-hour
// writes at their own rate.
#include <gtest/gtest.h>

#include <filesystem>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/models/registry.h"
#include "bedrock/runtime/bedrock_client.h"
#include "emulator_process.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::EmulatorProcess;

class InvokeCacheEmulator : public ::testing::TestWithParam<bool> {
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

  // One InvokeModel call (the native body), whole or streamed by the test's parameter.
  Result<InvokeResult> call(const std::string& model, const models::Prompt& prompt) {
    InvokeRequest request;
    request.model_id = model;
    request.prompt = prompt;
    request.params.max_tokens = 64;
    if (!GetParam()) return client_->invoke(request);
    return client_->invoke_stream(request, [](const models::StreamEvent&) {});
  }

  static models::Prompt manual_prompt() {
    std::string manual = "You answer questions about this manual.";
    for (int i = 0; i < 200; ++i) manual += " The pump runs at 3 bar.";
    return models::Prompt::from_user("What pressure?", manual);
  }

  std::unique_ptr<EmulatorProcess> emu_;
  std::unique_ptr<BedrockClient> client_;
};

// The system prompt is written for an hour by the first call and read by the second; the first
// call's cost has the 1h writes at 2x input (Claude Haiku 4.5: $2.00 per 1M).
TEST_P(InvokeCacheEmulator, CacheControlWritesThenReads) {
  models::Prompt prompt = manual_prompt();
  prompt.system_cache_point = models::CachePoint{models::CacheTtl::OneHour};
  auto first = call(kHaiku45, prompt);
  ASSERT_TRUE(first.has_value()) << describe(first.error());
  const InvocationRecord& written = first->record;
  EXPECT_GT(written.cache_write_input_tokens, 200);
  EXPECT_EQ(written.cache_write_1h_input_tokens, written.cache_write_input_tokens);
  EXPECT_EQ(written.cache_read_input_tokens, 0);
  EXPECT_GT(written.input_tokens, 0);  // the question, which is not cached
  EXPECT_NEAR(written.cost_usd,
              written.input_tokens * 1.00e-6 + written.output_tokens * 5.00e-6 +
                  written.cache_write_input_tokens * 2.00e-6,
              1e-12);

  auto second = call(kHaiku45, prompt);
  ASSERT_TRUE(second.has_value()) << describe(second.error());
  EXPECT_EQ(second->record.cache_read_input_tokens, written.cache_write_input_tokens);
  EXPECT_EQ(second->record.cache_write_input_tokens, 0);
  EXPECT_EQ(second->record.input_tokens, written.input_tokens);
  EXPECT_NEAR(second->record.cost_usd,
              second->record.input_tokens * 1.00e-6 + second->record.output_tokens * 5.00e-6 +
                  second->record.cache_read_input_tokens * 0.10e-6,
              1e-12);
}

// A breakpoint on the question too: the second call reads the system prefix and writes only the
// new question (five minutes, the default TTL).
TEST_P(InvokeCacheEmulator, NewQuestionReadsSystemWritesRest) {
  models::Prompt prompt = manual_prompt();
  prompt.system_cache_point = models::CachePoint{models::CacheTtl::OneHour};
  ASSERT_TRUE(call(kHaiku45, prompt).has_value());
  prompt.messages.front().text = "How long is the warranty on the pump, in years?";
  prompt.messages.front().cache_point = models::CachePoint{};
  auto r = call(kHaiku45, prompt);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_GT(r->record.cache_read_input_tokens, 200);
  EXPECT_GT(r->record.cache_write_input_tokens, 0);
  EXPECT_EQ(r->record.cache_write_1h_input_tokens, 0);
  EXPECT_EQ(r->record.input_tokens, 0);  // everything was read or written
}

// A model without prompt caching gets the body without cache_control, and no cache counts.
TEST_P(InvokeCacheEmulator, ModelWithoutCachingIgnoresCachePoints) {
  models::Prompt prompt = manual_prompt();
  prompt.system_cache_point = models::CachePoint{};
  auto r = call("anthropic.claude-3-haiku-20240307-v1:0", prompt);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.cache_write_input_tokens, 0);
  EXPECT_EQ(r->record.cache_read_input_tokens, 0);
  EXPECT_GT(r->record.input_tokens, 200);
}

INSTANTIATE_TEST_SUITE_P(WholeAndStreamed, InvokeCacheEmulator, ::testing::Bool(),
                         [](const auto& test) { return test.param ? "Streamed" : "Whole"; });

}  // namespace
}  // namespace bedrock::runtime
