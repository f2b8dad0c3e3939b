#include "chat_completions.h"

namespace bedrock::models::detail {

OJson chat_messages(const Prompt& prompt, std::string_view system_role) {
  OJson messages = OJson::array();
  if (!prompt.system.empty()) {
    messages.push_back({{"role", system_role}, {"content", prompt.system}});
  }
  for (const auto& m : prompt.messages) {
    messages.push_back({{"role", role_name(m.role)}, {"content", m.text}});
  }
  return messages;
}

Result<Completion> decode_chat_choice(std::string_view body, std::string_view api) {
  auto json = parse_object(body, api);
  if (!json) return fail(json.error());
  const Json* content = at(*json, "/choices/0/message/content");
  // A tool-call answer carries content null; that is an empty text, not a broken body.
  if (content == nullptr || !(content->is_string() || content->is_null())) {
    return fail(ErrorCode::InvalidResponse,
                std::string(api) + " response has no string at /choices/0/message/content");
  }
  Completion out;
  if (content->is_string()) out.text = content->get<std::string>();
  out.raw_stop_reason = optional_string(*json, "/choices/0/finish_reason");
  if (out.raw_stop_reason.empty()) {
    out.raw_stop_reason = optional_string(*json, "/choices/0/stop_reason");
  }
  out.stop_reason =
      map_stop(out.raw_stop_reason, {{"stop", StopReason::EndTurn},
                                     {"end_turn", StopReason::EndTurn},
                                     {"length", StopReason::MaxTokens},
                                     {"model_length", StopReason::MaxTokens},
                                     {"tool_calls", StopReason::ToolUse},
                                     {"content_filter", StopReason::ContentFiltered}});
  out.usage = usage_at(*json, "/usage/prompt_tokens", "/usage/completion_tokens");
  return out;
}

}  // namespace bedrock::models::detail
