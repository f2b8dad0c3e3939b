#include "model_body.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "bedrock/core/ascii.h"
#include "bedrock/core/base64.h"
#include "bedrock/core/json_nesting.h"
#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"

namespace bedrock::runtime {
namespace {

// The InvokeModel-style settings as Converse options; what `converse` sets itself wins.
Result<models::ConverseOptions> converse_options(const InvokeRequest& request) {
  models::ConverseOptions options = request.converse;
  if (!request.guardrail_id.empty() && !options.guardrail) {
    models::GuardrailConfig g;
    g.identifier = request.guardrail_id;
    g.version = request.guardrail_version;
    // Converse spells the trace enum in lower case (§1.4).
    if (iequals_ascii(request.trace, "ENABLED")) {
      g.trace = models::GuardrailTrace::Enabled;
    } else if (iequals_ascii(request.trace, "DISABLED")) {
      g.trace = models::GuardrailTrace::Disabled;
    } else if (iequals_ascii(request.trace, "ENABLED_FULL")) {
      g.trace = models::GuardrailTrace::EnabledFull;
    } else if (!request.trace.empty()) {
      return fail(ErrorCode::Validation, "trace must be ENABLED, DISABLED or ENABLED_FULL");
    }
    options.guardrail = std::move(g);
  }
  if (request.latency_optimized && !options.latency) options.latency = models::Latency::Optimized;
  return options;
}

}  // namespace

Result<ModelBody> encode_model_body(const models::ModelInfo& model, const InvokeRequest& request,
                                    bool stream) {
  ModelBody out;
  if (request.use_converse) {
    out.headers.invoke_model = false;
    auto options = converse_options(request);
    if (!options) return fail(options.error());
    auto body = models::encode_converse(request.prompt, request.params, model, *options, stream);
    if (!body) return fail(body.error());
    out.body = std::move(*body);
    return out;
  }
  if (!request.converse.empty()) {
    return fail(ErrorCode::Validation,
                "service tier, request metadata, prompt variables, additional model fields and "
                "guardrail stream mode are Converse request fields; call through Converse");
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
