#include "chat_response.h"

#include "bedrock/core/json_text.h"

namespace bedrock::server::openai {
namespace {

void append_string_or_null(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += "null";
  } else {
    append_json_string(out, text);
  }
}

void append_tool_calls(std::string& out, const std::vector<models::ToolUse>& calls) {
  out += "[";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i > 0) out += ",";
    out += R"({"id":)";
    append_json_string(out, calls[i].id);
    out += R"(,"type":"function","function":{"name":)";
    append_json_string(out, calls[i].name);
    out += R"(,"arguments":)";
    append_json_string(out, calls[i].input_json);
    out += "}}";
  }
  out += "]";
}

}  // namespace

std::string_view finish_reason(models::StopReason reason) {
  switch (reason) {
    case models::StopReason::MaxTokens:
      return "length";
    case models::StopReason::ToolUse:
      return "tool_calls";
    case models::StopReason::ContentFiltered:
      return "content_filter";
    case models::StopReason::EndTurn:
    case models::StopReason::StopSequence:
    case models::StopReason::Unknown:
      break;
  }
  return "stop";
}

void append_usage(std::string& out, const models::TokenUsage& usage) {
  const int prompt =
      usage.input_tokens + usage.cache_read_input_tokens + usage.cache_write_input_tokens;
  out += R"({"prompt_tokens":)";
  append_json_number(out, prompt);
  out += R"(,"completion_tokens":)";
  append_json_number(out, usage.output_tokens);
  out += R"(,"total_tokens":)";
  append_json_number(out, prompt + usage.output_tokens);
  out += R"(,"prompt_tokens_details":{"cached_tokens":)";
  append_json_number(out, usage.cache_read_input_tokens);
  out += "}}";
}

std::string chat_completion_json(const ChatIdentity& identity, const models::Completion& answer) {
  std::string out;
  out.reserve(256 + answer.text.size() + answer.reasoning.size());
  out += R"({"id":)";
  append_json_string(out, identity.id);
  out += R"(,"object":"chat.completion","created":)";
  out += std::to_string(identity.created);
  out += R"(,"model":)";
  append_json_string(out, identity.model);
  out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
  // OpenAI sends null content beside tool calls, and "" for an empty answer otherwise.
  if (answer.text.empty() && !answer.tool_calls.empty()) {
    out += "null";
  } else {
    append_json_string(out, answer.text);
  }
  out += R"(,"refusal":null)";
  if (!answer.tool_calls.empty()) {
    out += R"(,"tool_calls":)";
    append_tool_calls(out, answer.tool_calls);
  }
  if (!answer.reasoning.empty()) {
    out += R"(,"reasoning_content":)";
    append_json_string(out, answer.reasoning);
  }
  out += R"(},"logprobs":null,"finish_reason":")";
  out += finish_reason(answer.stop_reason);
  out += R"("}],"usage":)";
  append_usage(out, answer.usage);
  out += R"(,"system_fingerprint":null})";
  return out;
}

std::string error_json(std::string_view message, std::string_view type, std::string_view param,
                       std::string_view code) {
  std::string out = R"({"error":{"message":)";
  append_json_string(out, message);
  out += R"(,"type":)";
  append_json_string(out, type);
  out += R"(,"param":)";
  append_string_or_null(out, param);
  out += R"(,"code":)";
  append_string_or_null(out, code);
  out += "}}";
  return out;
}

}  // namespace bedrock::server::openai
