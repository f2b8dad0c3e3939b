// Pieces every credential source shares: the JSON credential documents (credential_process,
// container endpoint, IMDS), "not configured" results, and secret registration.
// Private to bedrock_credentials.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/credentials/provider.h"

namespace bedrock::credentials::cred_detail {

struct JsonCredentialShape {
  std::string_view token_field = "Token";  // "SessionToken" for credential_process
  bool token_required = true;
  bool expiration_required = true;
};

// Parses a JSON credential document. `what` names the source in messages ("container
// endpoint http://..."). Errors: InvalidResponse for non-JSON, a non-object, a missing or
// non-string required field, or an unparseable Expiration. Registers the secrets.
Result<Credentials> credentials_from_json(std::string_view body, const JsonCredentialShape& shape,
                                          std::string_view what, std::string source);

// Registers the secret key and session token with the log redactor.
void register_credential_secrets(const Credentials& credentials);

// The "this source is not configured" result; `description` is what the chain lists after
// "tried:", e.g. "environment (AWS_ACCESS_KEY_ID not set)".
tl::unexpected<Error> not_configured(std::string description);

// source.get_before(deadline), with any exception it throws turned into an Error (code
// Unknown, naming the source): credential sources run user commands and parse peer bodies, and
// nothing they throw may unwind through a caller's request.
Result<Credentials> get_guarded(CredentialsProvider& source, SteadyTime deadline);

// Whether an error means "not configured" (the chain moves on) rather than "failed".
inline bool is_not_configured(const Error& error) {
  return error.code == ErrorCode::CredentialsNotFound;
}

}  // namespace bedrock::credentials::cred_detail
