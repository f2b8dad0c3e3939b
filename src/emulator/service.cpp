#include "service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <random>

#include "bedrock/models/event_stream.h"
#include "bedrock/models/registry.h"
#include "bedrock/models/service_errors.h"
#include "emulator/model/error_body.h"
#include "error_catalog.h"
#include "invocation.h"
#include "model_ids.h"
#include "outside_text.h"

namespace bedrock::emulator {
namespace http = boost::beast::http;
namespace emu = model;

namespace {

// The HTTP Date header, formatted at most once per second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::array<char, 40> buffer{};
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    length = std::strftime(buffer.data(), buffer.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buffer.data(), length};
}

// Beast 1.74 takes boost::string_view.
boost::beast::string_view bsv(std::string_view s) { return {s.data(), s.size()}; }

// Messages echo model ids from the path, which may be any bytes: the body must stay JSON.
std::string json_escape(std::string_view raw) {
  const std::string text = valid_utf8(raw);
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

// An exception message inside a stream (docs/wire-protocol.md §2.4): the lowerCamel member
// name, {"message": ...} with the exception's default text, and for a model-stream error the
// model's original status and message.
std::string stream_exception_event(std::string_view event_name) {
  const models::ServiceException* row = models::find_service_exception_event(event_name);
  std::string payload = fmt::format(
      "{{\"message\":\"{}\"", json_escape(row != nullptr ? row->default_message : event_name));
  if (event_name == "modelStreamErrorException") {
    payload += ",\"originalStatusCode\":500,\"originalMessage\":\"Model stream interrupted.\"";
  }
  payload += "}";
  std::string out;
  models::append_event_stream_message(out,
                                      {{":exception-type", event_name},
                                       {":content-type", "application/json"},
                                       {":message-type", "exception"}},
                                      payload);
  return out;
}

// Whether the SDK marked this as a retry (amz-sdk-request: "ttl=...; attempt=2; max=3").
bool is_sdk_retry(const HttpRequest& request) {
  auto it = request.find("amz-sdk-request");
  if (it == request.end()) return false;
  const std::string_view v(it->value().data(), it->value().size());
  const auto pos = v.find("attempt=");
  if (pos == std::string_view::npos) return false;
  const std::string_view n = v.substr(pos + 8);
  return !n.empty() && !(n[0] == '1' && (n.size() == 1 || n[1] < '0' || n[1] > '9'));
}

// The rendered stream cut into its messages (each starts with its total length, §9.1), and
// the fault that cuts it short, if any.
std::shared_ptr<StreamPlan> plan_stream(std::string body, Duration gap,
                                        const std::optional<Fault>& fault) {
  auto plan = std::make_shared<StreamPlan>();
  plan->gap = gap;
  std::size_t at = 0;
  while (body.size() - at >= 4) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(body[at + i]); };
    const std::size_t total = (std::size_t{byte(0)} << 24) | (std::size_t{byte(1)} << 16) |
                              (std::size_t{byte(2)} << 8) | std::size_t{byte(3)};
    if (total < 16 || total > body.size() - at) break;  // never: the renderer wrote it
    plan->events.emplace_back(body, at, total);
    at += total;
  }
  if (!fault) return plan;
  plan->cut_after = static_cast<std::size_t>(fault->after_events);
  if (fault->kind == FaultKind::StreamDrop) {
    plan->cut = StreamPlan::Cut::Drop;
  } else if (fault->kind == FaultKind::StreamStall) {
    plan->cut = StreamPlan::Cut::Stall;
    plan->stall = std::chrono::milliseconds(fault->stall_ms);
  } else {
    plan->cut = StreamPlan::Cut::Exception;
    plan->exception_event = stream_exception_event(stream_exception_name(fault->kind));
  }
  // Past the end, the fault takes the place of the stream's normal end.
  plan->cut_after = std::min(plan->cut_after, plan->events.size());
  return plan;
}

}  // namespace

std::string new_request_id() {
  thread_local std::mt19937_64 engine(std::random_device{}());
  const std::uint64_t a = engine();
  const std::uint64_t b = engine();
  // Version 4 / variant 1 bits, formatted 8-4-4-4-12 ("xxxxxxxx-xxxx-4xxx-[89ab]xxx-...").
  const std::uint64_t high = (a & ~0xF000ULL) | 0x4000ULL;
  const std::uint64_t low = (b & ~(0xC000ULL << 48)) | (0x8000ULL << 48);
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string id(36, '-');
  std::size_t at = 0;
  auto put = [&](std::uint64_t bits, int nibbles) {
    for (int shift = (nibbles - 1) * 4; shift >= 0; shift -= 4) {
      if (at == 8 || at == 13 || at == 18 || at == 23) ++at;  // past a dash
      id[at++] = kHex[(bits >> shift) & 0xF];
    }
  };
  put(high, 16);
  put(low, 16);
  return id;
}

HttpResponse make_error_response(std::string_view error_type, std::string_view message,
                                 std::string_view request_id, std::string_view extra_json_members) {
  int status = status_of_error(error_type);
  if (status == 0) status = 500;
  HttpResponse response{static_cast<http::status>(status), 11};
  response.set(http::field::date, bsv(http_date()));
  response.set(http::field::content_type, "application/json");
  response.set("x-amzn-RequestId", bsv(request_id));
  response.set("x-amzn-ErrorType", fmt::format("{}{}", error_type, kErrorTypeSuffix));
  response.body() =
      fmt::format("{{\"message\":\"{}\"{}}}", json_escape(message), extra_json_members);
  response.prepare_payload();
  return response;
}

Reply Service::handle(const HttpRequest& request) const {
  Invocation call(request, clock_);
  Reply reply;
  const std::string request_id = new_request_id();
  auto finish_error = [&](std::string_view type, std::string_view message,
                          std::string_view extra = {}) {
    reply.response = make_error_response(type, message, request_id, extra);
    counters_.record(call.model_id(), call.operation_name(), type, 0, 0, is_sdk_retry(request));
    return std::move(reply);
  };

  if (auto failure = auth_.verify(request)) {
    // Counted under one key, not the model id the caller named: anyone can send requests
    // that fail authentication, and each new id would otherwise be kept for good.
    reply.response = make_error_response(failure->error_type, failure->message, request_id);
    counters_.record("(unauthenticated)", call.operation_name(), failure->error_type, 0, 0,
                     is_sdk_retry(request));
    return reply;
  }
  if (!call.routed()) {
    // What the AWS front end answers for a path no operation matches (documented in README).
    return finish_error("UnknownOperationException", "Unknown operation");
  }
  if (call.model_id_invalid()) {
    return finish_error("ValidationException",
                        "The provided model identifier is invalid (bad percent-encoding).");
  }

  auto resolved = models::ModelRegistry::builtin().resolve(call.model_id());
  if (!resolved) {
    const Error& e = resolved.error();
    // Only what a peer could not have meant as a model id gets the registry's own wording.
    if (e.code == ErrorCode::ResourceNotFound) {
      return finish_error("ValidationException", kInvalidModelIdMessage);
    }
    return finish_error(emu::aws_error_type(e.code), e.message);
  }
  if (auto refusal = model_id_refusal(*resolved, fixtures_)) {
    return finish_error("ValidationException", *refusal);
  }
  const std::string& base = resolved->base_id;

  auto outcome = call.run(resolved->info, fixtures_, behavior_);
  if (!outcome) {
    const Error& e = outcome.error();
    const std::string_view type =
        e.aws_type.empty() ? emu::aws_error_type(e.code) : std::string_view(e.aws_type);
    return finish_error(type, e.message);
  }

  if (call.operation() != Operation::CountTokens) {
    const QuotaVerdict verdict =
        behavior_.take_quota(call.model_id(), base, outcome->input_tokens + outcome->output_tokens);
    if (verdict == QuotaVerdict::RequestsExceeded) {
      return finish_error("ThrottlingException",
                          "Too many requests, please wait before trying again.");
    }
    if (verdict == QuotaVerdict::TokensExceeded) {
      return finish_error("ThrottlingException",
                          "Too many tokens, please wait before trying again.");
    }
  }

  // Connection-level faults still render the body first (truncate sends half of it).
  const bool streamed =
      call.operation() == Operation::ConverseStream || call.operation() == Operation::InvokeStream;
  std::optional<Fault> fault;
  if (call.operation() != Operation::CountTokens) {
    fault = behavior_.draw_fault(call.model_id(), base, streamed);
  }
  if (fault && is_error_response(fault->kind)) {
    reply.delay = behavior_.draw_latency(call.model_id(), base, 0);
    std::string extra;
    if (fault->kind == FaultKind::ModelError) {
      extra = fmt::format(
          ",\"originalStatusCode\":500,\"resourceName\":\"{}\"",
          json_escape(fmt::format("arn:aws:bedrock:us-east-1::foundation-model/{}", base)));
    }
    const std::string_view type = to_string(fault->kind);
    return finish_error(type, default_message(type), extra);
  }

  // A stream's first byte comes after the time to first byte alone; its events are then paced.
  reply.delay =
      behavior_.draw_latency(call.model_id(), base, streamed ? 0 : outcome->output_tokens);
  const int latency_ms =
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(reply.delay).count());

  HttpResponse& response = reply.response;
  response.result(http::status::ok);
  response.version(11);
  response.set(http::field::date, bsv(http_date()));
  response.set(http::field::content_type,
               streamed ? "application/vnd.amazon.eventstream" : "application/json");
  response.set("x-amzn-RequestId", bsv(request_id));
  if (call.operation() == Operation::InvokeStream) {
    response.set("X-Amzn-Bedrock-Content-Type", "application/json");
  }
  // Only an answered request reads or writes the prompt cache (a throttled or faulted one
  // never reached the model).
  call.account_prompt_cache(prompt_cache_, clock_.steady());
  response.body() = call.render(latency_ms);
  if (call.operation() == Operation::Invoke) {
    // With prompt caching the input count is the uncached rest, as in the body's usage, and the
    // cache counts have headers of their own (docs/wire-protocol.md §1.5).
    const model::CacheUsage& cache = call.cache_usage();
    response.set("X-Amzn-Bedrock-Input-Token-Count",
                 std::to_string(
                     std::max(0, outcome->input_tokens - cache.read_tokens - cache.write_tokens)));
    response.set("X-Amzn-Bedrock-Output-Token-Count", std::to_string(outcome->output_tokens));
    if (cache.present) {
      response.set("X-Amzn-Bedrock-Cache-Read-Input-Token-Count",
                   std::to_string(cache.read_tokens));
      response.set("X-Amzn-Bedrock-Cache-Write-Input-Token-Count",
                   std::to_string(cache.write_tokens));
    }
    response.set("X-Amzn-Bedrock-Invocation-Latency", std::to_string(latency_ms));
    if (auto it = request.find("X-Amzn-Bedrock-PerformanceConfig-Latency"); it != request.end()) {
      response.set("X-Amzn-Bedrock-PerformanceConfig-Latency", it->value());
    }
    if (auto it = request.find("X-Amzn-Bedrock-Service-Tier"); it != request.end()) {
      response.set("X-Amzn-Bedrock-Service-Tier", it->value());
    }
  }

  std::string_view outcome_name = "Success";
  if (fault) outcome_name = to_string(fault->kind);
  const bool connection_fault = fault && !is_in_stream(fault->kind);
  if (streamed && !connection_fault && (behavior_.stream_token_ms() > 0 || fault)) {
    reply.stream = plan_stream(std::move(response.body()), behavior_.stream_gap(), fault);
    response.body().clear();
    response.chunked(true);
    reply.action = ReplyAction::Stream;
  } else {
    response.prepare_payload();
  }
  if (connection_fault) {
    reply.action = fault->kind == FaultKind::Drop       ? ReplyAction::Drop
                   : fault->kind == FaultKind::Truncate ? ReplyAction::Truncate
                                                        : ReplyAction::Stall;
  }
  counters_.record(call.model_id(), call.operation_name(), outcome_name, outcome->input_tokens,
                   outcome->output_tokens, is_sdk_retry(request));
  return reply;
}

}  // namespace bedrock::emulator
