#include "invocation.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "bedrock/core/base64.h"
#include "bedrock/core/json_nesting.h"
#include "bedrock/core/percent_encoding.h"
#include "bedrock/models/event_stream.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "emulator/model/tools.h"

namespace bedrock::emulator {
namespace http = boost::beast::http;
namespace emu = model;

namespace {

Operation operation_from(std::string_view name) {
  if (name == "invoke") return Operation::Invoke;
  if (name == "converse") return Operation::Converse;
  if (name == "invoke-with-response-stream") return Operation::InvokeStream;
  if (name == "converse-stream") return Operation::ConverseStream;
  if (name == "count-tokens") return Operation::CountTokens;
  return Operation::Unknown;
}

// Answers are a pure function of (operation, model id, body) once fixtures are loaded, so
// identical requests (load tests, retries) reuse the parsed request, the answer and, for
// InvokeModel, the rendered body. Per thread, so no lock; bounded by clearing when full.
constexpr std::size_t kCacheEntries = 256;
constexpr std::size_t kCacheableBodyBytes = 4096;

}  // namespace

Invocation::Invocation(const HttpRequest& request, const Clock& /*clock*/) : request_(request) {
  const std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  constexpr std::string_view kPrefix = "/model/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return;
  path.remove_prefix(kPrefix.size());
  // The operation is the last segment; everything before it is the model id, so an ARN whose
  // '/' a client did not encode still names one model.
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return;
  const Operation op = operation_from(path.substr(slash + 1));
  if (op == Operation::Unknown || request.method() != http::verb::post) return;
  operation_ = op;
  auto decoded = percent_decode(path.substr(0, slash));
  if (!decoded) {
    model_id_invalid_ = true;
    model_id_ = std::string(path.substr(0, slash));
    return;
  }
  model_id_ = std::move(*decoded);
}

std::string_view Invocation::operation_name() const {
  switch (operation_) {
    case Operation::Invoke:
      return "invoke";
    case Operation::Converse:
      return "converse";
    case Operation::InvokeStream:
      return "invoke-with-response-stream";
    case Operation::ConverseStream:
      return "converse-stream";
    case Operation::CountTokens:
      return "count-tokens";
    case Operation::Unknown:
      break;
  }
  return "unknown";
}

Result<Usage> Invocation::count_tokens(const models::ModelInfo& model) {
  // The converse input is dumped below, and dump() recurses once per level.
  if (json_nesting_exceeds(request_.body())) {
    return fail(ErrorCode::Validation,
                fmt::format("Malformed input request: the JSON body nests deeper than {} levels, "
                            "please reformat your input and try again.",
                            kMaxJsonNesting));
  }
  const auto doc = nlohmann::json::parse(request_.body(), nullptr, false);
  const auto bad = [] {
    return fail(ErrorCode::Validation,
                "Malformed input request: input must contain exactly one of invokeModel or "
                "converse, please reformat your input and try again.");
  };
  if (!doc.is_object() || !doc.contains("input") || !doc["input"].is_object()) return bad();
  const auto& input = doc["input"];
  Result<emu::EmulatedRequest> parsed = fail(ErrorCode::Validation, "");
  if (input.size() != 1) return bad();
  if (auto it = input.find("invokeModel"); it != input.end()) {
    if (!it->is_object() || !it->contains("body") || !(*it)["body"].is_string()) return bad();
    auto body = base64_decode_lenient((*it)["body"].get_ref<const std::string&>());
    if (!body) return bad();
    parsed = emu::parse_native_request(model, *body);
  } else if (auto cv = input.find("converse"); cv != input.end()) {
    parsed = emu::parse_converse_request(model, cv->dump(), emu::ConverseApi::CountTokens);
  } else {
    return bad();
  }
  if (!parsed) return fail(parsed.error());
  counted_tokens_ = parsed->input_tokens;
  return Usage{parsed->input_tokens, 0};
}

Invocation::AnswerCache& Invocation::answer_cache() {
  thread_local AnswerCache cache;
  return cache;
}

Result<Usage> Invocation::run(const models::ModelInfo& model, const Fixtures& fixtures,
                              Behavior& /*behavior*/) {
  model_ = &model;
  if (operation_ == Operation::CountTokens) return count_tokens(model);
  std::string key;
  if (request_.body().size() <= kCacheableBodyBytes) {
    key.reserve(model_id_.size() + request_.body().size() + 32);
    key.append(operation_name())
        .append("\n")
        .append(model_id_)
        .append("\n")
        .append(request_.body());
    auto& cache = answer_cache();
    if (auto it = cache.find(key); it != cache.end()) {
      answered_ = it->second;
      return Usage{answered_->answer.input_tokens, answered_->answer.output_tokens};
    }
  }
  auto parsed = operation_ == Operation::Converse || operation_ == Operation::ConverseStream
                    ? emu::parse_converse_request(model, request_.body(),
                                                  operation_ == Operation::ConverseStream
                                                      ? emu::ConverseApi::ConverseStream
                                                      : emu::ConverseApi::Converse)
                    : emu::parse_native_request(model, request_.body());
  if (!parsed) return fail(parsed.error());
  if (operation_ == Operation::InvokeStream && !emu::streams_natively(parsed->family)) {
    return fail(ErrorCode::Validation, "The model is unsupported for streaming.");
  }
  auto fresh = std::make_shared<Answered>();
  fresh->parsed = std::move(*parsed);
  const emu::EmulatedRequest& request = fresh->parsed;

  const FixtureRule* rule =
      fixtures.empty() ? nullptr : fixtures.match(model_id_, model.id, request.prompt_text);
  if (rule != nullptr && !rule->error_type.empty()) {
    Error e = Error::make(ErrorCode::Unknown, rule->error_message);
    e.aws_type = rule->error_type;
    return fail(std::move(e));
  }
  // A forced tool call outranks a fixture's tool call, which outranks a canned text answer,
  // as toolChoice outranks the prompt.
  std::optional<emu::EmulatedAnswer> tool_call;
  if (rule != nullptr && !rule->tool_name.empty()) {
    tool_call = emu::detail::requested_tool_answer(request, rule->tool_name, rule->tool_input);
  }
  if (tool_call) {
    fresh->answer = std::move(*tool_call);
  } else if (rule != nullptr && request.forced_tool.empty() &&
             (rule->tool_name.empty() || !rule->response.empty())) {
    fresh->answer.text = rule->response;
    fresh->answer.stop_reason = models::StopReason::EndTurn;
    fresh->answer.input_tokens = request.input_tokens;
    fresh->answer.output_tokens = emu::estimate_tokens(fresh->answer.text);
  } else {
    fresh->answer = emu::default_answer(model, request);
  }
  if (operation_ == Operation::Invoke) {
    fresh->native_body = emu::render_native_response(model, request, fresh->answer);
  }
  answered_ = fresh;
  if (!key.empty()) {
    auto& cache = answer_cache();
    if (cache.size() >= kCacheEntries) cache.clear();
    cache.emplace(std::move(key), std::move(fresh));
  }
  return Usage{answered_->answer.input_tokens, answered_->answer.output_tokens};
}

void Invocation::account_prompt_cache(PromptCacheStore& store, SteadyTime now) {
  if (!answered_ || answered_->parsed.cache_prefixes.empty()) return;
  cache_usage_ = store.account(answered_->parsed.cache_prefixes, now);
}

std::string Invocation::render(int latency_ms) const {
  switch (operation_) {
    case Operation::Invoke:
      // The cached body cannot hold this call's cache counts, which depend on the store's state.
      if (cache_usage_.present) {
        emu::ResponseContext context;
        context.cache = cache_usage_;
        return emu::render_native_response(*model_, answered_->parsed, answered_->answer, context);
      }
      return answered_->native_body;
    case Operation::Converse:
      return emu::render_converse_response(answered_->parsed, answered_->answer, latency_ms,
                                           cache_usage_);
    case Operation::ConverseStream:
      return emu::render_converse_stream(answered_->parsed, answered_->answer, latency_ms,
                                         cache_usage_);
    case Operation::InvokeStream: {
      // Each chunk travels base64-encoded in a {"bytes": ...} "chunk" event (docs/wire-protocol.md
      // §9.3). Everything is sent after the configured latency, so the first byte comes then too.
      emu::ResponseContext context;
      context.cache = cache_usage_;
      auto chunks = emu::render_native_stream(*model_, answered_->parsed, answered_->answer,
                                              {latency_ms, latency_ms}, context);
      std::string stream;
      std::string payload;
      for (const std::string& chunk : chunks.value_or(std::vector<std::string>{})) {
        payload.assign(R"({"bytes":")").append(base64_encode(chunk)).append(R"("})");
        models::append_event(stream, "chunk", payload);
      }
      return stream;
    }
    case Operation::CountTokens:
      return fmt::format("{{\"inputTokens\":{}}}", counted_tokens_);
    default:
      return {};
  }
}

}  // namespace bedrock::emulator
