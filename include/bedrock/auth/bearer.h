// Bedrock API keys (bearer tokens), docs/wire-protocol.md §4: how a request carries one, and how a
// short-term key ("bedrock-api-key-" + base64 of a SigV4-presigned URL) is made and checked.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bedrock/auth/credentials.h"
#include "bedrock/auth/sigv4_presign.h"
#include "bedrock/core/clock.h"
#include "bedrock/core/result.h"
#include "bedrock/http/transport.h"

namespace bedrock::auth {

inline constexpr std::string_view kShortTermKeyPrefix = "bedrock-api-key-";

// Rejects what cannot travel in an Authorization header: empty tokens and any byte outside
// visible ASCII (spaces, CR/LF, control characters, non-ASCII). Errors: ConfigurationInvalid
// (the token comes from configuration: AWS_BEARER_TOKEN_BEDROCK or a flag).
Status validate_bearer_token(std::string_view token);

// Sets "Authorization: Bearer <token>", replacing any Authorization header (botocore
// BearerAuth); adds no X-Amz-* header. Errors: those of validate_bearer_token, in which case
// the request is unchanged.
Status apply_bearer(http::Request& request, std::string_view token);

// What a short-term key contains.
struct ShortTermKey {
  std::string presigned_url;  // "https://" + the decoded payload
  int version = 0;            // the trailing "Version=N" parameter
  sigv4::PresignedQuery query;
};

bool is_short_term_key(std::string_view token);

// Generates a short-term key the way aws-bedrock-token-generator does: presign
// POST https://bedrock.amazonaws.com/?Action=CallWithBearerToken for service "bedrock" in
// `region` at `now`, append "&Version=1", drop "https://", base64, prefix. `lifetime` is
// capped by AWS at 12 h (43200 s, the default). Errors: Validation.
Result<std::string> make_short_term_key(const Credentials& credentials, std::string_view region,
                                        WallTime now,
                                        std::chrono::seconds lifetime = std::chrono::hours(12));

// Decodes a short-term key. Errors: InvalidSignature when the prefix, base64 or embedded
// presigned URL is malformed, or the URL is not a CallWithBearerToken presign.
Result<ShortTermKey> decode_short_term_key(std::string_view token);

// Verifies the embedded presigned signature against the secret of key.query.access_key_id
// (the caller looks it up) and the expiry at `now`. Errors: those of sigv4::verify_presigned.
Status verify_short_term_key(const ShortTermKey& key, std::string_view secret_access_key,
                             WallTime now,
                             std::chrono::seconds max_clock_skew = std::chrono::minutes(15));

}  // namespace bedrock::auth
