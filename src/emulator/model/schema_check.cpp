#include "schema_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "deep_body.h"
#include "json_read.h"

namespace bedrock::emulator::model::detail {
namespace {

constexpr std::string_view kPrefix = "Malformed input request: ";
constexpr std::string_view kSuffix = ", please reformat your input and try again.";

bool is_integer(const Json& v) { return v.is_number_integer(); }

std::string_view kind_name(SchemaCheck::Kind kind) {
  switch (kind) {
    case SchemaCheck::Kind::String:
      return "String";
    case SchemaCheck::Kind::Integer:
      return "Integer";
    case SchemaCheck::Kind::Number:
      return "Number";
    case SchemaCheck::Kind::Boolean:
      return "Boolean";
    case SchemaCheck::Kind::Object:
      return "JSONObject";
    case SchemaCheck::Kind::Array:
      return "JSONArray";
  }
  return "Unknown";
}

bool matches(const Json& v, SchemaCheck::Kind kind) {
  switch (kind) {
    case SchemaCheck::Kind::String:
      return v.is_string();
    case SchemaCheck::Kind::Integer:
      return is_integer(v);
    case SchemaCheck::Kind::Number:
      return v.is_number();
    case SchemaCheck::Kind::Boolean:
      return v.is_boolean();
    case SchemaCheck::Kind::Object:
      return v.is_object();
    case SchemaCheck::Kind::Array:
      return v.is_array();
  }
  return false;
}

const Json* member(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

}  // namespace

// Built on every validated member, errors or not, so plain appends rather than fmt.
std::string child(std::string_view path, std::string_view key) {
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).push_back('/');
  out.append(key);
  return out;
}

std::string child(std::string_view path, std::size_t index) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), index).ptr;
  return child(path,
               std::string_view(digits.data(), static_cast<std::size_t>(end - digits.data())));
}

std::string_view type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "String";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "Integer";
    case Json::value_t::number_float:
      return "BigDecimal";
    case Json::value_t::boolean:
      return "Boolean";
    case Json::value_t::object:
      return "JSONObject";
    case Json::value_t::array:
      return "JSONArray";
    default:
      return "Null";
  }
}

std::string format_number(double value) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{}", value);
}

std::string shown(const Json& value) {
  constexpr std::size_t kMax = 64;
  std::string text = value.is_string() ? value.get<std::string>()
                                       : value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() <= kMax) return text;
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

Error validation_error(std::string message) {
  Error e = Error::make(ErrorCode::Validation, std::move(message));
  e.http_status = 400;
  e.aws_type = "ValidationException";
  return e;
}

Result<Json> parse_object_body(std::string_view body) {
  if (auto deep = deep_body_error(body)) return fail(std::move(*deep));
  Json doc = parse_json(body);
  if (doc.is_discarded()) {
    // org.json's wording for unparsable text; the exact position text differs from Java's.
    return fail(validation_error(
        fmt::format("{}A JSON text must be a well-formed object{}", kPrefix, kSuffix)));
  }
  if (!doc.is_object()) {
    return fail(validation_error(fmt::format("{}#: expected type: JSONObject, found: {}{}", kPrefix,
                                             type_name(doc), kSuffix)));
  }
  return doc;
}

void SchemaCheck::add(std::string_view path, std::string_view text) {
  violations_.push_back(fmt::format("{}: {}", path, text));
}

bool SchemaCheck::expect(const Json& value, std::string_view path, Kind kind) {
  if (matches(value, kind)) return true;
  add(path, fmt::format("expected type: {}, found: {}", kind_name(kind), type_name(value)));
  return false;
}

bool SchemaCheck::object(const Json& value, std::string_view path,
                         std::initializer_list<std::string_view> required,
                         std::initializer_list<std::string_view> allowed) {
  if (!expect(value, path, Kind::Object)) return false;
  bool good = true;
  for (std::string_view key : required) {
    if (!value.contains(key)) {
      add(path, fmt::format("required key [{}] not found", key));
      good = false;
    }
  }
  if (allowed.size() == 0) return good;
  for (const auto& item : value.items()) {
    // A named reference, not a structured binding: clang 14 (the fuzz build) cannot capture
    // structured bindings in a lambda.
    const auto& key = item.key();
    auto known = [&](std::initializer_list<std::string_view> list) {
      return std::find(list.begin(), list.end(), key) != list.end();
    };
    if (!known(required) && !known(allowed)) {
      add(path, fmt::format("extraneous key [{}] is not permitted", key));
      good = false;
    }
  }
  return good;
}

std::optional<std::string> SchemaCheck::string(const Json& obj, std::string_view path,
                                               std::string_view key, std::size_t min_length) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::string where = child(path, key);
  if (!expect(*v, where, Kind::String)) return std::nullopt;
  auto text = v->get<std::string>();
  if (text.size() < min_length) {
    add(where, fmt::format("expected minLength: {}, actual: {}", min_length, text.size()));
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> SchemaCheck::integer(const Json& obj, std::string_view path,
                                                 std::string_view key,
                                                 std::optional<std::int64_t> min,
                                                 std::optional<std::int64_t> max) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::string where = child(path, key);
  if (!expect(*v, where, Kind::Integer)) return std::nullopt;
  // Unsigned values above int64 are clamped: they fail any max check we make anyway.
  std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX
                       ? INT64_MAX
                       : v->get<std::int64_t>();
  if (min && n < *min) {
    add(where, fmt::format("{} is not greater or equal to {}", n, *min));
    return std::nullopt;
  }
  if (max && n > *max) {
    add(where, fmt::format("{} is not less or equal to {}", n, *max));
    return std::nullopt;
  }
  return n;
}

std::optional<double> SchemaCheck::number(const Json& obj, std::string_view path,
                                          std::string_view key, std::optional<double> min,
                                          std::optional<double> max) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::string where = child(path, key);
  if (!expect(*v, where, Kind::Number)) return std::nullopt;
  double x = v->get<double>();
  if (min && x < *min) {
    add(where, fmt::format("{} is not greater or equal to {}", v->dump(), format_number(*min)));
    return std::nullopt;
  }
  if (max && x > *max) {
    add(where, fmt::format("{} is not less or equal to {}", v->dump(), format_number(*max)));
    return std::nullopt;
  }
  return x;
}

std::optional<bool> SchemaCheck::boolean(const Json& obj, std::string_view path,
                                         std::string_view key) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!expect(*v, child(path, key), Kind::Boolean)) return std::nullopt;
  return v->get<bool>();
}

std::optional<std::string> SchemaCheck::enumeration(
    const Json& obj, std::string_view path, std::string_view key,
    std::initializer_list<std::string_view> values) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::string where = child(path, key);
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (std::find(values.begin(), values.end(), s) != values.end()) return s;
  }
  // everit prints the offending value as JSON text minus the quotes of a string.
  add(where, fmt::format("{} is not a valid enum value", shown(*v)));
  return std::nullopt;
}

std::optional<std::vector<std::string>> SchemaCheck::string_list(
    const Json& obj, std::string_view path, std::string_view key,
    std::optional<std::size_t> max_items) {
  const Json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::string where = child(path, key);
  if (!expect(*v, where, Kind::Array)) return std::nullopt;
  if (max_items && v->size() > *max_items) {
    add(where, fmt::format("expected maximum item count: {}, found: {}", *max_items, v->size()));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool good = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!expect((*v)[i], child(where, i), Kind::String)) {
      good = false;
      continue;
    }
    out.push_back((*v)[i].get<std::string>());
  }
  if (!good) return std::nullopt;
  return out;
}

const Json* SchemaCheck::array(const Json& obj, std::string_view path, std::string_view key,
                               std::size_t min_items) {
  const Json* v = member(obj, key);
  if (v == nullptr) return nullptr;
  std::string where = child(path, key);
  if (!expect(*v, where, Kind::Array)) return nullptr;
  if (v->size() < min_items) {
    add(where, fmt::format("expected minimum item count: {}, found: {}", min_items, v->size()));
    return nullptr;
  }
  return v;
}

const Json* SchemaCheck::object_member(const Json& obj, std::string_view path,
                                       std::string_view key) {
  const Json* v = member(obj, key);
  if (v == nullptr) return nullptr;
  if (!expect(*v, child(path, key), Kind::Object)) return nullptr;
  return v;
}

Error SchemaCheck::error() const {
  if (violations_.size() == 1) {
    return validation_error(fmt::format("{}{}{}", kPrefix, violations_.front(), kSuffix));
  }
  // everit folds several violations into a count; the pointers are not shown (docs/wire-protocol.md
  // §2.1).
  return validation_error(
      fmt::format("{}{} schema violations found{}", kPrefix, violations_.size(), kSuffix));
}

}  // namespace bedrock::emulator::model::detail
