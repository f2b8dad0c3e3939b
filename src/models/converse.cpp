// Converse request/response codec (docs/wire-protocol.md §8).
#include "bedrock/models/converse.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "cache_points.h"
#include "codec_support.h"
#include "converse_fast_decode.h"
#include "converse_fast_encode.h"
#include "converse_fields.h"
#include "converse_media.h"
#include "converse_reasoning.h"
#include "converse_structured.h"
#include "converse_tools.h"
#include "stream_support.h"

namespace bedrock::models {
namespace {

using detail::Json;
using detail::OJson;

constexpr std::string_view kConverseApi = "converse";

// The native rules narrowed to what the Converse API itself accepts.
detail::ParamRules converse_rules(ModelFamily family) {
  detail::ParamRules rules = detail::rules_for(family);
  rules.temperature_max = std::min(rules.temperature_max, 1.0);
  rules.top_p_max = std::min(rules.top_p_max, 1.0);
  rules.converse_blocks = true;
  return rules;
}

// top_k in the family's native spelling, for additionalModelRequestFields.
OJson top_k_field(ModelFamily family, int top_k) {
  switch (family) {
    case ModelFamily::Nova:
      return {{"inferenceConfig", {{"topK", top_k}}}};
    case ModelFamily::CohereCommand:
    case ModelFamily::CohereCommandR:
      return {{"k", top_k}};
    default:
      return {{"top_k", top_k}};
  }
}

// "converse (anthropic-messages)": built once per family, as errors name it.
std::string_view api_name(ModelFamily family) {
  // Room for families added later; to_string() names any value.
  static const auto kNames = [] {
    std::array<std::string, 64> names;
    for (std::size_t i = 0; i < names.size(); ++i) {
      names[i] = std::string(kConverseApi) + " (" +
                 std::string(to_string(static_cast<ModelFamily>(i))) + ")";
    }
    return names;
  }();
  return kNames[static_cast<std::size_t>(family) % kNames.size()];
}

}  // namespace

Result<std::string> encode_converse(const Prompt& prompt, const InferenceParams& params,
                                    const ModelInfo& model) {
  return encode_converse(prompt, params, model, ConverseOptions{});
}

Result<std::string> encode_converse(const Prompt& caller_prompt, const InferenceParams& params,
                                    const ModelInfo& model, const ConverseOptions& options,
                                    bool stream) {
  // Only tool results and structured output change the prompt: the common request is encoded
  // from the caller's own, uncopied.
  std::optional<Prompt> changed;
  const bool merges = std::any_of(caller_prompt.messages.begin(), caller_prompt.messages.end(),
                                  [](const Message& m) { return !m.tool_results.empty(); });
  if (merges || caller_prompt.output_schema) {
    changed = detail::merge_tool_results(caller_prompt);
  }
  const Prompt& prompt = changed ? *changed : caller_prompt;
  const auto rules = converse_rules(model.family);
  // Name the family too: what Converse accepts depends on it.
  const std::string_view api = api_name(model.family);
  // Cache points are hints: a model that does not take them gets the same request without.
  const bool cache = model.prompt_caching;
  if (auto ok = detail::validate_cache_points(prompt, api, cache); !ok) return fail(ok.error());
  OJson output_config;
  if (changed && changed->output_schema) {
    auto applied = detail::apply_output_schema(*changed, model, api);
    if (!applied) return fail(applied.error());
    output_config = std::move(*applied);
  }
  if (auto ok = detail::validate_request(prompt, params, model, rules, api); !ok) {
    return fail(ok.error());
  }
  if (auto ok = detail::validate_tools(prompt, model, api); !ok) return fail(ok.error());
  if (auto ok = detail::validate_reasoning(prompt, params, model, api); !ok) {
    return fail(ok.error());
  }
  if (auto ok = detail::validate_media(prompt, model, api); !ok) return fail(ok.error());
  if (auto ok = detail::validate_options(options, stream, api); !ok) return fail(ok.error());
  if (output_config.is_null() && detail::converse_plain_shape(prompt, params, options, cache)) {
    return detail::encode_converse_plain(prompt, params);
  }
  return detail::encode_converse_dom(prompt, params, model, options, stream,
                                     std::move(output_config));
}

Result<std::string> detail::encode_converse_dom(const Prompt& prompt, const InferenceParams& params,
                                                const ModelInfo& model,
                                                const ConverseOptions& options, bool stream,
                                                OJson output_config) {
  const std::string_view api = api_name(model.family);
  const bool cache = model.prompt_caching;
  OJson body;
  OJson messages = OJson::array();
  for (const auto& m : prompt.messages) {
    OJson content = detail::message_content(m);
    if (cache && m.cache_point) content.push_back(detail::cache_point_block(*m.cache_point));
    messages.push_back({{"role", detail::role_name(m.role)}, {"content", std::move(content)}});
  }
  body["messages"] = std::move(messages);
  if (!prompt.system.empty()) {
    body["system"] = OJson::array({{{"text", prompt.system}}});
    if (cache && prompt.system_cache_point) {
      body["system"].push_back(detail::cache_point_block(*prompt.system_cache_point));
    }
  }
  OJson config = OJson::object();
  detail::put_sampling(config, params,
                       {.max_tokens = "maxTokens",
                        .temperature = "temperature",
                        .top_p = "topP",
                        .stop = "stopSequences"});
  if (!config.empty()) body["inferenceConfig"] = std::move(config);
  if (!prompt.tools.tools.empty()) {
    body["toolConfig"] = detail::tool_config(prompt.tools);
    if (cache && prompt.tools.cache_point) {
      body["toolConfig"]["tools"].push_back(detail::cache_point_block(*prompt.tools.cache_point));
    }
  }
  OJson extra = params.top_k ? top_k_field(model.family, *params.top_k) : OJson::object();
  if (params.reasoning_budget_tokens) {
    extra["thinking"] = detail::thinking_field(*params.reasoning_budget_tokens);
  }
  auto fields = detail::merge_request_fields(options, std::move(extra), api);
  if (!fields) return fail(fields.error());
  if (!fields->empty()) body["additionalModelRequestFields"] = std::move(*fields);
  if (!output_config.is_null()) body["outputConfig"] = std::move(output_config);
  detail::put_options(body, options, stream);
  return detail::to_body(body);
}

Result<Completion> decode_converse(std::string_view body) {
  // Tool input is re-serialised (recursively) for the caller: bound the nesting first.
  if (!detail::json_depth_within(body, StreamLimits{}.max_json_depth)) {
    return fail(ErrorCode::InvalidResponse, "converse response body nests too deep");
  }
  if (auto fast = detail::decode_converse_fast(body)) return std::move(*fast);
  return detail::decode_converse_full(body);
}

Result<Completion> detail::decode_converse_full(std::string_view body) {
  auto json = detail::parse_object(body, kConverseApi);
  if (!json) return fail(json.error());
  const Json* content = detail::at(*json, "/output/message/content");
  if (content == nullptr || !content->is_array()) {
    return fail(ErrorCode::InvalidResponse, "converse response has no /output/message/content");
  }
  Completion out;
  for (const auto& block : *content) {
    const Json* text = detail::at(block, "/text");
    if (text != nullptr) {
      if (!text->is_string()) {
        return fail(ErrorCode::InvalidResponse, "converse response has a non-string text block");
      }
      out.text += text->get<std::string>();
    }
    if (const Json* reasoning = detail::at(block, "/reasoningContent"); reasoning != nullptr) {
      auto piece = detail::decode_reasoning(*reasoning);
      if (!piece) return fail(piece.error());
      out.reasoning += piece->text;
      out.reasoning_blocks.push_back(std::move(*piece));
    }
    if (const Json* use = detail::at(block, "/toolUse"); use != nullptr) {
      auto call = detail::decode_tool_use(*use);
      if (!call) return fail(call.error());
      out.tool_calls.push_back(std::move(*call));
    }
  }
  out.raw_stop_reason = detail::optional_string(*json, "/stopReason");
  out.stop_reason = detail::converse_stop(out.raw_stop_reason);
  if (const Json* usage = detail::at(*json, "/usage"); usage != nullptr) {
    out.usage = token_usage(detail::converse_usage(*usage));
  }
  // The body was parsed, so it holds valid UTF-8 only and dump cannot throw.
  if (const Json* extra = detail::at(*json, "/additionalModelResponseFields");
      extra != nullptr && !extra->is_null()) {
    out.additional_response_fields = extra->dump();
  }
  if (const Json* trace = detail::at(*json, "/trace"); trace != nullptr && !trace->is_null()) {
    out.trace = trace->dump();
  }
  return out;
}

namespace detail {

StopReason converse_stop(std::string_view raw) {
  return map_stop(raw, {{"end_turn", StopReason::EndTurn},
                        {"max_tokens", StopReason::MaxTokens},
                        {"stop_sequence", StopReason::StopSequence},
                        {"tool_use", StopReason::ToolUse},
                        {"content_filtered", StopReason::ContentFiltered},
                        {"guardrail_intervened", StopReason::ContentFiltered},
                        {"model_context_window_exceeded", StopReason::MaxTokens}});
}

}  // namespace detail
}  // namespace bedrock::models
