// POST /v1/chat/completions bodies (server::openai::parse_chat_request), then the Converse
// encoder on what it accepts. Properties: no crash on any bytes; a refusal has a sentence; an
// accepted request goes through Converse to the target model, and its prompt encodes or is a
// Validation error with a message; a request of the plain shape encodes to the same bytes through
// the direct writer as through the ordered_json DOM writer (models/converse_fast_encode.h); and a
// body the simdjson reader takes (server/openai/chat_request_fast.h) is one the DOM path takes,
// to the same call.
#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"
#include "bedrock/models/converse.h"
#include "fuzz_check.h"
#include "models/converse_fast_encode.h"
#include "server/openai/chat_request.h"
#include "server/openai/chat_request_fast.h"

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

// What the fast reader made of the body against what the DOM path made of it.
void check_readers_agree(const bedrock::server::openai::ChatCall& fast,
                         const bedrock::server::openai::ChatCall& dom) {
  FUZZ_CHECK(fast.model == dom.model);
  FUZZ_CHECK(fast.stream == dom.stream && fast.include_usage == dom.include_usage);
  FUZZ_CHECK(!dom.structured && fast.invoke.use_converse);
  const auto& a = fast.invoke.prompt;
  const auto& b = dom.invoke.prompt;
  FUZZ_CHECK(a.system == b.system);
  FUZZ_CHECK(a.messages.size() == b.messages.size());
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    FUZZ_CHECK(a.messages[i].role == b.messages[i].role);
    FUZZ_CHECK(a.messages[i].text == b.messages[i].text);
    FUZZ_CHECK(b.messages[i].tool_uses.empty() && b.messages[i].tool_results.empty());
    FUZZ_CHECK(b.messages[i].images.empty() && b.messages[i].documents.empty());
    FUZZ_CHECK(b.messages[i].reasoning.empty());
  }
  FUZZ_CHECK(b.tools.tools.empty() && !b.output_schema);
  const auto& p = fast.invoke.params;
  const auto& q = dom.invoke.params;
  FUZZ_CHECK(p.max_tokens == q.max_tokens && p.temperature == q.temperature);
  FUZZ_CHECK(p.top_p == q.top_p && p.top_k == q.top_k);
  FUZZ_CHECK(p.stop_sequences == q.stop_sequences);
  FUZZ_CHECK(p.reasoning_budget_tokens == q.reasoning_budget_tokens);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  const auto fast = bedrock::server::openai::parse_chat_request_fast(text);
  // The service checks nesting before parsing (server/json_body.h); so does this target.
  if (bedrock::json_nesting_exceeds(text)) {
    FUZZ_CHECK(!fast);
    return 0;
  }
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded()) {
    FUZZ_CHECK(!fast);
    return 0;
  }
  static const auto target = [] {
    bedrock::server::openai::ModelTarget t;
    t.model_id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
    t.info = bedrock::models::ModelRegistry::builtin().resolve(t.model_id)->info;
    return t;
  }();
  // The routes refuse a body that is not an object before parse_chat_request sees it.
  FUZZ_CHECK(!fast || body.is_object());
  auto call = bedrock::server::openai::parse_chat_request(body, target);
  if (!call) {
    FUZZ_CHECK(!fast);
    FUZZ_CHECK(!call.error().message.empty());
    return 0;
  }
  if (fast) check_readers_agree(*fast, *call);
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
