// Mistral AI text completion (docs/wire-protocol.md §7.6) and chat completion (§7.7). The chat
// response's stop field is "stop_reason" in the AWS doc but "finish_reason" in responses
// LiteLLM parses (§11, unverified): the emulator sends both so either reader works.
#include <fmt/format.h>

#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {

// Mistral 7B and Mixtral default to 512 output tokens; Large and Small to 8,192 (§7.6).
int mistral_default_max_tokens(const ModelInfo& model) {
  bool small_default = model.id.find("mistral-7b") != std::string::npos ||
                       model.id.find("mixtral") != std::string::npos;
  return default_max_tokens(model, small_default ? 512 : 8192);
}

}  // namespace

Result<EmulatedRequest> parse_mistral_text(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"prompt"}, {"max_tokens", "stop", "temperature", "top_p", "top_k"});
  auto prompt = check.string(body, kRoot, "prompt");
  EmulatedRequest request;
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.stop_sequences =
      check.string_list(body, kRoot, "stop", 10).value_or(std::vector<std::string>{});
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  if (auto k = check.integer(body, kRoot, "top_k", 0, 200)) request.top_k = static_cast<int>(*k);
  if (!check.ok()) return fail(check.error());

  Conversation conversation = parse_inst_prompt(*prompt);
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      max_tokens ? static_cast<int>(*max_tokens) : mistral_default_max_tokens(model);
  finalize(request, model, *prompt);
  return request;
}

void render_mistral_text(JsonOut& out, const EmulatedAnswer& answer) {
  out.begin_object().key("outputs").begin_array();
  out.begin_object()
      .member("text", answer.text)
      .member("stop_reason", native_stop_reason(ModelFamily::MistralText, answer.stop_reason))
      .end_object();
  out.end_array().end_object();
}

Result<EmulatedRequest> parse_mistral_chat(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"messages"},
               {"tools", "tool_choice", "max_tokens", "top_p", "temperature", "stop"});
  EmulatedRequest request;
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  request.stop_sequences =
      check.string_list(body, kRoot, "stop", 10).value_or(std::vector<std::string>{});
  check.array(body, kRoot, "tools");
  check.enumeration(body, kRoot, "tool_choice", {"auto", "any", "none"});
  if (const Json* messages = check.array(body, kRoot, "messages", 1)) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      std::string where = child(child(kRoot, "messages"), i);
      if (!check.object(m, where, {"role"}, {"content", "tool_calls", "tool_call_id", "name"})) {
        continue;
      }
      auto role = check.enumeration(m, where, "role", {"system", "user", "assistant", "tool"});
      std::string text;
      if (m.contains("content") && !m["content"].is_null()) {
        text = check.string(m, where, "content").value_or("");
      }
      check.array(m, where, "tool_calls");
      if (!role) continue;
      if (*role == "system") {
        if (!request.system_text.empty()) request.system_text += "\n";
        request.system_text += text;
      } else {
        // Tool results feed the model like user text.
        request.turns.push_back({*role == "assistant" ? Role::Assistant : Role::User, text});
      }
    }
  }
  if (!check.ok()) return fail(check.error());
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      max_tokens ? static_cast<int>(*max_tokens) : mistral_default_max_tokens(model);
  finalize(request, model);
  return request;
}

void render_mistral_chat(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer) {
  std::string_view reason = native_stop_reason(model.family, answer.stop_reason);
  // Exactly the documented shape (§7.7); token counts travel in the response headers.
  out.begin_object().key("choices").begin_array();
  out.begin_object().member("index", 0);
  out.key("message")
      .begin_object()
      .member("role", "assistant")
      .member("content", answer.text)
      .end_object();
  out.member("stop_reason", reason).member("finish_reason", reason).end_object();
  out.end_array().end_object();
}

}  // namespace bedrock::emulator::model::detail
