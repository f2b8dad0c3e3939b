// What the runtime suites share: the models they call, the emulator's test credentials, and
// whether the emulator binary is there to start.
#pragma once

#include <filesystem>
#include <string>

namespace bedrock::runtime {

inline constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
inline constexpr const char* kLlama = "meta.llama3-8b-instruct-v1:0";
inline constexpr const char* kHaiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
inline constexpr const char* kAccessKey = "AKIDEMULATOR";
inline constexpr const char* kSecret = "emulator/secret/key/0123456789abcdef";

inline bool emulator_built() {
  return std::filesystem::exists(std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator");
}

}  // namespace bedrock::runtime

#define REQUIRE_EMULATOR()                 \
  if (!bedrock::runtime::emulator_built()) \
  GTEST_SKIP() << "bedrock-emulator not built in " << BEDROCK_BIN_DIR
