#include "chat_request_fast.h"

#include <simdjson.h>

#include <array>
#include <cstdint>

#include "chat_messages.h"

namespace bedrock::server::openai {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::element;
using simdjson::dom::element_type;

bool dropped(std::string_view key) {
  for (std::string_view d : kDroppedMembers) {
    if (d == key) return true;
  }
  return false;
}

// A dropped member is read only when it is a scalar: a nested value (metadata, prediction) may
// hold what one parser takes and the other refuses, and the DOM path decides those.
bool scalar(element value) {
  switch (value.type()) {
    case element_type::STRING:
    case element_type::BOOL:
    case element_type::NULL_VALUE:
    case element_type::INT64:
      return true;
    default:
      return false;
  }
}

// A message's content as the DOM path reads it: a string, or text parts joined by newlines
// (null only where `null_ok`). false for anything else.
bool read_content(element content, bool null_ok, std::string& text) {
  std::string_view s;
  if (content.get_string().get(s) == SUCCESS) {
    text.assign(s.data(), s.size());
    return true;
  }
  if (content.is_null()) return null_ok;
  simdjson::dom::array parts;
  if (content.get_array().get(parts) != SUCCESS) return false;
  for (element part : parts) {
    simdjson::dom::object fields;
    if (part.get_object().get(fields) != SUCCESS) return false;
    std::string_view type;
    std::string_view value;
    int types = 0;
    int values = 0;
    for (auto field : fields) {
      if (field.key == "type") {
        if (field.value.get_string().get(type) != SUCCESS) return false;
        ++types;
      } else if (field.key == "text") {
        if (field.value.get_string().get(value) != SUCCESS) return false;
        ++values;
      } else {
        return false;
      }
    }
    if (types != 1 || values != 1 || type != "text") return false;
    join(text, value, "\n");
  }
  return true;
}

// messages as translate_messages() turns them into a prompt, for system, developer, user and
// assistant messages of text only.
bool read_messages(element value, models::Prompt& prompt) {
  simdjson::dom::array messages;
  if (value.get_array().get(messages) != SUCCESS || messages.size() == 0) return false;
  for (element message : messages) {
    simdjson::dom::object fields;
    if (message.get_object().get(fields) != SUCCESS) return false;
    std::string_view role;
    element content;
    bool has_role = false;
    bool has_content = false;
    for (auto field : fields) {
      if (field.key == "role") {
        if (has_role || field.value.get_string().get(role) != SUCCESS) return false;
        has_role = true;
      } else if (field.key == "content") {
        if (has_content) return false;
        content = field.value;
        has_content = true;
      } else if (field.key != "name") {
        return false;  // tool_calls, thinking_blocks, tool_call_id, ...
      }
    }
    if (!has_role) return false;
    const bool system = role == "system" || role == "developer";
    const bool assistant = role == "assistant";
    if (!system && !assistant && role != "user") return false;  // tool, or refused
    std::string text;
    if (!has_content) {
      if (!assistant) return false;  // the DOM path's "content must be a string ..."
    } else if (!read_content(content, assistant, text)) {
      return false;
    }
    if (system) {
      join(prompt.system, text, "\n\n");
      continue;
    }
    const models::Role turn = assistant ? models::Role::Assistant : models::Role::User;
    if (!prompt.messages.empty() && prompt.messages.back().role == turn) {
      join(prompt.messages.back().text, text, "\n\n");
    } else {
      prompt.messages.push_back({turn, std::move(text)});
    }
  }
  return true;
}

std::optional<int> token_limit(element value) {
  int64_t n = 0;
  if (value.get_int64().get(n) != SUCCESS || n < 1 || n > 1'000'000) return std::nullopt;
  return static_cast<int>(n);
}

// temperature, top_p: a number within [0, 1]; null is unset.
bool unit_interval(element value, std::optional<double>& out) {
  if (value.is_null()) return true;
  double v = 0;
  if (value.get_double().get(v) != SUCCESS || !(v >= 0 && v <= 1)) return false;
  out = v;
  return true;
}

bool read_stop(element value, std::vector<std::string>& out) {
  if (value.is_null()) return true;
  std::string_view s;
  if (value.get_string().get(s) == SUCCESS) {
    out.emplace_back(s);
    return true;
  }
  simdjson::dom::array list;
  if (value.get_array().get(list) != SUCCESS || list.size() > 4) return false;
  for (element item : list) {
    if (item.get_string().get(s) != SUCCESS) return false;
    out.emplace_back(s);
  }
  return true;
}

enum Member : unsigned {
  kModel = 1u << 0,
  kMessages = 1u << 1,
  kMaxTokens = 1u << 2,
  kMaxCompletionTokens = 1u << 3,
  kTemperature = 1u << 4,
  kTopP = 1u << 5,
  kStop = 1u << 6,
  kStream = 1u << 7,
  kStreamOptions = 1u << 8,
  kN = 1u << 9,
};

Member member_of(std::string_view key) {
  if (key == "model") return kModel;
  if (key == "messages") return kMessages;
  if (key == "max_tokens") return kMaxTokens;
  if (key == "max_completion_tokens") return kMaxCompletionTokens;
  if (key == "temperature") return kTemperature;
  if (key == "top_p") return kTopP;
  if (key == "stop") return kStop;
  if (key == "stream") return kStream;
  if (key == "stream_options") return kStreamOptions;
  if (key == "n") return kN;
  return Member{0};
}

}  // namespace

std::optional<ChatCall> parse_chat_request_fast(std::string_view body) {
  if (body.size() > kFastChatMaxBytes) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != SUCCESS) {
    return std::nullopt;
  }
  ChatCall call;
  models::InferenceParams& params = call.invoke.params;
  unsigned seen = 0;
  element max_tokens;
  element max_completion_tokens;
  element stream_options;
  for (auto field : root) {
    const Member m = member_of(field.key);
    if (m == 0) {
      if (dropped(field.key) && scalar(field.value)) continue;
      return std::nullopt;  // tools, response_format, a refused or unknown member, ...
    }
    if ((seen & m) != 0) return std::nullopt;  // the DOM keeps the last; let it decide
    seen |= m;
    const element value = field.value;
    switch (m) {
      case kModel: {
        std::string_view name;
        if (value.get_string().get(name) != SUCCESS || name.empty()) return std::nullopt;
        call.model.assign(name.data(), name.size());
        break;
      }
      case kMessages:
        if (!read_messages(value, call.invoke.prompt)) return std::nullopt;
        break;
      case kMaxTokens:
        max_tokens = value;
        break;
      case kMaxCompletionTokens:
        max_completion_tokens = value;
        break;
      case kTemperature:
        if (!unit_interval(value, params.temperature)) return std::nullopt;
        break;
      case kTopP:
        if (!unit_interval(value, params.top_p)) return std::nullopt;
        break;
      case kStop:
        if (!read_stop(value, params.stop_sequences)) return std::nullopt;
        break;
      case kStream: {
        bool on = false;
        if (value.is_null()) break;
        if (value.get_bool().get(on) != SUCCESS) return std::nullopt;
        call.stream = on;
        break;
      }
      case kStreamOptions:
        stream_options = value;
        break;
      case kN: {
        int64_t n = 0;
        if (!value.is_null() && (value.get_int64().get(n) != SUCCESS || n != 1)) {
          return std::nullopt;
        }
        break;
      }
    }
  }
  if ((seen & kModel) == 0 || (seen & kMessages) == 0) return std::nullopt;
  // max_completion_tokens wins over max_tokens; a null one counts as absent.
  const bool mct = (seen & kMaxCompletionTokens) != 0 && !max_completion_tokens.is_null();
  const bool mt = (seen & kMaxTokens) != 0 && !max_tokens.is_null();
  if (mct || mt) {
    params.max_tokens = token_limit(mct ? max_completion_tokens : max_tokens);
    if (!params.max_tokens) return std::nullopt;
  }
  simdjson::dom::object options;
  if (call.stream && (seen & kStreamOptions) != 0 &&
      stream_options.get_object().get(options) == SUCCESS) {
    bool seen_usage = false;
    for (auto field : options) {
      if (field.key != "include_usage") continue;
      if (seen_usage) return std::nullopt;
      seen_usage = true;
      bool on = false;
      if (field.value.get_bool().get(on) == SUCCESS) call.include_usage = on;
    }
  }
  call.invoke.use_converse = true;
  return call;
}

}  // namespace bedrock::server::openai
