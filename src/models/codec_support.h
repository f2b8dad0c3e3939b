// Shared pieces of the client codecs: the per-family parameter rules of codec.h, request-shape
// checks, and non-throwing JSON readers for decoding. Private to bedrock_models.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"

namespace bedrock::models::detail {

using Json = nlohmann::json;
// Keeps keys in insertion order so bodies read like the examples of docs/wire-protocol.md §7.
using OJson = nlohmann::ordered_json;

// What a family accepts (codec.h table). Ranges are inclusive.
struct ParamRules {
  double temperature_max = 1.0;
  double top_p_min = 0.0;
  double top_p_max = 1.0;
  std::optional<std::pair<int, int>> top_k;  // nullopt: top_k unsupported
  bool stop_sequences = true;
  std::size_t max_stop_sequences = 0;  // 0: no documented limit
  bool assistant_prefill = false;      // a final assistant turn can be continued
  bool converse_blocks = false;        // tool, reasoning, image, document blocks (Converse only)
};

// The rules of codec.h for `family` (native InvokeModel bodies).
const ParamRules& rules_for(ModelFamily family);

// Checks prompt shape, UTF-8, max_tokens against the model and every parameter against
// `rules`. `api` names the family in messages ("titan-text", "converse").
Status validate_request(const Prompt& prompt, const InferenceParams& params, const ModelInfo& model,
                        const ParamRules& rules, std::string_view api);

// Convenience: validate_request with rules_for(family) and to_string(family).
Status validate_native(const Prompt& prompt, const InferenceParams& params, const ModelInfo& model,
                       ModelFamily family);

// max_tokens for families whose body requires it: the caller's value, else kDefaultMaxTokens
// capped at the model's output limit.
int required_max_tokens(const InferenceParams& params, const ModelInfo& model);

// A Validation error naming parameter and family.
tl::unexpected<Error> param_error(std::string_view api, std::string_view parameter,
                                  std::string_view problem);

// The final assistant turn when the prompt ends with one (prefill), else nullptr.
const Message* prefill(const Prompt& prompt);

// A family's spelling of the sampling parameters; an empty name leaves that one out.
struct SamplingKeys {
  std::string_view max_tokens = {};
  std::string_view temperature = {};
  std::string_view top_p = {};
  std::string_view top_k = {};
  std::string_view stop = {};
};

// Adds the parameters the caller set to `body`, in the order of SamplingKeys' members.
void put_sampling(OJson& body, const InferenceParams& params, const SamplingKeys& keys);

// Body for the wire. Inputs were validated as UTF-8, so dump cannot throw.
std::string to_body(const OJson& body);

std::string_view role_name(Role role);  // "user" / "assistant"

// The prompt of single-string families without a chat template (Cohere Command, Jurassic-2):
// one user turn -> "{system}\n\n{u1}"; several -> "{system}\n\nUser: {u1}\nChatbot: {a1}\n
// User: {u2}\nChatbot:" (system and its blank line only when set).
std::string plain_transcript(const Prompt& prompt);

// ---- decoding ----

// Parses a response body that must be a JSON object. Errors: InvalidResponse.
Result<Json> parse_object(std::string_view body, std::string_view api);

// The value at a JSON pointer ("/results/0/outputText"), nullptr when absent (or when an
// intermediate value has the wrong type).
const Json* at(const Json& root, const char* pointer);

// The string at `pointer`. Errors: InvalidResponse naming the pointer and the api.
Result<std::string> required_string(const Json& root, const char* pointer, std::string_view api);

// The string at `pointer`; empty when absent or null (stop reasons are null mid-stream and in
// some captured bodies).
std::string optional_string(const Json& root, const char* pointer);

// A non-negative integer at `pointer`, nullopt when absent or not an integer.
std::optional<int> optional_count(const Json& root, const char* pointer);

// Usage from two count pointers; reported only when both are present.
TokenUsage usage_at(const Json& root, const char* input_pointer, const char* output_pointer);

struct StopSpelling {
  std::string_view raw;
  StopReason reason;
};

// Maps a raw stop-reason spelling through `table` (exact match); Unknown when absent.
StopReason map_stop(std::string_view raw, std::initializer_list<StopSpelling> table);

// Splits "<open>reasoning</close>answer" style text. Returns (reasoning, answer); when
// `close` does not occur the whole text is the answer.
std::pair<std::string, std::string> split_reasoning(std::string_view text, std::string_view open,
                                                    std::string_view close);

}  // namespace bedrock::models::detail
