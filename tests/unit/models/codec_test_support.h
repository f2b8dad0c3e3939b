// Shared helpers of the models unit tests: golden files and the standard prompts.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models::testing {

// Claude 3.7 Sonnet, the oldest model that takes cache points.
inline constexpr const char* kSonnet37 = "anthropic.claude-3-7-sonnet-20250219-v1:0";

inline std::string read_golden(const std::string& relative) {
  std::ifstream in(std::string(BEDROCK_SOURCE_DIR) + "/tests/data/models/" + relative,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline nlohmann::json golden_json(const std::string& relative) {
  return nlohmann::json::parse(read_golden(relative));
}

// The system + user prompt of docs/wire-protocol.md §7.1.
inline InferenceParams max_tokens(int n) {
  InferenceParams params;
  params.max_tokens = n;
  return params;
}

inline Prompt system_user_prompt() {
  return Prompt::from_user("Summarize: The cat sat.", "You are terse.");
}

// Two exchanges: user, assistant, user (the Cohere Command R example of docs/wire-protocol.md
// §7.9).
inline Prompt multi_turn_prompt() {
  Prompt p;
  p.system = "You are terse.";
  p.messages = {
      {Role::User, "Hi"}, {Role::Assistant, "Hello!"}, {Role::User, "Name three colors."}};
  return p;
}

inline ModelInfo model(const char* id) {
  const ModelInfo* info = ModelRegistry::builtin().find(id);
  return info != nullptr ? *info : ModelInfo{};
}

}  // namespace bedrock::models::testing
