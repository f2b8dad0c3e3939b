// The two families whose InvokeModel text carries the model's reasoning before the answer:
// DeepSeek-R1 (docs/wire-protocol.md §7.12; reasoning ends with "</think>") and OpenAI gpt-oss
// (§7.13; reasoning wrapped in <reasoning> tags, OpenAI chat.completion shape, lenient about other
// OpenAI fields).
#include <fmt/format.h>

#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {
constexpr int kGptOssDefaultMaxTokens = 4096;
}  // namespace

Result<EmulatedRequest> parse_deepseek(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"prompt"}, {"temperature", "top_p", "max_tokens", "stop"});
  auto prompt = check.string(body, kRoot, "prompt");
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.stop_sequences =
      check.string_list(body, kRoot, "stop", 10).value_or(std::vector<std::string>{});
  if (!check.ok()) return fail(check.error());

  Conversation conversation = parse_deepseek_prompt(*prompt);
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      max_tokens ? static_cast<int>(*max_tokens) : static_cast<int>(output_cap(model));
  finalize(request, model, *prompt);
  return request;
}

std::string deepseek_generation(const EmulatedRequest& request, const EmulatedAnswer& answer) {
  // When the prompt already opened the think block (the AWS template ends with "<think>\n"),
  // the generation continues inside it; otherwise the model opens it itself.
  std::string_view prompt = request.native_prompt;
  while (!prompt.empty() && (prompt.back() == '\n' || prompt.back() == ' ')) {
    prompt.remove_suffix(1);
  }
  bool opened = prompt.size() >= 7 && prompt.substr(prompt.size() - 7) == "<think>";
  return fmt::format("{}{}\n</think>\n\n{}", opened ? "" : "<think>\n", answer.reasoning,
                     answer.text);
}

void render_deepseek(JsonOut& out, const EmulatedRequest& request, const EmulatedAnswer& answer) {
  const std::string text = deepseek_generation(request, answer);
  out.begin_object().key("choices").begin_array();
  out.begin_object()
      .member("text", text)
      .member("stop_reason", native_stop_reason(ModelFamily::DeepSeek, answer.stop_reason))
      .end_object();
  out.end_array().end_object();
}

Result<EmulatedRequest> parse_gpt_oss(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"messages"}, {});  // other OpenAI fields are accepted (§7.13)
  EmulatedRequest request;
  auto model_field = check.string(body, kRoot, "model");
  auto stream = check.boolean(body, kRoot, "stream");
  auto max_tokens = check.integer(body, kRoot, "max_completion_tokens", 1, output_cap(model));
  if (!max_tokens) max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 2.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  if (body.contains("stop") && body["stop"].is_string()) {
    request.stop_sequences.push_back(body["stop"].get<std::string>());
  } else {
    request.stop_sequences =
        check.string_list(body, kRoot, "stop", 4).value_or(std::vector<std::string>{});
  }
  if (const Json* messages = check.array(body, kRoot, "messages", 1)) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      std::string where = child(child(kRoot, "messages"), i);
      if (!check.object(m, where, {"role"}, {})) continue;
      auto role =
          check.enumeration(m, where, "role", {"developer", "system", "user", "assistant", "tool"});
      std::string text;
      if (m.contains("content") && m["content"].is_array()) {
        for (const auto& part : m["content"]) {
          if (part.is_object() && part.contains("text") && part["text"].is_string()) {
            text += part["text"].get<std::string>();
          }
        }
      } else if (m.contains("content") && !m["content"].is_null()) {
        text = check.string(m, where, "content").value_or("");
      }
      if (!role) continue;
      if (*role == "developer" || *role == "system") {
        if (!request.system_text.empty()) request.system_text += "\n";
        request.system_text += text;
      } else {
        request.turns.push_back({*role == "assistant" ? Role::Assistant : Role::User, text});
      }
    }
  }
  if (!check.ok()) return fail(check.error());
  // The body may name the model as the path does (plain id, geo profile or ARN).
  auto names_model = [&](std::string_view name) {
    return name.size() >= model.id.size() && name.substr(name.size() - model.id.size()) == model.id;
  };
  if (model_field && !names_model(*model_field)) {
    return fail(validation_error(fmt::format(
        "The model '{}' in the request body does not match the model '{}' in the request path.",
        *model_field, model.id)));
  }
  if (stream.value_or(false)) {
    return fail(validation_error(
        "stream must be false for InvokeModel; use InvokeModelWithResponseStream to stream."));
  }
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens = max_tokens ? static_cast<int>(*max_tokens)
                                  : default_max_tokens(model, kGptOssDefaultMaxTokens);
  finalize(request, model);
  return request;
}

void render_gpt_oss(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer,
                    const std::string& seed, std::int64_t created) {
  out.begin_object()
      .member("id", "chatcmpl-" + derive_id(seed, "gpt-oss-id", 24, kBase62))
      .member("object", "chat.completion")
      .member("created", created)
      .member("model", model.id);
  out.key("choices").begin_array();
  out.begin_object().member("index", 0);
  out.key("message")
      .begin_object()
      .member("role", "assistant")
      .member("content", fmt::format("<reasoning>{}</reasoning>{}", answer.reasoning, answer.text))
      .end_object();
  out.member("finish_reason", native_stop_reason(ModelFamily::OpenAiGptOss, answer.stop_reason))
      .end_object();
  out.end_array();
  out.key("usage")
      .begin_object()
      .member("prompt_tokens", answer.input_tokens)
      .member("completion_tokens", answer.output_tokens)
      .member("total_tokens", answer.input_tokens + answer.output_tokens)
      .end_object();
  out.end_object();
}

}  // namespace bedrock::emulator::model::detail
