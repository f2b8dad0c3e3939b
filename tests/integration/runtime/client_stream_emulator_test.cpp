// BedrockClient::invoke_stream against the real bedrock-emulator through CurlTransport: every
// family the emulator streams (InvokeModelWithResponseStream) and ConverseStream, decoded from
// the real wire into the same answer the non-streamed call gives.
#include <gtest/gtest.h>

#include <filesystem>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/bedrock_client.h"
#include "emulator_process.h"
#include "streamed_families.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::EmulatorProcess;

std::unique_ptr<BedrockClient> stream_client(const EmulatorProcess& emu) {
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = emu.url();
  auth::Credentials c;
  c.access_key_id = kAccessKey;
  c.secret_access_key = kSecret;
  o.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
  o.transport = std::make_shared<http::CurlTransport>();
  auto client = BedrockClient::create(std::move(o));
  if (!client) throw std::runtime_error(describe(client.error()));
  return std::move(*client);
}

// Each streamed family: text arrives as deltas whose concatenation is the answer, the stop
// reason and usage arrive, and the result equals the non-streamed call's text.
TEST(ClientStreamEmulator, EveryStreamedFamily) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--credentials", std::string(kAccessKey) + ":" + kSecret});
  auto client = stream_client(emu);
  for (const auto& f : testing::kStreamedFamilies) {
    InvokeRequest req;
    req.model_id = f.model_id;
    req.prompt = models::Prompt::from_user("Write one short sentence about the sea.");
    req.use_converse = f.converse;
    std::string streamed;
    int deltas = 0;
    bool stopped = false;
    auto r = client->invoke_stream(req, [&](const models::StreamEvent& e) {
      if (const auto* t = std::get_if<models::TextDelta>(&e)) {
        streamed += t->text;
        ++deltas;
      }
      if (std::holds_alternative<models::MessageStop>(e)) stopped = true;
    });
    ASSERT_TRUE(r.has_value()) << f.model_id << (f.converse ? " converse: " : ": ")
                               << describe(r.error());
    EXPECT_FALSE(r->completion.text.empty()) << f.model_id;
    EXPECT_EQ(streamed, r->completion.text) << f.model_id;
    EXPECT_GE(deltas, 1) << f.model_id;
    EXPECT_TRUE(stopped) << f.model_id;
    EXPECT_TRUE(r->record.streamed);
    EXPECT_TRUE(r->record.time_to_first_token.has_value());
    EXPECT_TRUE(r->completion.usage.reported) << f.model_id;
    EXPECT_EQ(r->record.model_used, f.model_id);

    auto whole = client->invoke(req);
    ASSERT_TRUE(whole.has_value()) << describe(whole.error());
    EXPECT_EQ(whole->completion.text, r->completion.text) << f.model_id;
  }
}

// A family whose stream shape is not known is refused before anything is sent: streaming
// it via InvokeModel is an input error (Converse streams it), so the call ends there.
TEST(ClientStreamEmulator, UnstreamableFamilyIsRefusedBeforeSending) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--credentials", std::string(kAccessKey) + ":" + kSecret});
  auto client = stream_client(emu);
  InvokeRequest req;
  req.model_id = "ai21.j2-ultra-v1";  // Jurassic-2: Bedrock never streamed it
  req.prompt = models::Prompt::from_user("hi");
  int events = 0;
  auto r = client->invoke_stream(req, [&](const models::StreamEvent&) { ++events; });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_NE(r.error().message.find("use Converse"), std::string::npos) << r.error().message;
  EXPECT_EQ(events, 0);
}

}  // namespace
}  // namespace bedrock::runtime
