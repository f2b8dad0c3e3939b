// Verifies a received request's credentials as the AWS front end does: SigV4 against the key
// pairs configured at start-up (docs/wire-protocol.md §3.4), or a Bedrock API key
// (docs/wire-protocol.md §4). Failures carry the exception name and message the real service
// returns (docs/wire-protocol.md §2.5).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::emulator {

struct Credential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term key, requests must not need a token
};

// "AK:SK" or "AK:SK:TOKEN". Errors: ConfigurationInvalid.
Result<Credential> parse_credential(std::string_view text);
// One "AK:SK[:TOKEN]" per line; blank lines and '#' comments ignored. Errors:
// ConfigurationInvalid (unreadable file, bad line).
Result<std::vector<Credential>> load_credentials_file(const std::string& path);

struct AuthSettings {
  bool enabled = true;  // false: --no-auth, every request is accepted
  std::vector<Credential> credentials;
  std::vector<std::string> api_keys;  // bearer tokens accepted verbatim
  // AWS rejects X-Amz-Date further than this from its clock ("Signature expired").
  std::chrono::seconds max_clock_skew{300};
  std::string region;  // empty: accept whatever region the client signed for
};

struct AuthFailure {
  std::string error_type;  // "InvalidSignatureException", ...
  std::string message;
};

// Immutable after construction; thread-safe.
class AuthVerifier {
 public:
  AuthVerifier(AuthSettings settings, const Clock& clock);

  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  // nullopt when the request is authenticated. `raw_target` is the request target exactly as
  // received (path and query, still percent-encoded).
  std::optional<AuthFailure> verify(const Request& request) const;

  const AuthSettings& settings() const { return settings_; }

 private:
  std::optional<AuthFailure> verify_sigv4(const Request& request,
                                          std::string_view authorization) const;
  std::optional<AuthFailure> verify_bearer(std::string_view token) const;
  std::optional<AuthFailure> verify_api_key_token(std::string_view token) const;
  const Credential* find(std::string_view access_key_id) const;

  AuthSettings settings_;
  const Clock& clock_;
};

// Constant-time equality for secrets and signatures (length is not secret).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace bedrock::emulator
