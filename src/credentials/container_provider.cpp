#include "bedrock/credentials/container_provider.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bedrock/core/json_nesting.h"
#include "bedrock/core/log.h"
#include "bedrock/core/url_redaction.h"
#include "bedrock/http/url.h"
#include "credential_support.h"
#include "http_support.h"

namespace bedrock::credentials {
namespace {

constexpr std::string_view kEcsHost = "http://169.254.170.2";

bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    static const in6_addr kLoopback = IN6ADDR_LOOPBACK_INIT;
    return std::memcmp(&v6, &kLoopback, sizeof v6) == 0;
  }
  return false;
}

// botocore ContainerMetadataFetcher._check_if_whitelisted_host: full URIs must be https or
// point at this machine or the ECS / EKS Pod Identity agent addresses, so a leaked variable
// cannot send the authorization token to an arbitrary plain-HTTP host.
Status check_full_uri(const std::string& url) {
  auto parts = http::parse_url(url);
  if (!parts) {
    return fail(ErrorCode::ConfigurationInvalid,
                redact_url_credentials(fmt::format("AWS_CONTAINER_CREDENTIALS_FULL_URI '{}': {}",
                                                   url, parts.error().message)));
  }
  if (parts->scheme == "https") return {};
  std::string host = parts->host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::string_view kAllowed[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23",
                                                  "localhost"};
  for (std::string_view allowed : kAllowed) {
    if (host == allowed) return {};
  }
  if (is_loopback(host)) return {};
  return fail(ErrorCode::ConfigurationInvalid,
              fmt::format("AWS_CONTAINER_CREDENTIALS_FULL_URI host '{}' is not allowed: plain "
                          "http is only accepted for loopback addresses, localhost, "
                          "169.254.170.2, 169.254.170.23 and fd00:ec2::23",
                          host));
}

Result<std::optional<std::string>> authorization_token(const Environment& env) {
  std::optional<std::string> token;
  std::string origin;
  if (auto path = env.non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    std::ifstream in(*path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || in.bad()) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '{}'", *path));
    }
    token = std::move(text).str();
    // Token files written by agents may end with a newline; only inner CR/LF is dangerous.
    while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();
    origin = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
  } else if (auto value = env.non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
    token = std::move(value);
    origin = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
  }
  if (token && token->find_first_of("\r\n") != std::string::npos) {
    // A CR/LF in a header value would let the token inject headers into the request.
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("the token from {} contains a CR or LF character", origin));
  }
  if (token) register_secret(*token);
  return token;
}

}  // namespace

Result<Credentials> ContainerProvider::get() {
  const Environment& env = *context_.env;
  std::string url;
  if (auto relative = env.non_empty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = fmt::format("{}{}{}", kEcsHost, relative->front() == '/' ? "" : "/", *relative);
  } else if (auto full = env.non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    if (auto ok = check_full_uri(*full); !ok) return fail(ok.error());
    url = *full;
  } else {
    return cred_detail::not_configured(
        "container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
        "AWS_CONTAINER_CREDENTIALS_FULL_URI not set)");
  }
  if (!context_.transport) {
    return fail(ErrorCode::ConfigurationInvalid,
                "the container credentials endpoint needs an HTTP transport and none was set");
  }
  const std::string what =
      fmt::format("container credentials endpoint {}", redact_url_credentials(url));
  Error last;
  const int attempts = std::max(1, options_.attempts);
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) context_.clock->sleep_for(options_.retry_delay);
    auto token = authorization_token(env);
    if (!token) return fail(token.error());
    http::Request request;
    request.method = "GET";
    request.url = url;
    request.headers = {{"Accept", "application/json"}};
    if (*token) request.headers.emplace_back("Authorization", **token);
    auto response = context_.transport->send(request, cred_detail::bounded_call(options_.timeout));
    if (!response) {
      last = response.error();
      last.message = fmt::format("{}: {}", what, last.message);
    } else if (response->status != 200) {
      ErrorCode code = (response->status == 401 || response->status == 403)
                           ? ErrorCode::AccessDenied
                           : ErrorCode::InvalidResponse;
      last = Error::make(code, fmt::format("{} returned HTTP {}: {}", what, response->status,
                                           cred_detail::snippet(response->body)));
      last.http_status = response->status;
    } else if (!nlohmann::json::accept(response->body)) {
      // A garbled body may be transient (botocore retries JSON decode errors too).
      last = Error::make(
          ErrorCode::InvalidResponse,
          fmt::format("{} did not return JSON: {}", what, cred_detail::snippet(response->body)));
      last.http_status = 200;
    } else {
      // Well-formed JSON with missing fields will not fix itself: no retry.
      return cred_detail::credentials_from_json(response->body, cred_detail::JsonCredentialShape{},
                                                what, "container");
    }
    if (attempt < attempts) {
      logger()->debug("container credentials attempt {} failed: {}", attempt, describe(last));
    }
  }
  return fail(std::move(last));
}

}  // namespace bedrock::credentials
