// The common OpenAI chat request read with simdjson and no DOM: model, text messages (content a
// string or text parts), max_tokens / max_completion_tokens, temperature, top_p, stop, stream,
// stream_options, n = 1, and the members Bedrock has no use for (as scalars). Anything else, any
// value parse_chat_request() would refuse, a repeated member or a body that is not JSON gives
// nullopt: the caller then takes the DOM path (parse_json_body + parse_chat_request), which owns
// every error. So a body this reads is one the DOM path accepts, to the same ChatCall (tests
// and the openai_chat_request fuzz target hold the two together). Private to the OpenAI routes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "chat_request.h"

namespace bedrock::server::openai {

// Bodies above this take the DOM path: the reader's buffers live per thread, and stay the size
// of the largest body read.
inline constexpr std::size_t kFastChatMaxBytes = 64 * 1024;

// ChatCall with `model` as the caller named it, invoke.prompt and invoke.params, stream and
// include_usage set; invoke.model_id is left for the caller, who resolves the name (use_converse
// is set).
std::optional<ChatCall> parse_chat_request_fast(std::string_view body);

}  // namespace bedrock::server::openai
