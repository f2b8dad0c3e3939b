// The one absolute-URL splitter, shared by the transport, the signer and the credential
// sources. Pure functions, thread-safe. (Percent-encoding lives in core/percent_encoding.h.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"

namespace bedrock::http {

// The pieces of an absolute URL as views into it, spelling kept (no case folding, no default
// port): what the signer and the direct transport read on every request without copying.
// parse_url() builds on it.
struct UrlView {
  std::string_view scheme;     // as written, never empty
  std::string_view authority;  // "host[:port]" as written
  std::string_view host;       // never empty; an IPv6 literal keeps its brackets: "[::1]"
  std::string_view port;       // 1 to 5 decimal digits, or empty when absent
  std::string_view path;       // raw (still encoded), "/" when the URL has none
  std::string_view query;      // raw, without the '?'; empty when absent
  std::string_view target;     // path and query as written; empty when the URL has neither
};

// Splits an absolute URL of any scheme; a fragment ("#...") is dropped. Fails with the reason
// (a static string) on a missing scheme, an empty host, user-info, a malformed IPv6 literal, or
// a port that is empty or not 1-5 digits.
tl::expected<UrlView, std::string_view> split_url(std::string_view text);

// Calls visit(key, value, at) for each non-empty '&'-separated pair of a raw query, in order:
// key and value still encoded, the value empty when the pair has no '=', `at` the pair's
// offset in `query`. Stops early when visit returns false.
template <typename Visit>
void for_each_query_pair(std::string_view query, Visit&& visit) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    const std::size_t at = start;
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (!visit(pair.substr(0, eq), value, at)) return;
  }
}

struct Url {
  std::string scheme;      // lower case: "http" or "https"
  std::string host;        // as written; an IPv6 literal keeps its brackets: "[::1]"
  std::uint16_t port = 0;  // explicit, or the scheme default (80 / 443)
  std::string path;        // raw (still encoded), "/" when the URL has none
  std::string query;       // raw, without the '?'; empty when absent

  // Host header value: host, plus ":port" only when the port is not the scheme default.
  std::string host_header() const;
  // scheme://host_header path [?query]
  std::string str() const;
};

// Parses an absolute http(s) URL. Fails with ConfigurationInvalid (naming the problem) on a
// missing or unsupported scheme, an empty host, user-info, or a port that is not 1-65535.
// A fragment ("#...") is dropped.
Result<Url> parse_url(std::string_view text);

}  // namespace bedrock::http
