// The family-independent vocabulary of a model call: what we ask (Prompt, InferenceParams)
// and what comes back (Completion). Every codec translates between these and a native body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock::models {

enum class Role { User, Assistant };

struct Message {
  Role role = Role::User;
  std::string text;
};

struct Prompt {
  std::string system;  // empty = no system prompt
  // Alternating, starting and ending with a user turn. A final assistant turn (answer
  // prefill) is accepted only by families that can continue one (see codec.h).
  std::vector<Message> messages;

  static Prompt from_user(std::string text, std::string system = {}) {
    Prompt p;
    p.system = std::move(system);
    p.messages.push_back({Role::User, std::move(text)});
    return p;
  }
};

// Unset fields are not sent: the model's own default applies.
struct InferenceParams {
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  std::vector<std::string> stop_sequences;
};

enum class StopReason { EndTurn, MaxTokens, StopSequence, ContentFiltered, ToolUse, Unknown };

std::string_view to_string(StopReason reason);

struct TokenUsage {
  int input_tokens = 0;
  int output_tokens = 0;
  bool reported = false;  // false: counts are unknown (neither body nor headers had them)
};

struct Completion {
  std::string text;       // the answer, without any reasoning
  std::string reasoning;  // DeepSeek-R1 / gpt-oss / Converse reasoning text; empty when none
  StopReason stop_reason = StopReason::Unknown;
  std::string raw_stop_reason;  // as the model spelled it ("end_turn", "FINISH", "length", ...)
  TokenUsage usage;
};

enum class ModelFamily {
  AnthropicMessages,  // Claude 3+, Messages API
  AnthropicText,      // Claude 2 / Instant, legacy text completions
  TitanText,          // Amazon Titan Text
  Nova,               // Amazon Nova, messages-v1
  Llama2,             // Meta Llama 2 chat
  Llama3,             // Meta Llama 3.x instruct
  MistralText,        // Mistral 7B / Mixtral / Large 2402 / Small, text completion
  MistralChat,        // Mistral Large 2407 chat completion
  CohereCommand,      // Cohere Command / Command Light
  CohereCommandR,     // Cohere Command R / R+
  Ai21Jurassic,       // AI21 Jurassic-2
  Ai21Jamba,          // AI21 Jamba
  DeepSeek,           // DeepSeek-R1
  OpenAiGptOss,       // OpenAI gpt-oss
};

std::string_view to_string(ModelFamily family);
// Accepts the to_string() spelling, case-insensitive. nullopt when unknown.
std::optional<ModelFamily> family_from_string(std::string_view name);

}  // namespace bedrock::models
