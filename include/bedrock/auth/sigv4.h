// AWS Signature Version 4 as pure functions of their inputs (no clock, no environment).
// Reference: docs/wire-protocol.md §3 and the aws-c-auth test suite.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/auth/credentials.h"
#include "bedrock/core/clock.h"
#include "bedrock/http/transport.h"

namespace bedrock::auth::sigv4 {

struct SigningParams {
  std::string region;               // credential-scope region, e.g. "us-east-1"
  std::string service = "bedrock";  // signing name (not "bedrock-runtime")
  WallTime time;                    // signing time (UTC)
  // Non-S3 services encode the already-encoded path again (%3A -> %253A) and normalise
  // dot segments; S3-style signing uses the path as given.
  bool double_encode_path = true;
  bool normalize_path = true;
  bool omit_session_token = false;  // sign without X-Amz-Security-Token, add it afterwards
  // S3-style: send the payload hash as X-Amz-Content-SHA256 and sign it. Off for Bedrock.
  bool sign_payload_header = false;
};

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
// SHA-256 of the empty string: the payload hash of a bodiless request.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Headers SigV4 never signs (botocore SigV4Auth's blacklist plus authorization itself),
// lower-case. sign() additionally leaves out content-length, which the HTTP layer may set
// or change after signing.
bool is_unsignable_header(std::string_view lower_case_name);

// "20240115T120000Z" and "20240115".
std::string amz_date(WallTime t);
std::string date_stamp(WallTime t);

// Lower-case hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

// The canonical URI of a raw (as sent on the wire) path.
std::string canonical_uri(std::string_view raw_path, bool double_encode, bool normalize);

// The canonical query string of a raw query (without '?').
std::string canonical_query(std::string_view raw_query);

// One header line as received/sent; duplicates allowed (values are joined with ',').
struct HeaderLine {
  std::string name;
  std::string value;
};

struct CanonicalParts {
  std::string canonical_request;
  std::string signed_headers;  // "accept;content-type;host;x-amz-date"
};

// Builds the canonical request from wire pieces. Only headers whose lower-cased names are
// in `signed_header_names` are included (all given headers when it is empty, minus the ones
// SigV4 never signs such as user-agent). Used by both the signer and the emulator's verifier.
CanonicalParts canonical_request(std::string_view method, std::string_view raw_path,
                                 std::string_view raw_query, const std::vector<HeaderLine>& headers,
                                 const std::vector<std::string>& signed_header_names,
                                 std::string_view payload_hash, const SigningParams& params);

// "20240115/us-east-1/bedrock/aws4_request".
std::string credential_scope(std::string_view date_stamp, std::string_view region,
                             std::string_view service);

std::string string_to_sign(std::string_view canonical_request, const SigningParams& params);

// kSigning = HMAC chain over (date, region, service, "aws4_request"); 32 raw bytes.
std::string signing_key(std::string_view secret_access_key, std::string_view date_stamp,
                        std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256(signing key, string to sign).
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

// Signing-key derivation is four HMACs; sign() memoises it per (SHA-256 of the secret, date,
// region, service) in a small process-wide, thread-safe cache, so the raw secret is never a
// cache key. This is the cached form of signing_key().
std::string cached_signing_key(std::string_view secret_access_key, std::string_view date_stamp,
                               std::string_view region, std::string_view service);

// Intermediate results of one sign() call, for tests and debug output. Holds no secret.
struct SigningTrace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;
  std::string signature;
};

// Signs a request in place, as botocore SigV4Auth.add_auth does: removes any previous
// Authorization / X-Amz-Date / X-Amz-Security-Token, then adds X-Amz-Date,
// X-Amz-Security-Token (if the credentials have one), Host (if absent: lower-case host,
// ":port" only when not the scheme default) and Authorization. Every other header present is
// signed except the unsignable ones and content-length. The payload hash is the
// X-Amz-Content-SHA256 value when the request carries one, else SHA-256 of the body.
// Thread-safe (no shared mutable state besides the key cache). Errors: Validation on a
// malformed URL or empty access key / secret.
Status sign(http::Request& request, const Credentials& credentials, const SigningParams& params,
            SigningTrace* trace = nullptr);

// Parsed "AWS4-HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..,
// Signature=.." header; used by verifiers.
struct AuthorizationHeader {
  std::string access_key_id;
  std::string date;
  std::string region;
  std::string service;
  std::string terminator;
  std::vector<std::string> signed_headers;
  std::string signature;
};
// Accepts "," with or without following spaces between the three components, in any order.
// Errors: MissingAuthentication for a non-SigV4 or empty value; InvalidSignature for a SigV4
// header that is incomplete or malformed (message says which part).
Result<AuthorizationHeader> parse_authorization(std::string_view value);

// The header value: "AWS4-HMAC-SHA256 Credential=AK/scope, SignedHeaders=.., Signature=..".
std::string authorization_value(std::string_view access_key_id, std::string_view scope,
                                std::string_view signed_headers, std::string_view signature);

}  // namespace bedrock::auth::sigv4
