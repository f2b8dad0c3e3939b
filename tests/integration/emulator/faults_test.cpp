// Injected faults and quotas as a client on the wire sees them.
#include <gtest/gtest.h>

#include "emulator_client.h"

namespace bedrock::emulator::testing {
namespace {

ServerOptions no_auth_short_stall() {
  ServerOptions o;
  o.auth.enabled = false;
  o.stall_timeout = std::chrono::seconds(2);
  return o;
}

// Each error-response fault comes back with its status and x-amzn-ErrorType.
TEST(EmulatorFaults, ErrorKindsHaveTheirStatus) {
  auto emu = start_emulator(no_auth_short_stall());
  const std::pair<FaultKind, int> cases[] = {
      {FaultKind::Throttling, 429},          {FaultKind::ServiceUnavailable, 503},
      {FaultKind::InternalServer, 500},      {FaultKind::ModelTimeout, 408},
      {FaultKind::ModelNotReady, 429},       {FaultKind::ModelError, 424},
      {FaultKind::ServiceQuotaExceeded, 400}};
  for (const auto& [kind, status] : cases) {
    emu->behavior().schedule_faults("", kind, 1);
    auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
    EXPECT_EQ(r.status, status) << to_string(kind);
    EXPECT_EQ(r.error_type(), to_string(kind));
  }
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);
  EXPECT_EQ(
      emu->counters().count("anthropic.claude-3-haiku-20240307-v1:0", "ModelTimeoutException"), 1u);
}

// drop: the connection closes without a byte; truncate: fewer body bytes than announced.
TEST(EmulatorFaults, DropAndTruncate) {
  auto emu = start_emulator(no_auth_short_stall());
  emu->behavior().schedule_faults("", FaultKind::Drop, 1);
  auto d = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_TRUE(d.closed_early);
  EXPECT_EQ(d.raw_bytes, 0u);
  EXPECT_EQ(d.status, 0);

  emu->behavior().schedule_faults("", FaultKind::Truncate, 1);
  auto t = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_TRUE(t.closed_early);
  EXPECT_EQ(t.status, 200);  // the header arrived
  EXPECT_LT(t.body.size(), std::stoul(t.header("content-length")));
}

// stall: the request is read and nothing ever comes back.
TEST(EmulatorFaults, StallSendsNothing) {
  auto emu = start_emulator(no_auth_short_stall());
  emu->behavior().schedule_faults("", FaultKind::Stall, 1);
  auto s = send(post(emu->port(), kClaudePath, kClaudeBody), std::chrono::milliseconds(300));
  EXPECT_TRUE(s.timed_out);
  EXPECT_EQ(s.raw_bytes, 0u);
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);
}

// A per-model probability of 1 fails every call to that model and no other.
TEST(EmulatorFaults, PerModelProbability) {
  auto emu = start_emulator(no_auth_short_stall());
  ASSERT_TRUE(emu->behavior().set_fault("anthropic.claude-3-haiku-20240307-v1:0",
                                        FaultKind::ServiceUnavailable, 1.0));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 503);
  }
  auto other = send(post(emu->port(), "/model/meta.llama3-8b-instruct-v1%3A0/invoke",
                         R"({"prompt":"Hi there. Bye.","max_gen_len":16})"));
  EXPECT_EQ(other.status, 200) << other.body;
}

// Requests beyond the per-minute quota are throttled like a real account.
TEST(EmulatorFaults, RpmQuotaThrottles) {
  auto emu = start_emulator(no_auth_short_stall());
  emu->behavior().set_requests_per_minute("anthropic.claude-3-haiku-20240307-v1:0", 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);
  auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.error_type(), "ThrottlingException");
  EXPECT_NE(r.body.find("Too many requests"), std::string::npos);
}

// Token quotas count input plus output tokens.
TEST(EmulatorFaults, TpmQuotaThrottles) {
  auto emu = start_emulator(no_auth_short_stall());
  emu->behavior().set_tokens_per_minute("", 30);
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);  // ~22 tokens
  auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_EQ(r.error_type(), "ThrottlingException");
  EXPECT_NE(r.body.find("tokens"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::emulator::testing
