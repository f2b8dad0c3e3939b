// The request side of prompt caching, shared by Converse (`cachePoint` blocks,
// docs/wire-protocol.md §8.5) and the Anthropic Messages body (`cache_control`, §7.1). Private to
// bedrock_models.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// {"cachePoint":{"type":"default","ttl"?}}.
OJson cache_point_block(const CachePoint& point);

// Appends Anthropic's `,"cache_control":{"type":"ephemeral","ttl"?}` member to an open block.
void append_cache_control(std::string& out, const CachePoint& point);

// Cache points placed where they can stand: a system cache point needs a system prompt, a tools
// cache point needs tools; and when `sent` (the model takes prompt caching, so they go on the
// wire) at most kMaxCachePoints. Errors: Validation naming `api`.
Status validate_cache_points(const Prompt& prompt, std::string_view api, bool sent);

// Anthropic's rule for cache_control TTLs: no 1-hour point after a 5-minute (or default) one in
// tools, system, messages order. Checked for the native Claude body, where Anthropic's API reads
// the points as written; Converse leaves the mapping to Bedrock. Errors: Validation naming `api`.
Status validate_cache_ttl_order(const Prompt& prompt, std::string_view api);

}  // namespace bedrock::models::detail
