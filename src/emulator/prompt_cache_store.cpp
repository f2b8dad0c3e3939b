#include "prompt_cache_store.h"

#include <algorithm>
#include <chrono>

namespace bedrock::emulator {

model::CacheUsage PromptCacheStore::account(std::span<const model::CachePrefix> prefixes,
                                            SteadyTime now) {
  model::CacheUsage usage;
  if (prefixes.empty()) return usage;
  usage.present = true;
  const model::CachePrefix& last = prefixes.back();
  std::lock_guard lock(mu_);
  for (std::size_t i = prefixes.size(); i-- > 0;) {
    auto it = index_.find(prefixes[i].digest);
    if (it != index_.end() && it->second->expires > now) {
      usage.read_tokens = prefixes[i].tokens;
      break;
    }
  }
  usage.write_tokens = std::max(0, last.tokens - usage.read_tokens);
  // 1h points come before 5m ones (Anthropic's rule), so what is written up to the deepest 1h
  // point is written for an hour and the rest for five minutes.
  for (const model::CachePrefix& prefix : prefixes) {
    if (!prefix.one_hour) continue;
    usage.write_1h_tokens = std::max(
        usage.write_1h_tokens, std::min(usage.write_tokens, prefix.tokens - usage.read_tokens));
  }
  for (const model::CachePrefix& prefix : prefixes) {
    const SteadyTime expires = now + std::chrono::seconds(prefix.ttl_seconds);
    if (auto it = index_.find(prefix.digest); it != index_.end()) {
      it->second->expires = expires;
      order_.splice(order_.begin(), order_, it->second);
      continue;
    }
    order_.push_front({prefix.digest, expires});
    index_.emplace(prefix.digest, order_.begin());
    while (order_.size() > capacity_) {
      index_.erase(order_.back().digest);
      order_.pop_back();
    }
  }
  return usage;
}

std::size_t PromptCacheStore::size() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

}  // namespace bedrock::emulator
