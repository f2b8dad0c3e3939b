// Canned answers for scripted tests: a JSON file of rules matched by model and by a prompt
// substring or regular expression; the first matching rule wins.
//
// File format (a top-level array is accepted too):
//   {"fixtures": [
//     {"model": "anthropic.claude-3-haiku-20240307-v1:0", "contains": "weather",
//      "response": "Sunny, 21 degrees."},
//     {"model": "amazon.*", "regex": "^Translate .* to French", "response": "Bonjour."},
//     {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}}
//   ]}
// "model" (optional; a trailing '*' makes it a prefix) is compared with the model id as
// requested and with its base id (ARN and geo prefix removed). Without "contains"/"regex"
// a rule matches every prompt of its model.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::emulator {

class LinearRegex;  // linear_regex.h: matched in linear time, no recursion on the prompt

struct FixtureRule {
  std::string model;     // empty = any model
  std::string contains;  // empty = no substring condition
  std::string regex_text;
  std::shared_ptr<const LinearRegex> regex;  // compiled once at load
  std::string response;                      // the answer text (when no error)
  std::string error_type;                    // e.g. "ValidationException"; empty = success
  std::string error_message;
};

struct FixtureMatch {
  const FixtureRule* rule = nullptr;
};

// Immutable after load; thread-safe.
class Fixtures {
 public:
  Fixtures() = default;
  explicit Fixtures(std::vector<FixtureRule> rules) : rules_(std::move(rules)) {}

  // Errors: ConfigurationInvalid for malformed JSON, a rule without response/error, a bad
  // regex or an error type that is not a Bedrock exception name.
  static Result<Fixtures> parse(std::string_view json_text);
  static Result<Fixtures> load(const std::string& path);

  // First rule matching (requested id or base id) and prompt; nullptr when none.
  const FixtureRule* match(std::string_view requested_id, std::string_view base_id,
                           std::string_view prompt) const;

  bool empty() const { return rules_.empty(); }
  std::size_t size() const { return rules_.size(); }

 private:
  std::vector<FixtureRule> rules_;
};

}  // namespace bedrock::emulator
