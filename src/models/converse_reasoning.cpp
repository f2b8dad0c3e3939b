// Converse reasoning: reasoningContent blocks and the Anthropic thinking budget.
#include "converse_reasoning.h"

#include <fmt/format.h>

#include <array>

#include "bedrock/core/utf8.h"

namespace bedrock::models::detail {
namespace {

// Anthropic's minimum thinking budget.
constexpr int kMinBudgetTokens = 1024;

// Extended thinking exists from Claude 3.7 Sonnet on; the id says which model (also behind a
// geography prefix such as "us.").
bool model_thinks(const ModelInfo& model) {
  if (model.family != ModelFamily::AnthropicMessages) return false;
  static constexpr std::array<std::string_view, 4> kThinking = {"claude-3-7", "claude-sonnet-4",
                                                                "claude-opus-4", "claude-haiku-4"};
  for (std::string_view marker : kThinking) {
    if (model.id.find(marker) != std::string::npos) return true;
  }
  return false;
}

Status validate_budget(const InferenceParams& params, const ModelInfo& model,
                       std::string_view api) {
  if (!params.reasoning_budget_tokens) return {};
  const int budget = *params.reasoning_budget_tokens;
  if (!model_thinks(model)) {
    return param_error(
        api, "reasoning_budget_tokens",
        fmt::format("model {} has no extended thinking (Claude 3.7 and 4 have)", model.id));
  }
  if (budget < kMinBudgetTokens) {
    return param_error(
        api, "reasoning_budget_tokens",
        fmt::format("{} is below Anthropic's minimum of {}", budget, kMinBudgetTokens));
  }
  if (!params.max_tokens || *params.max_tokens <= budget) {
    return param_error(
        api, "reasoning_budget_tokens",
        fmt::format("the budget {} must be below max_tokens; set max_tokens above it", budget));
  }
  if (params.temperature && *params.temperature != 1.0) {
    return param_error(api, "temperature", "with a reasoning budget only temperature 1 is allowed");
  }
  if (params.top_k) {
    return param_error(api, "top_k", "top_k cannot be set together with a reasoning budget");
  }
  return {};
}

}  // namespace

Status validate_reasoning(const Prompt& prompt, const InferenceParams& params,
                          const ModelInfo& model, std::string_view api) {
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    if (m.reasoning.empty()) continue;
    if (m.role != Role::Assistant) {
      return param_error(api, "messages",
                         fmt::format("message {} is a user turn with reasoning blocks", i + 1));
    }
    for (const ReasoningBlock& r : m.reasoning) {
      if (!is_valid_utf8(r.text) || !is_valid_utf8(r.signature) || !is_valid_utf8(r.redacted)) {
        return param_error(
            api, "messages",
            fmt::format("a reasoning block of message {} is not valid UTF-8", i + 1));
      }
      if (r.redacted.empty() && r.text.empty()) {
        return param_error(api, "messages",
                           fmt::format("a reasoning block of message {} is empty", i + 1));
      }
    }
  }
  return validate_budget(params, model, api);
}

void append_reasoning(const Message& message, OJson& content) {
  for (const ReasoningBlock& r : message.reasoning) {
    if (!r.redacted.empty()) {
      content.push_back({{"reasoningContent", {{"redactedContent", r.redacted}}}});
      continue;
    }
    OJson text{{"text", r.text}};
    if (!r.signature.empty()) text["signature"] = r.signature;
    content.push_back({{"reasoningContent", {{"reasoningText", std::move(text)}}}});
  }
}

OJson thinking_field(int budget_tokens) {
  return {{"type", "enabled"}, {"budget_tokens", budget_tokens}};
}

Result<ReasoningBlock> decode_reasoning(const Json& block) {
  ReasoningBlock out;
  static constexpr std::array<std::pair<const char*, std::string ReasoningBlock::*>, 3> kParts = {{
      {"/reasoningText/text", &ReasoningBlock::text},
      {"/reasoningText/signature", &ReasoningBlock::signature},
      {"/redactedContent", &ReasoningBlock::redacted},
  }};
  for (const auto& [pointer, member] : kParts) {
    const Json* value = at(block, pointer);
    if (value == nullptr || value->is_null()) continue;
    if (!value->is_string()) {
      return fail(ErrorCode::InvalidResponse,
                  fmt::format("converse response has a non-string reasoningContent{}", pointer));
    }
    out.*member = value->get<std::string>();
  }
  return out;
}

}  // namespace bedrock::models::detail
