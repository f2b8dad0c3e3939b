// SigV4 query-string presigning (botocore SigV4QueryAuth) and its verification. Bedrock uses
// it inside short-term API keys (docs/wire-protocol.md §4); the signed header is only `host` and
// the payload hash is that of an empty body (the generic signer's rule, not S3's UNSIGNED-PAYLOAD).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/auth/credentials.h"
#include "bedrock/auth/sigv4.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"

namespace bedrock::auth::sigv4 {

// Returns `url` with X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders=host and (with a session token) X-Amz-Security-Token appended after the
// existing query parameters, then "&X-Amz-Signature=<hex>" last — byte-identical to botocore.
// `expires` must be 1..604800 s. Errors: Validation (malformed URL, bad expiry, empty keys).
Result<std::string> presign_url(std::string_view method, std::string_view url,
                                const Credentials& credentials, const SigningParams& params,
                                std::chrono::seconds expires);

// The X-Amz-* parameters of a presigned URL, decoded.
struct PresignedQuery {
  std::string access_key_id;
  std::string date;  // scope date, YYYYMMDD
  std::string region;
  std::string service;
  std::string amz_date;  // X-Amz-Date, e.g. 20240115T120000Z
  WallTime signed_at;
  std::chrono::seconds expires{0};
  std::vector<std::string> signed_headers;
  std::string session_token;  // empty when absent
  std::string signature;
  std::string signed_query;  // the raw query up to (not including) "&X-Amz-Signature="
  std::string host;          // as the signer saw it ("host[:port]", lower-case)
  std::string path;          // raw path
};

// Parses an absolute presigned URL. Errors: InvalidSignature naming the missing or
// malformed parameter.
Result<PresignedQuery> parse_presigned_url(std::string_view url);

// Recomputes the signature of a parsed presigned URL for `method` and compares it in constant
// time. Only `host` may be signed (nothing else is known to a verifier of a bare URL).
// Errors: InvalidSignature (mismatch, unsupported signed header, or signed more than
// `max_clock_skew` in the future), ExpiredToken (now is at or past signed_at + expires).
Status verify_presigned(const PresignedQuery& query, std::string_view method,
                        std::string_view secret_access_key, WallTime now,
                        std::chrono::seconds max_clock_skew = std::chrono::minutes(15));

}  // namespace bedrock::auth::sigv4
