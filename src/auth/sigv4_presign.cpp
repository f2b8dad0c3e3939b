// Query-string presigning, botocore SigV4QueryAuth byte for byte, and its verification.
// Unlike S3's presigning (UNSIGNED-PAYLOAD), botocore's generic SigV4QueryAuth hashes the
// (empty) body into the canonical request; the Bedrock API-key vector (docs/wire-protocol.md §4)
// confirms it.
#include "bedrock/auth/sigv4_presign.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include "bedrock/core/ascii.h"
#include "bedrock/core/percent_encoding.h"
#include "bedrock/core/saturating_time.h"
#include "bedrock/http/url.h"
#include "crypto.h"
#include "signed_host.h"

namespace bedrock::auth::sigv4 {
namespace {

constexpr std::chrono::seconds kMaxExpires{604800};  // SigV4's limit: 7 days

tl::unexpected<Error> invalid(std::string_view what) {
  return fail(ErrorCode::InvalidSignature, fmt::format("presigned URL: {}", what));
}

std::string canonical_presigned_request(std::string_view method, std::string_view path,
                                        std::string_view query, std::string_view host) {
  SigningParams params;  // the path rules of a non-S3 service: normalise, encode again
  std::vector<HeaderLine> headers = {{"host", std::string(host)}};
  return canonical_request(method, path, query, headers, {"host"}, kEmptyPayloadHash, params)
      .canonical_request;
}

std::string presigned_string_to_sign(std::string_view amz_date_text, std::string_view scope,
                                     std::string_view canonical) {
  std::string out;
  out.append(kAlgorithm).append("\n").append(amz_date_text).append("\n");
  out.append(scope).append("\n").append(sha256_hex(canonical));
  return out;
}

std::optional<WallTime> parse_amz_date(std::string_view text) {
  // YYYYMMDDTHHMMSSZ
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> std::optional<int> {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, value);
    if (ec != std::errc() || end != text.data() + pos + len) return std::nullopt;
    return value;
  };
  auto year = number(0, 4), month = number(4, 2), day = number(6, 2);
  auto hour = number(9, 2), minute = number(11, 2), second = number(13, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  std::tm fields{};
  fields.tm_year = *year - 1900;
  fields.tm_mon = *month - 1;
  fields.tm_mday = *day;
  fields.tm_hour = *hour;
  fields.tm_min = *minute;
  fields.tm_sec = *second;
  // Clamped: a year past 2262 would wrap a nanosecond time point into the past.
  return wall_time_from_seconds(static_cast<long long>(timegm(&fields)));
}

}  // namespace

Result<std::string> presign_url(std::string_view method, std::string_view url,
                                const Credentials& credentials, const SigningParams& params,
                                std::chrono::seconds expires) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return fail(ErrorCode::Validation, "cannot presign: access key id or secret is empty");
  }
  if (expires.count() < 1 || expires > kMaxExpires) {
    return fail(ErrorCode::Validation,
                fmt::format("cannot presign: expiry {}s is outside 1..604800", expires.count()));
  }
  auto parts = http::split_url(url);
  if (!parts) return fail(ErrorCode::Validation, "cannot presign: malformed URL");

  const std::string date_time = amz_date(params.time);
  const std::string scope = credential_scope(date_time.substr(0, 8), params.region, params.service);

  // Operation parameters first, re-encoded as botocore's percent_encode_sequence does, then
  // the auth parameters in botocore's fixed order.
  std::string query;
  http::for_each_query_pair(
      parts->query, [&query](std::string_view key, std::string_view value, std::size_t /*at*/) {
        query += percent_encoded(percent_decode_lenient(key)) + "=" +
                 percent_encoded(percent_decode_lenient(value)) + "&";
        return true;
      });
  query += "X-Amz-Algorithm=" + std::string(kAlgorithm);
  query += "&X-Amz-Credential=" + percent_encoded(credentials.access_key_id + "/" + scope);
  query += "&X-Amz-Date=" + date_time;
  query += "&X-Amz-Expires=" + std::to_string(expires.count());
  query += "&X-Amz-SignedHeaders=host";
  if (!credentials.session_token.empty()) {
    query += "&X-Amz-Security-Token=" + percent_encoded(credentials.session_token);
  }

  SigningParams path_rules = params;
  std::vector<HeaderLine> headers = {{"host", detail::signed_host(*parts)}};
  std::string canonical = canonical_request(method, parts->path, query, headers, {"host"},
                                            kEmptyPayloadHash, path_rules)
                              .canonical_request;
  std::string key = cached_signing_key(credentials.secret_access_key, date_time.substr(0, 8),
                                       params.region, params.service);
  std::string sig = signature(key, presigned_string_to_sign(date_time, scope, canonical));

  std::string authority = to_lower_ascii(parts->host);
  if (!parts->port.empty()) authority.append(":").append(parts->port);
  return fmt::format("{}://{}{}?{}&X-Amz-Signature={}", to_lower_ascii(parts->scheme), authority,
                     parts->path, query, sig);
}

Result<PresignedQuery> parse_presigned_url(std::string_view url) {
  auto parts = http::split_url(url);
  if (!parts) return invalid("malformed URL");
  PresignedQuery out;
  out.host = detail::signed_host(*parts);
  out.path = parts->path;

  std::string_view query = parts->query;
  std::optional<std::string> algorithm, credential, date, expires, signed_headers, sig;
  bool signature_alone = false;
  http::for_each_query_pair(
      query, [&](std::string_view raw_key, std::string_view raw_value, std::size_t at) {
        std::string key = percent_decode_lenient(raw_key);
        std::string value = percent_decode_lenient(raw_value);
        if (key == "X-Amz-Signature") {
          // Everything before the signature was signed; anything after it (Bedrock API keys
          // append "&Version=1") was added afterwards.
          signature_alone = at == 0;
          if (at > 0) out.signed_query = std::string(query.substr(0, at - 1));
          sig = std::move(value);
          return false;
        }
        if (key == "X-Amz-Algorithm") algorithm = value;
        if (key == "X-Amz-Credential") credential = value;
        if (key == "X-Amz-Date") date = value;
        if (key == "X-Amz-Expires") expires = value;
        if (key == "X-Amz-SignedHeaders") signed_headers = value;
        if (key == "X-Amz-Security-Token") out.session_token = value;
        return true;
      });
  if (signature_alone) return invalid("X-Amz-Signature is the only parameter");
  if (!sig) return invalid("missing X-Amz-Signature");
  if (!algorithm || *algorithm != kAlgorithm)
    return invalid("X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  if (!credential) return invalid("missing X-Amz-Credential");
  if (!date) return invalid("missing X-Amz-Date");
  if (!expires) return invalid("missing X-Amz-Expires");
  if (!signed_headers || signed_headers->empty()) return invalid("missing X-Amz-SignedHeaders");

  // Reuse the Authorization-header parser for the scope and signature checks.
  auto header = parse_authorization(fmt::format("{} Credential={}, SignedHeaders={}, Signature={}",
                                                kAlgorithm, *credential, *signed_headers, *sig));
  if (!header) return invalid(header.error().message);
  if (header->terminator != kTerminator) return invalid("credential scope must end aws4_request");
  out.access_key_id = header->access_key_id;
  out.date = header->date;
  out.region = header->region;
  out.service = header->service;
  out.signed_headers = header->signed_headers;
  out.signature = header->signature;

  auto signed_at = parse_amz_date(*date);
  if (!signed_at) return invalid("X-Amz-Date must be YYYYMMDDTHHMMSSZ");
  if (date->substr(0, 8) != out.date) return invalid("X-Amz-Date does not match the scope date");
  out.amz_date = *date;
  out.signed_at = *signed_at;

  long long seconds = 0;
  auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
  if (ec != std::errc() || end != expires->data() + expires->size() || seconds < 1 ||
      seconds > kMaxExpires.count()) {
    return invalid("X-Amz-Expires must be an integer in 1..604800");
  }
  out.expires = std::chrono::seconds(seconds);
  return out;
}

Status verify_presigned(const PresignedQuery& query, std::string_view method,
                        std::string_view secret_access_key, WallTime now,
                        std::chrono::seconds max_clock_skew) {
  if (query.signed_headers != std::vector<std::string>{"host"}) {
    return invalid("only 'host' may be signed in a presigned URL verified without a request");
  }
  if (query.signed_at - max_clock_skew > now) return invalid("signed in the future");
  if (now >= query.signed_at + query.expires) {
    return fail(ErrorCode::ExpiredToken, fmt::format("presigned URL expired at {} + {}s",
                                                     query.amz_date, query.expires.count()));
  }
  std::string canonical =
      canonical_presigned_request(method, query.path, query.signed_query, query.host);
  std::string scope = credential_scope(query.date, query.region, query.service);
  std::string key = cached_signing_key(secret_access_key, query.date, query.region, query.service);
  std::string expected = signature(key, presigned_string_to_sign(query.amz_date, scope, canonical));
  if (!detail::constant_time_equals(expected, query.signature)) {
    return invalid("signature does not match");
  }
  return {};
}

}  // namespace bedrock::auth::sigv4
