// The Converse request fields of ConverseOptions (docs/wire-protocol.md §8.1): checked against the
// service model's constraints and added to the body. Private to bedrock_models.
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/models/converse_options.h"
#include "codec_support.h"

namespace bedrock::models::detail {

// Errors: Validation naming `api` when a member breaks the service model's constraints (see
// converse_options.h), additional_request_fields_json is not a JSON object (or nests deeper than
// kMaxJsonNesting), a response field path is not a JSON pointer, or streamProcessingMode is set
// for a call that does not stream.
Status validate_options(const ConverseOptions& options, bool stream, std::string_view api);

// The caller's additionalModelRequestFields with the encoder's own members (`ours`: top_k,
// thinking) added. Errors: Validation when a member is given both ways.
Result<OJson> merge_request_fields(const ConverseOptions& options, OJson ours,
                                   std::string_view api);

// Adds guardrailConfig, promptVariables, additionalModelResponseFieldPaths, requestMetadata,
// performanceConfig and serviceTier to `body`, each only when set. Options were validated.
void put_options(OJson& body, const ConverseOptions& options, bool stream);

}  // namespace bedrock::models::detail
