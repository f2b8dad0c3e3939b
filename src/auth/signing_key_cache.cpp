#include "signing_key_cache.h"

#include <openssl/crypto.h>

#include "bedrock/auth/sigv4.h"
#include "crypto.h"

namespace bedrock::auth::detail {
namespace {

// The last key this thread used. A client signs with one secret, day, region and service for
// hours, and this answers those calls without hashing the secret or taking the shared lock.
// It holds a copy of the secret (the credentials provider holds one anyway), compares it in
// constant time, and wipes it when replaced or when the thread ends.
class ThreadKeyMemo {
 public:
  ~ThreadKeyMemo() { wipe(); }

  const std::string* find(std::string_view secret, std::string_view date, std::string_view region,
                          std::string_view service) const {
    if (key_.empty() || date_ != date || region_ != region || service_ != service ||
        !constant_time_equals(secret_, secret)) {
      return nullptr;
    }
    return &key_;
  }

  void remember(std::string_view secret, std::string_view date, std::string_view region,
                std::string_view service, const std::string& key) {
    wipe();
    secret_.assign(secret);
    date_.assign(date);
    region_.assign(region);
    service_.assign(service);
    key_ = key;
  }

 private:
  void wipe() {
    if (!secret_.empty()) OPENSSL_cleanse(secret_.data(), secret_.size());
    if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
    secret_.clear();
    key_.clear();
  }

  std::string secret_, date_, region_, service_, key_;
};

}  // namespace

const std::string& SigningKeyCache::get_for_thread(std::string_view secret, std::string_view date,
                                                   std::string_view region,
                                                   std::string_view service) {
  thread_local ThreadKeyMemo memo;
  if (const std::string* key = memo.find(secret, date, region, service)) return *key;
  std::string key = get(secret, date, region, service);
  memo.remember(secret, date, region, service, key);
  OPENSSL_cleanse(key.data(), key.size());
  return *memo.find(secret, date, region, service);
}

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
