// Amazon Titan Text (docs/wire-protocol.md §7.3).
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

constexpr std::string_view kTitanTextApi = "titan-text";

// Titan rejects any other stop sequence ("Malformed input request: ... stopSequences ...
// does not match ^(\|+|User:)$" as seen from the live service; not in the AWS doc).
bool titan_accepts_stop(std::string_view s) {
  if (s == "User:") return true;
  return !s.empty() && s.find_first_not_of('|') == std::string_view::npos;
}

StopReason titan_stop(std::string_view raw) {
  return map_stop(raw, {{"FINISHED", StopReason::EndTurn},
                        {"LENGTH", StopReason::MaxTokens},
                        {"STOP_CRITERIA_MET", StopReason::StopSequence},
                        {"CONTENT_FILTERED", StopReason::ContentFiltered}});
}

class TitanTextCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::TitanText; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    for (const auto& s : params.stop_sequences) {
      if (!titan_accepts_stop(s)) {
        return param_error(kTitanTextApi, "stop_sequences",
                           "Titan accepts only \"|\" (one or more) and \"User:\" as stop "
                           "sequences; \"" +
                               s + "\" is not one of them");
      }
    }
    // Titan has no system role: the system prompt leads the transcript as instructions.
    std::string text;
    if (!prompt.system.empty()) text = prompt.system + "\n\n";
    for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
      const auto& m = prompt.messages[i];
      if (i > 0) text += "\n";
      text += m.role == Role::User ? "User: " : "Bot: ";
      text += m.text;
    }
    text += "\nBot:";
    OJson body;
    body["inputText"] = std::move(text);
    OJson config = OJson::object();
    if (params.max_tokens) config["maxTokenCount"] = *params.max_tokens;
    if (params.temperature) config["temperature"] = *params.temperature;
    if (params.top_p) config["topP"] = *params.top_p;
    if (!params.stop_sequences.empty()) config["stopSequences"] = params.stop_sequences;
    if (!config.empty()) body["textGenerationConfig"] = std::move(config);
    return to_body(body);
  }

  Result<Completion> decode(std::string_view body) const override {
    auto json = parse_object(body, kTitanTextApi);
    if (!json) return fail(json.error());
    auto text = required_string(*json, "/results/0/outputText", kTitanTextApi);
    if (!text) return fail(text.error());
    Completion out;
    out.text = std::move(*text);
    out.raw_stop_reason = optional_string(*json, "/results/0/completionReason");
    out.stop_reason = titan_stop(out.raw_stop_reason);
    out.usage = usage_at(*json, "/inputTextTokenCount", "/results/0/tokenCount");
    return out;
  }

  // {"outputText","index","totalOutputTextTokenCount","completionReason","inputTextTokenCount"}
  // with the counts and reason null until known.
  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    auto json = parse_stream_chunk(chunk_json, state, kTitanTextApi);
    if (!json) return fail(json.error());
    std::vector<StreamEvent> events;
    if (auto ok = append_text_at(*json, "/outputText", events); !ok) return fail(ok.error());
    if (auto ok = append_stop_at(*json, "/completionReason", titan_stop, events); !ok) {
      return fail(ok.error());
    }
    UsageUpdate usage;
    usage.input_tokens = optional_count(*json, "/inputTextTokenCount");
    usage.output_tokens = optional_count(*json, "/totalOutputTextTokenCount");
    if (usage.input_tokens || usage.output_tokens) events.emplace_back(usage);
    append_invocation_metrics(*json, events);
    return events;
  }
};

}  // namespace

const ModelCodec& titan_text_codec() {
  static const TitanTextCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
