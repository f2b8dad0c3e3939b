// URL helpers shared by the transport, the request builders and the emulator: RFC 3986
// percent-encoding and a small absolute-URL parser. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"

namespace bedrock::http {

// Percent-encodes every byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~), with
// upper-case hex, as botocore's percent_encode does: "v1:0" -> "v1%3A0", an ARN's "/" -> "%2F".
// keep_slash leaves "/" literal (for encoding a whole path rather than one segment).
std::string percent_encode(std::string_view text, bool keep_slash = false);

// Decodes %XX escapes (either hex case). '+' stays '+' (this is not form decoding).
// nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

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
