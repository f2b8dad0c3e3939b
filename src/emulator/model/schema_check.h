// Bedrock validates native InvokeModel bodies against a JSON schema per family with the
// everit validator; its messages reach the caller verbatim inside "Malformed input request:
// <pointer>: <text>, please reformat your input and try again." (docs/wire-protocol.md §2.1).
// SchemaCheck collects violations with the same wording so the emulator's errors read like
// Bedrock's.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/error.h"
#include "bedrock/core/result.h"

namespace bedrock::emulator::model::detail {

using Json = nlohmann::json;

// The body itself, as everit's JSON pointers name it.
inline constexpr std::string_view kRoot = "#";

// "#" + "/" + key: the JSON pointer everit prints.
std::string child(std::string_view path, std::string_view key);
std::string child(std::string_view path, std::size_t index);

// everit's spelling of a value's type: String, Integer, BigDecimal, Boolean, JSONObject,
// JSONArray, Null.
std::string_view type_name(const Json& value);

// A number as Java prints it in these messages: "1.5", "4096".
std::string format_number(double value);

// A value as an error message shows it: a string's text or the JSON text, cut to 64 bytes
// (at a code-point boundary) so a huge member never becomes a huge error body.
std::string shown(const Json& value);

// A 400 ValidationException with `message` exactly.
Error validation_error(std::string message);

// Parses a body that must be a JSON object. Errors: Validation "Malformed input request: ...".
Result<Json> parse_object_body(std::string_view body);

class SchemaCheck {
 public:
  void add(std::string_view path, std::string_view text);

  // Checks `value` is an object; then required keys, then (unless `allowed` is empty, meaning
  // "any key") that no key outside required + allowed is present.
  bool object(const Json& value, std::string_view path,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> allowed);

  // Typed optional members of `obj` (nullopt when absent or wrong; a wrong type is recorded).
  std::optional<std::string> string(const Json& obj, std::string_view path, std::string_view key,
                                    std::size_t min_length = 0);
  std::optional<std::int64_t> integer(const Json& obj, std::string_view path, std::string_view key,
                                      std::optional<std::int64_t> min,
                                      std::optional<std::int64_t> max);
  std::optional<double> number(const Json& obj, std::string_view path, std::string_view key,
                               std::optional<double> min, std::optional<double> max);
  std::optional<bool> boolean(const Json& obj, std::string_view path, std::string_view key);
  std::optional<std::string> enumeration(const Json& obj, std::string_view path,
                                         std::string_view key,
                                         std::initializer_list<std::string_view> values);
  std::optional<std::vector<std::string>> string_list(const Json& obj, std::string_view path,
                                                      std::string_view key,
                                                      std::optional<std::size_t> max_items = {});
  // The member when present and of the type; nullptr otherwise (a wrong type is recorded).
  const Json* array(const Json& obj, std::string_view path, std::string_view key,
                    std::size_t min_items = 0);
  const Json* object_member(const Json& obj, std::string_view path, std::string_view key);

  enum class Kind { String, Integer, Number, Boolean, Object, Array };
  // Type check of a value reached by index or key (records "expected type: X, found: Y").
  bool expect(const Json& value, std::string_view path, Kind kind);

  bool ok() const { return violations_.empty(); }
  // The Bedrock error for what was collected; call only when !ok().
  Error error() const;

 private:
  std::vector<std::string> violations_;  // "<pointer>: <text>"
};

}  // namespace bedrock::emulator::model::detail
