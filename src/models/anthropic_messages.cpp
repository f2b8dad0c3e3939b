// Anthropic Claude Messages API on Bedrock (docs/wire-protocol.md §7.1).
//
// Claude carries most Bedrock traffic, so this codec skips the JSON DOM on the hot path: the
// body is written straight into a string, and a well-formed response is read with simdjson.
// Anything unusual in a response falls back to the full nlohmann reader, which owns every
// diagnostic, so both paths agree on every body (tests/unit/models check them against each
// other).
#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "bedrock/core/json_text.h"
#include "cache_points.h"
#include "codec_families.h"
#include "codec_support.h"
#include "stream_support.h"

namespace bedrock::models::detail {

StopReason anthropic_stop(std::string_view raw) {
  return map_stop(raw, {{"end_turn", StopReason::EndTurn},
                        {"max_tokens", StopReason::MaxTokens},
                        {"stop_sequence", StopReason::StopSequence},
                        {"tool_use", StopReason::ToolUse},
                        {"refusal", StopReason::ContentFiltered},
                        {"model_context_window_exceeded", StopReason::MaxTokens}});
}

namespace {

using bedrock::append_json_number;

// Doubles are rare in a body (temperature, top_p) and their exact spelling matters to golden
// tests, so nlohmann's own serializer prints them (shortest round-trip form, "1.0" for
// integral values).
void append_json_number(std::string& out, double value) { out += nlohmann::json(value).dump(); }

constexpr std::string_view kAnthropicMessagesApi = "anthropic-messages";

std::optional<int> count_of(simdjson::dom::element value) {
  int64_t n = 0;
  if (value.get_int64().get(n) != simdjson::SUCCESS) return std::nullopt;
  if (n < 0 || n > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(n);
}

// The reply's text blocks in order, or false when a block breaks the documented shape (the
// full reader then reports it).
bool read_content(simdjson::dom::array content, Completion& out) {
  for (simdjson::dom::element block : content) {
    simdjson::dom::object fields;
    if (block.get_object().get(fields) != simdjson::SUCCESS) continue;
    // Later duplicates win, as in the full reader.
    std::string_view type;
    simdjson::dom::element text;
    simdjson::dom::element thinking;
    bool has_text = false;
    bool has_thinking = false;
    for (auto field : fields) {
      if (field.key == "type") {
        if (field.value.get_string().get(type) != simdjson::SUCCESS) type = {};
      } else if (field.key == "text") {
        text = field.value;
        has_text = true;
      } else if (field.key == "thinking") {
        thinking = field.value;
        has_thinking = true;
      }
    }
    std::string_view s;
    if (type == "text") {
      if (!has_text || text.get_string().get(s) != simdjson::SUCCESS) return false;
      out.text += s;
    } else if (type == "thinking" && has_thinking &&
               thinking.get_string().get(s) == simdjson::SUCCESS) {
      out.reasoning += s;
    }
  }
  return true;
}

// nullopt: not the plain well-formed shape; the caller falls back to the full reader.
std::optional<Completion> decode_fast(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  simdjson::dom::element content;
  simdjson::dom::element usage;
  std::string_view stop_reason;
  bool has_content = false;
  bool has_usage = false;
  for (auto field : root) {
    if (field.key == "content") {
      content = field.value;
      has_content = true;
    } else if (field.key == "stop_reason") {
      if (field.value.get_string().get(stop_reason) != simdjson::SUCCESS) stop_reason = {};
    } else if (field.key == "usage") {
      usage = field.value;
      has_usage = true;
    }
  }
  simdjson::dom::array blocks;
  if (!has_content || content.get_array().get(blocks) != simdjson::SUCCESS) return std::nullopt;
  Completion out;
  if (!read_content(blocks, out)) return std::nullopt;
  out.raw_stop_reason = stop_reason;
  out.stop_reason = anthropic_stop(stop_reason);
  simdjson::dom::object counts;
  if (has_usage && usage.get_object().get(counts) == simdjson::SUCCESS) {
    // The same fields anthropic_usage() reads on the slow path and in streams.
    UsageUpdate update;
    for (auto field : counts) {
      if (field.key == "input_tokens") update.input_tokens = count_of(field.value);
      if (field.key == "output_tokens") update.output_tokens = count_of(field.value);
      if (field.key == "cache_read_input_tokens") {
        update.cache_read_input_tokens = count_of(field.value);
      }
      if (field.key == "cache_creation_input_tokens") {
        update.cache_write_input_tokens = count_of(field.value);
      }
      simdjson::dom::element one_hour;
      if (field.key == "cache_creation" &&
          field.value.at_key("ephemeral_1h_input_tokens").get(one_hour) == simdjson::SUCCESS) {
        update.cache_write_1h_input_tokens = count_of(one_hour);
      }
    }
    out.usage = token_usage(update);
  }
  return out;
}

Result<Completion> decode_full(std::string_view body) {
  auto json = parse_object(body, kAnthropicMessagesApi);
  if (!json) return fail(json.error());
  const Json* content = at(*json, "/content");
  if (content == nullptr || !content->is_array()) {
    return fail(ErrorCode::InvalidResponse, "anthropic-messages response has no content array");
  }
  Completion out;
  // Thinking and tool_use blocks may precede or follow the text; the answer is every text
  // block in order.
  for (const auto& block : *content) {
    if (!block.is_object()) continue;
    const std::string type = optional_string(block, "/type");
    if (type == "text") {
      const Json* text = at(block, "/text");
      if (text == nullptr || !text->is_string()) {
        return fail(ErrorCode::InvalidResponse,
                    "anthropic-messages response has a text block without text");
      }
      out.text += text->get<std::string>();
    } else if (type == "thinking") {
      out.reasoning += optional_string(block, "/thinking");
    }
  }
  out.raw_stop_reason = optional_string(*json, "/stop_reason");
  out.stop_reason = anthropic_stop(out.raw_stop_reason);
  if (const Json* usage = at(*json, "/usage"); usage != nullptr) {
    out.usage = token_usage(anthropic_usage(*usage));
  }
  return out;
}

class AnthropicMessagesCodec final : public ModelCodec {
 public:
  ModelFamily family() const override { return ModelFamily::AnthropicMessages; }

  Result<std::string> encode(const Prompt& prompt, const InferenceParams& params,
                             const ModelInfo& model) const override {
    if (auto ok = validate_native(prompt, params, model, family()); !ok) return fail(ok.error());
    // Cache points become cache_control on the block that ends each cached prefix, for the
    // models that take prompt caching; the others get the same body without (types.h).
    const bool cache = model.prompt_caching;
    if (auto ok = validate_cache_points(prompt, kAnthropicMessagesApi, cache); !ok)
      return fail(ok.error());
    if (cache) {
      if (auto ok = validate_cache_ttl_order(prompt, kAnthropicMessagesApi); !ok)
        return fail(ok.error());
    }
    std::string body;
    body.reserve(160 + prompt.system.size() + prompt.messages.size() * 48 +
                 prompt.messages.front().text.size());
    body += R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":)";
    append_json_number(body, required_max_tokens(params, model));
    if (!prompt.system.empty() && cache && prompt.system_cache_point) {
      // cache_control needs a block: the system prompt travels as one text block.
      body += R"(,"system":[{"type":"text","text":)";
      append_json_string(body, prompt.system);
      append_cache_control(body, *prompt.system_cache_point);
      body += "}]";
    } else if (!prompt.system.empty()) {
      body += R"(,"system":)";
      append_json_string(body, prompt.system);
    }
    body += R"(,"messages":[)";
    for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
      const Message& m = prompt.messages[i];
      if (i > 0) body += ',';
      body += R"({"role":")";
      body += role_name(m.role);
      body += R"(","content":[{"type":"text","text":)";
      append_json_string(body, m.text);
      if (cache && m.cache_point) append_cache_control(body, *m.cache_point);
      body += "}]}";
    }
    body += ']';
    if (params.temperature) {
      body += R"(,"temperature":)";
      append_json_number(body, *params.temperature);
    }
    if (params.top_p) {
      body += R"(,"top_p":)";
      append_json_number(body, *params.top_p);
    }
    if (params.top_k) {
      body += R"(,"top_k":)";
      append_json_number(body, *params.top_k);
    }
    if (!params.stop_sequences.empty()) {
      body += R"(,"stop_sequences":[)";
      for (std::size_t i = 0; i < params.stop_sequences.size(); ++i) {
        if (i > 0) body += ',';
        append_json_string(body, params.stop_sequences[i]);
      }
      body += ']';
    }
    body += '}';
    return body;
  }

  Result<Completion> decode(std::string_view body) const override {
    if (auto fast = decode_fast(body)) return std::move(*fast);
    return decode_full(body);
  }

  Result<std::vector<StreamEvent>> decode_stream_chunk(std::string_view chunk_json,
                                                       StreamState& state) const override {
    return decode_anthropic_stream_chunk(chunk_json, state);
  }
};

}  // namespace

const ModelCodec& anthropic_messages_codec() {
  static const AnthropicMessagesCodec codec;
  return codec;
}

}  // namespace bedrock::models::detail
