#include "curl_setup.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <mutex>

namespace bedrock::http::detail {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}
namespace {

// Whether any byte is CR, LF or NUL, eight bytes per step (SWAR: a byte of x ^ pattern is
// zero exactly where x holds that byte). Every header of every call is checked, and the
// Authorization value alone is ~200 bytes, so a per-byte loop showed in the client profile.
bool has_line_break(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (has_zero_byte(word) || has_zero_byte(word ^ (kOnes * '\r')) ||
        has_zero_byte(word ^ (kOnes * '\n'))) {
      return true;
    }
  }
  for (; i < s.size(); ++i) {
    if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return true;
  }
  return false;
}

}  // namespace

bool new_easy_and_multi(CURL*& easy, CURLM*& multi) {
  easy = curl_easy_init();
  multi = curl_multi_init();
  if (easy != nullptr && multi != nullptr) return true;
  if (easy != nullptr) curl_easy_cleanup(easy);
  if (multi != nullptr) curl_multi_cleanup(multi);
  easy = nullptr;
  multi = nullptr;
  return false;
}

void apply_connection_options(CURL* easy, const CurlTransportOptions& options, char* error_buffer) {
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  // Also keeps ALPN from offering h2: both paths speak HTTP/1.1 only.
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_bundle.c_str());
    curl_easy_setopt(easy, CURLOPT_PROXY_CAINFO, options.ca_bundle.c_str());
  }
  // An empty proxy string disables curl's own reading of *_proxy variables: proxies come from
  // the options only.
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  if (!options.no_proxy.empty()) curl_easy_setopt(easy, CURLOPT_NOPROXY, options.no_proxy.c_str());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
}

Status check_request_headers(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find(':') != std::string::npos || has_line_break(name) ||
        has_line_break(value)) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{}: header '{}' has an invalid name or a line break",
                              origin_of(request.url), name));
    }
  }
  return {};
}

std::string_view origin_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  std::size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  return url.substr(0, url.find_first_of("/?#", start));
}

}  // namespace bedrock::http::detail
