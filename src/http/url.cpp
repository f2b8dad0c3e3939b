#include "bedrock/http/url.h"

#include <fmt/format.h>

#include <charconv>

#include "bedrock/core/ascii.h"

namespace bedrock::http {
namespace {

std::uint16_t default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

tl::unexpected<Error> bad_url(std::string_view text, std::string_view why) {
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("invalid URL '{}': {}", text, why));
}

}  // namespace

tl::expected<UrlView, std::string_view> split_url(std::string_view text) {
  using Reason = tl::unexpected<std::string_view>;
  UrlView url;
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return Reason("no scheme");
  url.scheme = text.substr(0, scheme_end);
  std::string_view rest = text.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const std::size_t authority_end = rest.find_first_of("/?");
  url.authority = rest.substr(0, authority_end);
  url.target =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  const std::string_view authority = url.authority;
  if (authority.find('@') != std::string_view::npos) return Reason("user-info not supported");

  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Reason("unterminated IPv6 literal");
    url.host = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Reason("junk after IPv6 literal");
      url.port = after.substr(1);
      has_port = true;
    }
  } else {
    const std::size_t port_colon = authority.rfind(':');
    url.host = authority.substr(0, port_colon);
    if (port_colon != std::string_view::npos) {
      url.port = authority.substr(port_colon + 1);
      has_port = true;
    }
  }
  if (has_port && url.port.empty()) return Reason("empty port");
  if (url.host.empty() || url.host == "[]") return Reason("empty host");
  // Outside an IPv6 literal these cannot be part of a host; accepting "a:b]" made str() print
  // a URL that no longer parsed (found by fuzz/url).
  if (url.host.front() != '[' && url.host.find_first_of(":[]") != std::string_view::npos) {
    return Reason("invalid host");
  }
  if (url.port.size() > 5 || url.port.find_first_not_of("0123456789") != std::string_view::npos) {
    return Reason("port must be 1-65535");
  }

  const std::size_t q = url.target.find('?');
  url.path = url.target.substr(0, q);
  if (url.path.empty()) url.path = "/";
  if (q != std::string_view::npos) url.query = url.target.substr(q + 1);
  return url;
}

std::string Url::host_header() const {
  if (port == default_port(scheme)) return host;
  return fmt::format("{}:{}", host, port);
}

std::string Url::str() const {
  std::string out = fmt::format("{}://{}{}", scheme, host_header(), path);
  if (!query.empty()) {
    out.push_back('?');
    out += query;
  }
  return out;
}

Result<Url> parse_url(std::string_view text) {
  auto view = split_url(text);
  if (!view) return bad_url(text, view.error());
  Url url;
  url.scheme = to_lower_ascii(view->scheme);
  if (url.scheme != "http" && url.scheme != "https") {
    return bad_url(text, "scheme must be http or https");
  }
  url.host = std::string(view->host);
  url.port = default_port(url.scheme);
  if (!view->port.empty()) {
    unsigned value = 0;
    std::from_chars(view->port.data(), view->port.data() + view->port.size(), value);
    if (value == 0 || value > 65535) return bad_url(text, "port must be 1-65535");
    url.port = static_cast<std::uint16_t>(value);
  }
  url.path = std::string(view->path);
  url.query = std::string(view->query);
  return url;
}

}  // namespace bedrock::http
