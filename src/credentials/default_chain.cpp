#include "bedrock/credentials/default_chain.h"

#include <fmt/format.h>

#include "bedrock/core/log.h"
#include "bedrock/credentials/assume_role_provider.h"
#include "bedrock/credentials/chain_provider.h"
#include "bedrock/credentials/container_provider.h"
#include "bedrock/credentials/environment_provider.h"
#include "bedrock/credentials/imds_provider.h"
#include "bedrock/credentials/process_provider.h"
#include "bedrock/credentials/profile_keys_provider.h"
#include "bedrock/credentials/profile_sources.h"
#include "bedrock/credentials/refreshing_provider.h"
#include "bedrock/credentials/static_provider.h"
#include "bedrock/credentials/web_identity_provider.h"
#include "bedrock/http/curl_transport.h"

namespace bedrock::credentials {
namespace {

// Stands in for the profile-based sources when the shared files cannot be used (malformed
// file, missing profile): the chain stops there with this error instead of silently skipping.
class FailingProvider final : public CredentialsProvider {
 public:
  explicit FailingProvider(Error error) : error_(std::move(error)) {}
  Result<Credentials> get() override { return fail(error_); }
  std::string_view name() const override { return "shared-files"; }

 private:
  Error error_;
};

// The STS region when the caller gave none: the usual variables, then the profile.
std::string sts_region(const ChainOptions& options, const Environment& env,
                       const ProfileSources* sources) {
  if (!options.region.empty()) return options.region;
  if (auto r = env.non_empty("AWS_REGION")) return *r;
  if (auto r = env.non_empty("AWS_DEFAULT_REGION")) return *r;
  if (sources != nullptr) {
    if (auto r = sources->get("region"); r && !r->empty()) return *r;
  }
  return "";
}

std::string profile_not_found(const ProfileSources& sources) {
  auto shown = [](const std::string& path) { return path.empty() ? "(no path)" : path; };
  return fmt::format("the profile '{}' was not found in {} or {}", sources.profile,
                     shown(sources.config_path), shown(sources.credentials_path));
}

}  // namespace

std::shared_ptr<CredentialsProvider> make_default_chain(ChainOptions options) {
  const Environment& env = options.env != nullptr ? *options.env : system_environment();
  const Clock& clock = options.clock != nullptr ? *options.clock : system_clock();
  auto refreshing = [&](std::shared_ptr<CredentialsProvider> source) {
    return std::make_shared<RefreshingProvider>(std::move(source), clock);
  };

  std::vector<std::shared_ptr<CredentialsProvider>> chain;
  if (options.explicit_credentials) {
    chain.push_back(
        refreshing(std::make_shared<StaticCredentialsProvider>(*options.explicit_credentials)));
  }
  // botocore drops the environment provider when a profile is named explicitly.
  const bool explicit_profile = options.profile && !options.profile->empty();
  if (!explicit_profile) chain.push_back(refreshing(std::make_shared<EnvironmentProvider>(env)));

  auto loaded = load_profile_sources(env, options.profile);
  std::shared_ptr<const ProfileSources> sources = loaded ? *loaded : nullptr;

  ProviderContext context;
  context.env = &env;
  context.clock = &clock;
  context.transport = options.transport;
  if (!context.transport) {
    // Same proxy and CA-bundle rules as the Bedrock client's own default transport.
    context.transport = std::make_shared<http::CurlTransport>(http::options_from_environment(env));
  }
  context.region = sts_region(options, env, sources.get());

  if (!sources) {
    chain.push_back(std::make_shared<FailingProvider>(loaded.error()));
  } else if (!sources->has_profile(sources->profile) &&
             (sources->profile_explicit || sources->profile != "default")) {
    // A named profile that does not exist is a typo to report, not a reason to fall through
    // to other credentials (botocore raises ProfileNotFound).
    chain.push_back(std::make_shared<FailingProvider>(
        Error::make(ErrorCode::ConfigurationInvalid, profile_not_found(*sources))));
  } else {
    const std::string& profile = sources->profile;
    chain.push_back(refreshing(std::make_shared<AssumeRoleProvider>(context, sources, profile)));
    chain.push_back(refreshing(std::make_shared<WebIdentityProvider>(context, sources, profile)));
    chain.push_back(refreshing(
        std::make_shared<ProfileKeysProvider>(sources, SharedFile::Credentials, profile)));
    chain.push_back(refreshing(std::make_shared<ProcessProvider>(sources, profile)));
    chain.push_back(
        refreshing(std::make_shared<ProfileKeysProvider>(sources, SharedFile::Config, profile)));
  }
  chain.push_back(refreshing(std::make_shared<ContainerProvider>(context)));
  chain.push_back(refreshing(std::make_shared<ImdsProvider>(context, sources)));
  return std::make_shared<ChainProvider>(std::move(chain));
}

std::optional<std::string> bearer_token_from_env(const Environment& env) {
  auto token = env.non_empty("AWS_BEARER_TOKEN_BEDROCK");
  if (token) register_secret(*token);
  return token;
}

}  // namespace bedrock::credentials
