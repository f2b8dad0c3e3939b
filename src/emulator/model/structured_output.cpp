#include "structured_output.h"

#include <fmt/format.h>

#include "bedrock/core/json_nesting.h"
#include "capabilities.h"
#include "schema_instance.h"

namespace bedrock::emulator::model::detail {
namespace {

Error coral(std::string_view value, std::string_view path, std::string_view constraint) {
  return validation_error(
      fmt::format("1 validation error detected: Value {} at '{}' failed to satisfy constraint: "
                  "Member must {}",
                  value, path, constraint));
}

}  // namespace

std::optional<Error> check_output_config(const ModelInfo& model, const Json& doc,
                                         EmulatedRequest& request) {
  const auto config = doc.find("outputConfig");
  if (config == doc.end() || config->is_null()) return std::nullopt;
  if (!config->is_object()) {
    return coral(fmt::format("'{}'", shown(*config)), "outputConfig", "be of type structure");
  }
  const auto format = config->find("textFormat");
  if (format == config->end() || format->is_null()) return std::nullopt;
  const std::string base = "outputConfig.textFormat";
  if (!format->is_object()) {
    return coral(fmt::format("'{}'", shown(*format)), base, "be of type structure");
  }
  const auto type = format->find("type");
  if (type == format->end() || type->is_null()) return coral("null", base + ".type", "not be null");
  if (*type != "json_schema") {
    return coral(fmt::format("'{}'", shown(*type)), base + ".type",
                 "satisfy enum value set: [json_schema]");
  }
  const auto structure = format->find("structure");
  if (structure == format->end() || structure->is_null()) {
    return coral("null", base + ".structure", "not be null");
  }
  if (!structure->is_object() || structure->size() != 1 || !structure->contains("jsonSchema")) {
    return coral(fmt::format("'{}'", shown(*structure)), base + ".structure",
                 "have exactly one member set");
  }
  const Json& definition = (*structure)["jsonSchema"];
  const std::string where = base + ".structure.jsonSchema";
  if (!definition.is_object()) {
    return coral(fmt::format("'{}'", shown(definition)), where, "be of type structure");
  }
  const auto schema = definition.find("schema");
  if (schema == definition.end() || schema->is_null()) {
    return coral("null", where + ".schema", "not be null");
  }
  if (!schema->is_string()) {
    return coral(fmt::format("'{}'", shown(*schema)), where + ".schema", "be of type string");
  }
  // Model support is Bedrock's check after the shapes.
  if (!supports(model, Capability::StructuredOutput)) return unsupported_field(base);
  const std::string& text = schema->get_ref<const std::string&>();
  const Json parsed = json_nesting_exceeds(text) ? Json(Json::value_t::discarded)
                                                 : Json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    // Bedrock's exact wording for an unreadable schema is not known; this names the member.
    return validation_error(
        fmt::format("The JSON schema in {}.schema is not a valid JSON object. Fix the schema and "
                    "try again.",
                    where));
  }
  request.output_schema = parsed.dump(-1, ' ', false, Json::error_handler_t::replace);
  return std::nullopt;
}

EmulatedAnswer structured_answer(const EmulatedRequest& request) {
  const Json schema = Json::parse(request.output_schema, nullptr, false);
  return shape_answer(request,
                      schema_instance(schema).dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace bedrock::emulator::model::detail
