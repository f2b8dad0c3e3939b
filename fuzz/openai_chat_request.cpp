// POST /v1/chat/completions bodies (server::openai::parse_chat_request), then the Converse
// encoder on what it accepts. Properties: no crash on any bytes; a refusal has a sentence; an
// accepted request goes through Converse to the target model, and its prompt encodes or is a
// Validation error with a message; a request of the plain shape encodes to the same bytes through
// the direct writer as through the ordered_json DOM writer (models/converse_fast_encode.h).
#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"
#include "bedrock/models/converse.h"
#include "fuzz_check.h"
#include "models/converse_fast_encode.h"
#include "server/openai/chat_request.h"

namespace {

// The direct writer against the DOM writer, on a prompt encode_converse accepted.
void check_writers_agree(const bedrock::models::Prompt& prompt,
                         const bedrock::models::InferenceParams& params,
                         const bedrock::models::ModelInfo& model, const std::string& encoded) {
  namespace detail = bedrock::models::detail;
  if (!detail::converse_plain_shape(prompt, params, {}, model.prompt_caching)) return;
  const std::string direct = detail::encode_converse_plain(prompt, params);
  auto dom = detail::encode_converse_dom(prompt, params, model, {}, false);
  FUZZ_CHECK(dom.has_value());
  FUZZ_CHECK(direct == *dom);
  FUZZ_CHECK(encoded == direct);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  // The service checks nesting before parsing (server/json_body.h); so does this target.
  if (bedrock::json_nesting_exceeds(text)) return 0;
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded()) return 0;
  static const auto target = [] {
    bedrock::server::openai::ModelTarget t;
    t.model_id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    t.info = bedrock::models::ModelRegistry::builtin().resolve(t.model_id)->info;
    return t;
  }();
  auto call = bedrock::server::openai::parse_chat_request(body, target);
  if (!call) {
    FUZZ_CHECK(!call.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(call->invoke.use_converse);
  FUZZ_CHECK(call->invoke.model_id == target.model_id);
  auto encoded =
      bedrock::models::encode_converse(call->invoke.prompt, call->invoke.params, target.info);
  if (!encoded) {
    FUZZ_CHECK(!encoded.error().message.empty());
    return 0;
  }
  check_writers_agree(call->invoke.prompt, call->invoke.params, target.info, *encoded);
  return 0;
}
