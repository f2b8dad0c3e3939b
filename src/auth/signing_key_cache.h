// Memoised SigV4 signing keys. Deriving kSigning costs four HMACs; a client signs thousands
// of requests per (secret, day, region, service), so the key is cached. Private to bedrock_auth.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bedrock::auth::detail {

// Thread-safe. Entries are keyed by SHA-256 of the secret (never the secret itself) plus
// date, region and service. Bounded: when full, the whole map is dropped (keys roll over
// daily, so a bounded wipe is simpler than LRU and costs one re-derivation per entry).
class SigningKeyCache {
 public:
  explicit SigningKeyCache(size_t capacity = 64) : capacity_(capacity) {}

  std::string get(std::string_view secret, std::string_view date, std::string_view region,
                  std::string_view service);

  // get() behind a one-entry memo per thread (see signing_key_cache.cpp): the per-request
  // path. The reference stays valid until this thread's next call.
  const std::string& get_for_thread(std::string_view secret, std::string_view date,
                                    std::string_view region, std::string_view service);

  size_t size() const;
  size_t derivations() const;  // how many keys were computed (misses), for tests

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> keys_;
  size_t derivations_ = 0;
};

// The process-wide cache used by sigv4::cached_signing_key() and sign().
SigningKeyCache& shared_signing_key_cache();

}  // namespace bedrock::auth::detail
