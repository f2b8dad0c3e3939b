// Response rendering: an answer in the exact bytes of the family's native InvokeModel
// response, or of a Converse response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "answer.h"
#include "request.h"

namespace bedrock::emulator::model {

// What the prompt cache made of one request with cache points (emulator/prompt_cache_store.h):
// the input tokens read from it and written to it, and of the writes those with the 1-hour TTL.
// `present` (the request had cache points) adds the cache counts to usage, even when all are 0.
struct CacheUsage {
  bool present = false;
  int read_tokens = 0;
  int write_tokens = 0;
  int write_1h_tokens = 0;  // at most write_tokens; the rest were written for five minutes
};

// Ids and times a response carries, and what the emulator's prompt cache made of the request.
// Empty/zero fields are derived deterministically from the request (a hash of model id +
// prompt), so the same request renders the same bytes.
struct ResponseContext {
  std::string request_id;                 // seeds ids such as "msg_bdrk_..." when set
  std::int64_t created_unix_seconds = 0;  // gpt-oss "created"
  CacheUsage cache{};                     // Claude's usage cache counts (Messages API)
};

// The family's exact native InvokeModel response body (ids, usage field names, stop-reason
// spelling as in docs/wire-protocol.md §7). Claude's usage carries context.cache when present
// (§8.7): input_tokens is then only the uncached rest.
std::string render_native_response(const ModelInfo& model, const EmulatedRequest& request,
                                   const EmulatedAnswer& answer,
                                   const ResponseContext& context = {});

// {"output":{"message":{"role":"assistant","content":[...]}},"stopReason":...,
//  "usage":{"inputTokens","outputTokens","totalTokens"},"metrics":{"latencyMs":...}}
// plus additionalModelResponseFields: each additionalModelResponseFieldPaths pointer that
// exists in the family's native response (e.g. "/stop_sequence" for Claude), under the same
// pointer. Reasoning becomes a {"reasoningContent":{"reasoningText":{"text"}}} block first.
// With cache usage, inputTokens is what the cache did not cover and totalTokens counts
// reads and writes too (docs/wire-protocol.md §8.7).
std::string render_converse_response(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                     int latency_ms, const CacheUsage& cache = {});

// A stop reason as `family` spells it natively ("end_turn", "FINISHED", "length",
// "COMPLETE", "endoftext", ...), and as Converse spells it.
std::string_view native_stop_reason(ModelFamily family, StopReason reason);
std::string_view converse_stop_reason(StopReason reason);

// The anthropic "model" field for an id: "anthropic.claude-3-haiku-20240307-v1:0" ->
// "claude-3-haiku-20240307".
std::string anthropic_model_name(std::string_view model_id);

}  // namespace bedrock::emulator::model
