#include "tools.h"

#include <fmt/format.h>

#include <algorithm>

#include "families.h"
#include "schema_instance.h"

namespace bedrock::emulator::model::detail {
namespace {

bool contains_text(std::string_view id, std::string_view part) {
  return id.find(part) != std::string_view::npos;
}

Error invalid(std::string message) { return validation_error(std::move(message)); }

// The toolUse answer calling `name` with `input`.
EmulatedAnswer call_tool(const EmulatedRequest& request, const std::string& name,
                         const Json& input) {
  EmulatedAnswer answer;
  answer.tool_name = name;
  answer.tool_input = input.dump(-1, ' ', false, Json::error_handler_t::replace);
  answer.tool_use_id =
      "tooluse_" + derive_id(request.prompt_text + "\n" + name, "tooluse", 22, kBase62);
  answer.stop_reason = StopReason::ToolUse;
  answer.input_tokens = request.input_tokens;
  answer.output_tokens = estimate_tokens(answer.tool_name) + estimate_tokens(answer.tool_input);
  return answer;
}

}  // namespace

bool supports_tools(const ModelInfo& model) {
  switch (model.family) {
    case ModelFamily::AnthropicMessages:
    case ModelFamily::Nova:
    case ModelFamily::CohereCommandR:
    case ModelFamily::MistralChat:
    case ModelFamily::OpenAiGptOss:
      return true;
    case ModelFamily::MistralText:
      return contains_text(model.id, "mistral-large");
    case ModelFamily::Llama3:
      // Llama 3.0 and the small 3.2 models answer tool requests with the refusal.
      return !contains_text(model.id, "llama3-8b") && !contains_text(model.id, "llama3-70b") &&
             !contains_text(model.id, "llama3-2-1b") && !contains_text(model.id, "llama3-2-3b");
    case ModelFamily::Ai21Jamba:
      return contains_text(model.id, "jamba-1-5");
    default:
      return false;
  }
}

bool supports_forced_tool_choice(const ModelInfo& model) {
  return model.family == ModelFamily::AnthropicMessages || model.family == ModelFamily::Nova;
}

std::optional<Error> check_tools(const ModelInfo& model, const Json& doc,
                                 EmulatedRequest& request) {
  const auto config = doc.find("toolConfig");
  const bool has_config = config != doc.end() && !config->is_null();
  if (has_config) {
    if (!supports_tools(model)) return invalid("This model doesn't support tool use.");
    if (!config->is_object()) {
      return invalid(
          fmt::format("1 validation error detected: Value '{}' at 'toolConfig' failed to satisfy "
                      "constraint: Member must be of type structure",
                      shown(*config)));
    }
    const auto tools = config->find("tools");
    if (tools == config->end() || !tools->is_array() || tools->empty()) {
      return invalid(
          "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy "
          "constraint: Member must have length greater than or equal to 1");
    }
    std::vector<std::pair<std::string, const Json*>> specs;
    for (std::size_t i = 0; i < tools->size(); ++i) {
      const Json& tool = (*tools)[i];
      if (!tool.is_object() || tool.size() != 1) {
        return invalid(fmt::format(
            "1 validation error detected: Value at 'toolConfig.tools.{}.member' failed to "
            "satisfy constraint: Member must have exactly one member set",
            i + 1));
      }
      const auto spec = tool.find("toolSpec");
      if (spec == tool.end()) continue;  // cachePoint / systemTool
      const auto name = spec->is_object() ? spec->find("name") : spec->end();
      const auto schema = spec->is_object() ? spec->find("inputSchema") : spec->end();
      if (!spec->is_object() || name == spec->end() || !name->is_string() ||
          name->get_ref<const std::string&>().empty() || schema == spec->end() ||
          !schema->is_object() || !schema->contains("json")) {
        return invalid(fmt::format(
            "1 validation error detected: Value at 'toolConfig.tools.{}.member.toolSpec' failed "
            "to satisfy constraint: Member must have a non-empty name and an inputSchema.json",
            i + 1));
      }
      specs.emplace_back(name->get<std::string>(), &(*schema)["json"]);
      request.offered_tools.emplace_back(
          name->get<std::string>(),
          (*schema)["json"].dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    request.tool_choice = "auto";
    if (const auto choice = config->find("toolChoice"); choice != config->end()) {
      if (!choice->is_object() || choice->size() != 1) {
        return invalid(
            "1 validation error detected: Value at 'toolConfig.toolChoice' failed to satisfy "
            "constraint: Member must have exactly one member set");
      }
      const std::string kind = choice->begin().key();
      request.tool_choice = kind;
      if ((kind == "any" || kind == "tool") && !supports_forced_tool_choice(model)) {
        return invalid(
            fmt::format("This model doesn't support the toolConfig.toolChoice.{0} field. Remove "
                        "toolConfig.toolChoice.{0} and try again.",
                        kind));
      }
      const Json* chosen = nullptr;
      if (kind == "any" && !specs.empty()) {
        request.forced_tool = specs.front().first;
        chosen = specs.front().second;
      } else if (kind == "tool") {
        const Json& named = choice->begin().value();
        const auto wanted = named.is_object() ? named.find("name") : named.end();
        if (wanted == named.end() || !wanted->is_string()) {
          return invalid(
              "1 validation error detected: Value null at 'toolConfig.toolChoice.tool.name' "
              "failed to satisfy constraint: Member must not be null");
        }
        for (const auto& [tool_name, schema] : specs) {
          if (tool_name == wanted->get_ref<const std::string&>()) {
            request.forced_tool = tool_name;
            chosen = schema;
          }
        }
        if (chosen == nullptr) {
          return invalid(
              fmt::format("The tool {} named in toolConfig.toolChoice.tool is not defined in "
                          "toolConfig.tools.",
                          shown(*wanted)));
        }
      } else if (kind != "auto" && kind != "any") {
        return invalid(fmt::format(
            "1 validation error detected: Value '{}' at 'toolConfig.toolChoice' failed to "
            "satisfy constraint: Member must be one of auto, any, tool",
            kind));
      }
      if (chosen != nullptr) {
        request.forced_tool_schema = chosen->dump(-1, ' ', false, Json::error_handler_t::replace);
      }
    }
  }

  // toolUse / toolResult blocks: each result answers a toolUse of the assistant turn before.
  const Json& messages = doc["messages"];
  std::vector<std::string> previous_uses;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Json& message = messages[i];
    const auto content = message.find("content");
    std::vector<std::string> uses;
    std::size_t results = 0;
    if (content != message.end() && content->is_array()) {
      for (const Json& block : *content) {
        if (!block.is_object()) continue;
        const bool is_use = block.contains("toolUse");
        const bool is_result = block.contains("toolResult");
        if (!is_use && !is_result) continue;
        if (!has_config) {
          return invalid(
              "The toolConfig field must be defined when using toolUse and toolResult content "
              "blocks.");
        }
        const Json& inner = is_use ? block["toolUse"] : block["toolResult"];
        const auto id = inner.is_object() ? inner.find("toolUseId") : inner.end();
        if (id == inner.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
          return invalid(fmt::format(
              "1 validation error detected: Value null at 'messages.{}.member.content' failed to "
              "satisfy constraint: every {} block must have a toolUseId",
              i + 1, is_use ? "toolUse" : "toolResult"));
        }
        if (is_use) {
          uses.push_back(id->get<std::string>());
          continue;
        }
        ++results;
        if (results > previous_uses.size()) {
          return invalid(fmt::format(
              "The number of toolResult blocks at messages.{}.content exceeds the number of "
              "toolUse blocks of previous turn.",
              i));
        }
        if (std::find(previous_uses.begin(), previous_uses.end(),
                      id->get_ref<const std::string&>()) == previous_uses.end()) {
          return invalid(fmt::format(
              "The toolUseId {} of the toolResult block at messages.{}.content matches no toolUse "
              "block of the previous turn.",
              shown(*id), i));
        }
      }
    }
    previous_uses = std::move(uses);
    request.answers_tool_result = results > 0;
  }
  return std::nullopt;
}

EmulatedAnswer tool_answer(const EmulatedRequest& request) {
  const Json schema = Json::parse(request.forced_tool_schema, nullptr, false);
  return call_tool(request, request.forced_tool, schema_instance(schema));
}

std::optional<EmulatedAnswer> requested_tool_answer(const EmulatedRequest& request,
                                                    std::string_view name,
                                                    std::string_view given_input) {
  // toolChoice any lets the model pick among the tools, so the fixture's pick stands.
  if (request.answers_tool_result) return std::nullopt;
  if (request.tool_choice != "auto" && request.tool_choice != "any") return std::nullopt;
  for (const auto& [offered, schema_text] : request.offered_tools) {
    if (offered != name) continue;
    const Json schema = Json::parse(schema_text, nullptr, false);
    const Json given = given_input.empty() ? Json() : Json::parse(given_input, nullptr, false);
    return call_tool(request, offered, schema_instance(schema, given));
  }
  return std::nullopt;
}

}  // namespace bedrock::emulator::model::detail
