// Amazon Titan Text (docs/wire-protocol.md §7.3) and Amazon Nova "messages-v1" (§7.4). Both are
// validated against closed schemas (unknown keys are "extraneous"). Nova accepts the first
// published inferenceConfig spellings (max_new_tokens, top_p, top_k) beside the current
// camelCase ones, since public code calling the live service sends either.
#include <fmt/format.h>

#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {

constexpr int kTitanDefaultMaxTokens = 512;  // §7.3

// Text of Converse-shaped content blocks ({"text"} | {"image"} | {"toolResult"} ...).
std::string nova_blocks_text(SchemaCheck& check, const Json& blocks, const std::string& path) {
  if (!check.expect(blocks, path, SchemaCheck::Kind::Array)) return {};
  std::string text;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    std::string where = child(path, i);
    if (!check.object(blocks[i], where, {},
                      {"text", "image", "video", "document", "toolUse", "toolResult",
                       "reasoningContent", "cachePoint"})) {
      continue;
    }
    std::string piece = check.string(blocks[i], where, "text").value_or("");
    if (const Json* result = check.object_member(blocks[i], where, "toolResult")) {
      if (result->contains("content") && (*result)["content"].is_array()) {
        for (const auto& part : (*result)["content"]) {
          if (part.is_object() && part.contains("text") && part["text"].is_string()) {
            piece += part["text"].get<std::string>();
          }
        }
      }
    }
    if (piece.empty()) continue;
    if (!text.empty()) text += "\n";
    text += piece;
  }
  return text;
}

}  // namespace

Result<EmulatedRequest> parse_titan_text(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"inputText"}, {"textGenerationConfig"});
  auto input = check.string(body, kRoot, "inputText", 1);
  EmulatedRequest request;
  std::optional<std::int64_t> max_tokens;
  if (const Json* config = check.object_member(body, kRoot, "textGenerationConfig")) {
    std::string path = child(kRoot, "textGenerationConfig");
    check.object(*config, path, {}, {"temperature", "topP", "maxTokenCount", "stopSequences"});
    request.temperature = check.number(*config, path, "temperature", 0.0, 1.0);
    request.top_p = check.number(*config, path, "topP", 0.0, 1.0);
    max_tokens = check.integer(*config, path, "maxTokenCount", 0, output_cap(model));
    request.stop_sequences =
        check.string_list(*config, path, "stopSequences").value_or(std::vector<std::string>{});
    // Titan accepts only "|" (repeated) and "User:" as stop sequences (AWS Titan docs).
    for (std::size_t i = 0; i < request.stop_sequences.size(); ++i) {
      const std::string& stop = request.stop_sequences[i];
      bool pipes = !stop.empty() && stop.find_first_not_of('|') == std::string::npos;
      if (!pipes && stop != "User:") {
        check.add(child(child(path, "stopSequences"), i),
                  fmt::format("string [{}] does not match pattern ^(\\|+|User:)$", stop));
      }
    }
  }
  if (!check.ok()) return fail(check.error());

  Conversation conversation = parse_user_bot_prompt(*input);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *input;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens = max_tokens ? static_cast<int>(*max_tokens)
                                  : default_max_tokens(model, kTitanDefaultMaxTokens);
  finalize(request, model, *input);
  return request;
}

void render_titan_text(JsonOut& out, const EmulatedAnswer& answer) {
  out.begin_object().member("inputTextTokenCount", answer.input_tokens);
  out.key("results").begin_array();
  out.begin_object()
      .member("tokenCount", answer.output_tokens)
      .member("outputText", answer.text)
      .member("completionReason", native_stop_reason(ModelFamily::TitanText, answer.stop_reason))
      .end_object();
  out.end_array().end_object();
}

Result<EmulatedRequest> parse_nova(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"messages"},
               {"schemaVersion", "system", "inferenceConfig", "toolConfig", "reasoningConfig"});
  check.enumeration(body, kRoot, "schemaVersion", {"messages-v1"});
  check.object_member(body, kRoot, "toolConfig");
  check.object_member(body, kRoot, "reasoningConfig");
  EmulatedRequest request;
  if (const Json* system = check.array(body, kRoot, "system")) {
    for (std::size_t i = 0; i < system->size(); ++i) {
      std::string where = child(child(kRoot, "system"), i);
      if (!check.object((*system)[i], where, {}, {"text", "cachePoint"})) continue;
      if (auto text = check.string((*system)[i], where, "text")) {
        if (!request.system_text.empty()) request.system_text += "\n";
        request.system_text += *text;
      }
    }
  }
  if (const Json* messages = check.array(body, kRoot, "messages")) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      std::string where = child(child(kRoot, "messages"), i);
      if (!check.object(m, where, {"role", "content"}, {})) continue;
      auto role = check.enumeration(m, where, "role", {"user", "assistant"});
      std::string text = nova_blocks_text(check, m["content"], child(where, "content"));
      if (role) request.turns.push_back({*role == "user" ? Role::User : Role::Assistant, text});
    }
  }
  std::optional<std::int64_t> max_tokens;
  if (const Json* config = check.object_member(body, kRoot, "inferenceConfig")) {
    std::string path = child(kRoot, "inferenceConfig");
    check.object(*config, path, {},
                 {"maxTokens", "max_new_tokens", "temperature", "topP", "top_p", "topK", "top_k",
                  "stopSequences"});
    max_tokens = check.integer(*config, path, "maxTokens", 1, output_cap(model));
    if (!max_tokens)
      max_tokens = check.integer(*config, path, "max_new_tokens", 1, output_cap(model));
    request.temperature = check.number(*config, path, "temperature", 0.0, 1.0);
    request.top_p = check.number(*config, path, "topP", 0.0, 1.0);
    if (!request.top_p) request.top_p = check.number(*config, path, "top_p", 0.0, 1.0);
    auto top_k = check.integer(*config, path, "topK", 0, std::nullopt);
    if (!top_k) top_k = check.integer(*config, path, "top_k", 0, std::nullopt);
    if (top_k) request.top_k = static_cast<int>(*top_k);
    request.stop_sequences =
        check.string_list(*config, path, "stopSequences").value_or(std::vector<std::string>{});
  }
  if (!check.ok()) return fail(check.error());
  if (auto order = converse_order_error(request.turns)) return fail(validation_error(*order));

  request.max_tokens_given = max_tokens.has_value();
  // "default: dynamic" (§7.4): the model may use its whole output budget.
  request.max_tokens = max_tokens
                           ? static_cast<int>(*max_tokens)
                           : static_cast<int>(std::min<std::int64_t>(output_cap(model), INT32_MAX));
  finalize(request, model);
  return request;
}

void render_nova(JsonOut& out, const EmulatedAnswer& answer) {
  out.begin_object();
  out.key("output").begin_object().key("message").begin_object().member("role", "assistant");
  out.key("content").begin_array();
  out.begin_object().member("text", answer.text).end_object();
  out.end_array().end_object().end_object();
  out.member("stopReason", native_stop_reason(ModelFamily::Nova, answer.stop_reason));
  out.key("usage")
      .begin_object()
      .member("inputTokens", answer.input_tokens)
      .member("outputTokens", answer.output_tokens)
      .member("totalTokens", answer.input_tokens + answer.output_tokens)
      .member("cacheReadInputTokenCount", 0)
      .member("cacheWriteInputTokenCount", 0)
      .end_object();
  out.end_object();
}

}  // namespace bedrock::emulator::model::detail
