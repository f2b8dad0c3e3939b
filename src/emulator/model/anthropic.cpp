// Anthropic Claude on Bedrock: Messages API (docs/wire-protocol.md §7.1) and legacy Text
// Completions (§7.2). Bedrock validates the body against a closed schema first (unknown keys such
// as "model" or "stream" are rejected with "extraneous key"), then Anthropic's own checks run and
// their messages ("messages: roles must alternate ...", "max_tokens: N > M, ...") come back
// verbatim as a ValidationException.
#include <fmt/format.h>

#include <algorithm>

#include "anthropic_cache.h"
#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {

// Text of a string or an array of content blocks; tool_result content counts as user text.
std::string block_text(SchemaCheck& check, const Json& content, const std::string& path,
                       bool& empty_text_block) {
  if (content.is_string()) return content.get<std::string>();
  if (!check.expect(content, path, SchemaCheck::Kind::Array)) return {};
  std::string text;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const Json& block = content[i];
    std::string where = child(path, i);
    if (!check.object(block, where, {"type"}, {})) continue;
    auto type = check.enumeration(
        block, where, "type",
        {"text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"});
    if (!type) continue;
    std::string piece;
    if (*type == "text") {
      if (!check.object(block, where, {"text"}, {})) continue;
      auto t = check.string(block, where, "text");
      if (t && t->empty()) empty_text_block = true;
      piece = t.value_or("");
    } else if (*type == "tool_result" && block.contains("content")) {
      piece = block_text(check, block["content"], child(where, "content"), empty_text_block);
    }
    if (piece.empty()) continue;
    if (!text.empty()) text += "\n";
    text += piece;
  }
  return text;
}

}  // namespace

Result<EmulatedRequest> parse_anthropic_messages(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"anthropic_version", "max_tokens", "messages"},
               {"system", "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice",
                "anthropic_beta", "thinking"});
  check.enumeration(body, kRoot, "anthropic_version", {"bedrock-2023-05-31"});
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, std::nullopt);
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  if (auto k = check.integer(body, kRoot, "top_k", 0, 500)) request.top_k = static_cast<int>(*k);
  request.stop_sequences =
      check.string_list(body, kRoot, "stop_sequences").value_or(std::vector<std::string>{});
  check.string_list(body, kRoot, "anthropic_beta");
  check.object_member(body, kRoot, "thinking");
  check.array(body, kRoot, "tools");

  bool empty_text_block = false;
  if (body.contains("system")) {
    request.system_text =
        block_text(check, body["system"], child(kRoot, "system"), empty_text_block);
  }
  if (const Json* messages = check.array(body, kRoot, "messages")) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      std::string where = child(child(kRoot, "messages"), i);
      if (!check.object(m, where, {"role", "content"}, {})) continue;
      auto role = check.enumeration(m, where, "role", {"user", "assistant"});
      std::string text = block_text(check, m["content"], child(where, "content"), empty_text_block);
      if (role) request.turns.push_back({*role == "user" ? Role::User : Role::Assistant, text});
    }
  }
  if (!check.ok()) return fail(check.error());

  if (request.turns.empty()) {
    return fail(validation_error("messages: at least one message is required"));
  }
  if (request.turns.front().role != Role::User) {
    return fail(validation_error("messages: first message must use the \"user\" role"));
  }
  for (std::size_t i = 1; i < request.turns.size(); ++i) {
    if (request.turns[i].role == request.turns[i - 1].role) {
      return fail(validation_error(fmt::format(
          "messages: roles must alternate between \"user\" and \"assistant\", but found "
          "multiple \"{}\" roles in a row",
          request.turns[i].role == Role::User ? "user" : "assistant")));
    }
  }
  if (empty_text_block) {
    return fail(validation_error("messages: text content blocks must be non-empty"));
  }
  const EmulatedTurn& last = request.turns.back();
  if (last.role == Role::Assistant && !last.text.empty() &&
      (last.text.back() == ' ' || last.text.back() == '\n' || last.text.back() == '\t')) {
    return fail(
        validation_error("messages: final assistant content cannot end with trailing "
                         "whitespace"));
  }
  if (*max_tokens > output_cap(model)) {
    return fail(validation_error(fmt::format(
        "max_tokens: {} > {}, which is the maximum allowed number of output tokens for {}",
        *max_tokens, output_cap(model), anthropic_model_name(model.id))));
  }
  request.max_tokens = static_cast<int>(*max_tokens);
  request.max_tokens_given = true;
  finalize(request, model);
  if (auto cache = check_cache_control(model, body, request)) return fail(std::move(*cache));
  return request;
}

void write_anthropic_stop(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer) {
  out.member("stop_reason", native_stop_reason(model.family, answer.stop_reason));
  out.key("stop_sequence");
  if (answer.stop_reason == StopReason::StopSequence) {
    out.string(answer.stop_sequence);
  } else {
    out.null();
  }
}

void write_anthropic_usage(JsonOut& out, int input_tokens, int output_tokens,
                           const CacheUsage& cache) {
  out.key("usage").begin_object();
  if (!cache.present) {
    out.member("input_tokens", input_tokens).member("output_tokens", output_tokens).end_object();
    return;
  }
  // Anthropic's input_tokens leaves out what was read from or written to the cache, and
  // cache_creation splits the writes by TTL.
  out.member("input_tokens", std::max(0, input_tokens - cache.read_tokens - cache.write_tokens))
      .member("cache_creation_input_tokens", cache.write_tokens)
      .member("cache_read_input_tokens", cache.read_tokens);
  out.key("cache_creation")
      .begin_object()
      .member("ephemeral_5m_input_tokens", cache.write_tokens - cache.write_1h_tokens)
      .member("ephemeral_1h_input_tokens", cache.write_1h_tokens)
      .end_object();
  out.member("output_tokens", output_tokens).end_object();
}

void render_anthropic_messages(JsonOut& out, const ModelInfo& model,
                               const EmulatedRequest& /*request*/, const EmulatedAnswer& answer,
                               const std::string& seed, const CacheUsage& cache) {
  out.begin_object()
      .member("id", "msg_bdrk_01" + derive_id(seed, "anthropic-id", 22, kBase62))
      .member("type", "message")
      .member("role", "assistant")
      .member("model", anthropic_model_name(model.id));
  out.key("content").begin_array();
  out.begin_object().member("type", "text").member("text", answer.text).end_object();
  out.end_array();
  write_anthropic_stop(out, model, answer);
  write_anthropic_usage(out, answer.input_tokens, answer.output_tokens, cache);
  out.end_object();
}

Result<EmulatedRequest> parse_anthropic_text(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"prompt", "max_tokens_to_sample"},
               {"temperature", "top_p", "top_k", "stop_sequences", "anthropic_version"});
  check.enumeration(body, kRoot, "anthropic_version", {"bedrock-2023-05-31"});
  auto prompt = check.string(body, kRoot, "prompt");
  auto max_tokens = check.integer(body, kRoot, "max_tokens_to_sample", 0, output_cap(model));
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  if (auto k = check.integer(body, kRoot, "top_k", 0, 500)) request.top_k = static_cast<int>(*k);
  request.stop_sequences =
      check.string_list(body, kRoot, "stop_sequences").value_or(std::vector<std::string>{});
  if (!check.ok()) return fail(check.error());

  // Anthropic's own prompt checks (the escapes are printed, not newlines).
  if (prompt->find("\n\nHuman:") == std::string::npos) {
    return fail(validation_error(
        "prompt must start with \"\\n\\nHuman:\" turn after an optional system prompt"));
  }
  std::string_view tail = *prompt;
  while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\n')) tail.remove_suffix(1);
  constexpr std::string_view kAssistant = "\n\nAssistant:";
  if (tail.size() < kAssistant.size() ||
      tail.substr(tail.size() - kAssistant.size()) != kAssistant) {
    return fail(validation_error("prompt must end with \"\\n\\nAssistant:\" turn"));
  }
  Conversation conversation = parse_human_assistant_prompt(*prompt);
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens = static_cast<int>(*max_tokens);
  request.max_tokens_given = true;
  finalize(request, model, *prompt);
  return request;
}

void render_anthropic_text(JsonOut& out, const EmulatedAnswer& answer) {
  out.begin_object()
      .member("completion", answer.text)
      .member("stop_reason", native_stop_reason(ModelFamily::AnthropicText, answer.stop_reason));
  // A natural end is Claude reaching its default "\n\nHuman:" stop sequence.
  out.key("stop");
  switch (answer.stop_reason) {
    case StopReason::MaxTokens:
      out.null();
      break;
    case StopReason::StopSequence:
      out.string(answer.stop_sequence);
      break;
    default:
      out.string("\n\nHuman:");
      break;
  }
  out.end_object();
}

}  // namespace bedrock::emulator::model::detail
