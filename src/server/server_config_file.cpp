#include "server/server_config_file.h"

#include <fmt/format.h>

#include <sstream>
#include <toml.hpp>

#include "bedrock/core/log.h"
#include "server/api_keys.h"

namespace bedrock::server {

namespace {

using Table = toml::value::table_type;

tl::unexpected<Error> invalid(std::string_view origin, std::string_view key, std::string what) {
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: server.{}: {}", origin, key, what));
}

Result<long long> integer(const toml::value& v, std::string_view origin, std::string_view key,
                          long long lo, long long hi) {
  if (!v.is_integer()) return invalid(origin, key, "expected an integer");
  const long long n = v.as_integer();
  if (n < lo || n > hi)
    return invalid(origin, key, fmt::format("must be {}..{}, got {}", lo, hi, n));
  return n;
}

Result<std::chrono::milliseconds> seconds(const toml::value& v, std::string_view origin,
                                          std::string_view key, double lo, double hi) {
  double d = 0;
  if (v.is_floating()) {
    d = v.as_floating();
  } else if (v.is_integer()) {
    d = static_cast<double>(v.as_integer());
  } else {
    return invalid(origin, key, "expected a number of seconds");
  }
  if (!(d >= lo && d <= hi)) return invalid(origin, key, fmt::format("must be {}..{}", lo, hi));
  return std::chrono::milliseconds(static_cast<long long>(d * 1000));
}

Result<std::string> string(const toml::value& v, std::string_view origin, std::string_view key) {
  if (!v.is_string()) return invalid(origin, key, "expected a string");
  std::string s = v.as_string().str;
  if (s.empty()) return invalid(origin, key, "must not be empty");
  return s;
}

Status apply_key(ServerConfig& c, const toml::value& v, std::string_view origin, std::size_t n) {
  const std::string where = fmt::format("api_keys[{}]", n);
  if (!v.is_table()) return invalid(origin, where, "expected a table {id, sha256, ...}");
  ApiKey key;
  bool has_hash = false;
  for (const auto& [name, value] : v.as_table()) {
    const std::string path = where + "." + name;
    if (name == "id") {
      auto s = string(value, origin, path);
      if (!s) return fail(s.error());
      key.id = *s;
    } else if (name == "sha256") {
      auto s = string(value, origin, path);
      if (!s) return fail(s.error());
      auto digest = parse_sha256_hex(*s);
      if (!digest) return invalid(origin, path, digest.error().message);
      key.sha256 = *digest;
      has_hash = true;
    } else if (name == "max_concurrency") {
      auto i = integer(value, origin, path, 0, 1'000'000);
      if (!i) return fail(i.error());
      key.max_concurrency = static_cast<int>(*i);
    } else if (name == "requests_per_minute") {
      auto i = integer(value, origin, path, 0, 100'000'000);
      if (!i) return fail(i.error());
      key.requests_per_minute = static_cast<int>(*i);
    } else {
      return invalid(origin, path,
                     "unknown key (id, sha256, max_concurrency, requests_per_minute)");
    }
  }
  if (!has_hash) return invalid(origin, where, "sha256 is required (the key's SHA-256, hex)");
  if (key.id.empty()) key.id = to_hex(key.sha256).substr(0, 8);
  c.api_keys.push_back(std::move(key));
  return {};
}

Status apply_jobs(JobsConfig& j, const toml::value& table, std::string_view origin) {
  if (!table.is_table()) return invalid(origin, "jobs", "expected a table [server.jobs]");
  for (const auto& entry : table.as_table()) {
    const std::string key = "jobs." + entry.first;
    const auto& v = entry.second;
    if (entry.first == "url") {
      auto u = string(v, origin, key);
      if (!u) return fail(u.error());
      j.url = *u;
    } else if (entry.first == "workers") {
      auto i = integer(v, origin, key, 1, 100'000);
      if (!i) return fail(i.error());
      j.workers = static_cast<int>(*i);
    } else if (entry.first == "max_queued") {
      auto i = integer(v, origin, key, 1, 100'000'000);
      if (!i) return fail(i.error());
      j.max_queued = static_cast<std::size_t>(*i);
    } else if (entry.first == "lease_seconds") {
      auto d = seconds(v, origin, key, 1, 3600);
      if (!d) return fail(d.error());
      j.lease = *d;
    } else if (entry.first == "poll_seconds") {
      auto d = seconds(v, origin, key, 0.01, 60);
      if (!d) return fail(d.error());
      j.poll = *d;
    } else if (entry.first == "retention_hours") {
      auto i = integer(v, origin, key, 1, 24 * 3650);
      if (!i) return fail(i.error());
      j.retention = std::chrono::hours(*i);
    } else if (entry.first == "store_threads") {
      auto i = integer(v, origin, key, 0, 64);
      if (!i) return fail(i.error());
      j.store_threads = static_cast<int>(*i);
    } else {
      return invalid(origin, key,
                     "unknown key (url, workers, max_queued, lease_seconds, poll_seconds, "
                     "retention_hours, store_threads)");
    }
  }
  return {};
}

Status apply(ServerConfig& c, const Table& t, std::string_view origin) {
  for (const auto& entry : t) {
    // Named references, not a structured binding: clang 14 cannot capture bindings in lambdas.
    const auto& key = entry.first;
    const auto& v = entry.second;
    auto set_int = [&](auto& field, long long lo, long long hi) -> Status {
      auto i = integer(v, origin, key, lo, hi);
      if (!i) return fail(i.error());
      field = static_cast<std::remove_reference_t<decltype(field)>>(*i);
      return {};
    };
    auto set_seconds = [&](std::chrono::milliseconds& field, double lo, double hi) -> Status {
      auto d = seconds(v, origin, key, lo, hi);
      if (!d) return fail(d.error());
      field = *d;
      return {};
    };
    Status s;
    if (key == "host") {
      auto h = string(v, origin, key);
      if (!h) return fail(h.error());
      c.host = *h;
    } else if (key == "threads") {
      s = set_int(c.threads, 0, 1024);
    } else if (key == "upstream_threads") {
      s = set_int(c.upstream_threads, 1, 64);
    } else if (key == "busy_poll_us") {
      long long us = 0;
      s = set_int(us, 0, 10'000);
      if (s) c.busy_poll = std::chrono::microseconds(us);
    } else if (key == "max_body_bytes") {
      s = set_int(c.max_body_bytes, 1024, 1LL << 30);
    } else if (key == "max_connections") {
      s = set_int(c.max_connections, 1, 1'000'000);
    } else if (key == "max_in_flight") {
      s = set_int(c.max_in_flight, 1, 1'000'000);
    } else if (key == "header_timeout_seconds") {
      s = set_seconds(c.header_timeout, 0.05, 3600);
    } else if (key == "idle_timeout_seconds") {
      s = set_seconds(c.idle_timeout, 0.05, 3600);
    } else if (key == "request_timeout_seconds") {
      s = set_seconds(c.request_timeout, 0.05, 3600);
    } else if (key == "drain_grace_seconds") {
      s = set_seconds(c.drain_grace, 0, 3600);
    } else if (key == "retry_after_seconds") {
      long long n = 0;
      s = set_int(n, 1, 3600);
      c.retry_after = std::chrono::seconds(n);
    } else if (key == "access_log") {
      if (!v.is_boolean()) return invalid(origin, key, "expected true or false");
      c.access_log = v.as_boolean();
    } else if (key == "models") {
      if (!v.is_array()) return invalid(origin, key, "expected an array of model names");
      c.allowed_models.clear();
      for (const auto& item : v.as_array()) {
        auto m = string(item, origin, key);
        if (!m) return fail(m.error());
        c.allowed_models.push_back(*m);
      }
    } else if (key == "model_aliases") {
      if (!v.is_table()) return invalid(origin, key, "expected a table alias = \"model id\"");
      for (const auto& [alias, model] : v.as_table()) {
        auto m = string(model, origin, "model_aliases." + alias);
        if (!m) return fail(m.error());
        c.model_aliases[alias] = *m;
      }
    } else if (key == "state_dir") {
      auto d = string(v, origin, key);
      if (!d) return fail(d.error());
      c.state_dir = *d;
    } else if (key == "jobs") {
      s = apply_jobs(c.jobs, v, origin);
    } else if (key == "api_keys") {
      if (!v.is_array()) return invalid(origin, key, "expected [[server.api_keys]] tables");
      std::size_t n = 0;
      for (const auto& item : v.as_array()) {
        if (auto k = apply_key(c, item, origin, n++); !k) return fail(k.error());
      }
    } else {
      return invalid(origin, key, "unknown key");
    }
    if (!s) return fail(s.error());
  }
  return {};
}

}  // namespace

Status apply_server_table(ServerConfig& config, std::string_view toml_text,
                          std::string_view origin) {
  toml::value root;
  try {
    std::istringstream in{std::string(toml_text)};
    root = toml::parse(in, std::string(origin));
  } catch (const std::exception& e) {
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: {}", origin, e.what()));
  }
  if (!root.is_table()) return {};
  const auto& top = root.as_table();
  auto it = top.find("server");
  if (it == top.end()) return {};
  if (!it->second.is_table()) return invalid(origin, "", "[server] must be a table");
  return apply(config, it->second.as_table(), origin);
}

Status add_environment_keys(ServerConfig& config, const Environment& env) {
  auto value = env.get(kApiKeysVariable);
  if (!value) return {};
  std::size_t n = 0;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view key = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.remove_prefix(1);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
    if (key.empty()) continue;
    ++n;
    if (key.size() < kMinApiKeyLength) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{}: key {} is shorter than {} characters", kApiKeysVariable, n,
                              kMinApiKeyLength));
    }
    register_secret(key);
    ApiKey k;
    k.id = fmt::format("env-{}", n);
    k.sha256 = sha256(key);
    config.api_keys.push_back(std::move(k));
  }
  return {};
}

}  // namespace bedrock::server
