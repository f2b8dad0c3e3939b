#include "bedrock/credentials/imds_provider.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "bedrock/core/json_nesting.h"
#include "bedrock/core/log.h"
#include "bedrock/core/url_redaction.h"
#include "bedrock/http/url.h"
#include "credential_support.h"
#include "http_support.h"
#include "time_format.h"

namespace bedrock::credentials {
namespace {

constexpr std::string_view kIpv4Endpoint = "http://169.254.169.254";
constexpr std::string_view kIpv6Endpoint = "http://[fd00:ec2::254]";
constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolePath = "/latest/meta-data/iam/security-credentials/";
// Six hours, the maximum and what botocore asks for.
constexpr std::string_view kTokenTtlSeconds = "21600";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// A setting from the environment variable, else the profile key; `origin` names where it was.
struct Setting {
  std::string value;
  std::string origin;
};
std::optional<Setting> lookup(const Environment& env, const ProfileSources* sources,
                              std::string_view variable, std::string_view key) {
  if (auto v = env.non_empty(variable)) return Setting{*v, std::string(variable)};
  if (sources != nullptr) {
    if (auto v = sources->get(key); v && !v->empty()) {
      std::string origin = sources->merged.origin(sources->profile, key);
      return Setting{*v, origin.empty() ? std::string(key) : fmt::format("{} ({})", key, origin)};
    }
  }
  return std::nullopt;
}

struct Fetched {
  std::optional<http::Response> response;  // the last response, if any
  std::optional<Error> error;              // the last transport error, if the last try failed
};

// Static stability (docs/wire-protocol.md §5.5 step 4, botocore InstanceMetadataFetcher): during an
// IMDS outage EC2 keeps serving the last credentials, whose expiration may be near or past while
// the service still honours them. Without this every call would re-fetch (the refresh window
// is 15 min); instead such credentials are treated as valid for 15 min plus a 2-10 min spread,
// so refreshes are retried every few minutes rather than on every request.
void extend_for_static_stability(Credentials& creds, WallTime now) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  static std::atomic<uint64_t> counter{0};
  // The spread only needs to differ between processes and refreshes, not be unpredictable.
  uint64_t mix = static_cast<uint64_t>(now.time_since_epoch().count()) ^
                 (counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL) ^ static_cast<uint64_t>(::getpid());
  seconds spread = seconds{120 + static_cast<int64_t>(mix % 481)};
  WallTime floor = now + minutes{15} + spread;
  if (creds.expiration && *creds.expiration < floor) {
    logger()->warn(
        "EC2 instance metadata credentials expire at {}; treating them as valid until {} so "
        "requests keep working while the metadata service refreshes them",
        cred_detail::format_iso8601(*creds.expiration), cred_detail::format_iso8601(floor));
    creds.expiration = floor;
  }
}

}  // namespace

Result<ImdsSettings> resolve_imds_settings(const Environment& env, const ProfileSources* sources) {
  ImdsSettings settings;
  if (auto disabled = env.non_empty("AWS_EC2_METADATA_DISABLED")) {
    settings.disabled = lower(*disabled) == "true";
  }
  if (auto timeout =
          lookup(env, sources, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")) {
    double seconds = 0;
    const char* begin = timeout->value.data();
    const char* end = begin + timeout->value.size();
    auto [ptr, ec] = std::from_chars(begin, end, seconds);
    if (ec != std::errc() || ptr != end || !std::isfinite(seconds) || seconds <= 0 ||
        seconds > 3600) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{} = '{}' is not a number of seconds between 0 and 3600",
                              timeout->origin, timeout->value));
    }
    settings.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  }
  if (auto attempts = lookup(env, sources, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                             "metadata_service_num_attempts")) {
    int n = 0;
    const char* begin = attempts->value.data();
    const char* end = begin + attempts->value.size();
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec != std::errc() || ptr != end || n < 1 || n > 20) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{} = '{}' is not a whole number of attempts between 1 and 20",
                              attempts->origin, attempts->value));
    }
    settings.attempts = n;
  }
  std::string mode = "ipv4";
  if (auto m = lookup(env, sources, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                      "ec2_metadata_service_endpoint_mode")) {
    mode = lower(m->value);
    if (mode != "ipv4" && mode != "ipv6") {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{} = '{}' must be ipv4 or ipv6", m->origin, m->value));
    }
  } else if (auto legacy = env.non_empty("AWS_IMDS_USE_IPV6"); legacy && lower(*legacy) == "true") {
    mode = "ipv6";
  }
  settings.endpoint = std::string(mode == "ipv6" ? kIpv6Endpoint : kIpv4Endpoint);
  if (auto endpoint = lookup(env, sources, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                             "ec2_metadata_service_endpoint")) {
    if (auto parts = http::parse_url(endpoint->value); !parts) {
      return fail(ErrorCode::ConfigurationInvalid,
                  redact_url_credentials(fmt::format("{} = '{}': {}", endpoint->origin,
                                                     endpoint->value, parts.error().message)));
    }
    settings.endpoint = endpoint->value;
    while (!settings.endpoint.empty() && settings.endpoint.back() == '/') {
      settings.endpoint.pop_back();
    }
  }
  return settings;
}

Result<Credentials> ImdsProvider::get() {
  auto settings = resolve_imds_settings(*context_.env, sources_.get());
  if (!settings) return fail(settings.error());
  if (settings->disabled) {
    return cred_detail::not_configured(
        "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
  }
  if (!context_.transport) {
    return fail(ErrorCode::ConfigurationInvalid,
                "EC2 instance metadata needs an HTTP transport and none was set");
  }
  const std::string& base = settings->endpoint;
  const std::string shown_base = redact_url_credentials(base);  // what messages show
  const std::string timeout_text = cred_detail::describe_duration(settings->timeout);

  // One request, retried up to `attempts` times while `retry` says so.
  auto fetch = [&](std::string method, std::string_view path, http::Headers headers,
                   auto retry) -> Fetched {
    Fetched out;
    for (int attempt = 1; attempt <= settings->attempts; ++attempt) {
      http::Request request;
      request.method = method;
      request.url = base + std::string(path);
      request.headers = headers;
      auto response =
          context_.transport->send(request, cred_detail::bounded_call(settings->timeout));
      if (response) {
        out.response = std::move(*response);
        out.error.reset();
        if (!retry(*out.response)) break;
      } else {
        out.error = response.error();
        out.response.reset();
      }
    }
    return out;
  };

  // 1. Session token. Any status but 200 or 5xx will not change on retry.
  Fetched token = fetch("PUT", kTokenPath,
                        {{"x-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds)}},
                        [](const http::Response& r) { return r.status >= 500; });
  if (token.error) {
    // Not on EC2 (or IMDS blocked): the usual case on a laptop, so "not configured".
    return cred_detail::not_configured(
        fmt::format("EC2 instance metadata (no answer from {} within {}: {})", shown_base,
                    timeout_text, token.error->message));
  }
  if (token.response->status != 200 || trim(token.response->body).empty()) {
    return cred_detail::not_configured(fmt::format(
        "EC2 instance metadata (IMDSv2 token request to {} answered HTTP {}; IMDSv1 is not used)",
        shown_base, token.response->status));
  }
  const std::string session_token = trim(token.response->body);
  register_secret(session_token);
  const http::Headers auth = {{"x-aws-ec2-metadata-token", session_token}};
  auto retry_unless_ok = [](const http::Response& r) {
    return r.status != 200 || trim(r.body).empty();
  };

  // 2. Role name.
  Fetched role = fetch("GET", kRolePath, auth, retry_unless_ok);
  if (role.error) {
    Error e = *role.error;
    e.message = fmt::format("EC2 instance metadata role lookup at {}: {}", shown_base, e.message);
    return fail(std::move(e));
  }
  if (role.response->status == 404) {
    return cred_detail::not_configured(fmt::format(
        "EC2 instance metadata (no IAM role attached to the instance at {})", shown_base));
  }
  std::string role_name = trim(role.response->body);
  if (role.response->status != 200 || role_name.empty()) {
    Error e = Error::make(ErrorCode::InvalidResponse,
                          fmt::format("EC2 instance metadata role lookup at {} answered HTTP {}",
                                      shown_base, role.response->status));
    e.http_status = role.response->status;
    return fail(std::move(e));
  }
  role_name = role_name.substr(0, role_name.find('\n'));

  // 3. The role's credentials.
  Fetched creds = fetch(
      "GET", fmt::format("{}{}", kRolePath, role_name), auth,
      [](const http::Response& r) { return r.status != 200 || !nlohmann::json::accept(r.body); });
  const std::string what =
      fmt::format("EC2 instance metadata for role {} at {}", role_name, shown_base);
  if (creds.error) {
    Error e = *creds.error;
    e.message = fmt::format("{}: {}", what, e.message);
    return fail(std::move(e));
  }
  const http::Response& response = *creds.response;
  if (response.status != 200) {
    Error e = Error::make(ErrorCode::InvalidResponse,
                          fmt::format("{} answered HTTP {}: {}", what, response.status,
                                      cred_detail::snippet(response.body)));
    e.http_status = response.status;
    return fail(std::move(e));
  }
  // The body is refused before parsing when nested deeper than any credential document: the
  // error path below dumps parts of it, and dump() recurses once per level.
  if (json_nesting_exceeds(response.body)) {
    return fail(
        ErrorCode::InvalidResponse,
        fmt::format("{} returned JSON nested deeper than {} levels", what, kMaxJsonNesting));
  }
  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, false);
  if (doc.is_object() && !doc.contains("AccessKeyId") && doc.contains("Code") &&
      doc.contains("Message")) {
    // IMDS reports problems such as a removed role as a 200 with Code and Message.
    return fail(
        ErrorCode::InvalidResponse,
        fmt::format("{} returned an error instead of credentials: {}: {}", what,
                    doc["Code"].is_string() ? doc["Code"].get<std::string>() : doc["Code"].dump(),
                    doc["Message"].is_string() ? doc["Message"].get<std::string>()
                                               : doc["Message"].dump()));
  }
  auto result = cred_detail::credentials_from_json(
      response.body, cred_detail::JsonCredentialShape{}, what, "imds");
  if (result) extend_for_static_stability(*result, context_.clock->wall());
  return result;
}

}  // namespace bedrock::credentials
