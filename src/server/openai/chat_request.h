// OpenAI chat completion requests (POST /v1/chat/completions) turned into one Converse call.
// Pure functions of the parsed body; thread-safe; no I/O.
//
// What is honoured: system / developer / user / assistant (with tool_calls) / tool messages,
// content as a string or parts (text; image_url as data: URLs; file with file_data), max_tokens
// and max_completion_tokens, temperature (Converse takes 0..1), top_p, stop, stream with
// stream_options.include_usage, tools and tool_choice, response_format (json_object, json_schema)
// as structured output, reasoning_effort as an extended-thinking budget on models that think.
// What Bedrock has no use for is dropped and never forwarded (user, seed, metadata, store,
// parallel_tool_calls, penalties at 0, ...). What we cannot honour (n > 1, logprobs, audio, a
// non-zero penalty, ...) and any member OpenAI does not define is refused, naming it.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

#include "bedrock/models/registry.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::server::openai {

// A request refused before any call is made: 400, OpenAI's "invalid_request_error".
struct RequestProblem {
  std::string message;  // a sentence for the caller
  std::string param;    // the offending parameter ("messages[2].content", "n"); empty = null
  std::string code;     // "unsupported_parameter", "invalid_value", ...; empty = null
};

template <typename T>
using Parsed = tl::expected<T, RequestProblem>;

// The failed Parsed<T> of a request, for any T.
inline tl::unexpected<RequestProblem> problem(std::string message, std::string param,
                                              std::string code = "invalid_value") {
  return tl::unexpected<RequestProblem>(
      RequestProblem{std::move(message), std::move(param), std::move(code)});
}

// Members Bedrock has no use for: dropped, never forwarded (they tune OpenAI's own storage,
// caching, routing or logging, or are hints without effect on what the answer may be). Both
// request readers (the DOM one and the fast one) drop the same members.
inline constexpr std::array<std::string_view, 10> kDroppedMembers = {"user",
                                                                     "seed",
                                                                     "metadata",
                                                                     "store",
                                                                     "parallel_tool_calls",
                                                                     "service_tier",
                                                                     "prompt_cache_key",
                                                                     "prompt_cache_retention",
                                                                     "safety_identifier",
                                                                     "prediction"};

// body.model, the name the caller gave (an alias, a Bedrock id, a profile or an ARN).
Parsed<std::string> requested_model(const nlohmann::json& body);

// The model the call goes to, after the caller's name was resolved against the config.
struct ModelTarget {
  std::string model_id;    // sent to Bedrock
  models::ModelInfo info;  // its registry row (thinking models, output limit)
};

struct ChatCall {
  runtime::InvokeRequest invoke;  // use_converse; model, prompt and params set
  std::string model;              // as the caller named it; echoed in every answer
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  // response_format asked for JSON: the answer's content is the validated JSON of the whole
  // answer (streamed, it is sent in one piece at the end, never as unchecked deltas).
  bool structured = false;
};

// Errors: a RequestProblem for a body that is not an object, a missing or mistyped member, a
// value out of range or a parameter we cannot honour.
Parsed<ChatCall> parse_chat_request(const nlohmann::json& body, const ModelTarget& target);

}  // namespace bedrock::server::openai
