#include "server/json_body.h"

#include <fmt/format.h>

#include <cmath>

#include "bedrock/core/json_nesting.h"

namespace bedrock::server {

namespace {

// "application/json" or "application/json; charset=utf-8", any case.
bool is_json_media_type(std::string_view value) {
  const auto semicolon = value.find(';');
  std::string_view type = value.substr(0, semicolon);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (type.size() != kJson.size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    char c = type[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kJson[i]) return false;
  }
  return true;
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

bool json_content_type(const net::HttpRequest& request) {
  auto type = request.find(boost::beast::http::field::content_type);
  return type == request.end() ||
         is_json_media_type(std::string_view(type->value().data(), type->value().size()));
}

HttpResult<nlohmann::json> parse_json_body(const net::HttpRequest& request) {
  if (!json_content_type(request)) {
    return refuse(
        unsupported_media_type("The request body must be JSON (Content-Type: "
                               "application/json)."));
  }
  const std::string& text = request.body();
  if (json_nesting_exceeds(text)) {
    return refuse(bad_field(
        "body", fmt::format("The request body nests deeper than {} levels.", kMaxJsonNesting)));
  }
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return refuse(unsupported_media_type("The request body is not valid JSON."));
  }
  if (!parsed.is_object())
    return refuse(bad_field("body", "The request body must be a JSON object."));
  return parsed;
}

HttpResult<std::optional<std::string>> string_field(const nlohmann::json& object,
                                                    std::string_view name, bool required) {
  const nlohmann::json* v = member(object, name);
  if (v == nullptr) {
    if (required) {
      return refuse(bad_field(std::string(name), fmt::format("The field '{}' is required.", name)));
    }
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return refuse(
        bad_field(std::string(name), fmt::format("The field '{}' must be a string.", name)));
  }
  return std::optional<std::string>(v->get<std::string>());
}

HttpResult<std::optional<bool>> bool_field(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* v = member(object, name);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_boolean()) {
    return refuse(
        bad_field(std::string(name), fmt::format("The field '{}' must be true or false.", name)));
  }
  return std::optional<bool>(v->get<bool>());
}

HttpResult<std::optional<std::int64_t>> int_field(const nlohmann::json& object,
                                                  std::string_view name, std::int64_t min,
                                                  std::int64_t max) {
  const nlohmann::json* v = member(object, name);
  if (v == nullptr) return std::optional<std::int64_t>();
  auto out_of_range = [&] {
    return refuse(bad_field(std::string(name), fmt::format("The field '{}' must be an integer "
                                                           "from {} to {}.",
                                                           name, min, max)));
  };
  std::int64_t value = 0;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned()) {
      auto u = v->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(max)) return out_of_range();
      value = static_cast<std::int64_t>(u);
    } else {
      value = v->get<std::int64_t>();
    }
  } else if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(min) ||
        d > static_cast<double>(max)) {
      return out_of_range();
    }
    value = static_cast<std::int64_t>(d);
  } else {
    return out_of_range();
  }
  if (value < min || value > max) return out_of_range();
  return std::optional<std::int64_t>(value);
}

HttpResult<std::optional<double>> number_field(const nlohmann::json& object, std::string_view name,
                                               double min, double max) {
  const nlohmann::json* v = member(object, name);
  if (v == nullptr) return std::optional<double>();
  const double d = v->is_number() ? v->get<double>() : std::nan("");
  if (!std::isfinite(d) || d < min || d > max) {
    return refuse(
        bad_field(std::string(name),
                  fmt::format("The field '{}' must be a number from {} to {}.", name, min, max)));
  }
  return std::optional<double>(d);
}

}  // namespace bedrock::server
