// AI21 Jurassic-2 (docs/wire-protocol.md §7.10) and Jamba (§7.11). Jurassic echoes the prompt and
// reports why it stopped in a finishReason object; Jamba answers in the OpenAI-like chat
// shape with one choice per requested generation (n).
#include <fmt/format.h>

#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {

constexpr int kJurassicDefaultMaxTokens = 200;
constexpr int kJambaDefaultMaxTokens = 4096;

void penalty(SchemaCheck& check, const Json& body, std::string_view key) {
  if (const Json* p = check.object_member(body, kRoot, key)) {
    std::string path = child(kRoot, key);
    check.object(*p, path, {"scale"},
                 {"applyToWhitespaces", "applyToPunctuations", "applyToNumbers", "applyToStopwords",
                  "applyToEmojis"});
    check.number(*p, path, "scale", 0.0, std::nullopt);
  }
}

}  // namespace

Result<EmulatedRequest> parse_jurassic(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"prompt"},
               {"maxTokens", "temperature", "topP", "stopSequences", "countPenalty",
                "presencePenalty", "frequencyPenalty", "numResults", "minTokens"});
  auto prompt = check.string(body, kRoot, "prompt");
  EmulatedRequest request;
  auto max_tokens = check.integer(body, kRoot, "maxTokens", 0, output_cap(model));
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "topP", 0.0, 1.0);
  request.stop_sequences =
      check.string_list(body, kRoot, "stopSequences").value_or(std::vector<std::string>{});
  request.choices = static_cast<int>(check.integer(body, kRoot, "numResults", 1, 16).value_or(1));
  check.integer(body, kRoot, "minTokens", 0, std::nullopt);
  penalty(check, body, "countPenalty");
  penalty(check, body, "presencePenalty");
  penalty(check, body, "frequencyPenalty");
  if (!check.ok()) return fail(check.error());

  Conversation conversation = parse_user_bot_prompt(*prompt, "Chatbot");
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens = max_tokens ? static_cast<int>(*max_tokens)
                                  : default_max_tokens(model, kJurassicDefaultMaxTokens);
  finalize(request, model, *prompt);
  return request;
}

void render_jurassic(JsonOut& out, const EmulatedRequest& request, const EmulatedAnswer& answer,
                     const std::string& seed) {
  out.begin_object();
  // Jurassic ids are integers on Bedrock (§7.10); keep them within JSON's safe range.
  out.member("id", static_cast<std::int64_t>(
                       std::stoll(derive_id(seed, "jurassic-id", 9, "0123456789")) + 1));
  out.key("prompt").begin_object().member("text", request.native_prompt);
  out.key("tokens").begin_array().end_array().end_object();
  out.key("completions").begin_array();
  for (int i = 0; i < std::max(request.choices, 1); ++i) {
    out.begin_object();
    out.key("data").begin_object().member("text", answer.text);
    out.key("tokens").begin_array().end_array().end_object();
    out.key("finishReason")
        .begin_object()
        .member("reason", native_stop_reason(ModelFamily::Ai21Jurassic, answer.stop_reason));
    if (answer.stop_reason == StopReason::MaxTokens) out.member("length", request.max_tokens);
    if (answer.stop_reason == StopReason::StopSequence) {
      out.member("sequence", answer.stop_sequence);
    }
    out.end_object().end_object();
  }
  out.end_array().end_object();
}

Result<EmulatedRequest> parse_jamba(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(
      body, kRoot, {"messages"},
      {"temperature", "top_p", "max_tokens", "stop", "n", "frequency_penalty", "presence_penalty"});
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 2.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 0, output_cap(model));
  request.stop_sequences =
      check.string_list(body, kRoot, "stop").value_or(std::vector<std::string>{});
  request.choices = static_cast<int>(check.integer(body, kRoot, "n", 1, 16).value_or(1));
  check.number(body, kRoot, "frequency_penalty", std::nullopt, std::nullopt);
  check.number(body, kRoot, "presence_penalty", std::nullopt, std::nullopt);
  if (const Json* messages = check.array(body, kRoot, "messages", 1)) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      std::string where = child(child(kRoot, "messages"), i);
      if (!check.object(m, where, {"role", "content"}, {})) continue;
      auto role = check.enumeration(m, where, "role", {"system", "user", "assistant"});
      auto text = check.string(m, where, "content");
      if (!role || !text) continue;
      if (*role == "system") {
        if (!request.system_text.empty()) request.system_text += "\n";
        request.system_text += *text;
      } else {
        request.turns.push_back({*role == "user" ? Role::User : Role::Assistant, *text});
      }
    }
  }
  if (!check.ok()) return fail(check.error());
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens = max_tokens ? static_cast<int>(*max_tokens)
                                  : default_max_tokens(model, kJambaDefaultMaxTokens);
  finalize(request, model);
  return request;
}

void render_jamba(JsonOut& out, const ModelInfo& model, const EmulatedRequest& request,
                  const EmulatedAnswer& answer, const std::string& seed) {
  int n = std::max(request.choices, 1);
  out.begin_object().member("id", "chatcmpl-" + derive_id(seed, "jamba-id", 32, kHex));
  out.key("choices").begin_array();
  for (int i = 0; i < n; ++i) {
    out.begin_object().member("index", i);
    out.key("message")
        .begin_object()
        .member("role", "assistant")
        .member("content", answer.text)
        .end_object();
    out.member("finish_reason", native_stop_reason(model.family, answer.stop_reason)).end_object();
  }
  out.end_array();
  out.key("usage")
      .begin_object()
      .member("prompt_tokens", answer.input_tokens)
      .member("completion_tokens", answer.output_tokens * n)
      .member("total_tokens", answer.input_tokens + answer.output_tokens * n)
      .end_object();
  out.end_object();
}

}  // namespace bedrock::emulator::model::detail
