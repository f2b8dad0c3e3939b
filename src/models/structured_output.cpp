// Structured output (docs/wire-protocol.md §8.6): the form a request uses, its request fields, and
// the answer turned into validated JSON text.
#include "bedrock/models/structured_output.h"

#include <fmt/format.h>

#include <algorithm>

#include "bedrock/core/utf8.h"
#include "bedrock/models/json_schema.h"
#include "converse_structured.h"
#include "stream_support.h"

namespace bedrock::models {
namespace {

// The member a non-object schema is wrapped in for the Tool form.
const std::string kWrapMember = "value";

}  // namespace

namespace detail {
namespace {

constexpr std::string_view kDefaultToolName = "structured_output";

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

std::string structured_tool_name(const OutputSchema& schema) {
  return schema.name.empty() ? std::string(kDefaultToolName) : schema.name;
}

bool wraps_schema(const Json& schema) {
  const auto type = schema.find("type");
  return type == schema.end() || !type->is_string() || type->get<std::string>() != "object";
}

Result<OJson> apply_output_schema(Prompt& prompt, const ModelInfo& model, std::string_view api) {
  const OutputSchema& schema = *prompt.output_schema;
  const std::string name = structured_tool_name(schema);
  if (!valid_name(name)) {
    return param_error(
        api, "output_schema",
        fmt::format("the schema name \"{}\" must be 1-64 characters of [a-zA-Z0-9_-]",
                    is_valid_utf8(name) ? name : "?"));
  }
  if (!is_valid_utf8(schema.description)) {
    return param_error(api, "output_schema", "the schema description is not valid UTF-8");
  }
  if (!json_depth_within(schema.schema_json, kMaxSchemaDepth)) {
    return param_error(api, "output_schema", "the schema nests too deep");
  }
  OJson parsed = OJson::parse(schema.schema_json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return param_error(api, "output_schema", "the schema is not a JSON object");
  }
  if (structured_form(schema, model) == StructuredMode::Native) {
    OJson definition{{"schema", parsed.dump()}};
    if (!schema.name.empty()) definition["name"] = schema.name;
    if (!schema.description.empty()) definition["description"] = schema.description;
    return OJson{
        {"textFormat",
         {{"type", "json_schema"}, {"structure", {{"jsonSchema", std::move(definition)}}}}}};
  }
  if (!prompt.tools.tools.empty() || prompt.tools.choice != ToolChoice::Unset) {
    return param_error(api, "output_schema",
                       "structured output through a forced tool cannot be combined with the "
                       "caller's tools; ask for the native form or leave the tools out");
  }
  ToolSpec spec;
  spec.name = name;
  spec.description = schema.description;
  const Json plain = Json::parse(schema.schema_json, nullptr, /*allow_exceptions=*/false);
  if (wraps_schema(plain)) {
    OJson wrapped{{"type", "object"},
                  {"properties", {{kWrapMember, std::move(parsed)}}},
                  {"required", OJson::array({kWrapMember})}};
    spec.input_schema_json = wrapped.dump();
  } else {
    spec.input_schema_json = parsed.dump();
  }
  prompt.tools.tools.push_back(std::move(spec));
  // A named choice exists for Claude and Nova only; with one tool, "any" forces it elsewhere.
  const bool named =
      model.family == ModelFamily::AnthropicMessages || model.family == ModelFamily::Nova;
  prompt.tools.choice = named ? ToolChoice::Tool : ToolChoice::Any;
  if (named) prompt.tools.forced_tool = name;
  return OJson();
}

}  // namespace detail

StructuredMode structured_form(const OutputSchema& schema, const ModelInfo& model) {
  if (schema.mode != StructuredMode::Auto) return schema.mode;
  return model.native_structured_output ? StructuredMode::Native : StructuredMode::Tool;
}

std::string_view to_string(StructuredMode mode) {
  switch (mode) {
    case StructuredMode::Native:
      return "native";
    case StructuredMode::Tool:
      return "tool";
    case StructuredMode::Auto:
      break;
  }
  return "";
}

Result<Completion> structured_answer(Completion answer, const OutputSchema& schema,
                                     const ModelInfo& model) {
  const StructuredMode form = structured_form(schema, model);
  std::string json_text;
  if (form == StructuredMode::Tool) {
    const std::string name = detail::structured_tool_name(schema);
    const auto call = std::find_if(answer.tool_calls.begin(), answer.tool_calls.end(),
                                   [&](const ToolUse& u) { return u.name == name; });
    if (call == answer.tool_calls.end()) {
      return fail(ErrorCode::SchemaMismatch,
                  fmt::format("the model answered without calling the structured-output tool "
                              "\"{}\"",
                              name));
    }
    json_text = call->input_json;
    answer.tool_calls.erase(call);
    const detail::Json plain =
        detail::Json::parse(schema.schema_json, nullptr, /*allow_exceptions=*/false);
    if (detail::wraps_schema(plain)) {
      // The input was checked as JSON by the decoder; only the wrapper's shape is new here.
      const detail::OJson input =
          detail::OJson::parse(json_text, nullptr, /*allow_exceptions=*/false);
      if (!input.is_object() || !input.contains(kWrapMember)) {
        return fail(ErrorCode::SchemaMismatch,
                    "the structured-output tool input has no \"value\" member");
      }
      json_text = input.at(kWrapMember).dump();
    }
    if (answer.stop_reason == StopReason::ToolUse) answer.stop_reason = StopReason::EndTurn;
  } else {
    json_text = answer.text;
  }
  if (auto ok = validate_json_schema(json_text, schema.schema_json); !ok) return fail(ok.error());
  // Validated above: JSON within the depth bound, so this parse succeeds and dump cannot throw.
  answer.text = detail::OJson::parse(detail::replace_invalid_utf8(json_text), nullptr,
                                     /*allow_exceptions=*/false)
                    .dump();
  answer.structured = form;
  return answer;
}

}  // namespace bedrock::models
