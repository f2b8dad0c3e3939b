#include "capabilities.h"

#include <fmt/format.h>

#include <array>

#include "schema_check.h"

namespace bedrock::emulator::model::detail {
namespace {

struct Row {
  std::string_view id_part;  // matched against the model id (base id or profile id)
  bool structured_output, thinking, prompt_cache, images, documents;
};

// The first row whose id_part the id contains decides; families without a row take nothing.
// Claude 3.7 and 4.x think and answer in a JSON schema; prompt caching is Claude 3.5 Haiku,
// 3.7, 4.x and Nova; Claude 3.5 Haiku and Nova Micro read no images.
constexpr std::array kRows = {
    Row{"claude-3-7", true, true, true, true, true},
    Row{"claude-sonnet-4", true, true, true, true, true},
    Row{"claude-opus-4", true, true, true, true, true},
    Row{"claude-haiku-4", true, true, true, true, true},
    Row{"claude-3-5-haiku", false, false, true, false, true},
    Row{"claude-3", false, false, false, true, true},
    Row{"nova-micro", true, false, true, false, false},
    Row{"nova-", true, false, true, true, true},
    Row{"llama3-2-11b", false, false, false, true, true},
    Row{"llama3-2-90b", false, false, false, true, true},
    Row{"llama3", false, false, false, false, true},
    Row{"llama4", false, false, false, true, true},
    Row{"command-r", false, false, false, false, true},
    Row{"mistral-large", false, false, false, false, true},
    Row{"mistral-small", false, false, false, false, true},
};

}  // namespace

bool supports(const ModelInfo& model, Capability capability) {
  for (const Row& row : kRows) {
    if (model.id.find(row.id_part) == std::string::npos) continue;
    switch (capability) {
      case Capability::StructuredOutput:
        return row.structured_output;
      case Capability::Thinking:
        return row.thinking;
      case Capability::PromptCache:
        return row.prompt_cache;
      case Capability::Images:
        return row.images;
      case Capability::Documents:
        return row.documents;
    }
  }
  return false;
}

Error unsupported_field(std::string_view field) {
  return validation_error(
      fmt::format("This model doesn't support the {0} field. Remove {0} and try again.", field));
}

}  // namespace bedrock::emulator::model::detail
