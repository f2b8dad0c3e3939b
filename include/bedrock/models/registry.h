// Maps any model id Bedrock accepts — plain, cross-region inference profile (us./eu./apac./
// global./us-gov./ca./jp./au.), or ARN — to its family, limits and on-demand price.
//
// Resolution rules (docs/wire-protocol.md §7 preamble, §10):
// - Plain id ("anthropic.claude-3-haiku-20240307-v1:0"): looked up in the table.
// - Geo inference profile ("us.anthropic...", "global.anthropic..."): the prefix is stripped for
//   the lookup and kept in geo_prefix; requested_id stays exactly as passed, since Bedrock needs
//   the profile id on the wire.
// - ARN "arn:PARTITION:bedrock:REGION:ACCOUNT:TYPE/TAIL":
//     foundation-model/ID and inference-profile/[GEO.]ID resolve their tail like a plain id;
//     custom-model/BASE_ID[:...]/SUFFIX resolves through BASE_ID's provider (a fine-tune keeps
//     its base model's request format) with known=false;
//     application-inference-profile/, provisioned-model/, imported-model/ (and any other type)
//     have opaque tails: the caller must pass `family`, else Validation says so.
// - An explicit `family` always wins over the table's, so e.g. Claude 2.x can be driven through
//   the Messages API; the table's limits and prices are kept when the id is known.
// - An id not in the table whose provider prefix is known resolves to that provider's family
//   with known=false and the conservative limits below; prices are then 0 (unknown):
//     anthropic.          -> AnthropicMessages  200,000 ctx / 4,096 out (every Claude 3+)
//     amazon.titan-text   -> TitanText            4,096 ctx / 3,072 out (Lite ctx, Premier out)
//     amazon.nova         -> Nova               128,000 ctx / 5,000 out (Micro)
//     meta.llama2         -> Llama2               4,096 ctx / 2,048 out
//     meta.llama3         -> Llama3               8,192 ctx / 2,048 out (Llama 3.0 8K)
//     mistral.            -> MistralChat         32,000 ctx / 4,096 out (every Mistral model
//                            released on Bedrock since Large 2407 speaks the chat schema)
//     cohere.command-r    -> CohereCommandR     128,000 ctx / 4,096 out
//     cohere.command      -> CohereCommand        4,096 ctx / 4,096 out
//     ai21.j2             -> Ai21Jurassic         8,191 ctx / 8,191 out
//     ai21.jamba          -> Ai21Jamba           70,000 ctx / 4,096 out
//     deepseek.           -> DeepSeek           128,000 ctx / 8,192 out (AWS: best <= 8,192)
//     openai.             -> OpenAiGptOss       128,000 ctx / 16,384 out
//   Any other id is ResourceNotFound (e.g. amazon.titan-embed-*: not a text model).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

struct ModelInfo {
  std::string id;  // canonical foundation-model id, e.g. "anthropic.claude-3-haiku-20240307-v1:0"
  std::string display_name;  // "Claude 3 Haiku"
  ModelFamily family = ModelFamily::AnthropicMessages;
  int context_window = 0;          // tokens, input + output
  int max_output_tokens = 0;       // per call
  double input_price_per_1k = 0;   // USD, us-east-1 on-demand; 0 = unknown
  double output_price_per_1k = 0;  // USD; 0 = unknown
  bool known = true;  // false: id not in the table; limits are the provider's conservative defaults
  // Prompt-cache rates, USD per 1K tokens: reads, 5-minute writes, 1-hour writes; 0 = unknown:
  // reads and 5-minute writes are then priced at the input rate, 1-hour writes at the 5-minute
  // write rate. docs/wire-protocol.md §10.
  double cache_read_price_per_1k = 0;
  double cache_write_price_per_1k = 0;
  // Takes Converse cachePoint blocks (AWS's prompt-caching model list, §8.5). Unknown Claude and
  // Nova ids take them; any other unknown id does not.
  bool prompt_caching = false;
  // Takes Converse outputConfig.textFormat (AWS's structured-output model list, §8.6); unknown
  // ids do not, so structured output goes through a forced tool unless the call says Native.
  bool native_structured_output = false;
  // After the members above so their positional braces keep their meaning.
  double cache_write_1h_price_per_1k = 0;
};

struct ResolvedModel {
  std::string requested_id;  // exactly what the caller passed (sent on the wire)
  std::string base_id;       // with ARN and geo prefixes removed
  std::string geo_prefix;    // "us", "eu", "apac", "global", ... or empty
  std::string arn_resource;  // ARN resource type ("foundation-model", ...); empty: not an ARN
  ModelInfo info;
};

// Immutable after construction; thread-safe.
class ModelRegistry {
 public:
  // The built-in table (docs/wire-protocol.md §10).
  static const ModelRegistry& builtin();

  explicit ModelRegistry(std::vector<ModelInfo> models);

  // Errors: ResourceNotFound when neither the id nor its provider prefix is known and no
  // family is given; Validation for an empty or malformed id (whitespace or control
  // characters, longer than 2048 bytes, an ARN that is not a Bedrock ARN). An ARN whose tail
  // is not a model id (application-inference-profile, provisioned-model, imported-model) needs
  // `family`.
  Result<ResolvedModel> resolve(std::string_view model_id,
                                std::optional<ModelFamily> family = std::nullopt) const;

  // Exact lookup of a canonical id in the table; nullptr when absent.
  const ModelInfo* find(std::string_view base_id) const;

  const std::vector<ModelInfo>& all() const { return models_; }

 private:
  std::vector<ModelInfo> models_;
};

// The conservative limits used for an unknown id of `family` (see the table above); known=false,
// prices 0, id and display_name empty.
ModelInfo conservative_defaults(ModelFamily family);

// Whether Bedrock serves `base_id` (a canonical foundation-model id, no geo prefix) only through
// an inference profile: its plain id is refused with the on-demand-throughput ValidationException
// (docs/wire-protocol.md §10 marks them "profile"). The client then sends the geography profile
// id at once; ids not listed here still reach a profile through that error.
bool needs_inference_profile(std::string_view base_id);

// The inference-profile prefixes to try for `region`, best first: the region's geography
// ("us", "eu", "apac") when it has one, then "global". Never empty.
std::vector<std::string> inference_profile_prefixes(std::string_view region);

// USD for one call at the model's on-demand price; negative counts are treated as 0.
// Returns 0 when the price is unknown (known=false models).
double estimate_cost(const ModelInfo& model, int input_tokens, int output_tokens);

// The same with the prompt cache: cache reads and writes at the model's cached rates (the input
// rate where the row has none), on top of input_tokens, which excludes them. Writes are priced by
// their TTL: usage.cache_write_1h_input_tokens at the 1-hour rate, the rest at the 5-minute rate
// (all of them when the answer did not split them).
double estimate_cost(const ModelInfo& model, const TokenUsage& usage);

// The same for an answer to `prompt`: when the answer did not say which TTL its cache writes had
// (Converse without cacheDetails), they take the TTL of the prompt's last cache point (tools,
// system, messages order), the point up to which the prefix was written.
double estimate_cost(const ModelInfo& model, const TokenUsage& usage, const Prompt& prompt);

// `usage` with cache_write_1h_input_tokens filled in from `prompt` as above when the answer left
// it unset (all writes 1h when the last cache point asked for 1h, else none).
TokenUsage with_requested_ttl(TokenUsage usage, const Prompt& prompt);

}  // namespace bedrock::models
