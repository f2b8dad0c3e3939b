// Converse requests carry most of the server's traffic, and nearly all of them are plain text
// turns with a system prompt and sampling parameters: this writes that shape straight into the
// body, with no ordered_json DOM. The body is byte-for-byte what the DOM writer (the reference,
// which owns every other shape: tools, documents, images, reasoning, cache points, structured
// output, options) prints for the same request; tests and a fuzz target hold the two together.
// Private to bedrock_models.
#pragma once

#include <string>

#include "bedrock/core/result.h"
#include "bedrock/models/converse_options.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/types.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// Whether the request has the plain shape the writer below takes. `cache`: the model takes
// cache points (a prompt with one then needs the DOM writer).
bool converse_plain_shape(const Prompt& prompt, const InferenceParams& params,
                          const ConverseOptions& options, bool cache);

// The body of a validated request of the plain shape.
std::string encode_converse_plain(const Prompt& prompt, const InferenceParams& params);

// The reference writer: the body of any validated request (tool results already merged), through
// an ordered_json DOM. `output_config`: apply_output_schema()'s, null when there is none.
// Errors: Validation when options.additional_request_fields_json sets a member the encoder sets.
Result<std::string> encode_converse_dom(const Prompt& prompt, const InferenceParams& params,
                                        const ModelInfo& model, const ConverseOptions& options,
                                        bool stream, OJson output_config = {});

}  // namespace bedrock::models::detail
