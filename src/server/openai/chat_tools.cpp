#include "chat_tools.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace bedrock::server::openai {
namespace {

using Json = nlohmann::json;

const Json* member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string compact(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Parsed<models::ToolSpec> read_tool(const Json& tool, const std::string& at) {
  const Json* type = member(tool, "type");
  if (type == nullptr || *type != "function") {
    return problem("only tools of type 'function' are supported", at + ".type",
                   "unsupported_value");
  }
  const Json* function = member(tool, "function");
  const Json* name = function != nullptr ? member(*function, "name") : nullptr;
  if (name == nullptr || !name->is_string()) {
    return problem("a function tool needs function.name, a string", at + ".function.name");
  }
  models::ToolSpec spec;
  spec.name = name->get<std::string>();
  if (const Json* d = member(*function, "description"); d != nullptr) {
    if (!d->is_string())
      return problem("description must be a string", at + ".function.description");
    spec.description = d->get<std::string>();
  }
  if (const Json* p = member(*function, "parameters"); p != nullptr) {
    if (!p->is_object()) {
      return problem("parameters must be a JSON Schema object", at + ".function.parameters");
    }
    spec.input_schema_json = compact(*p);
  }
  if (const Json* s = member(*function, "strict"); s != nullptr) {
    if (!s->is_boolean()) return problem("strict must be a boolean", at + ".function.strict");
    spec.strict = s->get<bool>();
  }
  return spec;
}

bool holds_tool_calls(const models::Prompt& prompt) {
  for (const auto& m : prompt.messages) {
    if (!m.tool_uses.empty() || !m.tool_results.empty()) return true;
  }
  return false;
}

}  // namespace

Parsed<void> translate_tools(const Json& body, models::Prompt& prompt) {
  models::ToolConfig config;
  if (const Json* tools = member(body, "tools"); tools != nullptr) {
    if (!tools->is_array()) return problem("tools must be an array", "tools");
    for (std::size_t i = 0; i < tools->size(); ++i) {
      auto spec = read_tool((*tools)[i], fmt::format("tools[{}]", i));
      if (!spec) return tl::unexpected(spec.error());
      config.tools.push_back(std::move(*spec));
    }
  }
  const Json* choice = member(body, "tool_choice");
  bool none = false;
  if (choice != nullptr && choice->is_string()) {
    const auto& c = choice->get_ref<const std::string&>();
    if (c == "auto") {
      config.choice = models::ToolChoice::Auto;
    } else if (c == "required") {
      config.choice = models::ToolChoice::Any;
    } else if (c == "none") {
      none = true;
    } else {
      return problem(fmt::format("tool_choice '{}' is not one of none, auto, required", c),
                     "tool_choice");
    }
  } else if (choice != nullptr) {
    const Json* type = member(*choice, "type");
    const Json* function = member(*choice, "function");
    const Json* name = function != nullptr ? member(*function, "name") : nullptr;
    if (type == nullptr || *type != "function" || name == nullptr || !name->is_string()) {
      return problem(
          "tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":"
          "{\"name\":...}}",
          "tool_choice", "unsupported_value");
    }
    config.choice = models::ToolChoice::Tool;
    config.forced_tool = name->get<std::string>();
  }
  if (config.choice != models::ToolChoice::Unset && config.tools.empty()) {
    return problem("tool_choice needs tools", "tool_choice");
  }
  if (config.choice == models::ToolChoice::Tool) {
    bool found = false;
    for (const auto& t : config.tools) found = found || t.name == config.forced_tool;
    if (!found) {
      return problem(
          fmt::format("tool_choice names '{}', which is not among the tools", config.forced_tool),
          "tool_choice.function.name");
    }
  }
  if (none && !holds_tool_calls(prompt)) config.tools.clear();
  prompt.tools = std::move(config);
  return {};
}

Parsed<std::optional<models::OutputSchema>> translate_response_format(const Json& body) {
  const Json* format = member(body, "response_format");
  if (format == nullptr) return std::nullopt;
  const Json* type = member(*format, "type");
  if (type == nullptr || !type->is_string()) {
    return problem("response_format needs a type", "response_format.type");
  }
  if (*type == "text") return std::nullopt;
  models::OutputSchema schema;
  if (*type == "json_object") {
    schema.name = "json_object";
    schema.schema_json = R"({"type":"object"})";
    return schema;
  }
  if (*type != "json_schema") {
    return problem("response_format.type must be text, json_object or json_schema",
                   "response_format.type", "unsupported_value");
  }
  const Json* spec = member(*format, "json_schema");
  const Json* name = spec != nullptr ? member(*spec, "name") : nullptr;
  if (name == nullptr || !name->is_string()) {
    return problem("response_format.json_schema needs a name", "response_format.json_schema.name");
  }
  schema.name = name->get<std::string>();
  if (const Json* d = member(*spec, "description"); d != nullptr && d->is_string()) {
    schema.description = d->get<std::string>();
  }
  const Json* s = member(*spec, "schema");
  if (s == nullptr || !s->is_object()) {
    return problem("response_format.json_schema needs a schema, a JSON Schema object",
                   "response_format.json_schema.schema");
  }
  schema.schema_json = compact(*s);
  return schema;
}

}  // namespace bedrock::server::openai
