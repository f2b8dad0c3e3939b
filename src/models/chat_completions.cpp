#include "chat_completions.h"

#include "stream_support.h"

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
  out.stop_reason = chat_stop(out.raw_stop_reason);
  out.usage = usage_at(*json, "/usage/prompt_tokens", "/usage/completion_tokens");
  return out;
}

StopReason chat_stop(std::string_view raw) {
  return map_stop(raw, {{"stop", StopReason::EndTurn},
                        {"end_turn", StopReason::EndTurn},
                        {"length", StopReason::MaxTokens},
                        {"model_length", StopReason::MaxTokens},
                        {"tool_calls", StopReason::ToolUse},
                        {"content_filter", StopReason::ContentFiltered}});
}

Result<std::vector<StreamEvent>> decode_chat_chunk(std::string_view chunk, StreamState& state,
                                                   std::string_view api, const char* content,
                                                   ChatTextSink take, ChatTextSink at_stop) {
  auto json = parse_stream_chunk(chunk, state, api);
  if (!json) return fail(json.error());
  std::vector<StreamEvent> events;
  auto text = stream_string(*json, content, api);
  if (!text) return fail(text.error());
  if (*text && !(*text)->empty()) {
    if (take == nullptr) {
      append_text(std::move(**text), events);
    } else if (auto ok = take(**text, state, events); !ok) {
      return fail(ok.error());
    }
  }
  std::vector<StreamEvent> stop;
  const char* stop_at = "/choices/0/finish_reason";
  if (const Json* finish = at(*json, stop_at); finish == nullptr || finish->is_null()) {
    stop_at = "/choices/0/stop_reason";
  }
  if (auto ok = append_stop_at(*json, stop_at, chat_stop, stop); !ok) return fail(ok.error());
  if (!stop.empty() && at_stop != nullptr) {
    if (auto ok = at_stop({}, state, events); !ok) return fail(ok.error());
  }
  for (auto& event : stop) events.push_back(std::move(event));
  append_invocation_metrics(*json, events);
  return events;
}

}  // namespace bedrock::models::detail
