// Percent-encoding as SigV4 defines it (RFC 3986 unreserved set, upper-case hex), and the
// URL splitting the signer needs. Private to bedrock_auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bedrock::auth::detail {

// Appends `bytes` with every byte outside A-Z a-z 0-9 - _ . ~ encoded as %XX; '/' stays
// literal when `keep_slash` is set.
void append_encoded(std::string& out, std::string_view bytes, bool keep_slash);

std::string uri_encode(std::string_view bytes, bool keep_slash = false);

// Decodes %XX sequences (either hex case). A '%' not followed by two hex digits is kept as
// a literal '%', which the encoder then turns into %25, the way aws-c-auth treats it.
std::string uri_decode(std::string_view text);

struct UrlParts {
  std::string scheme;  // lower-case
  std::string host;    // lower-case, brackets kept for IPv6 literals
  std::string port;    // empty when absent
  std::string path;    // raw, "/" when absent
  std::string query;   // raw, without '?'
  // "host" or "host:port", omitting the scheme's default port, as SigV4 signs it.
  std::string host_header() const;
};

// Splits an absolute http(s) URL; nullopt when there is no scheme, no host, a non-numeric
// port, or user-info (never sent to AWS).
std::optional<UrlParts> split_url(std::string_view url);

// The same split as views into `url` (spelling kept, "/" when the path is absent): what
// sign() needs on every request, without copying the parts.
struct UrlView {
  std::string_view scheme;
  std::string_view host;
  std::string_view port;
  std::string_view path;
  std::string_view query;
  // As UrlParts::host_header: lower-case host, ":port" only when not the scheme's default.
  std::string host_header() const;
};
std::optional<UrlView> split_url_view(std::string_view url);

}  // namespace bedrock::auth::detail
