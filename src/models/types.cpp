#include "bedrock/models/types.h"

#include <array>
#include <cctype>
#include <utility>

namespace bedrock::models {
namespace {

constexpr std::array<std::pair<ModelFamily, std::string_view>, 14> kFamilyNames{{
    {ModelFamily::AnthropicMessages, "anthropic-messages"},
    {ModelFamily::AnthropicText, "anthropic-text"},
    {ModelFamily::TitanText, "titan-text"},
    {ModelFamily::Nova, "nova"},
    {ModelFamily::Llama2, "llama2"},
    {ModelFamily::Llama3, "llama3"},
    {ModelFamily::MistralText, "mistral-text"},
    {ModelFamily::MistralChat, "mistral-chat"},
    {ModelFamily::CohereCommand, "cohere-command"},
    {ModelFamily::CohereCommandR, "cohere-command-r"},
    {ModelFamily::Ai21Jurassic, "ai21-jurassic"},
    {ModelFamily::Ai21Jamba, "ai21-jamba"},
    {ModelFamily::DeepSeek, "deepseek"},
    {ModelFamily::OpenAiGptOss, "openai-gpt-oss"},
}};

// Config files and flags are typed by people: "Mistral_Chat", "mistral-chat" and
// "MistralChat" all mean the same family, so separators and case are ignored.
std::string fold(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::EndTurn:
      return "end_turn";
    case StopReason::MaxTokens:
      return "max_tokens";
    case StopReason::StopSequence:
      return "stop_sequence";
    case StopReason::ContentFiltered:
      return "content_filtered";
    case StopReason::ToolUse:
      return "tool_use";
    case StopReason::Unknown:
      break;
  }
  return "unknown";
}

Message assistant_turn(const Completion& answer) {
  Message out{Role::Assistant, answer.text};
  out.tool_uses = answer.tool_calls;
  out.reasoning = answer.reasoning_blocks;
  return out;
}

std::string_view to_string(ModelFamily family) {
  for (const auto& [value, name] : kFamilyNames) {
    if (value == family) return name;
  }
  return "unknown";
}

std::optional<ModelFamily> family_from_string(std::string_view name) {
  const std::string folded = fold(name);
  if (folded.empty()) return std::nullopt;
  for (const auto& [value, spelled] : kFamilyNames) {
    if (fold(spelled) == folded) return value;
  }
  return std::nullopt;
}

}  // namespace bedrock::models
