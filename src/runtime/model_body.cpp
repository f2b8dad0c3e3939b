#include "model_body.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "bedrock/core/base64.h"
#include "bedrock/core/json_nesting.h"
#include "bedrock/core/utf8.h"
#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"

namespace bedrock::runtime {
namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Converse carries guardrail and latency settings in the body, not in headers (§1.4); its
// trace enum is lower-case ("enabled", "disabled", "enabled_full").
Result<std::string> add_converse_options(std::string body, const InvokeRequest& request) {
  if (request.guardrail_id.empty() && !request.latency_optimized) return body;
  // dump() throws on invalid UTF-8; these settings come from the caller, so refuse them here
  // instead of letting the exception leave invoke().
  for (const std::string* text :
       {&request.guardrail_id, &request.guardrail_version, &request.trace}) {
    if (!is_valid_utf8(*text)) {
      return fail(ErrorCode::Validation, "guardrail settings must be valid UTF-8");
    }
  }
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    return fail(ErrorCode::Validation, "Converse body from the encoder is not a JSON object");
  }
  if (!request.guardrail_id.empty()) {
    nlohmann::json g = {{"guardrailIdentifier", request.guardrail_id},
                        {"guardrailVersion", request.guardrail_version}};
    if (!request.trace.empty()) g["trace"] = lower(request.trace);
    doc["guardrailConfig"] = std::move(g);
  }
  if (request.latency_optimized) doc["performanceConfig"] = {{"latency", "optimized"}};
  return doc.dump();
}

}  // namespace

Result<ModelBody> encode_model_body(const models::ModelInfo& model, const InvokeRequest& request) {
  ModelBody out;
  if (request.use_converse) {
    out.headers.invoke_model = false;
    auto body = models::encode_converse(request.prompt, request.params, model);
    if (!body) return fail(body.error());
    auto with_options = add_converse_options(std::move(*body), request);
    if (!with_options) return fail(with_options.error());
    out.body = std::move(*with_options);
    return out;
  }
  out.headers.guardrail_id = request.guardrail_id;
  out.headers.guardrail_version = request.guardrail_version;
  out.headers.trace = request.trace;
  out.headers.latency_optimized = request.latency_optimized;
  auto body = models::codec_for(model.family).encode(request.prompt, request.params, model);
  if (!body) return fail(body.error());
  out.body = std::move(*body);
  return out;
}

Result<models::Completion> decode_model_body(const models::ModelInfo& model, bool converse,
                                             std::string_view body) {
  // The decoders convert and copy parsed values recursively: a reply nested deeper than any
  // model's answer is refused before it reaches them.
  if (json_nesting_exceeds(body)) {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("the response body nests JSON deeper than {} levels", kMaxJsonNesting));
  }
  if (converse) return models::decode_converse(body);
  return models::codec_for(model.family).decode(body);
}
Result<std::string> count_tokens_body(const std::string& model_body, bool converse) {
  if (!converse) {
    nlohmann::json doc = {{"input", {{"invokeModel", {{"body", base64_encode(model_body)}}}}}};
    return doc.dump();
  }
  // Converse's inference settings, guardrails and metadata are not members of
  // ConverseTokensRequest; Bedrock refuses unknown members, so only these travel.
  auto full = nlohmann::json::parse(model_body, nullptr, /*allow_exceptions=*/false);
  if (!full.is_object()) {
    return fail(ErrorCode::Validation, "Converse body from the encoder is not a JSON object");
  }
  nlohmann::json converse_input = nlohmann::json::object();
  for (const char* key : {"messages", "system", "toolConfig", "additionalModelRequestFields"}) {
    if (auto it = full.find(key); it != full.end()) converse_input[key] = std::move(*it);
  }
  nlohmann::json doc = {{"input", {{"converse", std::move(converse_input)}}}};
  return doc.dump();
}

Result<int> decode_count_tokens(std::string_view body) {
  const auto bad = [&] {
    return fail(ErrorCode::InvalidResponse,
                "CountTokens answer is not {\"inputTokens\": N} with N a non-negative integer");
  };
  if (json_nesting_exceeds(body)) return bad();
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return bad();
  auto it = doc.find("inputTokens");
  if (it == doc.end() || !it->is_number_integer()) return bad();
  const auto n = it->get<std::int64_t>();
  if (n < 0 || n > std::numeric_limits<int>::max()) return bad();
  return static_cast<int>(n);
}

}  // namespace bedrock::runtime
