#include "uri_encoding.h"

#include <cctype>

#include "bedrock/core/ascii.h"
#include "bedrock/core/percent_encoding.h"

namespace bedrock::auth::detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void append_encoded(std::string& out, std::string_view bytes, bool keep_slash) {
  append_percent_encoded(out, bytes, keep_slash);
}

std::string uri_encode(std::string_view bytes, bool keep_slash) {
  return percent_encoded(bytes, keep_slash);
}

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

namespace {

std::string host_header_of(std::string_view scheme, std::string_view host, std::string_view port) {
  const bool default_port = port.empty() || (iequals_ascii(scheme, "https") && port == "443") ||
                            (iequals_ascii(scheme, "http") && port == "80");
  std::string out = to_lower_ascii(host);
  if (!default_port) out.append(":").append(port);
  return out;
}

}  // namespace

std::string UrlParts::host_header() const { return host_header_of(scheme, host, port); }

std::string UrlView::host_header() const { return host_header_of(scheme, host, port); }

std::optional<UrlView> split_url_view(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlView parts;
  parts.scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || (host.front() == '[' && host.size() < 3)) return std::nullopt;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (port.size() > 5 || (authority.back() == ':')) return std::nullopt;
  parts.host = host;
  parts.port = port;

  size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  size_t question = rest.find('?');
  std::string_view path = rest.substr(0, question);
  parts.path = path.empty() ? std::string_view("/") : path;
  if (question != std::string_view::npos) parts.query = rest.substr(question + 1);
  return parts;
}

std::optional<UrlParts> split_url(std::string_view url) {
  auto view = split_url_view(url);
  if (!view) return std::nullopt;
  UrlParts parts;
  parts.scheme = to_lower_ascii(view->scheme);
  parts.host = to_lower_ascii(view->host);
  parts.port = std::string(view->port);
  parts.path = std::string(view->path);
  parts.query = std::string(view->query);
  return parts;
}

}  // namespace bedrock::auth::detail
