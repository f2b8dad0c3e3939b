// API keys: held only as SHA-256 digests, a presented key compared against every digest in
// constant time (CRYPTO_memcmp, and no early exit across keys), and each key's limits on
// requests in flight and requests per minute. Thread-safe; the limits take a per-key lock.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/net/http_types.h"
#include "server/http_error.h"
#include "server/server_config.h"

namespace bedrock::server {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view data);
std::string to_hex(const Sha256& digest);
// 64 hex digits (either case). Errors: ConfigurationInvalid.
Result<Sha256> parse_sha256_hex(std::string_view hex);

// The key a request presents: "Authorization: Bearer <key>" or "x-api-key: <key>"; empty
// when it presents none.
std::string_view presented_key(const net::HttpRequest& request);

class KeyRing {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  explicit KeyRing(std::vector<ApiKey> keys);
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  const ApiKey& key(std::size_t index) const { return keys_[index]; }

  // The index of the key whose digest matches `presented`, or npos. Takes the same time
  // whichever key (if any) matches.
  std::size_t find(std::string_view presented) const;

  // Takes one of the key's concurrency slots and one of its per-minute requests, or says why
  // not (429 RateLimited with Retry-After). A taken slot is given back with release().
  std::optional<HttpError> admit(std::size_t index, Clock::time_point now);
  void release(std::size_t index);

 private:
  struct State {
    std::mutex mutex;
    int in_flight = 0;
    double tokens = 0;  // requests left in the bucket (refilled at rpm/60 per second)
    Clock::time_point refilled{};
  };
  std::vector<ApiKey> keys_;
  std::vector<std::unique_ptr<State>> states_;
};

}  // namespace bedrock::server
