// AWS Signature Version 4 as pure functions of their inputs (no clock, no environment).
// Reference: shared/reference/bedrock-runtime.md §3 and the aws-c-auth test suite.
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
};

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

std::string string_to_sign(std::string_view canonical_request, const SigningParams& params);

// kSigning = HMAC chain over (date, region, service, "aws4_request"); 32 raw bytes.
std::string signing_key(std::string_view secret_access_key, std::string_view date_stamp,
                        std::string_view region, std::string_view service);

// Lower-case hex HMAC-SHA256(signing key, string to sign).
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

// Signs a request in place: adds X-Amz-Date, X-Amz-Security-Token (if any), Host (if absent)
// and Authorization. Fails with Validation on a malformed URL.
Status sign(http::Request& request, const Credentials& credentials, const SigningParams& params);

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
Result<AuthorizationHeader> parse_authorization(std::string_view value);

}  // namespace bedrock::auth::sigv4
