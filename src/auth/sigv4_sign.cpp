// Key derivation and in-place request signing (botocore SigV4Auth.add_auth).
#include <cctype>

#include "bedrock/auth/sigv4.h"
#include "bedrock/core/ascii.h"
#include "canonical_views.h"
#include "crypto.h"
#include "signed_host.h"
#include "signing_key_cache.h"

namespace bedrock::auth::sigv4 {
namespace {

// Local lookup so this layer does not depend on http::find_header's implementation.
const std::string* header_value(const http::Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals_ascii(key, name)) return &value;
  }
  return nullptr;
}

void remove_headers(http::Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& header) { return iequals_ascii(header.first, name); });
}

// The headers sign() itself adds; a retry re-signs, so stale copies go first (one pass).
void remove_previous_signature(http::Headers& headers) {
  std::erase_if(headers, [](const auto& header) {
    const std::string_view name = header.first;
    return iequals_ascii(name, "Authorization") || iequals_ascii(name, "X-Amz-Date") ||
           iequals_ascii(name, "X-Amz-Security-Token");
  });
}

}  // namespace

std::string signing_key(std::string_view secret_access_key, std::string_view date,
                        std::string_view region, std::string_view service) {
  std::string secret = "AWS4";
  secret.append(secret_access_key);
  std::string k_date = detail::hmac_sha256(secret, date);
  std::string k_region = detail::hmac_sha256(k_date, region);
  std::string k_service = detail::hmac_sha256(k_region, service);
  return detail::hmac_sha256(k_service, kTerminator);
}

std::string signature(std::string_view key, std::string_view to_sign) {
  return detail::to_hex(detail::hmac_sha256(key, to_sign));
}

std::string cached_signing_key(std::string_view secret_access_key, std::string_view date,
                               std::string_view region, std::string_view service) {
  return detail::shared_signing_key_cache().get_for_thread(secret_access_key, date, region,
                                                           service);
}

std::string authorization_value(std::string_view access_key_id, std::string_view scope,
                                std::string_view signed_headers, std::string_view sig) {
  std::string out;
  out.reserve(128 + scope.size() + signed_headers.size());
  out.append(kAlgorithm).append(" Credential=").append(access_key_id).append("/").append(scope);
  out.append(", SignedHeaders=").append(signed_headers);
  out.append(", Signature=").append(sig);
  return out;
}

Status sign(http::Request& request, const Credentials& credentials, const SigningParams& params,
            SigningTrace* trace) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return fail(ErrorCode::Validation, "cannot sign: access key id or secret access key is empty");
  }
  if (params.region.empty() || params.service.empty()) {
    return fail(ErrorCode::Validation, "cannot sign: signing region or service is empty");
  }
  auto url = http::split_url(request.url);
  if (!url) {
    return fail(ErrorCode::Validation,
                "cannot sign: malformed request URL (expected scheme://host[:port]/path)");
  }

  // Re-signing (a retry) must not sign or send stale values.
  remove_previous_signature(request.headers);

  const std::string date_time = amz_date(params.time);
  const std::string date = date_time.substr(0, 8);

  if (header_value(request.headers, "Host") == nullptr) {
    request.headers.emplace_back("Host", detail::signed_host(*url));
  }
  request.headers.emplace_back("X-Amz-Date", date_time);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && !params.omit_session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }

  // Per-thread buffers keep their capacity between signatures: once warm, signing allocates
  // only the Authorization value it adds to the request.
  struct Scratch {
    std::vector<detail::HeaderView> lines;
    CanonicalParts parts;
    std::string to_sign;
  };
  thread_local Scratch scratch;

  char body_hash[detail::kHexDigestSize];
  std::string_view payload_hash;
  if (params.sign_payload_header) {
    remove_headers(request.headers, "X-Amz-Content-SHA256");
    detail::sha256_hex_into(request.body, body_hash);
    payload_hash = std::string_view(body_hash, sizeof body_hash);
    request.headers.emplace_back("X-Amz-Content-SHA256", std::string(payload_hash));
  } else if (const std::string* given = header_value(request.headers, "X-Amz-Content-SHA256")) {
    payload_hash = *given;  // botocore uses a caller-provided payload hash as is
  } else {
    detail::sha256_hex_into(request.body, body_hash);
    payload_hash = std::string_view(body_hash, sizeof body_hash);
  }

  std::vector<detail::HeaderView>& lines = scratch.lines;
  lines.clear();
  for (const auto& [name, value] : request.headers) {
    // Content-Length is set (or rewritten) by the transport after signing; botocore never
    // signs it either (docs/wire-protocol.md §3.2).
    if (iequals_ascii(name, "Content-Length")) continue;
    lines.push_back({name, value});
  }

  CanonicalParts& parts = scratch.parts;
  detail::canonical_request(request.method, url->path, url->query, lines, {}, payload_hash, params,
                            parts);
  char canonical_hash[detail::kHexDigestSize];
  detail::sha256_hex_into(parts.canonical_request, canonical_hash);
  std::string& to_sign = scratch.to_sign;
  to_sign.clear();
  to_sign.append(kAlgorithm).append("\n").append(date_time).append("\n");
  const std::size_t scope_at = to_sign.size();
  to_sign.append(date).append("/").append(params.region).append("/").append(params.service);
  to_sign.append("/").append(kTerminator);
  const std::size_t scope_length = to_sign.size() - scope_at;
  to_sign.append("\n").append(canonical_hash, sizeof canonical_hash);
  const std::string_view scope = std::string_view(to_sign).substr(scope_at, scope_length);

  const std::string& key = detail::shared_signing_key_cache().get_for_thread(
      credentials.secret_access_key, date, params.region, params.service);
  char sig[detail::kHexDigestSize];
  detail::hmac_sha256_hex_into(key, to_sign, sig);
  const std::string_view sig_view(sig, sizeof sig);

  request.headers.emplace_back(
      "Authorization",
      authorization_value(credentials.access_key_id, scope, parts.signed_headers, sig_view));
  if (has_token && params.omit_session_token) {
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  if (trace != nullptr) {
    trace->canonical_request = parts.canonical_request;
    trace->string_to_sign = to_sign;
    trace->signed_headers = parts.signed_headers;
    trace->signature = std::string(sig_view);
  }
  return {};
}

}  // namespace bedrock::auth::sigv4
