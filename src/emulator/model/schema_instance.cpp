#include "schema_instance.h"

#include <algorithm>

namespace bedrock::emulator::model::detail {
namespace {

constexpr std::size_t kMaxArrayItems = 3;

// The schema's first "type" ("" when none).
std::string type_of(const Json& schema) {
  const auto it = schema.find("type");
  if (it == schema.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array() && !it->empty() && (*it)[0].is_string()) return (*it)[0].get<std::string>();
  return {};
}

// anyOf / oneOf: the first alternative stands for the schema.
const Json& first_alternative(const Json& schema) {
  for (const char* key : {"anyOf", "oneOf"}) {
    const auto it = schema.find(key);
    if (it != schema.end() && it->is_array() && !it->empty() && (*it)[0].is_object()) {
      return (*it)[0];
    }
  }
  return schema;
}

// Recursion is bounded by kMaxSchemaInstanceDepth, not by the schema's own nesting.
Json instance(const Json& raw, int depth) {
  if (!raw.is_object()) return "example";
  const Json& schema = first_alternative(raw);
  if (auto it = schema.find("const"); it != schema.end()) return *it;
  if (auto it = schema.find("enum"); it != schema.end() && it->is_array() && !it->empty()) {
    return (*it)[0];
  }
  std::string type = type_of(schema);
  if (type.empty() && schema.contains("properties")) type = "object";
  if (type == "integer") return 1;
  if (type == "number") return 1.5;
  if (type == "boolean") return true;
  if (type == "null") return nullptr;
  if (type == "array") {
    Json out = Json::array();
    const auto min = schema.find("minItems");
    const auto items = schema.find("items");
    if (depth >= kMaxSchemaInstanceDepth || min == schema.end() || !min->is_number_unsigned()) {
      return out;
    }
    const std::size_t count = std::min<std::size_t>(min->get<std::size_t>(), kMaxArrayItems);
    const Json none;
    for (std::size_t i = 0; i < count; ++i) {
      out.push_back(instance(items != schema.end() ? *items : none, depth + 1));
    }
    return out;
  }
  if (type == "object") {
    Json out = Json::object();
    if (depth >= kMaxSchemaInstanceDepth) return out;
    const auto properties = schema.find("properties");
    const auto required = schema.find("required");
    if (required == schema.end() || !required->is_array()) return out;
    const Json none;
    for (const Json& name : *required) {
      if (!name.is_string()) continue;
      const std::string& key = name.get_ref<const std::string&>();
      const bool described =
          properties != schema.end() && properties->is_object() && properties->contains(key);
      out[key] = instance(described ? (*properties)[key] : none, depth + 1);
    }
    return out;
  }
  return "example";
}

bool fits(const Json& value, const Json& raw, int depth) {
  if (!raw.is_object() || depth > kMaxSchemaInstanceDepth) return true;
  const Json& schema = first_alternative(raw);
  if (auto it = schema.find("const"); it != schema.end()) return value == *it;
  if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
    return std::find(it->begin(), it->end(), value) != it->end();
  }
  std::string type = type_of(schema);
  if (type.empty() && schema.contains("properties")) type = "object";
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "string") return value.is_string();
  if (type == "array") {
    if (!value.is_array()) return false;
    const auto min = schema.find("minItems");
    if (min != schema.end() && min->is_number_unsigned() &&
        value.size() < std::min<std::size_t>(min->get<std::size_t>(), kMaxArrayItems)) {
      return false;
    }
    const auto items = schema.find("items");
    if (items == schema.end()) return true;
    return std::all_of(value.begin(), value.end(),
                       [&](const Json& item) { return fits(item, *items, depth + 1); });
  }
  if (type == "object") {
    if (!value.is_object()) return false;
    const auto properties = schema.find("properties");
    if (const auto required = schema.find("required");
        required != schema.end() && required->is_array()) {
      for (const Json& name : *required) {
        if (name.is_string() && !value.contains(name.get_ref<const std::string&>())) return false;
      }
    }
    if (properties == schema.end() || !properties->is_object()) return true;
    for (const auto& [key, member] : value.items()) {
      if (properties->contains(key) && !fits(member, (*properties)[key], depth + 1)) return false;
    }
    return true;
  }
  return true;
}

}  // namespace

Json schema_instance(const Json& schema, const Json& given) {
  Json out = instance(schema, 0);
  if (out.is_object() && given.is_object()) {
    for (const auto& [key, value] : given.items()) out[key] = value;
  }
  return out;
}

bool fits_schema(const Json& value, const Json& schema) { return fits(value, schema, 0); }

}  // namespace bedrock::emulator::model::detail
