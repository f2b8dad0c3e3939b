// Converse prompt caching, the request side: cachePoint blocks in toolConfig.tools, system and
// messages checked as Bedrock does, and the prompt up to each one digested and counted so the
// emulator's cache store (emulator/prompt_cache_store.h) can answer with cache reads and
// writes (docs/wire-protocol.md §8.7).
#pragma once

#include <optional>

#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// The most cache points one request may carry (Anthropic's limit, which Bedrock relays).
inline constexpr int kMaxCachePoints = 4;

// Fills request.cache_prefixes, one per cachePoint in prompt order (tools, then system, then
// messages: the order a model reads them). Each prefix is the model id plus the canonical JSON
// (sorted keys, compact) of every tool, system block and message block before the cache point,
// cachePoint blocks themselves left out, so a request that only moves or retimes a cache point
// keys the same prompt. Tokens count the system and message text before it, as input_tokens
// does (tool definitions are not part of input_tokens, so they add none), at most
// request.input_tokens. Must run after finalize(). Errors, all Validation:
// - a cachePoint without type "default" or with a ttl other than "5m"/"1h" (the service
//   model's CachePointBlock), in the Coral wording of the other member checks;
// - a family without prompt caching (capabilities.h): "Malformed input request:
//   #/messages/0/content/1: extraneous key [cachePoint] is not permitted, please reformat your
//   input and try again.";
// - more than kMaxCachePoints: "A maximum of 4 blocks with cache_control may be provided.
//   Found 5."
// No work at all for a body without cachePoint blocks beyond looking at each block's keys.
std::optional<Error> check_cache_points(const ModelInfo& model, const Json& doc,
                                        EmulatedRequest& request);

}  // namespace bedrock::emulator::model::detail
