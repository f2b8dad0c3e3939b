// What Converse accepts per model beyond text, in one table: structured output, extended
// thinking, prompt caching, images and documents. Bedrock's per-model support pages are the
// source; where they are silent the table errs on the side of refusing.
#pragma once

#include "request.h"

namespace bedrock::emulator::model::detail {

enum class Capability { StructuredOutput, Thinking, PromptCache, Images, Documents };

bool supports(const ModelInfo& model, Capability capability);

// "This model doesn't support the <field> field. Remove <field> and try again." — Bedrock's
// refusal of a request member the model does not take (as for toolChoice.any).
Error unsupported_field(std::string_view field);

}  // namespace bedrock::emulator::model::detail
