// Canned answers for scripted tests: a JSON file of rules matched by model and by a prompt
// substring or regular expression; the first matching rule wins.
//
// File format (a top-level array is accepted too):
//   {"fixtures": [
//     {"model": "anthropic.claude-3-haiku-20240307-v1:0", "contains": "weather",
//      "response": "Sunny, 21 degrees."},
//     {"model": "amazon.*", "regex": "^Translate .* to French", "response": "Bonjour."},
//     {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}},
//     {"contains": "forecast", "tool": {"name": "get_weather", "input": {"city": "Oslo"}},
//      "response": "It will be mild."}
//   ],
//   "models": ["anthropic.claude-opus-9-20300101-v1:0"]}
// "models" (optional) names ids the emulator serves although Bedrock's table does not know
// them yet (as --model does); a rule whose "model" is an exact id adds that id too.
// "model" (optional; a trailing '*' makes it a prefix) is compared with the model id as
// requested and with its base id (ARN and geo prefix removed). Without "contains"/"regex"
// a rule matches every prompt of its model.
// "tool" (a name, or {"name", "input"?}) asks for a Converse tool call: when the request offers
// that tool with toolChoice auto or any, the answer is a toolUse whose input is "input" with
// the tool schema's other required properties filled in; once the conversation's last turn is
// the tool's result, or when the tool is not offered, "response" (or the default answer) is
// given instead.
#pragma once

#include <memory>
#include <optional>
#include <set>
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
  std::string tool_name;                     // a Converse tool to call; empty = none
  std::string tool_input;                    // its given input, a JSON object's text, or empty
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
  explicit Fixtures(std::vector<FixtureRule> rules);

  // Errors: ConfigurationInvalid for malformed JSON, a rule without response/error, a bad
  // regex or an error type that is not a Bedrock exception name.
  static Result<Fixtures> parse(std::string_view json_text);
  static Result<Fixtures> load(const std::string& path);

  // First rule matching (requested id or base id) and prompt; nullptr when none.
  const FixtureRule* match(std::string_view requested_id, std::string_view base_id,
                           std::string_view prompt) const;

  // Serve `base_id` although the model table does not know it (or, for a profile-only model,
  // on demand). Call before the emulator starts.
  void add_model(std::string base_id) { models_.insert(std::move(base_id)); }
  bool adds_model(std::string_view base_id) const { return models_.contains(base_id); }

  bool empty() const { return rules_.empty(); }
  std::size_t size() const { return rules_.size(); }

 private:
  std::vector<FixtureRule> rules_;
  std::set<std::string, std::less<>> models_;
};

}  // namespace bedrock::emulator
