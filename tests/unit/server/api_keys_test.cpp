#include "server/api_keys.h"

#include <gtest/gtest.h>

namespace bedrock::server {
namespace {

ApiKey key(std::string id, std::string_view secret, int concurrency = 0, int rpm = 0) {
  ApiKey k;
  k.id = std::move(id);
  k.sha256 = sha256(secret);
  k.max_concurrency = concurrency;
  k.requests_per_minute = rpm;
  return k;
}

net::HttpRequest with(boost::beast::string_view name, std::string value) {
  net::HttpRequest r{boost::beast::http::verb::get, "/", 11};
  r.set(name, value);
  return r;
}

// SHA-256 of "abc" (FIPS 180-2 test vector) and its hex round trip.
TEST(ApiKeys, Sha256MatchesTestVector) {
  const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  EXPECT_EQ(to_hex(sha256("abc")), hex);
  EXPECT_EQ(*parse_sha256_hex(hex), sha256("abc"));
  EXPECT_FALSE(parse_sha256_hex(hex.substr(1)).has_value());
  EXPECT_FALSE(parse_sha256_hex(std::string(63, 'a') + "g").has_value());
}

// The key comes from "Authorization: Bearer" (any case) or x-api-key.
TEST(ApiKeys, PresentedKeyFromBearerOrHeader) {
  EXPECT_EQ(presented_key(with("Authorization", "Bearer k1")), "k1");
  EXPECT_EQ(presented_key(with("Authorization", "bearer  k2 ")), "k2");
  EXPECT_EQ(presented_key(with("x-api-key", "k3")), "k3");
  EXPECT_EQ(presented_key(with("Authorization", "Basic abc")), "");
  EXPECT_EQ(presented_key(with("x-other", "k")), "");
}

// find() names the matching key and nothing for an unknown or empty key.
TEST(KeyRing, FindsMatchingKeyOnly) {
  KeyRing ring({key("a", "alpha-0123456789abc"), key("b", "beta-0123456789abcd")});
  EXPECT_EQ(ring.find("beta-0123456789abcd"), 1u);
  EXPECT_EQ(ring.find("alpha-0123456789abc"), 0u);
  EXPECT_EQ(ring.find("alpha-0123456789abX"), KeyRing::npos);
  EXPECT_EQ(ring.find(""), KeyRing::npos);
}

// A key at its concurrency limit is refused with 429 until a slot is released.
TEST(KeyRing, ConcurrencyLimit) {
  KeyRing ring({key("a", "alpha-0123456789abc", /*concurrency=*/2)});
  const auto now = KeyRing::Clock::now();
  EXPECT_FALSE(ring.admit(0, now).has_value());
  EXPECT_FALSE(ring.admit(0, now).has_value());
  auto refused = ring.admit(0, now);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 429u);
  EXPECT_TRUE(refused->retry_after.has_value());
  ring.release(0);
  EXPECT_FALSE(ring.admit(0, now).has_value());
}

// Requests per minute: a full bucket, then 429 with the seconds until the next request.
TEST(KeyRing, RequestsPerMinuteWithRetryAfter) {
  KeyRing ring({key("a", "alpha-0123456789abc", 0, /*rpm=*/2)});
  const auto t0 = KeyRing::Clock::now();
  EXPECT_FALSE(ring.admit(0, t0).has_value());
  ring.release(0);
  EXPECT_FALSE(ring.admit(0, t0).has_value());
  ring.release(0);
  auto refused = ring.admit(0, t0);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 429u);
  EXPECT_EQ(refused->retry_after->count(), 30);  // 2 per minute: one every 30 s
  EXPECT_FALSE(ring.admit(0, t0 + std::chrono::seconds(31)).has_value());
}

}  // namespace
}  // namespace bedrock::server
