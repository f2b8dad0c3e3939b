#include "admin_api.h"

#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"

namespace bedrock::emulator {
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

std::string model_of(const json& body) {
  if (auto it = body.find("model"); it != body.end() && it->is_string()) {
    return it->get<std::string>();
  }
  return {};
}

// Every member is type-checked before use: nlohmann's get<>() and value() throw type_error
// on a mismatch, and a wrong type must be a 400 naming the member, not an exception.
Status check_model(const json& body) {
  if (auto it = body.find("model"); it != body.end() && !it->is_string()) {
    return fail(ErrorCode::ConfigurationInvalid, "model: expected a string");
  }
  return {};
}

Status apply_next(Behavior& behavior, const std::string& model, const json& next) {
  if (!next.is_object() || !next.contains("kind") || !next["kind"].is_string() ||
      !next.contains("count") || !next["count"].is_number_integer()) {
    return fail(ErrorCode::ConfigurationInvalid,
                "next: expected {\"kind\": \"<FaultKind>\", \"count\": N}");
  }
  auto fault = parse_fault_spec(next["kind"].get<std::string>());
  if (!fault) return fail(fault.error());
  // get<int>() would wrap 99999999999 silently; nlohmann keeps non-negative integers unsigned.
  constexpr std::uint64_t kMaxCount = 1'000'000'000;
  const json& count = next["count"];
  if (!count.is_number_unsigned() || count.get<std::uint64_t>() < 1 ||
      count.get<std::uint64_t>() > kMaxCount) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("next: count must be 1 to {}", kMaxCount));
  }
  behavior.schedule_faults(model, *fault, static_cast<int>(count.get<std::uint64_t>()));
  return {};
}

Status apply_faults(Behavior& behavior, const json& body) {
  if (!body.is_object()) return fail(ErrorCode::ConfigurationInvalid, "faults: expected object");
  if (auto st = check_model(body); !st) return st;
  const std::string model = model_of(body);
  if (auto it = body.find("clear"); it != body.end() && !it->is_boolean()) {
    return fail(ErrorCode::ConfigurationInvalid, "clear: expected true or false");
  }
  if (body.value("clear", false)) behavior.clear_faults(model);
  if (auto it = body.find("faults"); it != body.end()) {
    if (!it->is_object()) {
      return fail(ErrorCode::ConfigurationInvalid, "faults: expected {\"<Kind>\": p, ...}");
    }
    // Validate everything before changing anything, so a bad entry leaves the table intact.
    FaultTable table;
    for (const auto& [name, p] : it->items()) {
      auto fault = parse_fault_spec(name);
      if (!fault) return fail(fault.error());
      if (!p.is_number()) {
        return fail(ErrorCode::ConfigurationInvalid,
                    fmt::format("fault '{}': probability must be a number", name));
      }
      if (auto st = table.set(*fault, p.get<double>()); !st) return st;
    }
    behavior.clear_faults(model);
    for (std::size_t i = 0; i < kFaultKindCount; ++i) {
      const auto kind = static_cast<FaultKind>(i);
      if (table.get(kind) > 0) {
        if (auto st = behavior.set_fault(model, table.fault(kind), table.get(kind)); !st) {
          return st;
        }
      }
    }
  }
  if (auto it = body.find("next"); it != body.end()) {
    if (it->is_array()) {
      for (const auto& n : *it) {
        if (auto st = apply_next(behavior, model, n); !st) return st;
      }
    } else if (auto st = apply_next(behavior, model, *it); !st) {
      return st;
    }
  }
  return {};
}

Status apply_latency(Behavior& behavior, const json& body) {
  if (!body.is_object()) return fail(ErrorCode::ConfigurationInvalid, "latency: expected object");
  if (auto st = check_model(body); !st) return st;
  if (auto it = body.find("stream_token_ms"); it != body.end()) {
    if (!it->is_number() || !(it->get<double>() >= 0) || it->get<double>() > 60'000) {
      return fail(ErrorCode::ConfigurationInvalid, "stream_token_ms: number from 0 to 60000");
    }
    if (!model_of(body).empty() && model_of(body) != "*") {
      return fail(ErrorCode::ConfigurationInvalid, "stream_token_ms: global only (no model)");
    }
    behavior.set_stream_token_ms(it->get<double>());
    // Alone, it leaves the latency as it was.
    if (!body.contains("latency_ms") && !body.contains("per_token_ms")) return {};
  }
  LatencySpec spec;
  if (auto it = body.find("latency_ms"); it != body.end()) {
    std::string text;
    if (it->is_number()) {
      text = fmt::format("{}", it->get<double>());
    } else if (it->is_string()) {
      text = it->get<std::string>();
    } else {
      return fail(ErrorCode::ConfigurationInvalid, "latency_ms: number or string");
    }
    auto parsed = parse_latency(text);
    if (!parsed) return fail(parsed.error());
    spec = *parsed;
  }
  if (auto it = body.find("per_token_ms"); it != body.end()) {
    if (!it->is_number() || it->get<double>() < 0) {
      return fail(ErrorCode::ConfigurationInvalid, "per_token_ms: non-negative number");
    }
    spec.per_output_token_ms = it->get<double>();
  }
  behavior.set_latency(model_of(body), spec);
  return {};
}

Status apply_quotas(Behavior& behavior, const json& body) {
  if (!body.is_object()) return fail(ErrorCode::ConfigurationInvalid, "quotas: expected object");
  if (auto st = check_model(body); !st) return st;
  const std::string model = model_of(body);
  for (const char* key : {"rpm", "tpm"}) {
    auto it = body.find(key);
    if (it == body.end()) continue;
    if (!it->is_number() || it->get<double>() < 0) {
      return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: non-negative number", key));
    }
  }
  if (body.contains("rpm")) behavior.set_requests_per_minute(model, body["rpm"].get<double>());
  if (body.contains("tpm")) behavior.set_tokens_per_minute(model, body["tpm"].get<double>());
  return {};
}

template <typename Fn>
Status for_each_body(const json& section, Fn fn) {
  if (section.is_array()) {
    for (const auto& body : section) {
      if (auto st = fn(body); !st) return st;
    }
    return {};
  }
  return fn(section);
}

Reply json_reply(http::status status, std::string body) {
  Reply reply;
  reply.response.result(status);
  reply.response.version(11);
  reply.response.set(http::field::content_type, "application/json");
  reply.response.body() = std::move(body);
  reply.response.prepare_payload();
  return reply;
}

Reply error_reply(http::status status, std::string_view message) {
  // Messages echo the request path and model names: outside bytes, maybe not UTF-8.
  return json_reply(
      status, json{{"message", message}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

Reply AdminApi::handle(const HttpRequest& request) const {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const bool get = request.method() == http::verb::get;
  const bool post = request.method() == http::verb::post;
  if (get && path == "/admin/health") return json_reply(http::status::ok, R"({"status":"ok"})");
  if (get && path == "/admin/counters") return json_reply(http::status::ok, counters_.to_json());
  if (get && path == "/admin/config") {
    return json_reply(http::status::ok, behavior_.describe_json());
  }
  if (post && path == "/admin/reset") {
    counters_.reset();
    behavior_.reset();
    return json_reply(http::status::ok, R"({"ok":true})");
  }
  using Apply = Status (*)(Behavior&, const json&);
  Apply apply = nullptr;
  if (post && path == "/admin/faults") apply = apply_faults;
  if (post && path == "/admin/latency") apply = apply_latency;
  if (post && path == "/admin/quotas") apply = apply_quotas;
  if (apply == nullptr) {
    return error_reply(
        http::status::not_found,
        fmt::format("no admin route {} {}", std::string(request.method_string()), path));
  }
  if (json_nesting_exceeds(request.body())) {
    return error_reply(http::status::bad_request,
                       fmt::format("body nests deeper than {} levels", kMaxJsonNesting));
  }
  const json body = json::parse(request.body(), nullptr, false);
  if (body.is_discarded()) return error_reply(http::status::bad_request, "body is not JSON");
  if (auto st = for_each_body(body, [&](const json& b) { return apply(behavior_, b); }); !st) {
    return error_reply(http::status::bad_request, st.error().message);
  }
  return json_reply(http::status::ok, behavior_.describe_json());
}

Status apply_config_json(Behavior& behavior, std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail(ErrorCode::ConfigurationInvalid, "config: expected a JSON object");
  }
  for (const auto& [key, section] : doc.items()) {
    Status st;
    if (key == "faults") {
      st = for_each_body(section, [&](const json& b) { return apply_faults(behavior, b); });
    } else if (key == "latency") {
      st = for_each_body(section, [&](const json& b) { return apply_latency(behavior, b); });
    } else if (key == "quotas") {
      st = for_each_body(section, [&](const json& b) { return apply_quotas(behavior, b); });
    } else {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("config: unknown section '{}' (faults, latency, quotas)", key));
    }
    if (!st) return fail(ErrorCode::ConfigurationInvalid, "config: " + st.error().message);
  }
  return {};
}

}  // namespace bedrock::emulator
