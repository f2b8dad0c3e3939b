#include "options.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "admin_api.h"
#include "bedrock/core/log.h"
#include "bedrock/models/registry.h"
#include "command_line_options.h"

namespace bedrock::emulator {
namespace {

Result<double> parse_non_negative(std::string_view flag, std::string_view whole,
                                  std::string_view text) {
  double v = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() || v < 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("{} '{}': expected [MODEL=]N with N >= 0", flag, whole));
  }
  return v;
}

Result<std::string> read_file(const std::string& path, std::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("{} {}: cannot read", flag, path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Status apply_behavior(const CommandLine& cl, Behavior& behavior) {
  // Latency and per-token rates combine per model, so collect them first.
  std::map<std::string, LatencySpec> latency;
  for (const auto& arg : cl.latency) {
    const auto scoped = split_model_scope(arg);
    auto spec = parse_latency(scoped.value);
    if (!spec)
      return fail(ErrorCode::ConfigurationInvalid, "--latency-ms: " + spec.error().message);
    const double per_token = latency[scoped.model].per_output_token_ms;
    latency[scoped.model] = *spec;
    latency[scoped.model].per_output_token_ms = per_token;
  }
  for (const auto& arg : cl.per_token) {
    const auto scoped = split_model_scope(arg);
    auto ms = parse_non_negative("--per-token-ms", arg, scoped.value);
    if (!ms) return fail(ms.error());
    latency[scoped.model].per_output_token_ms = *ms;
  }
  for (const auto& [model, spec] : latency) behavior.set_latency(model, spec);
  if (!(cl.stream_token_ms >= 0 && cl.stream_token_ms <= 60'000)) {
    return fail(ErrorCode::ConfigurationInvalid, "--stream-token-ms: 0 to 60000");
  }
  behavior.set_stream_token_ms(cl.stream_token_ms);

  for (const auto& arg : cl.faults) {
    const auto scoped = split_model_scope(arg, 1);
    auto fault = parse_fault(scoped.value);
    if (!fault) return fail(fault.error());
    if (fault->next_count > 0) {
      behavior.schedule_faults(scoped.model, fault->fault, fault->next_count);
    } else if (auto st = behavior.set_fault(scoped.model, fault->fault, fault->probability); !st) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--fault '{}': {}", arg, st.error().message));
    }
  }
  for (const auto& arg : cl.rpm) {
    const auto scoped = split_model_scope(arg);
    auto n = parse_non_negative("--rpm", arg, scoped.value);
    if (!n) return fail(n.error());
    behavior.set_requests_per_minute(scoped.model, *n);
  }
  for (const auto& arg : cl.tpm) {
    const auto scoped = split_model_scope(arg);
    auto n = parse_non_negative("--tpm", arg, scoped.value);
    if (!n) return fail(n.error());
    behavior.set_tokens_per_minute(scoped.model, *n);
  }
  if (!cl.config_file.empty()) {
    auto text = read_file(cl.config_file, "--config");
    if (!text) return fail(text.error());
    if (auto st = apply_config_json(behavior, *text); !st) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--config {}: {}", cl.config_file, st.error().message));
    }
  }
  return {};
}

}  // namespace

ModelScoped split_model_scope(std::string_view text, int values_with_equals) {
  int equals = 0;
  for (char c : text) equals += c == '=' ? 1 : 0;
  if (equals <= values_with_equals) return {std::string(), std::string(text)};
  const auto eq = text.find('=');
  std::string model(text.substr(0, eq));
  if (model == "*") model.clear();
  return {std::move(model), std::string(text.substr(eq + 1))};
}

Result<ServerOptions> server_options(const CommandLine& cl) {
  ServerOptions options;
  options.host = cl.host;
  options.admin_host = cl.admin_host;
  options.admin_token = cl.admin_token;
  if (!cl.admin_token.empty() && cl.admin_token.size() < 16) {
    return fail(ErrorCode::ConfigurationInvalid, "--admin-token: at least 16 characters");
  }
  if (cl.max_pending_body_mb < 1 || cl.max_pending_body_mb > (std::size_t{1} << 20)) {
    return fail(ErrorCode::ConfigurationInvalid, "--max-pending-body-mb: 1 to 1048576");
  }
  options.max_pending_body_bytes = cl.max_pending_body_mb << 20;
  options.port = cl.port;
  if (cl.admin_port >= 0) {
    if (cl.admin_port > 65535)
      return fail(ErrorCode::ConfigurationInvalid, "--admin-port: 0-65535");
    options.admin_port = static_cast<std::uint16_t>(cl.admin_port);
  }
  if (cl.threads < 0 || cl.threads > 256) {
    return fail(ErrorCode::ConfigurationInvalid, "--threads: 0 (one per core) to 256");
  }
  options.threads = cl.threads;
  if (cl.max_connections < 1) {
    return fail(ErrorCode::ConfigurationInvalid, "--max-connections: at least 1");
  }
  options.max_connections = cl.max_connections;
  if (cl.idle_timeout_s < 1 || cl.stall_timeout_s < 1 || cl.drain_timeout_ms < 0 ||
      cl.max_clock_skew_s < 1) {
    return fail(ErrorCode::ConfigurationInvalid,
                "--idle-timeout, --stall-timeout and --max-clock-skew must be >= 1, "
                "--drain-timeout >= 0");
  }
  options.idle_timeout = std::chrono::seconds(cl.idle_timeout_s);
  options.stall_timeout = std::chrono::seconds(cl.stall_timeout_s);
  options.seed = cl.seed;
  return options;
}

Result<BuiltEmulator> build_emulator(const CommandLine& cl) {
  auto server = server_options(cl);
  if (!server) return fail(server.error());
  ServerOptions options = std::move(*server);
  if (!options.admin_token.empty()) register_secret(options.admin_token);

  options.auth.enabled = !cl.no_auth;
  options.auth.region = cl.region;
  options.auth.max_clock_skew = std::chrono::seconds(cl.max_clock_skew_s);
  options.auth.api_keys = cl.api_keys;
  for (const auto& text : cl.credentials) {
    auto c = parse_credential(text);
    if (!c) return fail(c.error());
    options.auth.credentials.push_back(std::move(*c));
  }
  if (!cl.credentials_file.empty()) {
    auto list = load_credentials_file(cl.credentials_file);
    if (!list) return fail(list.error());
    for (auto& c : *list) options.auth.credentials.push_back(std::move(c));
  }
  for (const auto& c : options.auth.credentials) {
    register_secret(c.secret_access_key);
    if (!c.session_token.empty()) register_secret(c.session_token);
  }
  for (const auto& k : options.auth.api_keys) register_secret(k);
  if (options.auth.enabled && options.auth.credentials.empty() && options.auth.api_keys.empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                "no credentials: pass --credentials AK:SK, --credentials-file, --api-key, or "
                "--no-auth");
  }
  if (!cl.fixtures_file.empty()) {
    auto fixtures = Fixtures::load(cl.fixtures_file);
    if (!fixtures) return fail(fixtures.error());
    options.fixtures = std::move(*fixtures);
  }
  for (const auto& id : cl.models) {
    auto resolved = models::ModelRegistry::builtin().resolve(id);
    if (!resolved || !resolved->geo_prefix.empty() || !resolved->arn_resource.empty()) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--model '{}': expected a plain model id whose provider prefix is "
                              "known (e.g. anthropic.claude-opus-9-20300101-v1:0)",
                              id));
    }
    options.fixtures.add_model(resolved->base_id);
  }

  BuiltEmulator built;
  built.emulator = std::make_unique<Emulator>(std::move(options));
  if (auto st = apply_behavior(cl, built.emulator->behavior()); !st) return fail(st.error());
  return built;
}

}  // namespace bedrock::emulator
