// Converse tool use: encoding, validation and decoding of toolConfig / toolUse / toolResult.
#include "converse_tools.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

#include "bedrock/core/utf8.h"
#include "converse_media.h"
#include "converse_reasoning.h"

namespace bedrock::models::detail {
namespace {

// The families whose Converse API takes toolConfig (Bedrock's supported-features table): Claude 3+,
// Nova, Llama 3.x, Mistral Large/Small, Command R, Jamba and gpt-oss. The rest get Bedrock's
// "This model doesn't support tool use." before anything is sent.
bool family_has_tools(ModelFamily family) {
  switch (family) {
    case ModelFamily::AnthropicMessages:
    case ModelFamily::Nova:
    case ModelFamily::Llama3:
    case ModelFamily::MistralText:
    case ModelFamily::MistralChat:
    case ModelFamily::CohereCommandR:
    case ModelFamily::Ai21Jamba:
    case ModelFamily::OpenAiGptOss:
      return true;
    default:
      return false;
  }
}

// The service model documents a named toolChoice and toolResult status for these two only.
bool family_has_forced_tools(ModelFamily family) {
  return family == ModelFamily::AnthropicMessages || family == ModelFamily::Nova;
}

bool matches(std::string_view value, std::string_view extra_chars) {
  if (value.empty() || value.size() > 64) return false;
  return std::all_of(value.begin(), value.end(), [extra_chars](char c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || extra_chars.find(c) != std::string_view::npos;
  });
}

// ToolName and ToolUseId patterns of the service model.
bool valid_tool_name(std::string_view name) { return matches(name, "_-"); }
bool valid_tool_use_id(std::string_view id) { return matches(id, "_.:-"); }

// Caller JSON parsed keeping key order, so the body says what the caller wrote.
OJson parse_caller_json(std::string_view text) {
  return OJson::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string_view input_or_empty_object(const ToolUse& use) {
  return use.input_json.empty() ? std::string_view("{}") : std::string_view(use.input_json);
}

Status validate_definitions(const ToolConfig& config, const ModelInfo& model,
                            std::string_view api) {
  std::set<std::string_view> names;
  for (const ToolSpec& spec : config.tools) {
    if (!valid_tool_name(spec.name)) {
      return param_error(api, "tools",
                         fmt::format("tool name \"{}\" must be 1-64 characters of [a-zA-Z0-9_-]",
                                     is_valid_utf8(spec.name) ? spec.name : "?"));
    }
    if (!names.insert(spec.name).second) {
      return param_error(api, "tools", fmt::format("tool \"{}\" is defined twice", spec.name));
    }
    if (!is_valid_utf8(spec.description)) {
      return param_error(
          api, "tools",
          fmt::format("the description of tool \"{}\" is not valid UTF-8", spec.name));
    }
    if (!parse_caller_json(spec.input_schema_json).is_object()) {
      return param_error(
          api, "tools",
          fmt::format("the input schema of tool \"{}\" is not a JSON object", spec.name));
    }
  }
  if (config.choice != ToolChoice::Unset && config.tools.empty()) {
    return param_error(api, "tool_choice", "a tool choice needs at least one tool");
  }
  if (config.choice == ToolChoice::Tool) {
    if (!family_has_forced_tools(model.family)) {
      return param_error(api, "tool_choice",
                         "a named tool choice is supported only by Anthropic Claude 3+ and Nova");
    }
    if (names.count(config.forced_tool) == 0) {
      return param_error(api, "tool_choice",
                         fmt::format("the forced tool \"{}\" is not among the tools",
                                     is_valid_utf8(config.forced_tool) ? config.forced_tool : "?"));
    }
  }
  return {};
}

Status validate_blocks(const Message& m, std::size_t i, const ModelInfo& model,
                       std::string_view api) {
  if (m.role == Role::User && !m.tool_uses.empty()) {
    return param_error(api, "messages",
                       fmt::format("message {} is a user turn with tool uses", i + 1));
  }
  if (m.role == Role::Assistant && !m.tool_results.empty()) {
    return param_error(api, "messages",
                       fmt::format("message {} is an assistant turn with tool results", i + 1));
  }
  for (const ToolUse& use : m.tool_uses) {
    if (!valid_tool_use_id(use.id) || !valid_tool_name(use.name)) {
      return param_error(
          api, "messages",
          fmt::format("message {} has a tool use with an invalid id or name", i + 1));
    }
    if (!parse_caller_json(input_or_empty_object(use)).is_object()) {
      return param_error(api, "messages",
                         fmt::format("the input of tool use {} is not a JSON object", use.id));
    }
  }
  for (const ToolResult& result : m.tool_results) {
    if (!valid_tool_use_id(result.tool_use_id)) {
      return param_error(api, "messages",
                         fmt::format("message {} has a tool result with an invalid id", i + 1));
    }
    if (!result.json.empty() && parse_caller_json(result.json).is_discarded()) {
      return param_error(
          api, "messages",
          fmt::format("the JSON of tool result {} is not valid JSON", result.tool_use_id));
    }
    if (!is_valid_utf8(result.text)) {
      return param_error(
          api, "messages",
          fmt::format("the text of tool result {} is not valid UTF-8", result.tool_use_id));
    }
    if (result.error && !family_has_forced_tools(model.family)) {
      return param_error(api, "messages",
                         "a tool result with error status is supported only by Anthropic "
                         "Claude 3+ and Nova; report the error as text");
    }
  }
  return {};
}

// Each assistant turn's tool uses are answered, id for id, by the next user turn.
Status validate_pairing(const Prompt& prompt, std::string_view api) {
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    if (m.role != Role::User || m.tool_results.empty()) continue;
    const Message* asked = i > 0 ? &prompt.messages[i - 1] : nullptr;
    for (const ToolResult& result : m.tool_results) {
      const bool found = asked != nullptr &&
                         std::any_of(asked->tool_uses.begin(), asked->tool_uses.end(),
                                     [&](const ToolUse& u) { return u.id == result.tool_use_id; });
      if (!found) {
        return param_error(api, "messages",
                           fmt::format("tool result {} answers no tool use of the turn before",
                                       result.tool_use_id));
      }
    }
  }
  for (std::size_t i = 0; i + 1 < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    const Message& next = prompt.messages[i + 1];
    for (const ToolUse& use : m.tool_uses) {
      const bool answered =
          std::any_of(next.tool_results.begin(), next.tool_results.end(),
                      [&](const ToolResult& r) { return r.tool_use_id == use.id; });
      if (!answered) {
        return param_error(
            api, "messages",
            fmt::format("tool use {} has no tool result in the next user turn", use.id));
      }
    }
  }
  return {};
}

}  // namespace

bool uses_tools(const Prompt& prompt) {
  if (!prompt.tools.tools.empty() || prompt.tools.choice != ToolChoice::Unset) return true;
  return std::any_of(prompt.messages.begin(), prompt.messages.end(), [](const Message& m) {
    return !m.tool_uses.empty() || !m.tool_results.empty();
  });
}

Prompt merge_tool_results(Prompt prompt) {
  std::vector<Message> merged;
  merged.reserve(prompt.messages.size());
  for (Message& m : prompt.messages) {
    if (!merged.empty()) {
      Message& last = merged.back();
      const bool both_user = last.role == Role::User && m.role == Role::User;
      const bool has_results = !last.tool_results.empty() || !m.tool_results.empty();
      if (both_user && has_results && (last.text.empty() || m.text.empty())) {
        for (ToolResult& r : m.tool_results) last.tool_results.push_back(std::move(r));
        if (last.text.empty()) last.text = std::move(m.text);
        continue;
      }
    }
    merged.push_back(std::move(m));
  }
  prompt.messages = std::move(merged);
  return prompt;
}

Status validate_tools(const Prompt& prompt, const ModelInfo& model, std::string_view api) {
  if (!uses_tools(prompt)) return {};
  if (!family_has_tools(model.family)) {
    return param_error(api, "tools", "this model family does not support tool use in Converse");
  }
  if (prompt.tools.tools.empty()) {
    return param_error(api, "tools",
                       "the messages carry tool uses or results but no tools are defined; "
                       "Bedrock requires toolConfig with them");
  }
  if (auto ok = validate_definitions(prompt.tools, model, api); !ok) return ok;
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    if (auto ok = validate_blocks(prompt.messages[i], i, model, api); !ok) return ok;
  }
  return validate_pairing(prompt, api);
}

OJson message_content(const Message& message) {
  OJson content = OJson::array();
  append_reasoning(message, content);
  for (const ToolResult& r : message.tool_results) {
    OJson block{{"toolUseId", r.tool_use_id}};
    block["content"] = r.json.empty() ? OJson::array({{{"text", r.text}}})
                                      : OJson::array({{{"json", parse_caller_json(r.json)}}});
    if (r.error) block["status"] = "error";
    content.push_back({{"toolResult", std::move(block)}});
  }
  append_media(message, content);
  const bool others = !message.tool_results.empty() || !message.tool_uses.empty() ||
                      !message.reasoning.empty() || !message.images.empty() ||
                      !message.documents.empty();
  if (!message.text.empty() || !others) content.push_back({{"text", message.text}});
  for (const ToolUse& u : message.tool_uses) {
    content.push_back({{"toolUse",
                        {{"toolUseId", u.id},
                         {"name", u.name},
                         {"input", parse_caller_json(input_or_empty_object(u))}}}});
  }
  return content;
}

OJson tool_config(const ToolConfig& config) {
  OJson tools = OJson::array();
  for (const ToolSpec& spec : config.tools) {
    OJson tool{{"name", spec.name}};
    if (!spec.description.empty()) tool["description"] = spec.description;
    tool["inputSchema"] = {{"json", parse_caller_json(spec.input_schema_json)}};
    if (spec.strict) tool["strict"] = true;
    tools.push_back({{"toolSpec", std::move(tool)}});
  }
  OJson out{{"tools", std::move(tools)}};
  switch (config.choice) {
    case ToolChoice::Unset:
      break;
    case ToolChoice::Auto:
      out["toolChoice"] = {{"auto", OJson::object()}};
      break;
    case ToolChoice::Any:
      out["toolChoice"] = {{"any", OJson::object()}};
      break;
    case ToolChoice::Tool:
      out["toolChoice"] = {{"tool", {{"name", config.forced_tool}}}};
      break;
  }
  return out;
}

Result<ToolUse> decode_tool_use(const Json& block) {
  const Json* id = at(block, "/toolUseId");
  const Json* name = at(block, "/name");
  if (id == nullptr || !id->is_string() || name == nullptr || !name->is_string()) {
    return fail(ErrorCode::InvalidResponse,
                "converse response has a toolUse block without a string toolUseId and name");
  }
  ToolUse out{id->get<std::string>(), name->get<std::string>()};
  // A parsed body holds valid UTF-8 only, so dump cannot throw.
  if (const Json* input = at(block, "/input"); input != nullptr && !input->is_null()) {
    out.input_json = input->dump();
  }
  return out;
}

}  // namespace bedrock::models::detail
