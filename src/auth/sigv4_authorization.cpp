// Parsing of a received SigV4 Authorization header, for verifiers (the emulator).
#include <fmt/format.h>

#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::sigv4 {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char delimiter) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find(delimiter, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

tl::unexpected<Error> malformed(std::string_view what) {
  return fail(ErrorCode::InvalidSignature, fmt::format("malformed SigV4 Authorization: {}", what));
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<AuthorizationHeader> parse_authorization(std::string_view value) {
  value = trim(value);
  if (value.empty()) return fail(ErrorCode::MissingAuthentication, "missing Authorization");
  if (value.substr(0, kAlgorithm.size()) != kAlgorithm ||
      (value.size() > kAlgorithm.size() && value[kAlgorithm.size()] != ' ')) {
    // Bearer or some other scheme: not a malformed SigV4 header, just not one.
    return fail(ErrorCode::MissingAuthentication,
                "Authorization is not AWS4-HMAC-SHA256 (unsupported scheme)");
  }
  std::string_view rest = trim(value.substr(kAlgorithm.size()));

  std::optional<std::string_view> credential, signed_headers, sig;
  for (std::string_view component : split(rest, ',')) {
    component = trim(component);
    size_t eq = component.find('=');
    if (eq == std::string_view::npos) {
      return malformed(fmt::format("component '{}' is not name=value", component));
    }
    std::string_view name = component.substr(0, eq);
    std::string_view field = component.substr(eq + 1);
    std::optional<std::string_view>* slot = nullptr;
    if (name == "Credential") {
      slot = &credential;
    } else if (name == "SignedHeaders") {
      slot = &signed_headers;
    } else if (name == "Signature") {
      slot = &sig;
    } else {
      return malformed(fmt::format("unknown component '{}'", name));
    }
    if (slot->has_value()) return malformed(fmt::format("duplicate component '{}'", name));
    *slot = field;
  }
  if (!credential) return malformed("missing Credential");
  if (!signed_headers) return malformed("missing SignedHeaders");
  if (!sig) return malformed("missing Signature");

  auto scope = split(*credential, '/');
  if (scope.size() != 5) {
    return malformed("Credential must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request");
  }
  for (auto part : scope) {
    if (part.empty()) return malformed("Credential has an empty part");
  }
  if (scope[1].size() != 8 || scope[1].find_first_not_of("0123456789") != std::string_view::npos) {
    return malformed("Credential date must be YYYYMMDD");
  }

  AuthorizationHeader out;
  out.access_key_id = std::string(scope[0]);
  out.date = std::string(scope[1]);
  out.region = std::string(scope[2]);
  out.service = std::string(scope[3]);
  out.terminator = std::string(scope[4]);

  if (signed_headers->empty()) return malformed("SignedHeaders is empty");
  for (auto name : split(*signed_headers, ';')) {
    if (name.empty()) return malformed("SignedHeaders has an empty name");
    out.signed_headers.emplace_back(name);
  }

  if (sig->size() != 64 || !is_lower_hex(*sig)) {
    return malformed("Signature must be 64 lower-case hex digits");
  }
  out.signature = std::string(*sig);
  return out;
}

}  // namespace bedrock::auth::sigv4
