#include "codec_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "bedrock/core/ascii.h"
#include "bedrock/core/utf8.h"
#include "bedrock/models/codec.h"

namespace bedrock::models::detail {
namespace {

// Strict UTF-8: nlohmann's dump() would throw on anything else, and Bedrock rejects such
// bodies anyway.
bool valid_utf8(std::string_view s) { return is_valid_utf8(s); }

Status check_range(std::string_view api, std::string_view name, double value, double lo,
                   double hi) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    return param_error(
        api, name, fmt::format("{} is out of range; it must be between {} and {}", value, lo, hi));
  }
  return {};
}

}  // namespace

tl::unexpected<Error> param_error(std::string_view api, std::string_view parameter,
                                  std::string_view problem) {
  return fail(ErrorCode::Validation, fmt::format("{} for {}: {}", parameter, api, problem));
}

const ParamRules& rules_for(ModelFamily family) {
  using F = ModelFamily;
  // Sources: docs/wire-protocol.md §7 per family; AWS model-parameter pages for Cohere (temperature
  // 0-5, p/k ranges, four stop sequences), Mistral (top_k 1-200) and Anthropic (top_k 0-500);
  // OpenAI's API for gpt-oss (temperature 0-2, four stop sequences).
  static const ParamRules kAnthropic{1.0, 0.0, 1.0, std::pair{0, 500}, true, 0, true};
  static const ParamRules kAnthropicText{1.0, 0.0, 1.0, std::pair{0, 500}, true, 0, false};
  static const ParamRules kTitan{1.0, 0.0, 1.0, std::nullopt, true, 0, false};
  static const ParamRules kNova{1.0, 0.0, 1.0, std::pair{0, 1 << 30}, true, 0, true};
  static const ParamRules kLlama{1.0, 0.0, 1.0, std::nullopt, false, 0, false};
  static const ParamRules kMistralText{1.0, 0.0, 1.0, std::pair{1, 200}, true, 10, false};
  static const ParamRules kMistralChat{1.0, 0.0, 1.0, std::nullopt, false, 0, false};
  static const ParamRules kCohere{5.0, 0.0, 1.0, std::pair{0, 500}, true, 4, false};
  static const ParamRules kCohereR{1.0, 0.01, 0.99, std::pair{0, 500}, true, 4, false};
  static const ParamRules kJurassic{1.0, 0.0, 1.0, std::nullopt, true, 0, false};
  static const ParamRules kJamba{2.0, 0.0, 1.0, std::nullopt, true, 0, false};
  static const ParamRules kDeepSeek{1.0, 0.0, 1.0, std::nullopt, true, 10, false};
  static const ParamRules kGptOss{2.0, 0.0, 1.0, std::nullopt, true, 4, false};
  switch (family) {
    case F::AnthropicMessages:
      return kAnthropic;
    case F::AnthropicText:
      return kAnthropicText;
    case F::TitanText:
      return kTitan;
    case F::Nova:
      return kNova;
    case F::Llama2:
    case F::Llama3:
      return kLlama;
    case F::MistralText:
      return kMistralText;
    case F::MistralChat:
      return kMistralChat;
    case F::CohereCommand:
      return kCohere;
    case F::CohereCommandR:
      return kCohereR;
    case F::Ai21Jurassic:
      return kJurassic;
    case F::Ai21Jamba:
      return kJamba;
    case F::DeepSeek:
      return kDeepSeek;
    case F::OpenAiGptOss:
      return kGptOss;
  }
  return kAnthropic;
}

Status validate_request(const Prompt& prompt, const InferenceParams& params, const ModelInfo& model,
                        const ParamRules& rules, std::string_view api) {
  if (prompt.messages.empty()) {
    return param_error(api, "messages", "the prompt has no messages; add a user message");
  }
  if (!valid_utf8(prompt.system)) {
    return param_error(api, "system", "the system prompt is not valid UTF-8");
  }
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    if (i == 0 && m.role != Role::User) {
      return param_error(api, "messages",
                         "the first message is from the assistant; a conversation must start "
                         "with a user message");
    }
    if (i > 0 && m.role == prompt.messages[i - 1].role) {
      return param_error(api, "messages",
                         fmt::format("messages {} and {} are both from the {}; roles must "
                                     "alternate user/assistant",
                                     i, i + 1, role_name(m.role)));
    }
    const bool blocks = !m.tool_uses.empty() || !m.tool_results.empty() || !m.reasoning.empty() ||
                        !m.images.empty() || !m.documents.empty();
    if (blocks && !rules.converse_blocks) {
      return param_error(api, "messages",
                         fmt::format("message {} carries tool, reasoning, image or document "
                                     "blocks, which only the Converse API sends; call this model "
                                     "through Converse",
                                     i + 1));
    }
    if (m.text.empty() && !blocks) {
      return param_error(api, "messages", fmt::format("message {} has empty text", i + 1));
    }
    if (!valid_utf8(m.text)) {
      return param_error(api, "messages", fmt::format("message {} is not valid UTF-8", i + 1));
    }
  }
  if ((!prompt.tools.tools.empty() || prompt.tools.choice != ToolChoice::Unset) &&
      !rules.converse_blocks) {
    return param_error(api, "tools",
                       "tools are sent only through the Converse API; call this model through "
                       "Converse");
  }
  if (prompt.output_schema && !rules.converse_blocks) {
    return param_error(api, "output_schema",
                       "structured output is sent only through the Converse API; call this model "
                       "through Converse");
  }
  if (params.reasoning_budget_tokens && !rules.converse_blocks) {
    return param_error(api, "reasoning_budget_tokens",
                       "a reasoning budget is sent only through the Converse API; call this model "
                       "through Converse");
  }
  if (prompt.messages.back().role == Role::Assistant && !rules.assistant_prefill) {
    return param_error(api, "messages",
                       "the last message is from the assistant (answer prefill), which this "
                       "model family cannot continue; end with a user message");
  }

  if (params.max_tokens) {
    const int n = *params.max_tokens;
    if (n < 1) {
      return param_error(api, "max_tokens", fmt::format("{} is below the minimum of 1", n));
    }
    if (model.max_output_tokens > 0 && n > model.max_output_tokens) {
      return param_error(api, "max_tokens",
                         fmt::format("{} exceeds the output limit of {} for model {}", n,
                                     model.max_output_tokens, model.id));
    }
  }
  if (params.temperature) {
    if (auto ok = check_range(api, "temperature", *params.temperature, 0.0, rules.temperature_max);
        !ok) {
      return ok;
    }
  }
  if (params.top_p) {
    if (auto ok = check_range(api, "top_p", *params.top_p, rules.top_p_min, rules.top_p_max); !ok) {
      return ok;
    }
  }
  if (params.top_k) {
    if (!rules.top_k) {
      return param_error(api, "top_k", "this model family does not support top_k; remove it");
    }
    const auto [lo, hi] = *rules.top_k;
    if (*params.top_k < lo || *params.top_k > hi) {
      return param_error(
          api, "top_k",
          hi >= (1 << 30)
              ? fmt::format("{} is out of range; it must be at least {}", *params.top_k, lo)
              : fmt::format("{} is out of range; it must be between {} and {}", *params.top_k, lo,
                            hi));
    }
  }
  if (!params.stop_sequences.empty()) {
    if (!rules.stop_sequences) {
      return param_error(api, "stop_sequences",
                         "this model family does not support stop sequences; remove them");
    }
    if (rules.max_stop_sequences > 0 && params.stop_sequences.size() > rules.max_stop_sequences) {
      return param_error(api, "stop_sequences",
                         fmt::format("{} given; at most {} are accepted",
                                     params.stop_sequences.size(), rules.max_stop_sequences));
    }
    for (const auto& s : params.stop_sequences) {
      if (s.empty()) return param_error(api, "stop_sequences", "a stop sequence is empty");
      if (!valid_utf8(s)) {
        return param_error(api, "stop_sequences", "a stop sequence is not valid UTF-8");
      }
    }
  }
  return {};
}

Status validate_native(const Prompt& prompt, const InferenceParams& params, const ModelInfo& model,
                       ModelFamily family) {
  return validate_request(prompt, params, model, rules_for(family), to_string(family));
}

int required_max_tokens(const InferenceParams& params, const ModelInfo& model) {
  if (params.max_tokens) return *params.max_tokens;
  return model.max_output_tokens > 0 ? std::min(kDefaultMaxTokens, model.max_output_tokens)
                                     : kDefaultMaxTokens;
}

const Message* prefill(const Prompt& prompt) {
  if (prompt.messages.empty() || prompt.messages.back().role != Role::Assistant) return nullptr;
  return &prompt.messages.back();
}

void put_sampling(OJson& body, const InferenceParams& params, const SamplingKeys& keys) {
  const auto put = [&body](std::string_view key, const auto& value) {
    if (!key.empty()) body[std::string(key)] = value;
  };
  if (params.max_tokens) put(keys.max_tokens, *params.max_tokens);
  if (params.temperature) put(keys.temperature, *params.temperature);
  if (params.top_p) put(keys.top_p, *params.top_p);
  if (params.top_k) put(keys.top_k, *params.top_k);
  if (!params.stop_sequences.empty()) put(keys.stop, params.stop_sequences);
}

std::string to_body(const OJson& body) { return body.dump(); }

std::string_view role_name(Role role) { return role == Role::User ? "user" : "assistant"; }

std::string plain_transcript(const Prompt& prompt) {
  std::string text;
  if (!prompt.system.empty()) text = prompt.system + "\n\n";
  if (prompt.messages.size() == 1) return text + prompt.messages.front().text;
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const auto& m = prompt.messages[i];
    if (i > 0) text += "\n";
    text += m.role == Role::User ? "User: " : "Chatbot: ";
    text += m.text;
  }
  return text + "\nChatbot:";
}

Result<Json> parse_object(std::string_view body, std::string_view api) {
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} response body is not valid JSON ({} bytes)", api, body.size()));
  }
  if (!parsed.is_object()) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} response body is not a JSON object", api));
  }
  return parsed;
}

const Json* at(const Json& root, const char* pointer) {
  // Walk by hand: json_pointer lookups throw on type mismatches we want to treat as absence.
  const Json* node = &root;
  std::string_view rest(pointer);
  while (!rest.empty()) {
    if (rest.front() != '/') return nullptr;
    rest.remove_prefix(1);
    const auto slash = rest.find('/');
    const std::string_view token = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (node->is_object()) {
      const auto it = node->find(std::string(token));
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      if (token.empty()) return nullptr;
      for (char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
        if (index > node->size()) return nullptr;
      }
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

Result<std::string> required_string(const Json& root, const char* pointer, std::string_view api) {
  const Json* value = at(root, pointer);
  if (value == nullptr || !value->is_string()) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("{} response has no string at {}", api, pointer));
  }
  return value->get<std::string>();
}

std::string optional_string(const Json& root, const char* pointer) {
  const Json* value = at(root, pointer);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<int> optional_count(const Json& root, const char* pointer) {
  const Json* value = at(root, pointer);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  const auto n = value->get<std::int64_t>();
  if (n < 0 || n > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(n);
}

TokenUsage usage_at(const Json& root, const char* input_pointer, const char* output_pointer) {
  TokenUsage usage;
  const auto in = optional_count(root, input_pointer);
  const auto out = optional_count(root, output_pointer);
  if (in && out) {
    usage.input_tokens = *in;
    usage.output_tokens = *out;
    usage.reported = true;
  }
  return usage;
}

StopReason map_stop(std::string_view raw, std::initializer_list<StopSpelling> table) {
  for (const auto& entry : table) {
    if (entry.raw == raw) return entry.reason;
  }
  return StopReason::Unknown;
}

std::pair<std::string, std::string> split_reasoning(std::string_view text, std::string_view open,
                                                    std::string_view close) {
  const auto end = text.find(close);
  if (end == std::string_view::npos) return {std::string(), std::string(text)};
  std::string_view reasoning = text.substr(0, end);
  if (const auto start = reasoning.find(open); start != std::string_view::npos) {
    reasoning.remove_prefix(start + open.size());
  }
  std::string_view answer = text.substr(end + close.size());
  // Models put a blank line between the reasoning and the answer; it is not part of either.
  return {std::string(trim_ascii(reasoning)),
          std::string(answer.substr(std::min(answer.size(), answer.find_first_not_of("\r\n"))))};
}

}  // namespace bedrock::models::detail
