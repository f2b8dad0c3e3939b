// The bounded JSON Schema subset of json_schema.h. Instance and schema are walked together; the
// walk recurses once per nesting level, and both documents were checked to nest at most
// kMaxSchemaDepth deep before parsing, so the recursion is bounded by that constant.
#include "bedrock/models/json_schema.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>

#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models {
namespace {

using detail::Json;

// RFC 6901: '~' and '/' in a member name are escaped.
std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_integral(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool has_type(const Json& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") return is_integral(v);
  return true;  // an unknown type name constrains nothing we can check
}

std::string_view type_name(const Json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  return "a number";
}

// A short, bounded rendering of a value for messages.
std::string brief(const Json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::optional<double> number_at(const Json& schema, const char* key) {
  const auto it = schema.find(key);
  if (it == schema.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::size_t> count_at(const Json& schema, const char* key) {
  const auto it = schema.find(key);
  if (it == schema.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::size_t>();
}

class Checker {
 public:
  // The first violation as "pointer: problem", or nullopt when the value matches.
  std::optional<std::string> check(const Json& value, const Json& schema, const std::string& at) {
    if (schema.is_boolean()) {
      if (schema.get<bool>()) return std::nullopt;
      return violation(at, "no value is allowed here (schema false)");
    }
    if (!schema.is_object()) return std::nullopt;
    if (auto v = check_type(value, schema, at)) return v;
    if (auto v = check_enum(value, schema, at)) return v;
    if (value.is_number()) return check_number(value, schema, at);
    if (value.is_string()) return check_string(value, schema, at);
    if (value.is_array()) return check_array(value, schema, at);
    if (value.is_object()) return check_object(value, schema, at);
    return std::nullopt;
  }

 private:
  static std::string violation(const std::string& at, std::string_view problem) {
    return fmt::format("\"{}\": {}", at, problem);
  }

  std::optional<std::string> check_type(const Json& value, const Json& schema,
                                        const std::string& at) {
    const auto it = schema.find("type");
    if (it == schema.end()) return std::nullopt;
    if (it->is_string()) {
      const auto type = it->get<std::string>();
      if (has_type(value, type)) return std::nullopt;
      return violation(at, fmt::format("expected {}, found {}", type, type_name(value)));
    }
    if (!it->is_array()) return std::nullopt;
    std::string names;
    for (const Json& t : *it) {
      if (!t.is_string()) continue;
      if (has_type(value, t.get<std::string>())) return std::nullopt;
      names += names.empty() ? t.get<std::string>() : " or " + t.get<std::string>();
    }
    if (names.empty()) return std::nullopt;
    return violation(at, fmt::format("expected {}, found {}", names, type_name(value)));
  }

  std::optional<std::string> check_enum(const Json& value, const Json& schema,
                                        const std::string& at) {
    if (const auto it = schema.find("const"); it != schema.end() && *it != value) {
      return violation(at, fmt::format("{} is not the constant {}", brief(value), brief(*it)));
    }
    const auto it = schema.find("enum");
    if (it == schema.end() || !it->is_array()) return std::nullopt;
    for (const Json& allowed : *it) {
      if (allowed == value) return std::nullopt;
    }
    return violation(at, fmt::format("{} is not one of the enum values", brief(value)));
  }

  std::optional<std::string> check_number(const Json& value, const Json& schema,
                                          const std::string& at) {
    const double v = value.get<double>();
    if (auto m = number_at(schema, "minimum"); m && v < *m) {
      return violation(at, fmt::format("{} is below the minimum {}", brief(value), *m));
    }
    if (auto m = number_at(schema, "maximum"); m && v > *m) {
      return violation(at, fmt::format("{} is above the maximum {}", brief(value), *m));
    }
    if (auto m = number_at(schema, "exclusiveMinimum"); m && v <= *m) {
      return violation(at,
                       fmt::format("{} is not above the exclusive minimum {}", brief(value), *m));
    }
    if (auto m = number_at(schema, "exclusiveMaximum"); m && v >= *m) {
      return violation(at,
                       fmt::format("{} is not below the exclusive maximum {}", brief(value), *m));
    }
    return std::nullopt;
  }

  std::optional<std::string> check_string(const Json& value, const Json& schema,
                                          const std::string& at) {
    const std::size_t n = code_points(value.get_ref<const std::string&>());
    if (auto m = count_at(schema, "minLength"); m && n < *m) {
      return violation(at, fmt::format("the string has {} characters, fewer than {}", n, *m));
    }
    if (auto m = count_at(schema, "maxLength"); m && n > *m) {
      return violation(at, fmt::format("the string has {} characters, more than {}", n, *m));
    }
    return std::nullopt;
  }

  std::optional<std::string> check_array(const Json& value, const Json& schema,
                                         const std::string& at) {
    if (auto m = count_at(schema, "minItems"); m && value.size() < *m) {
      return violation(at, fmt::format("the array has {} items, fewer than {}", value.size(), *m));
    }
    if (auto m = count_at(schema, "maxItems"); m && value.size() > *m) {
      return violation(at, fmt::format("the array has {} items, more than {}", value.size(), *m));
    }
    const auto items = schema.find("items");
    if (items == schema.end() || !(items->is_object() || items->is_boolean())) return std::nullopt;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto v = check(value[i], *items, fmt::format("{}/{}", at, i))) return v;
    }
    return std::nullopt;
  }

  std::optional<std::string> check_object(const Json& value, const Json& schema,
                                          const std::string& at) {
    if (const auto req = schema.find("required"); req != schema.end() && req->is_array()) {
      for (const Json& name : *req) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          return violation(
              at, fmt::format("the required property \"{}\" is missing", name.get<std::string>()));
        }
      }
    }
    const auto props = schema.find("properties");
    const bool has_props = props != schema.end() && props->is_object();
    const auto extra = schema.find("additionalProperties");
    for (const auto& [name, member] : value.items()) {
      const std::string where = at + "/" + pointer_token(name);
      if (has_props) {
        if (const auto sub = props->find(name); sub != props->end()) {
          if (auto v = check(member, *sub, where)) return v;
          continue;
        }
      }
      if (extra == schema.end()) continue;
      if (extra->is_boolean() && !extra->get<bool>()) {
        return violation(where, "this property is not allowed (additionalProperties false)");
      }
      if (auto v = check(member, *extra, where)) return v;
    }
    return std::nullopt;
  }
};

}  // namespace

Status validate_json_schema(std::string_view instance_json, std::string_view schema_json) {
  if (!detail::json_depth_within(schema_json, kMaxSchemaDepth)) {
    return fail(ErrorCode::Validation,
                fmt::format("the JSON schema nests deeper than {} levels", kMaxSchemaDepth));
  }
  const Json schema = Json::parse(schema_json, nullptr, /*allow_exceptions=*/false);
  if (!schema.is_object() && !schema.is_boolean()) {
    return fail(ErrorCode::Validation, "the JSON schema is not a JSON object");
  }
  if (!detail::json_depth_within(instance_json, kMaxSchemaDepth)) {
    return fail(ErrorCode::SchemaMismatch,
                fmt::format("the answer nests deeper than {} levels", kMaxSchemaDepth));
  }
  const Json instance =
      Json::parse(detail::replace_invalid_utf8(instance_json), nullptr, /*allow_exceptions=*/false);
  if (instance.is_discarded()) {
    return fail(ErrorCode::SchemaMismatch, "the answer is not JSON");
  }
  if (auto violation = Checker{}.check(instance, schema, "")) {
    return fail(ErrorCode::SchemaMismatch,
                fmt::format("the answer does not match the schema at {}", *violation));
  }
  return {};
}

}  // namespace bedrock::models
