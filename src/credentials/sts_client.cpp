#include "sts_client.h"

#include <fmt/format.h>

#include "bedrock/auth/sigv4.h"
#include "bedrock/core/log.h"
#include "bedrock/core/percent_encoding.h"
#include "bedrock/http/url.h"
#include "credential_support.h"
#include "http_support.h"
#include "time_format.h"
#include "xml_document.h"

namespace bedrock::credentials::cred_detail {
namespace {

constexpr int kMaxAttempts = 3;
constexpr std::chrono::milliseconds kBaseBackoff{100};

struct StsErrorKind {
  std::string_view sts_code;
  ErrorCode code;
};

// STS error codes (Query protocol <Error><Code>) to the project's error kinds.
constexpr StsErrorKind kErrorKinds[] = {
    {"AccessDenied", ErrorCode::AccessDenied},
    {"AccessDeniedException", ErrorCode::AccessDenied},
    {"InvalidIdentityToken", ErrorCode::AccessDenied},
    {"IDPRejectedClaim", ErrorCode::AccessDenied},
    {"RegionDisabledException", ErrorCode::AccessDenied},
    {"ExpiredToken", ErrorCode::ExpiredToken},
    {"ExpiredTokenException", ErrorCode::ExpiredToken},
    {"InvalidClientTokenId", ErrorCode::UnrecognizedClient},
    {"SignatureDoesNotMatch", ErrorCode::InvalidSignature},
    {"IncompleteSignature", ErrorCode::InvalidSignature},
    {"MissingAuthenticationToken", ErrorCode::MissingAuthentication},
    {"Throttling", ErrorCode::Throttling},
    {"ThrottlingException", ErrorCode::Throttling},
    {"RequestLimitExceeded", ErrorCode::Throttling},
    {"ValidationError", ErrorCode::Validation},
    {"InvalidParameterValue", ErrorCode::Validation},
    {"MalformedPolicyDocument", ErrorCode::Validation},
    {"PackedPolicyTooLarge", ErrorCode::Validation},
    {"IDPCommunicationError", ErrorCode::ServiceUnavailable},
    {"ServiceUnavailable", ErrorCode::ServiceUnavailable},
    {"InternalFailure", ErrorCode::InternalServer},
    {"InternalError", ErrorCode::InternalServer},
};

ErrorCode code_for(std::string_view sts_code, int status) {
  for (const auto& kind : kErrorKinds) {
    if (kind.sts_code == sts_code) return kind.code;
  }
  if (status >= 500)
    return status == 503 ? ErrorCode::ServiceUnavailable : ErrorCode::InternalServer;
  if (status == 403) return ErrorCode::AccessDenied;
  if (status == 429) return ErrorCode::Throttling;
  return ErrorCode::Unknown;
}

std::string action_of(const StsRoleRequest& request) {
  return request.web_identity_token ? "AssumeRoleWithWebIdentity" : "AssumeRole";
}

Error error_from_response(const http::Response& response, std::string_view action,
                          std::string_view role_arn) {
  std::string request_id = std::string(response.header("x-amzn-RequestId").value_or(""));
  std::string sts_code;
  std::string message;
  if (auto doc = parse_xml(response.body); doc && doc->name == "ErrorResponse") {
    if (const XmlElement* code = doc->find({"Error", "Code"})) sts_code = code->text;
    if (const XmlElement* text = doc->find({"Error", "Message"})) message = text->text;
    if (const XmlElement* id = doc->child("RequestId"); id && request_id.empty()) {
      request_id = id->text;
    }
  }
  Error error = Error::make(
      code_for(sts_code, response.status),
      sts_code.empty()
          ? fmt::format("STS {} for {} failed with HTTP {}: {}", action, role_arn, response.status,
                        snippet(response.body))
          : fmt::format("STS {} for {} failed: {}: {}", action, role_arn, sts_code, message));
  error.http_status = response.status;
  error.request_id = std::move(request_id);
  error.aws_type = sts_code;
  return error;
}

Result<Credentials> credentials_from_xml(const http::Response& response, std::string_view action,
                                         std::string_view role_arn, std::string source_name) {
  auto invalid = [&](std::string what) {
    Error e = Error::make(ErrorCode::InvalidResponse,
                          fmt::format("STS {} for {} returned {}", action, role_arn, what));
    e.http_status = response.status;
    e.request_id = std::string(response.header("x-amzn-RequestId").value_or(""));
    return tl::unexpected<Error>(std::move(e));
  };
  auto doc = parse_xml(response.body);
  if (!doc) return invalid(fmt::format("unparseable XML ({})", doc.error().message));
  std::string result_name = fmt::format("{}Result", action);
  const XmlElement* creds = doc->find({result_name, "Credentials"});
  if (doc->name != fmt::format("{}Response", action) || creds == nullptr) {
    return invalid(fmt::format("XML without {}/Credentials", result_name));
  }
  Credentials out;
  struct Field {
    std::string_view name;
    std::string* target;
  };
  std::string expiration;
  for (Field field :
       {Field{"AccessKeyId", &out.access_key_id}, Field{"SecretAccessKey", &out.secret_access_key},
        Field{"SessionToken", &out.session_token}, Field{"Expiration", &expiration}}) {
    const XmlElement* element = creds->child(field.name);
    if (element == nullptr || element->text.empty()) {
      return invalid(fmt::format("credentials without {}", field.name));
    }
    *field.target = element->text;
  }
  auto when = parse_iso8601(expiration);
  if (!when) return invalid(fmt::format("an unparseable Expiration '{}'", expiration));
  out.expiration = *when;
  out.source = std::move(source_name);
  register_credential_secrets(out);
  return out;
}

}  // namespace

std::string sts_endpoint(const Environment& env, std::string_view region) {
  auto ignore = env.non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  bool ignore_overrides = ignore && (*ignore == "true" || *ignore == "TRUE" || *ignore == "True");
  if (!ignore_overrides) {
    if (auto url = env.non_empty("AWS_ENDPOINT_URL_STS")) return *url;
    if (auto url = env.non_empty("AWS_ENDPOINT_URL")) return *url;
  }
  std::string r = region.empty() ? "us-east-1" : std::string(region);
  bool china = r.rfind("cn-", 0) == 0;
  return fmt::format("https://sts.{}.amazonaws.com{}", r, china ? ".cn" : "");
}

std::string sts_form_body(const StsRoleRequest& request) {
  std::string body =
      fmt::format("Action={}&Version=2011-06-15&RoleArn={}&RoleSessionName={}", action_of(request),
                  percent_encoded(request.role_arn), percent_encoded(request.session_name));
  if (request.web_identity_token) {
    body += "&WebIdentityToken=" + percent_encoded(*request.web_identity_token);
  }
  if (request.external_id) body += "&ExternalId=" + percent_encoded(*request.external_id);
  if (request.duration_seconds)
    body += fmt::format("&DurationSeconds={}", *request.duration_seconds);
  return body;
}

Result<Credentials> call_sts(const ProviderContext& ctx, const StsRoleRequest& request,
                             const Credentials* source, std::string source_name) {
  const std::string action = action_of(request);
  if (!ctx.transport) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("STS {} needs an HTTP transport and none was configured", action));
  }
  std::string url = sts_endpoint(*ctx.env, ctx.region);
  auto parts = http::parse_url(url);
  if (!parts) {
    return fail(
        ErrorCode::ConfigurationInvalid,
        redact_url_credentials(fmt::format("STS endpoint '{}': {}", url, parts.error().message)));
  }
  // The Query API posts to the root; an override like "http://127.0.0.1:4566" has no path.
  if (parts->path == "/" && parts->query.empty()) url = parts->str();
  const std::string region = ctx.region.empty() ? "us-east-1" : ctx.region;

  Error last;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    http::Request req;
    req.method = "POST";
    req.url = url;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    req.body = sts_form_body(request);
    if (source != nullptr) {
      auth::sigv4::SigningParams params;
      params.region = region;
      params.service = "sts";
      params.time = ctx.clock->wall();
      if (auto signed_ok = auth::sigv4::sign(req, *source, params); !signed_ok) {
        return fail(ErrorCode::ConfigurationInvalid,
                    fmt::format("cannot sign STS {} with the source credentials: {}", action,
                                signed_ok.error().message));
      }
    }
    http::CallOptions options;
    options.read_timeout = std::chrono::seconds{15};
    options.deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    auto response = ctx.transport->send(req, options);
    if (!response) {
      last = response.error();
      last.message = fmt::format("STS {} at {}: {}", action, url, last.message);
    } else if (response->status == 200) {
      return credentials_from_xml(*response, action, request.role_arn, std::move(source_name));
    } else {
      last = error_from_response(*response, action, request.role_arn);
      if (last.aws_type == "IDPCommunicationError") last.retryable = true;
    }
    if (!last.retryable || attempt == kMaxAttempts) break;
    logger()->info("STS {} attempt {} failed ({}); retrying", action, attempt, describe(last));
    ctx.clock->sleep_for(kBaseBackoff * (1 << (attempt - 1)));
  }
  return fail(std::move(last));
}

}  // namespace bedrock::credentials::cred_detail
