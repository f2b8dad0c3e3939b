// BedrockClient against the real bedrock-emulator process: SigV4 verified by the server,
// injected faults resolved (or not) the way the client promises.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/bedrock_client.h"
#include "emulator_process.h"
#include "fakes/fixed_random.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::EmulatorProcess;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

std::unique_ptr<BedrockClient> client_for(const EmulatorProcess& emu, std::string secret = kSecret,
                                          std::optional<std::string> bearer = std::nullopt) {
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = emu.url();
  auth::Credentials c;
  c.access_key_id = kAccessKey;
  c.secret_access_key = std::move(secret);
  o.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
  o.bearer_token = std::move(bearer);
  o.transport = std::make_shared<http::CurlTransport>();
  o.random = std::make_shared<FixedRandom>(0.01);  // backoffs of 10 ms, 20 ms
  auto client = BedrockClient::create(std::move(o));
  if (!client) throw std::runtime_error(describe(client.error()));
  return std::move(*client);
}

std::vector<std::string> with_key(std::vector<std::string> flags) {
  flags.push_back("--credentials");
  flags.push_back(std::string(kAccessKey) + ":" + kSecret);
  return flags;
}

// The emulator verifies our SigV4 signature and answers; InvokeModel and Converse both work.
TEST(ClientEmulator, SignedInvokeAndConverse) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({}));
  auto client = client_for(emu);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("Say hello in one sentence."));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_FALSE(r->completion.text.empty());
  EXPECT_TRUE(r->record.tokens_reported);
  EXPECT_GT(r->record.output_tokens, 0);
  EXPECT_GT(r->record.cost_usd, 0.0);
  EXPECT_FALSE(r->record.request_id.empty());
  auto c = client->converse(kLlama, models::Prompt::from_user("Say hello."));
  ASSERT_TRUE(c.has_value()) << describe(c.error());
  EXPECT_FALSE(c->completion.text.empty());
}

// A wrong secret is rejected as a signature error and not retried.
TEST(ClientEmulator, WrongSecretIsInvalidSignature) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({}));
  auto client = client_for(emu, "not/the/right/secret/at/all/xxxxxxxx");
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidSignature) << describe(r.error());
  EXPECT_EQ(r.error().http_status, 403);
}

// A bearer API key the emulator accepts.
TEST(ClientEmulator, BearerApiKey) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--api-key", "long-term-test-key-123456"});
  auto client = client_for(emu, kSecret, std::string("long-term-test-key-123456"));
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
}

// The next two calls are throttled: the retries absorb them.
TEST(ClientEmulator, ThrottlingStormResolved) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({"--fault", "ThrottlingException=next:2"}));
  auto client = client_for(emu);
  auto r = client->invoke(kHaiku, models::Prompt::from_user("hi"));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.attempts, 3);
  EXPECT_EQ(r->record.attempt_log[0].error_code, "Throttling");
  EXPECT_FALSE(r->record.attempt_log[0].request_id.empty());
}

// A stalled answer ends with DeadlineExceeded within 250 ms of the deadline.
TEST(ClientEmulator, StallEndsOnDeadline) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({"--fault", "stall=1"}));
  auto client = client_for(emu);
  InvokeRequest req;
  req.model_id = kHaiku;
  req.prompt = models::Prompt::from_user("hi");
  req.timeout = milliseconds(1000);
  const auto t0 = Steady::now();
  auto r = client->invoke(req);
  const auto took = std::chrono::duration_cast<milliseconds>(Steady::now() - t0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded) << describe(r.error());
  EXPECT_LE(took, milliseconds(1250));
  EXPECT_GE(took, milliseconds(950));
}

// --timeout 4 with a fallback on a stalled upstream: the primary gets its share (2 s), then
// the fallback answers well inside the deadline (before the per-attempt limit the call exited
// with DeadlineExceeded after 4 s).
TEST(ClientEmulator, StalledPrimaryFallsBackWithinTheDeadline) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({"--fault", "stall=next:1"}));
  auto client = client_for(emu);
  InvokeRequest req;
  req.model_id = kHaiku;
  req.fallbacks = {kLlama};
  req.prompt = models::Prompt::from_user("hi");
  req.timeout = milliseconds(4000);
  const auto t0 = Steady::now();
  auto r = client->invoke(req);
  const auto took = std::chrono::duration_cast<milliseconds>(Steady::now() - t0);
  ASSERT_TRUE(r.has_value()) << describe(r.error()) << " after " << took.count() << " ms";
  EXPECT_EQ(r->record.model_used, kLlama);
  ASSERT_EQ(r->record.skipped.size(), 1u);
  EXPECT_EQ(r->record.skipped[0].model_id, kHaiku);
  EXPECT_EQ(r->record.attempt_log[0].error_code, "ModelTimeout");
  EXPECT_GE(took, milliseconds(1950));
  EXPECT_LE(took, milliseconds(3500));
}

// The primary model stays not-ready through its retries: the fallback model answers.
TEST(ClientEmulator, FallbackWhenPrimaryNotReady) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({"--fault", std::string(kHaiku) + "=ModelNotReadyException=1"}));
  auto client = client_for(emu);
  InvokeRequest req;
  req.model_id = kHaiku;
  req.fallbacks = {kLlama};
  req.prompt = models::Prompt::from_user("Say hello.");
  auto r = client->invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.model_used, kLlama);
  EXPECT_EQ(r->record.attempts, 4);
  ASSERT_EQ(r->record.skipped.size(), 1u);
  EXPECT_NE(r->record.skipped[0].reason.find("ModelNotReady"), std::string::npos);
}

// Validation errors from the service are never retried nor fallen back from.
TEST(ClientEmulator, ServiceValidationIsFinal) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({}));
  auto client = client_for(emu);
  auto r = client->invoke_raw(kHaiku, R"({"not":"an anthropic body"})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation) << describe(r.error());
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_FALSE(r.error().request_id.empty());
}

// CountTokens through the emulator: signed, and the count is what the same prompt is billed.
TEST(ClientEmulator, CountTokensMatchesBilledInput) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu(with_key({}));
  auto client = client_for(emu);
  const auto prompt =
      models::Prompt::from_user("Count these words, all seven of them.", "Be exact.");
  for (bool converse : {false, true}) {
    SCOPED_TRACE(converse ? "converse" : "invokeModel");
    auto counted = client->count_tokens(kHaiku, prompt, converse);
    ASSERT_TRUE(counted.has_value()) << describe(counted.error());
    EXPECT_GT(counted->input_tokens, 0);
    EXPECT_EQ(counted->record.outcome, Outcome::Success);
    EXPECT_FALSE(counted->record.request_id.empty());
    auto answered = converse ? client->converse(kHaiku, prompt) : client->invoke(kHaiku, prompt);
    ASSERT_TRUE(answered.has_value()) << describe(answered.error());
    EXPECT_EQ(counted->input_tokens, answered->record.input_tokens);
  }
}

}  // namespace
}  // namespace bedrock::runtime
