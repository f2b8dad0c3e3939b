// Converse (docs/wire-protocol.md §8): a rest-json operation, so the AWS front end validates the
// body against the service model (Coral wording: "N validation error(s) detected: Value 'x' at
// 'path' failed to satisfy constraint: ..."; list members are "messages.1.member", 1-based)
// and ignores members it does not know. Bedrock's own conversation checks come after.
// Wrong JSON types are reported as validation errors naming the member (the real front end
// answers SerializationException with less detail; SDKs validate types before sending).
#include <fmt/format.h>

#include <cmath>

#include "answer_text.h"
#include "attachments.h"
#include "bedrock/models/event_stream.h"
#include "converse_fields.h"
#include "coral_check.h"
#include "deep_body.h"
#include "families.h"
#include "json_read.h"
#include "prompt_cache.h"
#include "reasoning.h"
#include "render.h"
#include "request_checks.h"
#include "stream_render.h"
#include "structured_output.h"
#include "tools.h"

namespace bedrock::emulator::model {
namespace {

using detail::CoralCheck;
using detail::Json;
using models::append_event;

// Java prints a float member as "1.5" / "2.0".
std::string java_float(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 1e15) {
    return fmt::format("{}.0", static_cast<long long>(v));
  }
  return fmt::format("{}", v);
}

std::string member_path(std::string_view list, std::size_t index) {
  return fmt::format("{}.{}.member", list, index + 1);
}

// Text of one message's content blocks; a union block must set exactly one member.
std::string content_text(CoralCheck& check, const Json& blocks, const std::string& path,
                         std::optional<std::string>& blank_at) {
  if (!check.type(blocks, path, blocks.is_array(), "list")) return {};
  std::string text;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Json& block = blocks[i];
    std::string where = member_path(path, i);
    if (!check.type(block, where, block.is_object(), "structure")) continue;
    if (block.size() != 1) {
      check.add(fmt::format("'{}'", detail::shown(block)), where, "have exactly one member set");
      continue;
    }
    std::string piece;
    if (block.contains("text")) {
      if (!check.type(block["text"], where + ".text", block["text"].is_string(), "string")) {
        continue;
      }
      piece = block["text"].get<std::string>();
      if (piece.find_first_not_of(" \t\r\n") == std::string::npos && !blank_at) {
        blank_at = fmt::format("{}.{}", path, i);
      }
    } else if (block.contains("toolResult") && block["toolResult"].is_object() &&
               block["toolResult"].contains("content") &&
               block["toolResult"]["content"].is_array()) {
      for (const auto& part : block["toolResult"]["content"]) {
        if (part.is_object() && part.contains("text") && part["text"].is_string()) {
          piece += part["text"].get<std::string>();
        }
      }
    }
    if (piece.empty()) continue;
    if (!text.empty()) text += "\n";
    text += piece;
  }
  return text;
}

void parse_inference_config(CoralCheck& check, const Json& config, EmulatedRequest& request,
                            std::optional<std::int64_t>& max_tokens) {
  const std::string path = "inferenceConfig";
  if (!check.type(config, path, config.is_object(), "structure")) return;
  if (config.contains("maxTokens")) {
    const Json& v = config["maxTokens"];
    if (check.type(v, path + ".maxTokens", v.is_number_integer(), "integer")) {
      std::int64_t n = v.get<std::int64_t>();
      if (n < 1) {
        check.add(fmt::format("'{}'", n), path + ".maxTokens",
                  "have value greater than or equal to 1");
      } else {
        max_tokens = n;
      }
    }
  }
  for (const char* key : {"temperature", "topP"}) {
    if (!config.contains(key)) continue;
    const Json& v = config[key];
    std::string where = fmt::format("{}.{}", path, key);
    if (!check.type(v, where, v.is_number(), "float")) continue;
    double x = v.get<double>();
    if (x < 0) {
      check.add(fmt::format("'{}'", java_float(x)), where, "have value greater than or equal to 0");
    } else if (x > 1) {
      check.add(fmt::format("'{}'", java_float(x)), where, "have value less than or equal to 1");
    } else {
      (std::string_view(key) == "temperature" ? request.temperature : request.top_p) = x;
    }
  }
  if (config.contains("stopSequences")) {
    const Json& list = config["stopSequences"];
    std::string where = path + ".stopSequences";
    if (!check.type(list, where, list.is_array(), "list")) return;
    if (list.size() > 2500) {
      check.add(fmt::format("'[...{} items]'", list.size()), where,
                "have length less than or equal to 2500");
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string item = member_path(where, i);
      if (!check.type(list[i], item, list[i].is_string(), "string")) continue;
      if (list[i].get_ref<const std::string&>().empty()) {
        check.add("''", item, "have length greater than or equal to 1");
        continue;
      }
      request.stop_sequences.push_back(list[i].get<std::string>());
    }
  }
}

}  // namespace

Result<EmulatedRequest> parse_converse_request(const ModelInfo& model, std::string_view body,
                                               ConverseApi api) {
  if (auto deep = detail::deep_body_error(body)) return fail(std::move(*deep));
  Json doc = detail::parse_json(body);
  if (doc.is_discarded() || !doc.is_object()) {
    Error e = detail::validation_error("Could not parse the request body as a JSON object.");
    e.aws_type = "SerializationException";
    return fail(std::move(e));
  }
  CoralCheck check;
  EmulatedRequest request;
  std::optional<std::string> blank_at;
  if (!doc.contains("messages") || doc["messages"].is_null()) {
    check.add("null", "messages", "not be null");
  } else if (check.type(doc["messages"], "messages", doc["messages"].is_array(), "list")) {
    const Json& messages = doc["messages"];
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const Json& m = messages[i];
      std::string where = member_path("messages", i);
      if (!check.type(m, where, m.is_object(), "structure")) continue;
      std::optional<Role> role;
      if (!m.contains("role") || m["role"].is_null()) {
        check.add("null", where + ".role", "not be null");
      } else if (m["role"] == "user" || m["role"] == "assistant") {
        role = m["role"] == "user" ? Role::User : Role::Assistant;
      } else {
        std::string shown = detail::shown(m["role"]);
        check.add(fmt::format("'{}'", shown), where + ".role",
                  "satisfy enum value set: [user, assistant]");
      }
      std::string text;
      if (!m.contains("content") || m["content"].is_null()) {
        check.add("null", where + ".content", "not be null");
      } else {
        text = content_text(check, m["content"], fmt::format("messages.{}.content", i), blank_at);
      }
      if (role) request.turns.push_back({*role, text});
    }
  }
  if (doc.contains("system") &&
      check.type(doc["system"], "system", doc["system"].is_array(), "list")) {
    for (std::size_t i = 0; i < doc["system"].size(); ++i) {
      const Json& block = doc["system"][i];
      std::string where = member_path("system", i);
      if (!check.type(block, where, block.is_object(), "structure")) continue;
      if (!block.contains("text")) continue;  // guardContent / cachePoint
      if (!check.type(block["text"], where + ".text", block["text"].is_string(), "string")) {
        continue;
      }
      const auto& text = block["text"].get_ref<const std::string&>();
      if (text.empty()) {
        check.add("''", where + ".text", "have length greater than or equal to 1");
        continue;
      }
      if (!request.system_text.empty()) request.system_text += "\n";
      request.system_text += text;
    }
  }
  std::optional<std::int64_t> max_tokens;
  if (doc.contains("inferenceConfig")) {
    parse_inference_config(check, doc["inferenceConfig"], request, max_tokens);
  }
  if (doc.contains("additionalModelRequestFields")) {
    const Json& extra = doc["additionalModelRequestFields"];
    if (extra.is_object() && extra.contains("top_k") && extra["top_k"].is_number_integer()) {
      request.top_k = extra["top_k"].get<int>();
    }
  }
  detail::check_request_fields(check, doc, api, request);
  if (!check.ok()) return fail(check.error());
  if (auto paths = detail::check_response_field_paths(request)) return fail(std::move(*paths));
  if (auto tools = detail::check_tools(model, doc, request)) return fail(std::move(*tools));
  if (auto output = detail::check_output_config(model, doc, request)) {
    return fail(std::move(*output));
  }
  if (auto attachments = detail::check_attachments(model, doc)) {
    return fail(std::move(*attachments));
  }
  request.attachments = detail::describe_attachments(doc);

  if (auto order = detail::converse_order_error(request.turns)) {
    return fail(detail::validation_error(*order));
  }
  // Families without a stop parameter (docs/wire-protocol.md §7.5, §7.7) refuse it through Converse
  // too.
  bool stop_unsupported = model.family == ModelFamily::Llama2 ||
                          model.family == ModelFamily::Llama3 ||
                          model.family == ModelFamily::MistralChat;
  if (stop_unsupported && !request.stop_sequences.empty()) {
    return fail(detail::validation_error(
        "This model doesn't support the stopSequences field. Remove stopSequences and try "
        "again."));
  }
  if (blank_at) {
    return fail(detail::validation_error(
        fmt::format("The text field in the ContentBlock object at {} is blank. Add text to the "
                    "text field, and try again.",
                    *blank_at)));
  }
  std::int64_t cap = detail::output_cap(model);
  if (max_tokens && *max_tokens > cap) {
    return fail(detail::validation_error(
        fmt::format("The maximum tokens you requested exceeds the model limit of {}. Try again "
                    "with a maximum tokens value that is lower than {}.",
                    cap, cap)));
  }
  // The service model: "The default value is the maximum allowed value for the model".
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      static_cast<int>(max_tokens.value_or(std::min<std::int64_t>(cap, INT32_MAX)));
  if (auto reasoning = detail::check_reasoning(model, doc, request)) {
    return fail(std::move(*reasoning));
  }
  detail::finalize(request, model);
  if (auto cache = detail::check_cache_points(model, doc, request)) return fail(std::move(*cache));
  if (auto too_long = detail::context_error(model, request)) return fail(std::move(*too_long));
  return request;
}

namespace {

// Requested native fields are looked up by JSON pointer in the family's own response and
// returned under the same pointer; missing ones are skipped (§8.1). "" when none is asked for
// or none exists.
std::string additional_fields(const EmulatedRequest& request, const EmulatedAnswer& answer) {
  if (request.response_field_paths.empty()) return {};
  ModelInfo model;
  model.id = request.model_id;
  model.family = request.family;
  Json native = Json::parse(render_native_response(model, request, answer), nullptr, false);
  Json extra = Json::object();
  for (const auto& path : request.response_field_paths) {
    try {
      Json::json_pointer pointer(path);
      if (native.contains(pointer)) extra[pointer] = native.at(pointer);
    } catch (const Json::exception&) {
      // A pointer that does not fit the native shape (e.g. "/x/abc" into an array) is
      // simply not there.
    }
  }
  if (extra.empty()) return {};
  return extra.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_block(std::string& stream, int index, std::string_view text, bool reasoning,
                  std::string_view signature = {}) {
  std::string payload;
  for (std::string_view piece : detail::delta_pieces(text)) {
    payload.clear();
    detail::JsonOut out(payload);
    out.begin_object().key("contentBlockIndex").number(index).key("delta").begin_object();
    if (reasoning) {
      out.key("reasoningContent").begin_object().member("text", piece).end_object();
    } else {
      out.member("text", piece);
    }
    out.end_object().end_object();
    append_event(stream, "contentBlockDelta", payload);
  }
  // The signature arrives as a delta of its own after the text (docs/wire-protocol.md §9.4).
  if (!signature.empty()) {
    payload.clear();
    detail::JsonOut out(payload);
    out.begin_object().member("contentBlockIndex", index).key("delta").begin_object();
    out.key("reasoningContent").begin_object().member("signature", signature).end_object();
    out.end_object().end_object();
    append_event(stream, "contentBlockDelta", payload);
  }
  payload.clear();
  detail::JsonOut(payload).begin_object().member("contentBlockIndex", index).end_object();
  append_event(stream, "contentBlockStop", payload);
}

// A tool call streams as contentBlockStart (id and name), the input's JSON text in pieces,
// then contentBlockStop (docs/wire-protocol.md §9).
void append_tool_use(std::string& stream, int index, const EmulatedAnswer& answer) {
  std::string payload;
  detail::JsonOut start(payload);
  start.begin_object().member("contentBlockIndex", index).key("start").begin_object();
  start.key("toolUse").begin_object().member("toolUseId", answer.tool_use_id);
  start.member("name", answer.tool_name).end_object().end_object().end_object();
  append_event(stream, "contentBlockStart", payload);
  const std::string_view input = answer.tool_input;
  constexpr std::size_t kPiece = 16;
  for (std::size_t at = 0; at < input.size(); at += kPiece) {
    payload.clear();
    detail::JsonOut out(payload);
    out.begin_object().member("contentBlockIndex", index).key("delta").begin_object();
    out.key("toolUse").begin_object().member("input", input.substr(at, kPiece)).end_object();
    out.end_object().end_object();
    append_event(stream, "contentBlockDelta", payload);
  }
  payload.clear();
  detail::JsonOut(payload).begin_object().member("contentBlockIndex", index).end_object();
  append_event(stream, "contentBlockStop", payload);
}

// Bedrock's usage with prompt caching (docs/wire-protocol.md §8.7): inputTokens is only the
// uncached rest, totalTokens adds the cache reads and writes back, cacheDetails breaks the
// writes down by TTL.
void append_usage(detail::JsonOut& out, const EmulatedAnswer& answer, const CacheUsage& cache) {
  const int uncached = std::max(0, answer.input_tokens - cache.read_tokens - cache.write_tokens);
  out.key("usage").begin_object();
  out.member("inputTokens", uncached)
      .member("outputTokens", answer.output_tokens)
      .member("totalTokens",
              uncached + answer.output_tokens + cache.read_tokens + cache.write_tokens);
  if (cache.present) {
    out.member("cacheReadInputTokens", cache.read_tokens)
        .member("cacheWriteInputTokens", cache.write_tokens);
    if (cache.write_tokens > 0) {
      // The service model sorts the entries 1h before 5m.
      out.key("cacheDetails").begin_array();
      if (cache.write_1h_tokens > 0) {
        out.begin_object().member("ttl", "1h").member("inputTokens", cache.write_1h_tokens);
        out.end_object();
      }
      if (cache.write_tokens > cache.write_1h_tokens) {
        out.begin_object()
            .member("ttl", "5m")
            .member("inputTokens", cache.write_tokens - cache.write_1h_tokens);
        out.end_object();
      }
      out.end_array();
    }
  }
  out.end_object();
}

// The guardrail trace a request asked for, and its performanceConfig and serviceTier as the
// service model's response shapes carry them (docs/wire-protocol.md §8.2; in ConverseStream on
// the metadata event).
void append_echoes(detail::JsonOut& out, const EmulatedRequest& request) {
  const std::string trace = detail::guardrail_trace(request);
  if (!trace.empty()) out.key("trace").raw(trace);
  if (!request.latency.empty()) {
    out.key("performanceConfig").begin_object().member("latency", request.latency).end_object();
  }
  if (!request.service_tier.empty()) {
    out.key("serviceTier").begin_object().member("type", request.service_tier).end_object();
  }
}

}  // namespace

std::string render_converse_stream(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                   int latency_ms, const CacheUsage& cache) {
  std::string stream;
  stream.reserve(512 + 2 * (answer.text.size() + answer.reasoning.size()));
  append_event(stream, "messageStart", R"({"role":"assistant"})");
  int index = 0;
  if (!answer.reasoning.empty()) {
    append_block(stream, index++, answer.reasoning, true, answer.reasoning_signature);
  }
  if (answer.tool_name.empty()) {
    append_block(stream, index, answer.text, false);
  } else {
    append_tool_use(stream, index, answer);
  }

  std::string payload;
  detail::JsonOut stop(payload);
  stop.begin_object().member("stopReason", converse_stop_reason(answer.stop_reason));
  const std::string extra = additional_fields(request, answer);
  if (!extra.empty()) stop.key("additionalModelResponseFields").raw(extra);
  stop.end_object();
  append_event(stream, "messageStop", payload);

  payload.clear();
  detail::JsonOut metadata(payload);
  metadata.begin_object();
  append_usage(metadata, answer, cache);
  metadata.key("metrics").begin_object().member("latencyMs", latency_ms).end_object();
  append_echoes(metadata, request);
  metadata.end_object();
  append_event(stream, "metadata", payload);
  return stream;
}

std::string render_converse_response(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                     int latency_ms, const CacheUsage& cache) {
  std::string body;
  body.reserve(256 + answer.text.size() + answer.reasoning.size());
  detail::JsonOut out(body);
  out.begin_object();
  out.key("output").begin_object().key("message").begin_object().member("role", "assistant");
  out.key("content").begin_array();
  if (!answer.reasoning.empty()) {
    out.begin_object().key("reasoningContent").begin_object().key("reasoningText").begin_object();
    out.member("text", answer.reasoning);
    if (!answer.reasoning_signature.empty()) out.member("signature", answer.reasoning_signature);
    out.end_object().end_object().end_object();
  }
  if (answer.tool_name.empty()) {
    out.begin_object().member("text", answer.text).end_object();
  } else {
    out.begin_object().key("toolUse").begin_object().member("toolUseId", answer.tool_use_id);
    out.member("name", answer.tool_name).key("input").raw(answer.tool_input);
    out.end_object().end_object();
  }
  out.end_array().end_object().end_object();
  out.member("stopReason", converse_stop_reason(answer.stop_reason));
  append_usage(out, answer, cache);
  out.key("metrics").begin_object().member("latencyMs", latency_ms).end_object();

  const std::string extra = additional_fields(request, answer);
  if (!extra.empty()) out.key("additionalModelResponseFields").raw(extra);
  append_echoes(out, request);
  out.end_object();
  return body;
}

}  // namespace bedrock::emulator::model
