// The admin endpoint: run-time faults, latency and quotas, counters and reset.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator_client.h"

namespace bedrock::emulator::testing {
namespace {

// POST /admin/faults schedules "next N" faults; counters show what happened; reset clears.
TEST(EmulatorAdmin, FaultsCountersReset) {
  auto emu = start_emulator(no_auth());
  const auto admin = *emu->admin_port();
  auto f =
      send(post(admin, "/admin/faults", R"({"next":{"kind":"ThrottlingException","count":2}})"));
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 429);
  auto retry = post(emu->port(), kClaudePath, kClaudeBody);
  retry.headers.push_back({"amz-sdk-request", "attempt=2; max=3"});
  EXPECT_EQ(send(retry).status, 429);
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);

  auto c = send(get(admin, "/admin/counters"));
  ASSERT_EQ(c.status, 200);
  auto j = nlohmann::json::parse(c.body);
  const auto& m = j["models"]["anthropic.claude-3-haiku-20240307-v1:0"];
  EXPECT_EQ(m["outcomes"]["ThrottlingException"], 2);
  EXPECT_EQ(m["outcomes"]["Success"], 1);
  EXPECT_EQ(m["operations"]["invoke"], 3);
  EXPECT_EQ(m["retries"], 1);
  EXPECT_EQ(j["total"], 3);

  EXPECT_EQ(send(post(admin, "/admin/reset", "")).status, 200);
  EXPECT_EQ(nlohmann::json::parse(send(get(admin, "/admin/counters")).body)["total"], 0);
}

// Probabilities, latency and quotas set at run time take effect and show in /admin/config.
TEST(EmulatorAdmin, LatencyQuotasAndConfig) {
  auto emu = start_emulator(no_auth());
  const auto admin = *emu->admin_port();
  ASSERT_EQ(send(post(admin, "/admin/latency", R"({"latency_ms":120})")).status, 200);
  ASSERT_EQ(send(post(admin, "/admin/quotas",
                      R"({"model":"anthropic.claude-3-haiku-20240307-v1:0","rpm":1})"))
                .status,
            200);
  auto r = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_EQ(r.header("x-amzn-bedrock-invocation-latency"), "120");
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).error_type(), "ThrottlingException");
  ASSERT_EQ(
      send(post(admin, "/admin/faults", R"({"faults":{"InternalServerException":1.0}})")).status,
      200);
  auto cfg = nlohmann::json::parse(send(get(admin, "/admin/config")).body);
  EXPECT_EQ(cfg["*"]["latency_ms"], "120");
  EXPECT_EQ(cfg["*"]["faults"]["InternalServerException"], 1.0);
  EXPECT_EQ(cfg["anthropic.claude-3-haiku-20240307-v1:0"]["rpm"], 1);
}

// Bad admin input is a 400 with a message and changes nothing; unknown routes are 404.
TEST(EmulatorAdmin, RejectsBadInput) {
  auto emu = start_emulator(no_auth());
  const auto admin = *emu->admin_port();
  EXPECT_EQ(send(post(admin, "/admin/faults", "not json")).status, 400);
  auto over =
      send(post(admin, "/admin/faults", R"({"faults":{"ThrottlingException":0.8,"drop":0.8}})"));
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.body.find("add up"), std::string::npos);
  EXPECT_EQ(send(post(admin, "/admin/latency", R"({"latency_ms":"fast"})")).status, 400);
  EXPECT_EQ(send(post(admin, "/admin/quotas", R"({"rpm":-1})")).status, 400);
  EXPECT_EQ(send(get(admin, "/admin/nothing")).status, 404);
  EXPECT_EQ(send(get(admin, "/admin/config")).body, "{}");
  EXPECT_EQ(send(get(admin, "/admin/health")).status, 200);
}

}  // namespace
}  // namespace bedrock::emulator::testing
