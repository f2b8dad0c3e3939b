// One codec per model family: Prompt + InferenceParams -> native InvokeModel body, and native
// response body -> Completion. Pure functions of their inputs; thread-safe; no I/O.
//
// Parameter rule (every codec, and encode_converse): nothing the caller asked for is silently
// dropped or altered. encode() returns ErrorCode::Validation, with a message naming the
// parameter and the family, before any request is made when:
// - a parameter is unsupported by the family (top_k, stop_sequences; see the table);
// - max_tokens < 1 or > model.max_output_tokens;
// - temperature, top_p or top_k is outside the family's range, or not finite;
// - there are more stop sequences than the family accepts, one is empty, or (Titan) one is
//   not of the only forms Titan accepts: "|" repeated, or "User:";
// - the prompt cannot be expressed: no messages, first turn not from the user, two turns of
//   the same role in a row, an empty turn, or a final assistant turn (answer prefill) for a
//   family that cannot continue one (only Anthropic Messages and Nova can);
// - a text is not valid UTF-8 (the body must be JSON).
//
// | family            | temperature | top_p      | top_k      | stop seqs | max_tokens unset    |
// |-------------------|-------------|------------|------------|-----------|---------------------|
// | AnthropicMessages | 0..1        | 0..1       | 0..500     | yes       | required: kDefault* |
// | AnthropicText     | 0..1        | 0..1       | 0..500     | yes       | required: kDefault* |
// | TitanText         | 0..1        | 0..1       | no         | "|"/User: | omitted             |
// | Nova              | 0..1        | 0..1       | >= 0       | yes       | omitted             |
// | Llama2, Llama3    | 0..1        | 0..1       | no         | no        | omitted             |
// | MistralText       | 0..1        | 0..1       | 1..200     | yes (10)  | omitted             |
// | MistralChat       | 0..1        | 0..1       | no         | no        | omitted             |
// | CohereCommand     | 0..5        | 0..1       | 0..500     | yes (4)   | omitted             |
// | CohereCommandR    | 0..1        | 0.01..0.99 | 0..500     | yes (4)   | omitted             |
// | Ai21Jurassic      | 0..1        | 0..1       | no         | yes       | omitted             |
// | Ai21Jamba         | 0..2        | 0..1       | no         | yes       | omitted             |
// | DeepSeek          | 0..1        | 0..1       | no         | yes (10)  | omitted             |
// | OpenAiGptOss      | 0..2        | 0..1       | no         | yes (4)   | omitted             |
//
// (N) = at most N stop sequences.
// * kDefaultMaxTokens capped at model.max_output_tokens: the two Anthropic APIs require the
//   field. Output is billed per generated token, so a generous cap costs nothing extra.
//
// How a Prompt maps onto families without a system role or message list:
// - Titan: "{system}\n\nUser: {u1}\nBot: {a1}\nUser: {u2}\nBot:".
// - Mistral text: "<s>[INST] {system}\n\n{u1} [/INST] {a1}</s> [INST] {u2} [/INST]".
// - Cohere Command, AI21 Jurassic-2: one user turn -> "{system}\n\n{u1}" (system optional);
//   several -> "{system}\n\nUser: {u1}\nChatbot: {a1}\nUser: {u2}\nChatbot:".
// - Cohere Command R: preamble = system, chat_history = earlier turns, message = last turn.
// - Llama 2/3, DeepSeek: the chat templates of docs/wire-protocol.md §7.5/§7.12.
//
// decode(): text, StopReason (raw spelling kept in raw_stop_reason) and usage when the body
// has both counts (usage.reported). DeepSeek-R1 and gpt-oss reasoning is split off into
// Completion::reasoning. Stop-reason spellings not listed in docs/wire-protocol.md §7 map to
// Unknown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/stream.h"
#include "bedrock/models/types.h"

namespace bedrock::models {

// max_tokens sent to the families whose body requires it when the caller leaves it unset.
inline constexpr int kDefaultMaxTokens = 4096;

class ModelCodec {
 public:
  virtual ~ModelCodec() = default;
  virtual ModelFamily family() const = 0;

  // Errors: Validation when the prompt or params cannot be expressed for this family or are
  // out of the model's range (see the rule above).
  virtual Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                                     const ModelInfo& model) const = 0;

  // Errors: InvalidResponse when the body is not JSON or not the family's response shape
  // (the generated text is missing or not a string).
  virtual Result<Completion> decode(std::string_view body) const = 0;

  // InvokeModelWithResponseStream: one native stream chunk (the decoded `bytes` of a `chunk`
  // event, docs/wire-protocol.md §7 "Stream chunk") -> the events it carries, in order, including
  // the usage and metrics of "amazon-bedrock-invocationMetrics". A virtual next to decode() so each
  // family keeps both readings of its shape in one place; `state` carries what a family needs
  // across chunks (see StreamState). Folded by StreamAccumulator, a stream's chunks give what
  // decode() gives for the equivalent whole body (usage too, where the body has none).
  // Errors: InvalidResponse for a malformed chunk (see stream_decode.h); the default, for
  // families whose stream shape the reference does not state, is Validation.
  virtual Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                               StreamState& state) const;
};

// The codec for a family; lives for the whole program.
const ModelCodec& codec_for(ModelFamily family);

}  // namespace bedrock::models
