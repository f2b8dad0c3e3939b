#include "emulator/counters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bedrock::emulator {
namespace {

// Counters aggregate per model, operation and outcome, and reset to zero.
TEST(Counters, AggregatesAndResets) {
  Counters c;
  c.record("m", "invoke", "Success", 10, 5, false);
  c.record("m", "converse", "ThrottlingException", 0, 0, true);
  c.record("n", "invoke", "Success", 1, 1, false);
  EXPECT_EQ(c.total(), 3u);
  EXPECT_EQ(c.count("m", "Success"), 1u);
  EXPECT_EQ(c.count("m", "ThrottlingException"), 1u);
  auto j = nlohmann::json::parse(c.to_json());
  EXPECT_EQ(j["total"], 3);
  EXPECT_EQ(j["retries"], 1);
  EXPECT_EQ(j["models"]["m"]["requests"], 2);
  EXPECT_EQ(j["models"]["m"]["input_tokens"], 10);
  EXPECT_EQ(j["models"]["m"]["operations"]["converse"], 1);
  c.reset();
  EXPECT_EQ(c.total(), 0u);
  EXPECT_EQ(nlohmann::json::parse(c.to_json())["models"].size(), 0u);
}

}  // namespace
}  // namespace bedrock::emulator
