#include "bedrock/credentials/assume_role_provider.h"

#include <fmt/format.h>

#include <charconv>

#include "bedrock/credentials/environment_provider.h"
#include "bedrock/credentials/imds_provider.h"
#include "bedrock/credentials/profile_keys_provider.h"
#include "bedrock/credentials/web_identity_provider.h"
#include "credential_support.h"
#include "session_name.h"
#include "sts_client.h"

namespace bedrock::credentials {
namespace {

// A profile may chain to source profiles; real setups are 2-3 deep. This bounds a runaway
// configuration even if cycle detection were bypassed.
constexpr size_t kMaxChainDepth = 16;

bool has_static_keys(const config::ProfileValues& p) { return p.contains("aws_access_key_id"); }

// botocore _has_assume_role_config_vars: role_arn, unless the profile is a web-identity one.
bool has_role(const config::ProfileValues& p) {
  return p.contains("role_arn") && !p.contains("web_identity_token_file");
}

}  // namespace

AssumeRoleProvider::AssumeRoleProvider(ProviderContext context,
                                       std::shared_ptr<const ProfileSources> sources,
                                       std::string profile, AssumeRoleOptions options)
    : context_(std::move(context)),
      sources_(std::move(sources)),
      profile_(std::move(profile)),
      options_(options) {}

Result<Credentials> AssumeRoleProvider::get() {
  const config::ProfileValues* values = sources_->merged.profile(profile_);
  if (values == nullptr || !has_role(*values)) {
    return cred_detail::not_configured(
        fmt::format("assume role (no role_arn in profile {})", profile_));
  }
  std::set<std::string> visited;
  return assume(profile_, visited);
}

Result<Credentials> AssumeRoleProvider::assume(const std::string& profile,
                                               std::set<std::string>& visited) {
  visited.insert(profile);
  auto value = [&](std::string_view key) { return sources_->get(profile, key); };
  auto where = [&](std::string_view key) {
    std::string origin = sources_->merged.origin(profile, key);
    return origin.empty() ? fmt::format("profile {}", profile)
                          : fmt::format("{} (profile {})", origin, profile);
  };
  auto invalid = [](std::string message) {
    return fail(ErrorCode::ConfigurationInvalid, std::move(message));
  };

  cred_detail::StsRoleRequest request;
  request.role_arn = value("role_arn").value_or("");
  if (request.role_arn.empty())
    return invalid(fmt::format("{}: role_arn is empty", where("role_arn")));
  if (value("mfa_serial")) {
    return invalid(
        fmt::format("{}: mfa_serial is set, but this tool cannot prompt for an MFA "
                    "code; use credentials from 'aws sts get-session-token' or a "
                    "credential_process instead",
                    where("mfa_serial")));
  }
  request.session_name =
      value("role_session_name").value_or(cred_detail::default_session_name(*context_.clock));
  request.external_id = value("external_id");
  if (auto duration = value("duration_seconds")) {
    int seconds = 0;
    auto [ptr, ec] =
        std::from_chars(duration->data(), duration->data() + duration->size(), seconds);
    if (ec != std::errc() || ptr != duration->data() + duration->size() || seconds < 900 ||
        seconds > 43200) {
      return invalid(
          fmt::format("{}: duration_seconds '{}' must be a whole number from 900 to "
                      "43200",
                      where("duration_seconds"), *duration));
    }
    request.duration_seconds = seconds;
  }

  auto source_profile = value("source_profile");
  auto source_kind = value("credential_source");
  Result<Credentials> source = fail(ErrorCode::Unknown, "unreachable");
  if (source_profile && source_kind) {
    return invalid(
        fmt::format("{}: profile {} has both source_profile and credential_source; "
                    "use one",
                    where("role_arn"), profile));
  } else if (source_kind) {
    source = credential_source(profile, *source_kind);
  } else if (source_profile) {
    const std::string& name = *source_profile;
    if (!sources_->has_profile(name)) {
      return invalid(
          fmt::format("{}: source_profile '{}' does not exist", where("source_profile"), name));
    }
    // botocore _validate_source_profile: revisiting a profile is a loop, except a profile that
    // names itself to use its own static keys.
    if (visited.contains(name)) {
      const config::ProfileValues* p = sources_->merged.profile(name);
      if (name != profile || !has_static_keys(*p)) {
        return invalid(
            fmt::format("{}: source_profile '{}' leads back to a profile already on "
                        "the chain (infinite loop)",
                        where("source_profile"), name));
      }
    }
    if (visited.size() >= kMaxChainDepth) {
      return invalid(fmt::format("{}: more than {} chained source profiles",
                                 where("source_profile"), kMaxChainDepth));
    }
    source = source_profile_credentials(name, visited);
  } else {
    return invalid(
        fmt::format("{}: profile {} has role_arn but neither source_profile nor "
                    "credential_source (partial credentials)",
                    where("role_arn"), profile));
  }
  if (!source) return fail(source.error());
  return cred_detail::call_sts(context_, request, &*source, "assume-role");
}

Result<Credentials> AssumeRoleProvider::source_profile_credentials(const std::string& profile,
                                                                   std::set<std::string>& visited) {
  const config::ProfileValues* values = sources_->merged.profile(profile);
  // botocore _resolve_credentials_from_profile: static keys or a non-role profile resolve
  // through the profile's own sources; otherwise it is another role to assume.
  if (!has_static_keys(*values) && has_role(*values)) return assume(profile, visited);
  std::shared_ptr<CredentialsProvider> providers[] = {
      std::make_shared<WebIdentityProvider>(context_, sources_, profile, /*use_env=*/false),
      std::make_shared<ProfileKeysProvider>(sources_, SharedFile::Credentials, profile),
      std::make_shared<ProcessProvider>(sources_, profile, options_.process),
      std::make_shared<ProfileKeysProvider>(sources_, SharedFile::Config, profile),
  };
  for (const auto& provider : providers) {
    auto creds = provider->get();
    if (creds || !cred_detail::is_not_configured(creds.error())) return creds;
  }
  return fail(ErrorCode::ConfigurationInvalid,
              fmt::format("source profile {} has no credentials (no keys, credential_process, "
                          "web identity or role_arn)",
                          profile));
}

Result<Credentials> AssumeRoleProvider::credential_source(const std::string& profile,
                                                          const std::string& source) {
  std::shared_ptr<CredentialsProvider> provider;
  if (source == "Environment") {
    provider = std::make_shared<EnvironmentProvider>(*context_.env);
  } else if (source == "Ec2InstanceMetadata") {
    provider = std::make_shared<ImdsProvider>(context_, sources_);
  } else if (source == "EcsContainer") {
    provider = std::make_shared<ContainerProvider>(context_, options_.container);
  } else {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("profile {}: credential_source '{}' is not one of Environment, "
                            "Ec2InstanceMetadata, EcsContainer",
                            profile, source));
  }
  auto creds = provider->get();
  if (!creds && cred_detail::is_not_configured(creds.error())) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("profile {}: credential_source {} yielded no credentials: {}", profile,
                            source, creds.error().message));
  }
  return creds;
}

}  // namespace bedrock::credentials
