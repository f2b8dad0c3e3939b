// ModelInfo values for the emulation tests, built here so the suite does not depend on the
// registry table (limits as in docs/wire-protocol.md §10).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/model/request_checks.h"

namespace bedrock::emulator::model::testing {

inline ModelInfo model(std::string id, ModelFamily family, int max_output, int context = 200000) {
  ModelInfo m;
  m.id = std::move(id);
  m.display_name = m.id;
  m.family = family;
  m.context_window = context;
  m.max_output_tokens = max_output;
  return m;
}

inline ModelInfo claude_haiku() {
  return model("anthropic.claude-3-haiku-20240307-v1:0", ModelFamily::AnthropicMessages, 4096);
}
inline ModelInfo claude_sonnet_4() {
  return model("anthropic.claude-sonnet-4-20250514-v1:0", ModelFamily::AnthropicMessages, 64000);
}
inline ModelInfo claude_v2() {
  return model("anthropic.claude-v2:1", ModelFamily::AnthropicText, 4096);
}
inline ModelInfo titan_express() {
  return model("amazon.titan-text-express-v1", ModelFamily::TitanText, 8192, 8192);
}
inline ModelInfo nova_lite() {
  return model("amazon.nova-lite-v1:0", ModelFamily::Nova, 5000, 300000);
}
inline ModelInfo llama2() { return model("meta.llama2-13b-chat-v1", ModelFamily::Llama2, 2048); }
inline ModelInfo llama3() {
  return model("meta.llama3-8b-instruct-v1:0", ModelFamily::Llama3, 2048, 8192);
}
inline ModelInfo mistral_7b() {
  return model("mistral.mistral-7b-instruct-v0:2", ModelFamily::MistralText, 8192, 32000);
}
inline ModelInfo mistral_large_2407() {
  return model("mistral.mistral-large-2407-v1:0", ModelFamily::MistralChat, 8191, 128000);
}
inline ModelInfo cohere_command() {
  return model("cohere.command-text-v14", ModelFamily::CohereCommand, 4096, 4096);
}
inline ModelInfo cohere_command_r() {
  return model("cohere.command-r-v1:0", ModelFamily::CohereCommandR, 4096, 128000);
}
inline ModelInfo jurassic() {
  return model("ai21.j2-mid-v1", ModelFamily::Ai21Jurassic, 8191, 8191);
}
inline ModelInfo jamba() {
  return model("ai21.jamba-1-5-mini-v1:0", ModelFamily::Ai21Jamba, 4096, 256000);
}
inline ModelInfo deepseek() {
  return model("deepseek.r1-v1:0", ModelFamily::DeepSeek, 32768, 128000);
}
inline ModelInfo gpt_oss() {
  return model("openai.gpt-oss-20b-1:0", ModelFamily::OpenAiGptOss, 128000, 128000);
}

// Parses a request, or fails the test with the error message.
inline EmulatedRequest parse_ok(const ModelInfo& m, const std::string& body) {
  auto r = parse_native_request(m, body);
  if (!r) throw std::runtime_error("unexpected error: " + r.error().message);
  return *r;
}

// The message of the Validation error a body must produce ("" when it parsed).
inline std::string parse_error(const ModelInfo& m, const std::string& body) {
  auto r = parse_native_request(m, body);
  if (r) return "";
  if (r.error().code != ErrorCode::Validation || r.error().http_status != 400 ||
      r.error().aws_type != "ValidationException") {
    return "wrong error kind: " + r.error().message;
  }
  return r.error().message;
}

inline std::string malformed(const std::string& detail) {
  return "Malformed input request: " + detail + ", please reformat your input and try again.";
}

}  // namespace bedrock::emulator::model::testing
