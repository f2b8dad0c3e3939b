// Meta Llama 2 and Llama 3.x (docs/wire-protocol.md §7.5): one prompt string in the chat template,
// a closed schema (prompt, temperature, top_p, max_gen_len; images for 3.2 vision). Llama has no
// stop-sequence parameter.
#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {
constexpr int kDefaultMaxGenLen = 512;
}  // namespace

Result<EmulatedRequest> parse_llama(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  if (model.family == ModelFamily::Llama3) {
    check.object(body, kRoot, {"prompt"}, {"temperature", "top_p", "max_gen_len", "images"});
    check.string_list(body, kRoot, "images");
  } else {
    check.object(body, kRoot, {"prompt"}, {"temperature", "top_p", "max_gen_len"});
  }
  auto prompt = check.string(body, kRoot, "prompt");
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "top_p", 0.0, 1.0);
  auto max_tokens = check.integer(body, kRoot, "max_gen_len", 1, output_cap(model));
  if (!check.ok()) return fail(check.error());

  Conversation conversation = model.family == ModelFamily::Llama3 ? parse_llama3_prompt(*prompt)
                                                                  : parse_inst_prompt(*prompt);
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      max_tokens ? static_cast<int>(*max_tokens) : default_max_tokens(model, kDefaultMaxGenLen);
  finalize(request, model, *prompt);
  return request;
}

void render_llama(JsonOut& out, const ModelInfo& model, const EmulatedAnswer& answer) {
  out.begin_object()
      .member("generation", answer.text)
      .member("prompt_token_count", answer.input_tokens)
      .member("generation_token_count", answer.output_tokens)
      .member("stop_reason", native_stop_reason(model.family, answer.stop_reason))
      .end_object();
}

}  // namespace bedrock::emulator::model::detail
