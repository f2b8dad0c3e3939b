#include "chat_request.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "chat_messages.h"
#include "chat_tools.h"

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

tl::unexpected<RequestProblem> unsupported(std::string_view param, std::string_view why) {
  return problem(fmt::format("{} is not supported: {}", param, why), std::string(param),
                 "unsupported_parameter");
}

// Members read below (some only to refuse values we cannot honour).
constexpr std::array<std::string_view, 19> kKnown = {"model",
                                                     "messages",
                                                     "max_tokens",
                                                     "max_completion_tokens",
                                                     "temperature",
                                                     "top_p",
                                                     "stop",
                                                     "stream",
                                                     "stream_options",
                                                     "tools",
                                                     "tool_choice",
                                                     "response_format",
                                                     "reasoning_effort",
                                                     "n",
                                                     "logprobs",
                                                     "top_logprobs",
                                                     "presence_penalty",
                                                     "frequency_penalty",
                                                     "logit_bias"};
// Members that change the answer in ways Converse cannot give.
constexpr std::array<std::string_view, 6> kRefused = {
    "audio", "modalities", "functions", "function_call", "web_search_options", "verbosity"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

bool is_null(const Json& body, const char* name) {
  auto it = body.find(name);
  return it == body.end() || it->is_null();
}

// Every member is known; those we cannot honour are refused unless at a value that asks nothing.
Parsed<void> check_members(const Json& body) {
  for (const auto& [key, value] : body.items()) {
    if (among(kKnown, key) || among(kDroppedMembers, key)) continue;
    if (among(kRefused, key)) {
      if (key == "modalities" && value.is_array() && value.size() == 1 && value[0] == "text") {
        continue;
      }
      if (value.is_null() || (key == "verbosity" && value == "medium")) continue;
      return unsupported(key, key == "verbosity" ? "only the default, medium, is available"
                                                 : "Bedrock answers with text only");
    }
    return problem(fmt::format("Unrecognized request argument supplied: {}", key), key,
                   "unknown_parameter");
  }
  if (auto n = body.find("n"); n != body.end() && !n->is_null() && *n != 1) {
    return unsupported("n", "one choice per request (n = 1)");
  }
  if (auto l = body.find("logprobs"); l != body.end() && !l->is_null() && *l != false) {
    return unsupported("logprobs", "Bedrock returns no token log probabilities");
  }
  if (!is_null(body, "top_logprobs")) {
    return unsupported("top_logprobs", "Bedrock returns no token log probabilities");
  }
  for (const char* penalty : {"presence_penalty", "frequency_penalty"}) {
    auto p = body.find(penalty);
    if (p != body.end() && !p->is_null() && !(p->is_number() && p->get<double>() == 0.0)) {
      return unsupported(penalty, "Converse has no repetition penalties (only 0 is accepted)");
    }
  }
  if (auto bias = body.find("logit_bias");
      bias != body.end() && !bias->is_null() && !(bias->is_object() && bias->empty())) {
    return unsupported("logit_bias", "Bedrock takes no token biases");
  }
  return {};
}

Parsed<std::optional<double>> number_in(const Json& body, const char* name, double low, double high,
                                        std::string_view why) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) return problem(fmt::format("{} must be a number", name), name);
  const double v = it->get<double>();
  if (v < low || v > high) {
    return problem(fmt::format("{} must be between {} and {}{}", name, low, high, why), name);
  }
  return v;
}

Parsed<void> read_sampling(const Json& body, models::InferenceParams& params) {
  for (const char* name : {"max_completion_tokens", "max_tokens"}) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null() || params.max_tokens) continue;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 ||
        it->get<std::int64_t>() > 1'000'000) {
      return problem(fmt::format("{} must be a positive integer", name), name);
    }
    params.max_tokens = static_cast<int>(it->get<std::int64_t>());
  }
  auto t = number_in(body, "temperature", 0, 1, " (the range Bedrock's Converse API takes)");
  if (!t) return tl::unexpected(t.error());
  params.temperature = *t;
  auto p = number_in(body, "top_p", 0, 1, "");
  if (!p) return tl::unexpected(p.error());
  params.top_p = *p;
  if (auto stop = body.find("stop"); stop != body.end() && !stop->is_null()) {
    if (stop->is_string()) {
      params.stop_sequences.push_back(stop->get<std::string>());
    } else if (stop->is_array() && stop->size() <= 4) {
      for (const auto& s : *stop) {
        if (!s.is_string()) return problem("stop must be a string or up to 4 strings", "stop");
        params.stop_sequences.push_back(s.get<std::string>());
      }
    } else {
      return problem("stop must be a string or up to 4 strings", "stop");
    }
  }
  return {};
}

// Extended thinking exists from Claude 3.7 on (the models layer's own rule for the budget).
bool model_thinks(const models::ModelInfo& info) {
  if (info.family != models::ModelFamily::AnthropicMessages) return false;
  for (std::string_view marker :
       {"claude-3-7", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4"}) {
    if (info.id.find(marker) != std::string::npos) return true;
  }
  return false;
}

// reasoning_effort as a thinking budget: Anthropic's minimum (1024) for minimal and low, then
// doubling. Models without extended thinking answer without it, as OpenAI's non-reasoning
// models ignore the member. Without a max_tokens the answer gets room beyond the budget.
Parsed<void> read_reasoning(const Json& body, const models::ModelInfo& info,
                            models::InferenceParams& params) {
  auto it = body.find("reasoning_effort");
  if (it == body.end() || it->is_null()) return {};
  static constexpr std::array<std::pair<std::string_view, int>, 6> kBudgets = {{{"none", 0},
                                                                                {"minimal", 1024},
                                                                                {"low", 1024},
                                                                                {"medium", 2048},
                                                                                {"high", 4096},
                                                                                {"xhigh", 8192}}};
  int budget = -1;
  for (const auto& [name, tokens] : kBudgets) {
    if (it->is_string() && *it == name) budget = tokens;
  }
  if (budget < 0) {
    return problem("reasoning_effort must be none, minimal, low, medium, high or xhigh",
                   "reasoning_effort");
  }
  if (budget == 0 || !model_thinks(info)) return {};
  if (!params.max_tokens) params.max_tokens = std::min(info.max_output_tokens, budget + 4096);
  if (*params.max_tokens <= budget) {
    return problem(fmt::format("max_completion_tokens must exceed the thinking budget of {} tokens "
                               "that reasoning_effort asks for",
                               budget),
                   "max_completion_tokens");
  }
  if (params.temperature && *params.temperature != 1.0) {
    return problem("with reasoning_effort the model takes only temperature 1", "temperature");
  }
  params.reasoning_budget_tokens = budget;
  return {};
}

}  // namespace

Parsed<std::string> requested_model(const Json& body) {
  if (!body.is_object()) return problem("the body must be a JSON object", "");
  auto it = body.find("model");
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return problem("model is required: a Bedrock model id, inference profile, ARN or alias",
                   "model", "missing_required_parameter");
  }
  return it->get<std::string>();
}

Parsed<ChatCall> parse_chat_request(const Json& body, const ModelTarget& target) {
  auto model = requested_model(body);
  if (!model) return tl::unexpected(model.error());
  if (auto ok = check_members(body); !ok) return tl::unexpected(ok.error());
  ChatCall call;
  call.model = std::move(*model);
  auto messages = body.find("messages");
  if (messages == body.end()) {
    return problem("messages is required", "messages", "missing_required_parameter");
  }
  auto prompt = translate_messages(*messages);
  if (!prompt) return tl::unexpected(prompt.error());
  call.invoke.prompt = std::move(*prompt);
  if (auto ok = translate_tools(body, call.invoke.prompt); !ok) return tl::unexpected(ok.error());
  auto schema = translate_response_format(body);
  if (!schema) return tl::unexpected(schema.error());
  call.structured = schema->has_value();
  call.invoke.prompt.output_schema = std::move(*schema);
  if (auto ok = read_sampling(body, call.invoke.params); !ok) return tl::unexpected(ok.error());
  if (auto ok = read_reasoning(body, target.info, call.invoke.params); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto s = body.find("stream"); s != body.end() && !s->is_null()) {
    if (!s->is_boolean()) return problem("stream must be a boolean", "stream");
    call.stream = s->get<bool>();
  }
  if (auto o = body.find("stream_options"); call.stream && o != body.end() && o->is_object()) {
    if (auto u = o->find("include_usage"); u != o->end() && u->is_boolean()) {
      call.include_usage = u->get<bool>();
    }
  }
  call.invoke.model_id = target.model_id;
  call.invoke.use_converse = true;
  return call;
}

}  // namespace bedrock::server::openai
