// Anthropic prompt caching in the native Messages body (docs/wire-protocol.md §7.1, §8.7): the
// `cache_control` members of tools, system blocks and message content blocks checked as Anthropic
// does behind Bedrock, and the prompt up to and including each marked block digested and counted
// so the emulator's cache store (emulator/prompt_cache_store.h) answers with cache reads and
// writes, as for Converse cachePoint blocks (prompt_cache.h).
#pragma once

#include <optional>

#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Fills request.cache_prefixes, one per cache_control in prompt order (tools, then system, then
// messages). A prefix is the model id plus the canonical JSON of every tool, system block and
// message block up to and including the marked one, cache_control members left out (so moving or
// retiming a breakpoint keys the same prompt); a string `content` or `system` counts as one text
// block. Tokens as prompt_cache.h counts them (tools none), at most request.input_tokens. Must run
// after finalize(). Errors, all Validation:
// - cache_control not {"type": "ephemeral", "ttl"?: "5m" | "1h"}: the schema wording of the other
//   member checks, e.g. "Malformed input request: #/messages/0/content/0/cache_control/type: ...";
// - a model without prompt caching (capabilities.h): "Malformed input request:
//   #/messages/0/content/0: extraneous key [cache_control] is not permitted, please reformat your
//   input and try again." (the Converse wording, assumed);
// - more than kMaxCachePoints: "A maximum of 4 blocks with cache_control may be provided.
// Found 5.";
// - a 1h block after a 5m (or default) one: Anthropic's "messages.0.content.1.cache_control.ttl: a
//   ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that
//   blocks are processed in the following order: `tools`, `system`, `messages`."
// A body without cache_control costs one look at each block's keys.
std::optional<Error> check_cache_control(const ModelInfo& model, const Json& body,
                                         EmulatedRequest& request);

}  // namespace bedrock::emulator::model::detail
