#include "signing_key_cache.h"

#include "bedrock/auth/sigv4.h"
#include "crypto.h"

namespace bedrock::auth::detail {

std::string SigningKeyCache::get(std::string_view secret, std::string_view date,
                                 std::string_view region, std::string_view service) {
  // '\n' cannot occur in a date, region or service name, so the joined key is unambiguous.
  std::string cache_key = sha256_raw(secret);
  cache_key.append("\n").append(date).append("\n").append(region).append("\n").append(service);
  {
    std::lock_guard lock(mu_);
    auto it = keys_.find(cache_key);
    if (it != keys_.end()) return it->second;
  }
  // Derive outside the lock; a racing thread may derive the same key, which is harmless.
  std::string key = sigv4::signing_key(secret, date, region, service);
  std::lock_guard lock(mu_);
  ++derivations_;
  if (keys_.size() >= capacity_) keys_.clear();
  keys_.emplace(std::move(cache_key), key);
  return key;
}

size_t SigningKeyCache::size() const {
  std::lock_guard lock(mu_);
  return keys_.size();
}

size_t SigningKeyCache::derivations() const {
  std::lock_guard lock(mu_);
  return derivations_;
}

SigningKeyCache& shared_signing_key_cache() {
  static SigningKeyCache cache;
  return cache;
}

}  // namespace bedrock::auth::detail
