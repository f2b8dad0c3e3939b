#include "bedrock/credentials/web_identity_provider.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "bedrock/core/log.h"
#include "credential_support.h"
#include "session_name.h"
#include "sts_client.h"

namespace bedrock::credentials {

WebIdentityProvider::WebIdentityProvider(ProviderContext context,
                                         std::shared_ptr<const ProfileSources> sources,
                                         std::string profile, bool use_env)
    : context_(std::move(context)),
      sources_(std::move(sources)),
      profile_(std::move(profile)),
      use_env_(use_env) {}

Result<Credentials> WebIdentityProvider::get() {
  // botocore: the variable wins when set, else the profile value.
  auto setting = [&](std::string_view variable,
                     std::string_view key) -> std::optional<std::string> {
    if (use_env_) {
      if (auto v = context_.env->non_empty(variable)) return v;
    }
    if (sources_) {
      if (auto v = sources_->get(profile_, key); v && !v->empty()) return v;
    }
    return std::nullopt;
  };
  auto token_file = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
  if (!token_file) {
    return cred_detail::not_configured(
        fmt::format("web identity ({}no web_identity_token_file in profile {})",
                    use_env_ ? "AWS_WEB_IDENTITY_TOKEN_FILE not set, " : "", profile_));
  }
  auto role_arn = setting("AWS_ROLE_ARN", "role_arn");
  if (!role_arn) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("web identity token file '{}' is configured but no role ARN is "
                            "(set AWS_ROLE_ARN or role_arn in profile {})",
                            *token_file, profile_));
  }
  std::ifstream in(*token_file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || in.bad()) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("cannot read the web identity token file '{}'", *token_file));
  }
  std::string token = std::move(text).str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  if (token.empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("the web identity token file '{}' is empty", *token_file));
  }
  register_secret(token);
  cred_detail::StsRoleRequest request;
  request.role_arn = *role_arn;
  request.session_name = setting("AWS_ROLE_SESSION_NAME", "role_session_name")
                             .value_or(cred_detail::default_session_name(*context_.clock));
  request.web_identity_token = std::move(token);
  return cred_detail::call_sts(context_, request, nullptr, "web-identity");
}

}  // namespace bedrock::credentials
