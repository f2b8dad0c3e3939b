#include <memory>
#include <string>
#include <string_view>

#include "bedrock/core/ascii.h"
#include "bedrock/credentials/default_chain.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/client_options.h"
#include "default_transport.h"

namespace bedrock::runtime {
namespace {

std::string trim(std::string_view s) { return std::string(trim_ascii(s, " \t")); }

// botocore _should_prefer_bearer_auth: with AWS_AUTH_SCHEME_PREFERENCE set (a comma list such
// as "sigv4,httpBearerAuth"), the first of the service's schemes named in it wins; otherwise
// a bearer token, when present, is preferred (docs/wire-protocol.md §4 step 2).
bool bearer_preferred(const Environment& env) {
  auto pref = env.non_empty("AWS_AUTH_SCHEME_PREFERENCE");
  if (!pref) return true;
  std::string_view rest = *pref;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string item = trim(rest.substr(0, comma));
    if (auto hash = item.rfind('#'); hash != std::string::npos) item = item.substr(hash + 1);
    if (item == "httpBearerAuth") return true;
    if (item == "sigv4") return false;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace

Result<ClientOptions> options_from_environment(const config::ClientOverrides& overrides,
                                               const Environment& env) {
  auto cfg = config::resolve_client_config(overrides, env);
  if (!cfg) return fail(cfg.error());
  ClientOptions o;
  o.region = cfg->region;
  o.endpoint_url = cfg->endpoint_url;
  o.retry_mode = cfg->retry_mode;
  o.max_attempts = cfg->max_attempts;
  o.connect_timeout = cfg->connect_timeout;
  o.read_timeout = cfg->read_timeout;
  o.ca_bundle = cfg->ca_bundle;
  o.env = &env;
  if (bearer_preferred(env)) {
    if (auto token = credentials::bearer_token_from_env(env)) o.bearer_token = std::move(*token);
  }
  // The chain is built even with a bearer token: it is lazy (nothing is read until get()),
  // and keeps SigV4 available if a caller drops the token.
  auto transport = make_default_transport(o);
  if (!transport) return fail(transport.error());
  o.transport = *transport;
  credentials::ChainOptions chain;
  chain.profile = overrides.profile;
  chain.region = cfg->region;
  chain.env = &env;
  chain.transport = *transport;
  o.credentials = credentials::make_default_chain(std::move(chain));
  return o;
}

Result<std::unique_ptr<BedrockClient>> BedrockClient::from_environment(
    const config::ClientOverrides& overrides, const Environment& env) {
  auto options = options_from_environment(overrides, env);
  if (!options) return fail(options.error());
  return create(std::move(*options));
}

}  // namespace bedrock::runtime
