#include "auth_verifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "bedrock/auth/bearer.h"
#include "bedrock/auth/sigv4.h"

namespace bedrock::emulator {
namespace http = boost::beast::http;
namespace sigv4 = auth::sigv4;
namespace {

AuthFailure failure(std::string_view type, std::string message) {
  return AuthFailure{std::string(type), std::move(message)};
}

AuthFailure bad_signature() {
  return failure("InvalidSignatureException",
                 "The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.");
}

AuthFailure invalid_token() {
  return failure("UnrecognizedClientException",
                 "The security token included in the request is invalid.");
}

// "20240115T120000Z" -> time point; nullopt when malformed.
std::optional<WallTime> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto num = [&s](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  std::tm tm{};
  int year = 0, mon = 0;
  if (!num(0, 4, year) || !num(4, 2, mon) || !num(6, 2, tm.tm_mday) || !num(9, 2, tm.tm_hour) ||
      !num(11, 2, tm.tm_min) || !num(13, 2, tm.tm_sec)) {
    return std::nullopt;
  }
  if (mon < 1 || mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  // WallTime counts nanoseconds in 64 bits (years 1678-2261): a year outside that overflowed
  // (UB, found by fuzz/auth_verifier). Any year this far off fails the skew check either way.
  year = std::clamp(year, 1970, 2200);
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  const std::time_t t = ::timegm(&tm);
  return std::chrono::system_clock::from_time_t(t);
}

std::optional<AuthFailure> check_skew(WallTime signed_at, WallTime now, std::chrono::seconds window,
                                      std::string_view amz_date) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(window).count();
  if (signed_at + window < now) {
    return failure(
        "InvalidSignatureException",
        fmt::format("Signature expired: {} is now earlier than {} ({} - {} min.)", amz_date,
                    sigv4::amz_date(now - window), sigv4::amz_date(now), minutes));
  }
  if (signed_at - window > now) {
    return failure(
        "InvalidSignatureException",
        fmt::format("Signature not yet current: {} is still later than {} ({} + {} "
                    "min.)",
                    amz_date, sigv4::amz_date(now + window), sigv4::amz_date(now), minutes));
  }
  return std::nullopt;
}

}  // namespace

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

Result<Credential> parse_credential(std::string_view text) {
  const auto first = text.find(':');
  if (first == std::string_view::npos || first == 0) {
    return fail(ErrorCode::ConfigurationInvalid,
                "--credentials: expected ACCESS_KEY:SECRET_KEY[:SESSION_TOKEN]");
  }
  Credential c;
  c.access_key_id = std::string(text.substr(0, first));
  std::string_view rest = text.substr(first + 1);
  // Secret keys never contain ':' but session tokens may (base64 has none, but be lenient).
  const auto second = rest.find(':');
  c.secret_access_key = std::string(rest.substr(0, second));
  if (second != std::string_view::npos) c.session_token = std::string(rest.substr(second + 1));
  if (c.secret_access_key.empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--credentials: empty secret key for {}", c.access_key_id));
  }
  return c;
}

Result<std::vector<Credential>> load_credentials_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("credentials file {}: cannot read", path));
  }
  std::vector<Credential> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#') continue;
    auto e = line.find_last_not_of(" \t\r");
    auto c = parse_credential(std::string_view(line).substr(b, e - b + 1));
    if (!c) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("credentials file {} line {}: expected AK:SK[:TOKEN]", path, number));
    }
    out.push_back(std::move(*c));
  }
  return out;
}

AuthVerifier::AuthVerifier(AuthSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {}

const Credential* AuthVerifier::find(std::string_view access_key_id) const {
  for (const auto& c : settings_.credentials) {
    if (c.access_key_id == access_key_id) return &c;
  }
  return nullptr;
}

std::optional<AuthFailure> AuthVerifier::verify(const Request& request) const {
  if (!settings_.enabled) return std::nullopt;
  auto it = request.find(http::field::authorization);
  if (it == request.end() || it->value().empty()) {
    return failure("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  std::string_view value(it->value().data(), it->value().size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() > kBearer.size() && ::strncasecmp(value.data(), "bearer ", 7) == 0) {
    value.remove_prefix(kBearer.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return verify_bearer(value);
  }
  return verify_sigv4(request, value);
}

std::optional<AuthFailure> AuthVerifier::verify_sigv4(const Request& request,
                                                      std::string_view authorization) const {
  auto parsed = sigv4::parse_authorization(authorization);
  if (!parsed) return failure("IncompleteSignatureException", parsed.error().message);
  const auto& auth = *parsed;
  if (auth.service != "bedrock") {
    return failure("InvalidSignatureException",
                   fmt::format("Credential should be scoped to correct service: 'bedrock'. "));
  }
  if (auth.terminator != "aws4_request") {
    return failure("InvalidSignatureException",
                   fmt::format("Credential should be scoped with a valid terminator: "
                               "'aws4_request', not '{}'. ",
                               auth.terminator));
  }
  if (!settings_.region.empty() && auth.region != settings_.region) {
    return failure(
        "InvalidSignatureException",
        fmt::format("Credential should be scoped to a valid region, not '{}'. ", auth.region));
  }
  const Credential* cred = find(auth.access_key_id);
  if (cred == nullptr) return invalid_token();

  auto date_it = request.find("x-amz-date");
  if (date_it == request.end()) {
    return failure("IncompleteSignatureException",
                   "Authorization header requires existence of either a 'X-Amz-Date' or a "
                   "'Date' header.");
  }
  const std::string_view amz_date(date_it->value().data(), date_it->value().size());
  const auto signed_at = parse_amz_date(amz_date);
  if (!signed_at) {
    return failure("IncompleteSignatureException",
                   fmt::format("Date must be in ISO-8601 'basic format'. Got '{}'.", amz_date));
  }
  if (auth.date != amz_date.substr(0, 8)) {
    return failure("InvalidSignatureException",
                   fmt::format("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                               "version of date from HTTP: '{}' != '{}', from '{}'.",
                               auth.date, amz_date.substr(0, 8), amz_date));
  }
  if (auto skew = check_skew(*signed_at, clock_.wall(), settings_.max_clock_skew, amz_date)) {
    return skew;
  }
  if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "host") ==
      auth.signed_headers.end()) {
    return failure("InvalidSignatureException",
                   "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  auto token_it = request.find("x-amz-security-token");
  const std::string_view token =
      token_it == request.end()
          ? std::string_view()
          : std::string_view(token_it->value().data(), token_it->value().size());
  if (!constant_time_equals(token, cred->session_token)) return invalid_token();

  // Only the listed headers' received values take part (docs/wire-protocol.md §3.4).
  std::vector<sigv4::HeaderLine> headers;
  headers.reserve(auth.signed_headers.size() + 1);
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), name) !=
        auth.signed_headers.end()) {
      headers.push_back({std::move(name), std::string(field.value())});
    }
  }
  std::string payload_hash;
  if (auto sha_it = request.find("x-amz-content-sha256"); sha_it != request.end()) {
    payload_hash = std::string(sha_it->value());
  } else {
    payload_hash = sigv4::sha256_hex(request.body());
  }

  const std::string_view target(request.target().data(), request.target().size());
  const auto q = target.find('?');
  const std::string_view raw_path = target.substr(0, q);
  const std::string_view raw_query =
      q == std::string_view::npos ? std::string_view() : target.substr(q + 1);

  sigv4::SigningParams params;
  params.region = auth.region;
  params.service = auth.service;
  params.time = *signed_at;
  const auto canonical =
      sigv4::canonical_request(std::string(request.method_string()), raw_path, raw_query, headers,
                               auth.signed_headers, payload_hash, params);
  const auto to_sign = sigv4::string_to_sign(canonical.canonical_request, params);
  const auto key =
      sigv4::signing_key(cred->secret_access_key, auth.date, auth.region, auth.service);
  const auto expected = sigv4::signature(key, to_sign);
  if (!constant_time_equals(expected, auth.signature)) return bad_signature();
  return std::nullopt;
}

std::optional<AuthFailure> AuthVerifier::verify_bearer(std::string_view token) const {
  for (const auto& key : settings_.api_keys) {
    if (constant_time_equals(token, key)) return std::nullopt;
  }
  if (auth::is_short_term_key(token) && !settings_.credentials.empty()) {
    return verify_api_key_token(token);
  }
  return failure("AccessDeniedException",
                 "Authentication failed: Please make sure your API Key is valid.");
}

// A short-term key embeds a presigned CallWithBearerToken URL; it is valid when that
// signature verifies against a configured key pair and it has not expired (docs/wire-protocol.md
// §4).
std::optional<AuthFailure> AuthVerifier::verify_api_key_token(std::string_view token) const {
  const auto denied = [] {
    return failure("AccessDeniedException",
                   "Authentication failed: Please make sure your API Key is valid.");
  };
  auto key = auth::decode_short_term_key(token);
  if (!key) return denied();
  const Credential* cred = find(key->query.access_key_id);
  if (cred == nullptr) return denied();
  if (auto st = auth::verify_short_term_key(*key, cred->secret_access_key, clock_.wall(),
                                            settings_.max_clock_skew);
      !st) {
    return failure("AccessDeniedException",
                   fmt::format("Authentication failed: {}", st.error().message));
  }
  return std::nullopt;
}

}  // namespace bedrock::emulator
