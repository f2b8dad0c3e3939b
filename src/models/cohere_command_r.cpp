// Cohere Command R / R+ (docs/wire-protocol.md §7.9): preamble + chat_history + message.
#include "codec_families.h"
#include "codec_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kApi = "cohere-command-r";

class CohereCommandRCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::CohereCommandR; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    OJson body;
    body["message"] = prompt.messages.back().text;
    if (prompt.messages.size() > 1) {
      OJson history = OJson::array();
      for (std::size_t i = 0; i + 1 < prompt.messages.size(); ++i) {
        const auto& m = prompt.messages[i];
        history.push_back(
            {{"role", m.role == Role::User ? "USER" : "CHATBOT"}, {"message", m.text}});
      }
      body["chat_history"] = std::move(history);
    }
    if (!prompt.system.empty()) body["preamble"] = prompt.system;
    put_sampling(body, params,
                 {.max_tokens = "max_tokens",
                  .temperature = "temperature",
                  .top_p = "p",
                  .top_k = "k",
                  .stop = "stop_sequences"});
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/text", kApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/finish_reason");
    out.stop_reason = map_stop(out.raw_stop_reason, {{"COMPLETE", StopReason::EndTurn},
                                                     {"STOP_SEQUENCE", StopReason::StopSequence},
                                                     {"MAX_TOKENS", StopReason::MaxTokens},
                                                     {"ERROR_LIMIT", StopReason::MaxTokens},
                                                     {"ERROR_TOXIC", StopReason::ContentFiltered}});
    // Cohere's chat response may carry meta.billed_units; Bedrock's captures do not always.
    out.usage =
        usage_at(*json, "/meta/billed_units/input_tokens", "/meta/billed_units/output_tokens");
    return out;
  }
};

}  // namespace

const ModelCodec& cohere_command_r_codec() {
  static const CohereCommandRCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
