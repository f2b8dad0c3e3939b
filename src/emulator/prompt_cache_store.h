// The emulator's prompt cache: which prompt prefixes (model::CachePrefix, digested per model)
// are cached until when, shared by every worker thread. Bounded: least recently used entries
// go first once kCapacity are held; expired ones are simply not found. Time comes from the
// emulator's Clock, so tests move it on instead of waiting.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "bedrock/core/clock.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"

namespace bedrock::emulator {

// Thread-safe; one short lock per request that has cache points, none for the others (they
// never call it).
class PromptCacheStore {
 public:
  static constexpr std::size_t kCapacity = 4096;

  explicit PromptCacheStore(std::size_t capacity = kCapacity) : capacity_(capacity) {}

  // One request's cache points at `now`: the deepest prefix still cached is read
  // (read_tokens = its tokens); the rest up to the last cache point is written
  // (write_tokens = last.tokens - read_tokens), for an hour up to the deepest 1h point
  // (write_1h_tokens) and for five minutes beyond it. Every prefix is then cached, or its TTL
  // restarted, from `now` (a read refreshes the entry, as on Bedrock).
  model::CacheUsage account(std::span<const model::CachePrefix> prefixes, SteadyTime now);

  std::size_t size() const;

 private:
  struct Entry {
    std::string digest;
    SteadyTime expires;
  };
  using Order = std::list<Entry>;  // most recently used first

  const std::size_t capacity_;
  mutable std::mutex mu_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> index_;
};

}  // namespace bedrock::emulator
