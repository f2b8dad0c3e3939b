#include "server/api_keys.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>

namespace bedrock::server {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view header_value(const net::HttpRequest& request, boost::beast::http::field f) {
  auto it = request.find(f);
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Sha256 sha256(std::string_view data) {
  Sha256 out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

std::string to_hex(const Sha256& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

Result<Sha256> parse_sha256_hex(std::string_view hex) {
  if (hex.size() != 64) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("a SHA-256 digest is 64 hex digits, got {} characters", hex.size()));
  }
  Sha256 out{};
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return fail(ErrorCode::ConfigurationInvalid, "a SHA-256 digest has only hex digits");
    }
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

std::string_view presented_key(const net::HttpRequest& request) {
  namespace http = boost::beast::http;
  std::string_view auth = trim(header_value(request, http::field::authorization));
  if (auth.size() > 7) {
    // The scheme is case-insensitive (RFC 9110 §11.1).
    std::string_view scheme = auth.substr(0, 7);
    bool bearer = true;
    for (std::size_t i = 0; i < 6; ++i) {
      char c = scheme[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != "bearer"[i]) bearer = false;
    }
    if (bearer && scheme[6] == ' ') return trim(auth.substr(7));
  }
  auto it = request.find("x-api-key");
  if (it != request.end()) return trim({it->value().data(), it->value().size()});
  return {};
}

KeyRing::KeyRing(std::vector<ApiKey> keys) : keys_(std::move(keys)) {
  const auto now = Clock::now();
  for (const ApiKey& k : keys_) {
    auto s = std::make_unique<State>();
    s->tokens = k.requests_per_minute;
    s->refilled = now;
    states_.push_back(std::move(s));
  }
}

std::size_t KeyRing::find(std::string_view presented) const {
  if (presented.empty()) return npos;
  const Sha256 digest = sha256(presented);
  std::size_t found = npos;
  // Every digest is compared, so the time does not say which key (or whether one) matched.
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const bool equal = CRYPTO_memcmp(digest.data(), keys_[i].sha256.data(), digest.size()) == 0;
    if (equal && found == npos) found = i;
  }
  return found;
}

std::optional<HttpError> KeyRing::admit(std::size_t index, Clock::time_point now) {
  const ApiKey& k = keys_[index];
  if (k.max_concurrency <= 0 && k.requests_per_minute <= 0) return std::nullopt;
  State& s = *states_[index];
  std::lock_guard lock(s.mutex);
  if (k.max_concurrency > 0 && s.in_flight >= k.max_concurrency) {
    return rate_limited(fmt::format("This API key has {} requests in flight, its limit; retry "
                                    "when one completes.",
                                    k.max_concurrency),
                        std::chrono::seconds(1));
  }
  if (k.requests_per_minute > 0) {
    const double per_second = k.requests_per_minute / 60.0;
    const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
    if (elapsed > 0) {
      s.tokens = std::min<double>(k.requests_per_minute, s.tokens + elapsed * per_second);
      s.refilled = now;
    }
    if (s.tokens < 1.0) {
      const auto wait = static_cast<long long>(std::ceil((1.0 - s.tokens) / per_second));
      return rate_limited(
          fmt::format("This API key is limited to {} requests per minute.", k.requests_per_minute),
          std::chrono::seconds(std::max<long long>(1, wait)));
    }
    s.tokens -= 1.0;
  }
  ++s.in_flight;
  return std::nullopt;
}

void KeyRing::release(std::size_t index) {
  const ApiKey& k = keys_[index];
  if (k.max_concurrency <= 0 && k.requests_per_minute <= 0) return;
  State& s = *states_[index];
  std::lock_guard lock(s.mutex);
  if (s.in_flight > 0) --s.in_flight;
}

}  // namespace bedrock::server
