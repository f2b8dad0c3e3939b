// The emulator's prompt cache store: a prefix is written once and read while its TTL runs,
// by the clock the caller passes; bounded by least-recent use; keyed per model.
#include "emulator/prompt_cache_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/model/request_checks.h"

namespace bedrock::emulator {
namespace {

using namespace std::chrono_literals;
using model::CachePrefix;

CachePrefix prefix(std::string digest, int tokens, int ttl_seconds = 300) {
  CachePrefix p;
  p.digest = std::move(digest);
  p.tokens = tokens;
  p.ttl_seconds = ttl_seconds;
  p.one_hour = ttl_seconds == 3600;
  return p;
}

const SteadyTime kStart{};

// First request writes the prefix; the same prefix a minute later is read.
TEST(PromptCacheStore, WriteThenRead) {
  PromptCacheStore store;
  const std::vector<CachePrefix> prefixes = {prefix("a", 100)};
  auto first = store.account(prefixes, kStart);
  EXPECT_TRUE(first.present);
  EXPECT_EQ(first.read_tokens, 0);
  EXPECT_EQ(first.write_tokens, 100);
  auto second = store.account(prefixes, kStart + 60s);
  EXPECT_EQ(second.read_tokens, 100);
  EXPECT_EQ(second.write_tokens, 0);
}

// The deepest cached prefix is read and only the rest up to the last point is written.
TEST(PromptCacheStore, ReadsDeepestCachedPrefixWritesTheRest) {
  PromptCacheStore store;
  store.account(std::vector<CachePrefix>{prefix("sys", 100)}, kStart);
  auto usage =
      store.account(std::vector<CachePrefix>{prefix("sys", 100), prefix("msg", 130)}, kStart + 1s);
  EXPECT_EQ(usage.read_tokens, 100);
  EXPECT_EQ(usage.write_tokens, 30);
  usage =
      store.account(std::vector<CachePrefix>{prefix("sys", 100), prefix("msg", 130)}, kStart + 2s);
  EXPECT_EQ(usage.read_tokens, 130);
  EXPECT_EQ(usage.write_tokens, 0);
}

// Five minutes after its last use a default prefix is gone and written again; each read
// restarts the TTL.
TEST(PromptCacheStore, DefaultTtlExpires) {
  PromptCacheStore store;
  const std::vector<CachePrefix> prefixes = {prefix("a", 50)};
  store.account(prefixes, kStart);
  EXPECT_EQ(store.account(prefixes, kStart + 4min).read_tokens, 50);
  EXPECT_EQ(store.account(prefixes, kStart + 8min).read_tokens, 50);  // refreshed at 4 min
  auto after = store.account(prefixes, kStart + 13min + 1s);
  EXPECT_EQ(after.read_tokens, 0);
  EXPECT_EQ(after.write_tokens, 50);
}

// A "1h" prefix outlives five minutes and expires after an hour.
TEST(PromptCacheStore, OneHourTtl) {
  PromptCacheStore store;
  const std::vector<CachePrefix> prefixes = {prefix("a", 70, 3600)};
  auto first = store.account(prefixes, kStart);
  EXPECT_EQ(first.write_1h_tokens, 70);
  EXPECT_EQ(store.account(prefixes, kStart + 59min).read_tokens, 70);
  EXPECT_EQ(store.account(prefixes, kStart + 59min + 1h).read_tokens, 0);
}

// At the cap the least recently used prefix goes; a recently read one stays.
TEST(PromptCacheStore, EvictsLeastRecentlyUsedAtCap) {
  PromptCacheStore store(3);
  for (const char* d : {"a", "b", "c"}) {
    store.account(std::vector<CachePrefix>{prefix(d, 10)}, kStart);
  }
  EXPECT_EQ(store.account(std::vector<CachePrefix>{prefix("a", 10)}, kStart + 1s).read_tokens, 10);
  store.account(std::vector<CachePrefix>{prefix("d", 10)}, kStart + 2s);  // evicts "b"
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.account(std::vector<CachePrefix>{prefix("a", 10)}, kStart + 3s).read_tokens, 10);
  EXPECT_EQ(store.account(std::vector<CachePrefix>{prefix("b", 10)}, kStart + 4s).read_tokens, 0);
  EXPECT_EQ(PromptCacheStore::kCapacity, 4096u);
}

// The same body sent to two models keys two prefixes: the second model writes, not reads.
TEST(PromptCacheStore, DifferentModelsDoNotShare) {
  models::ModelInfo sonnet;
  sonnet.id = "anthropic.claude-sonnet-4-20250514-v1:0";
  sonnet.family = models::ModelFamily::AnthropicMessages;
  sonnet.max_output_tokens = 64000;
  sonnet.context_window = 200000;
  models::ModelInfo opus = sonnet;
  opus.id = "anthropic.claude-opus-4-20250514-v1:0";
  const std::string body =
      R"({"system":[{"text":")" + std::string(400, 'x') +
      R"("},{"cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"Hi?"}]}]})";
  auto a = model::parse_converse_request(sonnet, body);
  auto b = model::parse_converse_request(opus, body);
  ASSERT_TRUE(a && b);
  PromptCacheStore store;
  EXPECT_EQ(store.account(a->cache_prefixes, kStart).write_tokens, 100);
  auto other = store.account(b->cache_prefixes, kStart + 1s);
  EXPECT_EQ(other.read_tokens, 0);
  EXPECT_EQ(other.write_tokens, 100);
  EXPECT_EQ(store.account(a->cache_prefixes, kStart + 2s).read_tokens, 100);
}

// No cache points: nothing present, nothing stored.
TEST(PromptCacheStore, EmptyIsNotPresent) {
  PromptCacheStore store;
  auto usage = store.account({}, kStart);
  EXPECT_FALSE(usage.present);
  EXPECT_EQ(store.size(), 0u);
}

// Mixed TTLs: writes up to the deepest 1h point are 1h, the rest 5m; a read covers the 1h part.
TEST(PromptCacheStore, WritesSplitByTtl) {
  PromptCacheStore store;
  const std::vector<CachePrefix> prefixes = {prefix("sys", 100, 3600), prefix("msg", 130)};
  auto first = store.account(prefixes, kStart);
  EXPECT_EQ(first.write_tokens, 130);
  EXPECT_EQ(first.write_1h_tokens, 100);
  // Six minutes on, the 5m prefix is gone but the 1h one is read: only 5m writes remain.
  auto later = store.account(prefixes, kStart + 6min);
  EXPECT_EQ(later.read_tokens, 100);
  EXPECT_EQ(later.write_tokens, 30);
  EXPECT_EQ(later.write_1h_tokens, 0);
}

}  // namespace
}  // namespace bedrock::emulator
