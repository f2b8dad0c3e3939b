#include "bedrock/credentials/profile_keys_provider.h"

#include <fmt/format.h>

#include "credential_support.h"

namespace bedrock::credentials {

ProfileKeysProvider::ProfileKeysProvider(std::shared_ptr<const ProfileSources> sources,
                                         SharedFile file, std::string profile)
    : sources_(std::move(sources)), file_(file), profile_(std::move(profile)) {}

Result<Credentials> ProfileKeysProvider::get() {
  const bool creds_file = file_ == SharedFile::Credentials;
  const config::SharedFiles& files = creds_file ? sources_->credentials : sources_->config;
  const std::string& path = creds_file ? sources_->credentials_path : sources_->config_path;
  std::string label = creds_file ? "shared credentials file" : "config file";
  std::string where = path.empty() ? "no HOME or AWS_*_FILE set" : path;
  auto key = files.get(profile_, "aws_access_key_id");
  if (!key) {
    return cred_detail::not_configured(fmt::format("{} ({}, profile {})", label, where, profile_));
  }
  auto located = [&](std::string_view field) {
    std::string origin = files.origin(profile_, field);
    return origin.empty() ? where : origin;
  };
  if (key->empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("{}: aws_access_key_id of profile {} is empty",
                            located("aws_access_key_id"), profile_));
  }
  auto secret = files.get(profile_, "aws_secret_access_key");
  if (!secret || secret->empty()) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("{}: profile {} has aws_access_key_id but no aws_secret_access_key "
                            "(partial credentials)",
                            located("aws_access_key_id"), profile_));
  }
  Credentials creds;
  creds.access_key_id = std::move(*key);
  creds.secret_access_key = std::move(*secret);
  // botocore's order: aws_security_token first, then aws_session_token.
  if (auto token = files.get(profile_, "aws_security_token"); token && !token->empty()) {
    creds.session_token = std::move(*token);
  } else if (auto session = files.get(profile_, "aws_session_token")) {
    creds.session_token = std::move(*session);
  }
  creds.source = std::string(name());
  cred_detail::register_credential_secrets(creds);
  return creds;
}

}  // namespace bedrock::credentials
