#include "emulator/options.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/admin_api.h"
#include "emulator/auth_verifier.h"
#include "fakes/fake_clock.h"

namespace bedrock::emulator {
namespace {

// [MODEL=] prefixes are split off only when the value has more '=' than its own grammar.
TEST(SplitModelScope, SeparatesModelFromValue) {
  auto a = split_model_scope("250");
  EXPECT_EQ(a.model, "");
  EXPECT_EQ(a.value, "250");
  auto b = split_model_scope("anthropic.claude-3-haiku-20240307-v1:0=200:900");
  EXPECT_EQ(b.model, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(b.value, "200:900");
  auto c = split_model_scope("ThrottlingException=0.5", 1);
  EXPECT_EQ(c.model, "");
  auto d = split_model_scope("m1=drop=next:2", 1);
  EXPECT_EQ(d.model, "m1");
  EXPECT_EQ(d.value, "drop=next:2");
  EXPECT_EQ(split_model_scope("*=5").model, "");
}

// AK:SK and AK:SK:TOKEN parse; a missing secret is an error.
TEST(ParseCredential, KeyPairsAndTokens) {
  auto c = parse_credential("AKID:secret");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "secret");
  EXPECT_EQ(c->session_token, "");
  auto t = parse_credential("ASIA:secret:tok:en");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->session_token, "tok:en");
  EXPECT_FALSE(parse_credential("AKID"));
  EXPECT_FALSE(parse_credential("AKID:"));
  EXPECT_FALSE(parse_credential(":x"));
}

// Flags are validated and applied to the emulator's behaviour.
TEST(BuildEmulator, AppliesFlags) {
  CommandLine cl;
  cl.no_auth = true;
  cl.latency = {"10", "m1=200:900"};
  cl.per_token = {"m1=2"};
  cl.faults = {"ThrottlingException=0.5", "m1=drop=next:2"};
  cl.rpm = {"m1=60"};
  cl.tpm = {"m1=1000"};
  auto built = build_emulator(cl);
  ASSERT_TRUE(built) << built.error().message;
  auto cfg = nlohmann::json::parse(built->emulator->behavior().describe_json());
  EXPECT_EQ(cfg["*"]["latency_ms"], "10");
  EXPECT_EQ(cfg["*"]["faults"]["ThrottlingException"], 0.5);
  EXPECT_EQ(cfg["m1"]["latency_ms"], "200:900+2ms/token");
  EXPECT_EQ(cfg["m1"]["next"][0]["kind"], "drop");
  EXPECT_EQ(cfg["m1"]["rpm"], 60);
  EXPECT_EQ(cfg["m1"]["tpm"], 1000);
}

// --stream-token-ms sets the pace of streams (shown in the config once changed), and the
// in-stream fault kinds parse from --fault with their parameters.
TEST(BuildEmulator, StreamPacingAndStreamFaults) {
  CommandLine cl;
  cl.no_auth = true;
  cl.stream_token_ms = 7;
  cl.faults = {"stream:stall@3/250=next:1", "m1=stream:modelStreamErrorException@2=0.25"};
  auto built = build_emulator(cl);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_DOUBLE_EQ(built->emulator->behavior().stream_token_ms(), 7.0);
  auto cfg = nlohmann::json::parse(built->emulator->behavior().describe_json());
  EXPECT_EQ(cfg["*"]["stream_token_ms"], 7.0);
  EXPECT_EQ(cfg["*"]["next"][0]["kind"], "stream:stall@3/250");
  EXPECT_EQ(cfg["m1"]["faults"]["stream:modelStreamErrorException@2"], 0.25);
  cl.faults = {"stream:drop@x=0.1"};
  EXPECT_FALSE(build_emulator(cl));
  cl.faults.clear();
  cl.stream_token_ms = -1;
  auto negative = build_emulator(cl);
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("--stream-token-ms"), std::string::npos);
  CommandLine defaults;
  defaults.no_auth = true;
  auto built_default = build_emulator(defaults);
  ASSERT_TRUE(built_default);
  EXPECT_DOUBLE_EQ(built_default->emulator->behavior().stream_token_ms(), kDefaultStreamTokenMs);
}

// Bad flags name themselves; an emulator that would accept no request is refused.
TEST(BuildEmulator, RejectsBadFlags) {
  CommandLine none;
  auto r = build_emulator(none);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("--no-auth"), std::string::npos);
  CommandLine cl;
  cl.no_auth = true;
  cl.faults = {"ThrottlingException=0.7", "InternalServerException=0.7"};
  EXPECT_FALSE(build_emulator(cl));
  cl.faults.clear();
  cl.rpm = {"m=-1"};
  EXPECT_FALSE(build_emulator(cl));
  cl.rpm.clear();
  cl.latency = {"fast"};
  EXPECT_FALSE(build_emulator(cl));
  cl.latency.clear();
  cl.fixtures_file = "/nonexistent.json";
  EXPECT_FALSE(build_emulator(cl));
  cl.fixtures_file.clear();
  // --model takes a plain id of a known provider, not a profile or a stranger's id.
  cl.models = {"us.anthropic.claude-opus-9-20300101-v1:0"};
  EXPECT_FALSE(build_emulator(cl));
  cl.models = {"acme.model-v1"};
  EXPECT_FALSE(build_emulator(cl));
  cl.models = {"anthropic.claude-opus-9-20300101-v1:0"};
  EXPECT_TRUE(build_emulator(cl));
}

// A config file uses the admin bodies; unknown sections are errors.
TEST(ApplyConfigJson, UsesAdminBodies) {
  FakeClock clock;
  Behavior b(clock, 1);
  ASSERT_TRUE(apply_config_json(b, R"({"faults": {"faults": {"drop": 0.1},
      "next": {"kind": "ThrottlingException", "count": 2}},
      "latency": [{"latency_ms": "100-200"}, {"model": "m", "latency_ms": 5}],
      "quotas": {"model": "m", "rpm": 3}})"));
  auto cfg = nlohmann::json::parse(b.describe_json());
  EXPECT_EQ(cfg["*"]["faults"]["drop"], 0.1);
  EXPECT_EQ(cfg["*"]["next"][0]["remaining"], 2);
  EXPECT_EQ(cfg["*"]["latency_ms"], "100-200");
  EXPECT_EQ(cfg["m"]["rpm"], 3);
  EXPECT_FALSE(apply_config_json(b, R"({"bogus": {}})"));
  EXPECT_FALSE(apply_config_json(b, R"({"faults": {"faults": {"drop": 2}}})"));
  EXPECT_FALSE(apply_config_json(b, "[]"));
}

}  // namespace
}  // namespace bedrock::emulator
