// The two STS Query API calls the credential chain makes: AssumeRole (SigV4, service "sts")
// and AssumeRoleWithWebIdentity (unsigned). Private to bedrock_credentials.
#pragma once

#include <optional>
#include <string>

#include "bedrock/core/result.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/credentials/provider_context.h"

namespace bedrock::credentials::cred_detail {

struct StsRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::optional<std::string> external_id;         // AssumeRole only
  std::optional<int> duration_seconds;            // 900..43200
  std::optional<std::string> web_identity_token;  // set: AssumeRoleWithWebIdentity
};

// AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
// true), else https://sts.{region}.amazonaws.com (".com.cn" for cn-* regions); an empty region
// means us-east-1.
std::string sts_endpoint(const Environment& env, std::string_view region);

// The form body: Action=...&Version=2011-06-15&RoleArn=...&RoleSessionName=...[&...].
std::string sts_form_body(const StsRoleRequest& request);

// Calls STS, retrying throttling, 5xx, IDPCommunicationError and connection failures up to 3
// attempts (short backoff on ctx.clock). `source` is nullptr for the web-identity call, else
// the credentials AssumeRole is signed with. Errors: the STS error code mapped to ErrorCode
// (AccessDenied, ExpiredToken, Validation, Throttling, ...) with the STS message and request
// id; InvalidResponse for unparseable XML or missing fields; transport errors as they come.
Result<Credentials> call_sts(const ProviderContext& ctx, const StsRoleRequest& request,
                             const Credentials* source, std::string source_name);

}  // namespace bedrock::credentials::cred_detail
