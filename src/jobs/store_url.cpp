#include "store_url.h"

#include <fmt/format.h>

#include "bedrock/core/percent_encoding.h"
#include "bedrock/core/url_redaction.h"

namespace bedrock::jobs {

namespace {

constexpr std::size_t kMaxUrlBytes = 4096;

bool has_control_bytes(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Result<StoreUrl> invalid(std::string_view url, std::string_view why) {
  // Only a bounded, redacted prefix of the caller's text is echoed.
  std::string shown = redact_url_credentials(url.substr(0, 200));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return fail(ErrorCode::ConfigurationInvalid,
              fmt::format("the job store URL '{}' is not usable: {}", shown, why));
}

// The password of "scheme://user:password@host/...", percent-decoded; empty when none.
std::string password_of(std::string_view rest) {
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view user_info = authority.substr(0, at);
  const std::size_t colon = user_info.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view raw = user_info.substr(colon + 1);
  auto decoded = percent_decode(raw);
  return decoded ? *decoded : std::string(raw);
}

}  // namespace

Result<StoreUrl> parse_store_url(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return invalid(url, "it is longer than 4096 bytes");
  if (has_control_bytes(url)) return invalid(url, "it contains control characters");
  StoreUrl out;
  if (url == "sqlite::memory:") {
    out.sqlite_path = ":memory:";
    return out;
  }
  if (url.starts_with("sqlite://")) {
    std::string_view path = url.substr(9);
    if (path.empty()) return invalid(url, "the SQLite file path is empty");
    if (path.find_first_of("?#") != std::string_view::npos) {
      return invalid(url, "a SQLite URL takes no query or fragment");
    }
    if (path.back() == '/') return invalid(url, "the SQLite path names a folder, not a file");
    out.sqlite_path = std::string(path);
    return out;
  }
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.starts_with(scheme)) {
      out.backend = Backend::Postgresql;
      out.postgres_url = std::string(url);
      out.password = password_of(url.substr(scheme.size()));
      return out;
    }
  }
  return invalid(url, "use sqlite:///path/jobs.db, sqlite::memory: or postgresql://user@host/db");
}

std::string scrub_secret(std::string_view text, std::string_view secret) {
  std::string out;
  if (secret.empty()) {
    out = std::string(text);
  } else {
    std::size_t from = 0;
    for (std::size_t hit; (hit = text.find(secret, from)) != std::string_view::npos;
         from = hit + secret.size()) {
      out.append(text.substr(from, hit - from));
      out.append("****");
    }
    out.append(text.substr(from));
    // A secret made partly of '*' can reappear around a "****"; then nothing of it is shown.
    if (out.find(secret) != std::string::npos) return "(detail withheld: it would show a secret)";
  }
  return redact_url_credentials(out);
}

}  // namespace bedrock::jobs
