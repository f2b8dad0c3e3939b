#include "bedrock/config/client_config.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "bedrock/core/ascii.h"
#include "bedrock/core/url_redaction.h"
#include "endpoint.h"

namespace bedrock::config {
namespace {

constexpr int kMaxAttemptsLimit = 100;
constexpr double kMaxTimeoutSeconds = 3600;

// A configured value and where it came from, so an error can point at it.
struct Setting {
  std::string value;
  std::string where;  // "AWS_RETRY_MODE", "/home/u/.aws/config:4 (retry_mode in profile 'dev')"
};

tl::unexpected<Error> invalid(const Setting& setting, std::string_view problem) {
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: {} \"{}\"", setting.where, problem,
                                                           redact_url_credentials(setting.value)));
}

class Sources {
 public:
  Sources(const Environment& env, const SharedFiles& files, std::string profile)
      : env_(env), files_(files), profile_(std::move(profile)) {}

  std::optional<Setting> env(std::string_view name) const {
    auto value = env_.non_empty(name);
    if (!value) return std::nullopt;
    return Setting{*value, std::string(name)};
  }

  std::optional<Setting> profile(std::string_view key) const {
    auto value = files_.get(profile_, key);
    if (!value || value->empty()) return std::nullopt;
    return Setting{*value, describe(key)};
  }

  // env first, then profile.
  std::optional<Setting> env_or_profile(std::string_view var, std::string_view key) const {
    if (auto s = env(var)) return s;
    return profile(key);
  }

  std::string describe(std::string_view key) const {
    std::string origin = files_.origin(profile_, key);
    if (origin.empty()) return fmt::format("{} in profile '{}'", key, profile_);
    return fmt::format("{} ({} in profile '{}')", origin, key, profile_);
  }

  const SharedFiles& files() const { return files_; }
  const std::string& profile_name() const { return profile_; }
  const Environment& environment() const { return env_; }

 private:
  const Environment& env_;
  const SharedFiles& files_;
  std::string profile_;
};

Result<bool> parse_bool(const Setting& s) {
  std::string lower = to_lower_ascii(s.value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return invalid(s, "expected true or false, got");
}

Result<bool> resolve_flag(std::optional<bool> explicit_value, const Sources& sources,
                          std::string_view var, std::string_view key) {
  if (explicit_value) return *explicit_value;
  auto s = sources.env_or_profile(var, key);
  if (!s) return false;
  return parse_bool(*s);
}

// http(s)://host[:port][/path]; returns it without trailing slashes and with a lower-case
// scheme.
Result<std::string> normalize_endpoint(const Setting& s) {
  const std::string& url = s.value;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f)
      return invalid(s, "endpoint URL contains whitespace or control bytes:");
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return invalid(s, "endpoint URL must start with http:// or https://, got");
  }
  std::string scheme = to_lower_ascii(std::string_view(url).substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return invalid(s, "endpoint URL must start with http:// or https://, got");
  }
  std::string_view rest = std::string_view(url).substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return invalid(s, "endpoint URL must not have a query or fragment:");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.empty()) return invalid(s, "endpoint URL has no host:");
  if (authority.find('@') != std::string_view::npos) {
    return invalid(s, "endpoint URL must not contain user-info:");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1)
      return invalid(s, "endpoint URL has a bad IPv6 host:");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(s, "endpoint URL has a bad IPv6 host:");
      port = after.substr(1);
      if (port.empty()) return invalid(s, "endpoint URL has an empty port:");
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return invalid(s, "endpoint URL has an empty port:");
  }
  if (host.empty()) return invalid(s, "endpoint URL has no host:");
  if (!port.empty()) {
    int number = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
      return invalid(s, "endpoint URL port must be 1..65535:");
    }
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return scheme + "://" + std::string(authority) + std::string(path);
}

struct ResolvedEndpoint {
  std::string url;
  std::optional<Setting> custom;  // where a custom endpoint came from
};

Result<ResolvedEndpoint> resolve_endpoint(const ClientOverrides& overrides, const Sources& sources,
                                          const std::string& region, bool fips, bool dualstack) {
  std::optional<Setting> custom;
  if (overrides.endpoint_url && !overrides.endpoint_url->empty()) {
    custom = Setting{*overrides.endpoint_url, "explicit endpoint URL"};
  } else {
    bool ignore = false;
    if (auto s = sources.env_or_profile("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                        "ignore_configured_endpoint_urls")) {
      auto parsed = parse_bool(*s);
      if (!parsed) return fail(parsed.error());
      ignore = *parsed;
    }
    if (!ignore) {
      custom = sources.env("AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
      if (!custom) custom = sources.env("AWS_ENDPOINT_URL");
      if (!custom) {
        if (auto section = sources.profile("services")) {
          // botocore InvalidConfigError: a dangling services reference is a configuration bug.
          auto it = sources.files().services.find(section->value);
          if (it == sources.files().services.end()) {
            return invalid(*section,
                           "the profile refers to a [services] section that does not exist:");
          }
          auto url = it->second.find("bedrock_runtime.endpoint_url");
          if (url != it->second.end() && !url->second.empty()) {
            std::string origin;
            if (auto o = sources.files().service_origins.find(section->value);
                o != sources.files().service_origins.end()) {
              if (auto k = o->second.find("bedrock_runtime.endpoint_url"); k != o->second.end()) {
                origin = k->second + " ";
              }
            }
            custom = Setting{url->second,
                             fmt::format("{}(bedrock_runtime.endpoint_url in [services {}])",
                                         origin, section->value)};
          }
        }
      }
      if (!custom) custom = sources.profile("endpoint_url");
    }
  }

  if (!custom) return ResolvedEndpoint{default_endpoint(region, fips, dualstack), std::nullopt};
  auto url = normalize_endpoint(*custom);
  if (!url) return fail(url.error());
  if (fips) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("Invalid Configuration: FIPS and custom endpoint are not supported "
                            "(endpoint from {})",
                            custom->where));
  }
  if (dualstack) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("Invalid Configuration: Dualstack and custom endpoint are not "
                            "supported (endpoint from {})",
                            custom->where));
  }
  return ResolvedEndpoint{*url, custom};
}

Result<int> parse_max_attempts(const Setting& s) {
  int value = 0;
  const char* begin = s.value.data();
  const char* end = begin + s.value.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value < 1 || value > kMaxAttemptsLimit) {
    return invalid(s, fmt::format("max attempts must be an integer 1..{}, got", kMaxAttemptsLimit));
  }
  return value;
}

Result<std::chrono::milliseconds> parse_timeout_seconds(const Setting& s) {
  double seconds = 0;
  const char* begin = s.value.data();
  const char* end = begin + s.value.size();
  auto [ptr, ec] = std::from_chars(begin, end, seconds);
  if (ec != std::errc() || ptr != end || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > kMaxTimeoutSeconds) {
    return invalid(s, "timeout must be a number of seconds in (0, 3600], got");
  }
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

Status check_positive(std::optional<std::chrono::milliseconds> value, std::string_view what) {
  if (value && value->count() <= 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("explicit {} must be positive, got {} ms", what, value->count()));
  }
  return {};
}

Result<std::string> resolve_ca_bundle(const ClientOverrides& overrides, const Sources& sources) {
  std::optional<Setting> s;
  if (overrides.ca_bundle && !overrides.ca_bundle->empty()) {
    s = Setting{*overrides.ca_bundle, "explicit CA bundle"};
  } else {
    s = sources.env_or_profile("AWS_CA_BUNDLE", "ca_bundle");
  }
  if (!s) return std::string();
  std::string path = s->value;
  if (path == "~" || path.rfind("~/", 0) == 0) {
    if (auto home = sources.environment().non_empty("HOME")) path = *home + path.substr(1);
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return invalid(*s, "CA bundle file does not exist or is not a regular file:");
  }
  return path;
}

}  // namespace

std::string_view to_string(RetryMode mode) {
  switch (mode) {
    case RetryMode::Standard:
      return "standard";
    case RetryMode::Adaptive:
      return "adaptive";
    case RetryMode::Legacy:
      return "legacy";
  }
  return "standard";
}

Result<RetryMode> parse_retry_mode(std::string_view text) {
  if (text == "standard") return RetryMode::Standard;
  if (text == "adaptive") return RetryMode::Adaptive;
  if (text == "legacy") return RetryMode::Legacy;
  return fail(
      ErrorCode::ConfigurationInvalid,
      fmt::format("invalid retry mode \"{}\" (expected standard, adaptive or legacy)", text));
}

Result<ClientConfig> resolve_client_config(const ClientOverrides& overrides,
                                           const Environment& env) {
  auto files = load_shared_files(env);
  if (!files) return fail(files.error());
  return resolve_client_config(overrides, env, *files);
}

Result<ClientConfig> resolve_client_config(const ClientOverrides& overrides, const Environment& env,
                                           const SharedFiles& files) {
  ClientConfig config;

  // Profile: botocore raises ProfileNotFound for a named profile that does not exist; only
  // the implicit "default" may be absent.
  std::string chosen_by;
  if (overrides.profile && !overrides.profile->empty()) {
    chosen_by = "explicitly";
  } else if (env.non_empty("AWS_DEFAULT_PROFILE")) {
    chosen_by = "by AWS_DEFAULT_PROFILE";
  } else if (env.non_empty("AWS_PROFILE")) {
    chosen_by = "by AWS_PROFILE";
  }
  config.profile = selected_profile(env, overrides.profile);
  if (!chosen_by.empty() && files.profile(config.profile) == nullptr) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("The config profile ({}) could not be found (selected {}; looked in "
                            "the shared config and credentials files)",
                            config.profile, chosen_by));
  }
  Sources sources(env, files, config.profile);

  // Region.
  std::optional<Setting> region;
  if (overrides.region && !overrides.region->empty()) {
    region = Setting{*overrides.region, "explicit region"};
  } else if (auto s = sources.env("AWS_REGION")) {
    region = s;
  } else {
    region = sources.env_or_profile("AWS_DEFAULT_REGION", "region");
  }
  if (!region) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("Invalid Configuration: Missing Region (set AWS_REGION, or region in "
                            "profile '{}', or pass a region explicitly)",
                            config.profile));
  }
  if (!is_valid_region_name(region->value)) {
    return invalid(*region, "region name does not match the AWS region format:");
  }
  config.region = region->value;

  // FIPS and dual-stack.
  auto fips = resolve_flag(overrides.use_fips_endpoint, sources, "AWS_USE_FIPS_ENDPOINT",
                           "use_fips_endpoint");
  if (!fips) return fail(fips.error());
  auto dualstack = resolve_flag(overrides.use_dualstack_endpoint, sources,
                                "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  if (!dualstack) return fail(dualstack.error());
  config.use_fips_endpoint = *fips;
  config.use_dualstack_endpoint = *dualstack;

  auto endpoint = resolve_endpoint(overrides, sources, config.region, *fips, *dualstack);
  if (!endpoint) return fail(endpoint.error());
  config.endpoint_url = std::move(endpoint->url);
  config.endpoint_is_custom = endpoint->custom.has_value();

  // Retry mode.
  if (overrides.retry_mode) {
    config.retry_mode = *overrides.retry_mode;
  } else if (auto s = sources.env_or_profile("AWS_RETRY_MODE", "retry_mode")) {
    auto mode = parse_retry_mode(s->value);
    if (!mode) return invalid(*s, "invalid retry mode (expected standard, adaptive or legacy):");
    config.retry_mode = *mode;
  }

  // Max attempts.
  if (overrides.max_attempts) {
    if (*overrides.max_attempts < 1 || *overrides.max_attempts > kMaxAttemptsLimit) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("explicit max attempts must be 1..{}, got {}", kMaxAttemptsLimit,
                              *overrides.max_attempts));
    }
    config.max_attempts = *overrides.max_attempts;
  } else if (auto s = sources.env_or_profile("AWS_MAX_ATTEMPTS", "max_attempts")) {
    auto attempts = parse_max_attempts(*s);
    if (!attempts) return fail(attempts.error());
    config.max_attempts = *attempts;
  } else {
    config.max_attempts = config.retry_mode == RetryMode::Legacy ? 5 : 3;
  }

  // CA bundle.
  auto ca = resolve_ca_bundle(overrides, sources);
  if (!ca) return fail(ca.error());
  config.ca_bundle = std::move(*ca);

  // Timeouts.
  if (auto ok = check_positive(overrides.connect_timeout, "connect timeout"); !ok) {
    return fail(ok.error());
  }
  if (auto ok = check_positive(overrides.read_timeout, "read timeout"); !ok) {
    return fail(ok.error());
  }
  if (overrides.connect_timeout) {
    config.connect_timeout = *overrides.connect_timeout;
  } else if (auto s = sources.profile("connect_timeout")) {
    auto t = parse_timeout_seconds(*s);
    if (!t) return fail(t.error());
    config.connect_timeout = *t;
  }
  if (overrides.read_timeout) {
    config.read_timeout = *overrides.read_timeout;
  } else if (auto s = sources.profile("read_timeout")) {
    auto t = parse_timeout_seconds(*s);
    if (!t) return fail(t.error());
    config.read_timeout = *t;
  }
  return config;
}

}  // namespace bedrock::config
