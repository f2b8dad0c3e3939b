// One parse/render pair per model family (docs/wire-protocol.md §7). parse_* validate a JSON object
// body already known to be an object; render_* write the native response body. Shared helpers too.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "answer.h"
#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "json_out.h"
#include "render.h"
#include "request.h"
#include "schema_check.h"

namespace bedrock::emulator::model::detail {

// Sets prompt_text from the turns and input_tokens: estimate_tokens(model_reads) when given
// (prompt-string families count their template markup, as the real tokenizer does), else
// system + every turn.
void finalize(EmulatedRequest& request, const ModelInfo& model, std::string_view model_reads = {});

// Bedrock's "Input is too long for requested model." when the request's input_tokens exceed
// the context window of a model in the table (docs/wire-protocol.md §2.1, §10); nullopt otherwise.
std::optional<Error> context_error(const ModelInfo& model, const EmulatedRequest& request);

// parse_native_request without the context-window check.
Result<EmulatedRequest> parse_native_body(const ModelInfo& model, std::string_view body);

// A deterministic identifier of `length` characters from `alphabet`, derived from `seed`.
std::string derive_id(std::string_view seed, std::string_view salt, std::size_t length,
                      std::string_view alphabet);
// A UUID-shaped id ("3eeb2e13-3d8e-42bb-9cb4-ae57502403c4").
std::string derive_uuid(std::string_view seed, std::string_view salt);
// What ids are derived from: context.request_id, else the request itself.
std::string id_seed(const EmulatedRequest& request, const ResponseContext& context);

// Converse and Nova: the first turn must be from the user and roles alternate. The error
// message is Bedrock's wording; nullopt when the order is fine.
std::optional<std::string> converse_order_error(const std::vector<EmulatedTurn>& turns);

// The model's output cap; a ModelInfo without one (0) is treated as unlimited.
std::int64_t output_cap(const ModelInfo& model);
// `preferred` capped at the model's output limit.
int default_max_tokens(const ModelInfo& model, int preferred);

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kHex = "0123456789abcdef";

Result<EmulatedRequest> parse_anthropic_messages(const ModelInfo& model, const Json& body);
void render_anthropic_messages(JsonOut& out, const ModelInfo& model, const EmulatedRequest& request,
                               const EmulatedAnswer& answer, const std::string& seed,
                               const CacheUsage& cache);
// Claude's "usage" member: input and output tokens, and with `cache.present` the cache counts
// (docs/wire-protocol.md §8.7); the response and the message_start chunk share it.
void write_anthropic_usage(JsonOut& out, int input_tokens, int output_tokens,
                           const CacheUsage& cache);
// Claude's "stop_reason" and "stop_sequence" members (the response and the message_delta chunk).
void write_anthropic_stop(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer);
Result<EmulatedRequest> parse_anthropic_text(const ModelInfo& model, const Json& body);
void render_anthropic_text(JsonOut& out, const EmulatedAnswer& answer);

Result<EmulatedRequest> parse_titan_text(const ModelInfo& model, const Json& body);
void render_titan_text(JsonOut& out, const EmulatedAnswer& answer);
Result<EmulatedRequest> parse_nova(const ModelInfo& model, const Json& body);
void render_nova(JsonOut& out, const EmulatedAnswer& answer);

Result<EmulatedRequest> parse_llama(const ModelInfo& model, const Json& body);
void render_llama(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer);

Result<EmulatedRequest> parse_mistral_text(const ModelInfo& model, const Json& body);
void render_mistral_text(JsonOut& out, const EmulatedAnswer& answer);
Result<EmulatedRequest> parse_mistral_chat(const ModelInfo& model, const Json& body);
void render_mistral_chat(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer);

Result<EmulatedRequest> parse_cohere_command(const ModelInfo& model, const Json& body);
void render_cohere_command(JsonOut& out, const EmulatedRequest& request,
                           const EmulatedAnswer& answer, const std::string& seed);
Result<EmulatedRequest> parse_cohere_command_r(const ModelInfo& model, const Json& body);
void render_cohere_command_r(JsonOut& out, const EmulatedRequest& request,
                             const EmulatedAnswer& answer, const std::string& seed);

Result<EmulatedRequest> parse_jurassic(const ModelInfo& model, const Json& body);
void render_jurassic(JsonOut& out, const EmulatedRequest& request, const EmulatedAnswer& answer,
                     const std::string& seed);
Result<EmulatedRequest> parse_jamba(const ModelInfo& model, const Json& body);
void render_jamba(JsonOut& out, const ModelInfo& model, const EmulatedRequest& request,
                  const EmulatedAnswer& answer, const std::string& seed);

Result<EmulatedRequest> parse_deepseek(const ModelInfo& model, const Json& body);
// DeepSeek-R1's generated text: the reasoning, "</think>", then the answer.
std::string deepseek_generation(const EmulatedRequest& request, const EmulatedAnswer& answer);
void render_deepseek(JsonOut& out, const EmulatedRequest& request, const EmulatedAnswer& answer);

Result<EmulatedRequest> parse_gpt_oss(const ModelInfo& model, const Json& body);
void render_gpt_oss(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer,
                    const std::string& seed, std::int64_t created);

}  // namespace bedrock::emulator::model::detail
