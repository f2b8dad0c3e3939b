// Edge cases of the individual SigV4 stages and of sign() beyond the signing vectors
// (tests/data/sigv4) and docs/wire-protocol.md §3.3.
#include <gtest/gtest.h>

#include <array>
#include <ctime>
#include <random>
#include <thread>
#include <utility>

#include "auth/signing_key_cache.h"
#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::sigv4 {
namespace {

std::string strftime_utc(std::int64_t seconds, const char* pattern) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm fields{};
  gmtime_r(&t, &fields);
  std::array<char, 32> buffer{};
  return std::string(buffer.data(), std::strftime(buffer.data(), buffer.size(), pattern, &fields));
}

// The calendar arithmetic behind X-Amz-Date agrees with the C library on leap days, century
// rules, the 2038 boundary and a sweep of random instants through 2200.
TEST(SigV4Dates, AgreeWithGmtimeAndStrftime) {
  std::vector<std::int64_t> instants = {0,          951782400,  951868799,  946684799,
                                        2147483647, 2147483648, 1709164800, 4107542399};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> any(0, 7258118400);  // through 2200-01-01
  for (int i = 0; i < 2000; ++i) instants.push_back(any(rng));
  for (std::int64_t s : instants) {
    const WallTime t{std::chrono::seconds(s)};
    EXPECT_EQ(amz_date(t), strftime_utc(s, "%Y%m%dT%H%M%SZ")) << s;
    EXPECT_EQ(date_stamp(t), strftime_utc(s, "%Y%m%d")) << s;
  }
  // Sub-second parts are dropped, never rounded up.
  EXPECT_EQ(amz_date(WallTime{std::chrono::milliseconds(1999)}), "19700101T000001Z");
}

const WallTime kStagesTime{std::chrono::seconds{1705320000}};  // 2024-01-15T12:00:00Z

SigningParams params(bool double_encode = true, bool normalize = true) {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = kStagesTime;
  p.double_encode_path = double_encode;
  p.normalize_path = normalize;
  return p;
}

Credentials creds() {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return c;
}

std::string header_named(const http::Request& r, std::string_view name) {
  std::string found = "<absent>";
  int count = 0;
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      found = v;
      ++count;
    }
  }
  return count > 1 ? "<duplicate>" : found;
}

TEST(SigV4Time, FormatsUtcIgnoringSubseconds) {
  // Fractions of a second are truncated; dates roll over at UTC midnight.
  WallTime t = kStagesTime + std::chrono::milliseconds(999);
  EXPECT_EQ(amz_date(t), "20240115T120000Z");
  WallTime midnight{std::chrono::seconds{1705363199}};  // 2024-01-15T23:59:59Z
  EXPECT_EQ(amz_date(midnight), "20240115T235959Z");
  EXPECT_EQ(date_stamp(midnight + std::chrono::seconds(1)), "20240116");
}

TEST(SigV4Uri, DoubleEncodesWirePath) {
  // Non-S3: '%' of the wire encoding is itself encoded; other reserved bytes too.
  EXPECT_EQ(canonical_uri("/model/a%3Ab/invoke", true, true), "/model/a%253Ab/invoke");
  EXPECT_EQ(canonical_uri("/model/a:b/invoke", true, true), "/model/a%3Ab/invoke");
  EXPECT_EQ(canonical_uri("/a b/~x", true, true), "/a%20b/~x");
  EXPECT_EQ(canonical_uri("", true, true), "/");
  EXPECT_EQ(canonical_uri("", true, false), "/");
}

// Normalisation removes empty, "." and ".." segments and leaves clean paths (the fast path)
// exactly as they were, including names that merely start with a dot.
TEST(SigV4Uri, NormalisationTouchesOnlyRemovableSegments) {
  const std::pair<const char*, const char*> cases[] = {
      {"/", "/"},
      {"/a/", "/a/"},
      {"/a/b", "/a/b"},
      {"/.a/b..", "/.a/b.."},
      {"/a/./b", "/a/b"},
      {"/a/../b", "/b"},
      {"//a//b", "/a/b"},
      {"/a/.", "/a"},
      {"/a/..", "/"},
      {"/..", "/"},
      {"/a/b/../", "/a/"},
      {"/./", "/"},
      {"/a/.../b", "/a/.../b"},
  };
  for (const auto& [raw, expected] : cases) {
    EXPECT_EQ(canonical_uri(raw, false, true), expected) << raw;
  }
}

TEST(SigV4Uri, SingleEncodingCanonicalisesEscapes) {
  // Single encoding: %xx decoded then re-encoded upper-case; an escaped '/' stays escaped.
  EXPECT_EQ(canonical_uri("/a%3ab", false, false), "/a%3Ab");
  EXPECT_EQ(canonical_uri("/a%2Fb/c", false, false), "/a%2Fb/c");
  EXPECT_EQ(canonical_uri("/a%41", false, false), "/aA");
  EXPECT_EQ(canonical_uri("/100%", false, false), "/100%25");
  EXPECT_EQ(canonical_uri("/%zz", false, false), "/%25zz");
}

TEST(SigV4Uri, NormalisationFollowsBotocore) {
  // Dot and empty segments removed; trailing slash kept only if segments remain.
  EXPECT_EQ(canonical_uri("/a/./b/../c", true, true), "/a/c");
  EXPECT_EQ(canonical_uri("//a//b//", true, true), "/a/b/");
  EXPECT_EQ(canonical_uri("/a/..", true, true), "/");
  EXPECT_EQ(canonical_uri("/../../a", true, true), "/a");
  EXPECT_EQ(canonical_uri("/a/b/.", true, true), "/a/b");
  EXPECT_EQ(canonical_uri("//a//b//", true, false), "//a//b//");
}

TEST(SigV4Query, SortsAndReEncodes) {
  // Pairs sorted by encoded key then value; decoded and re-encoded with the unreserved set.
  EXPECT_EQ(canonical_query(""), "");
  EXPECT_EQ(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query("k=a b&j=%2f&flag"), "flag=&j=%2F&k=a%20b");
  EXPECT_EQ(canonical_query("x=1+2&&y=~"), "x=1%2B2&y=~");
  EXPECT_EQ(canonical_query("maxResults=10&nextToken=abc%3D%3D"),
            "maxResults=10&nextToken=abc%3D%3D");
}

TEST(SigV4CanonicalRequest, HeaderRulesWithoutExplicitList) {
  // Lower-cased, sorted, trimmed, collapsed, duplicates joined, unsignable headers dropped.
  std::vector<HeaderLine> headers = {{"X-B", "  two   words "},
                                     {"user-agent", "ua"},
                                     {"Host", "h"},
                                     {"x-b", "\tsecond"},
                                     {"Connection", "close"},
                                     {"Authorization", "old"},
                                     {"X-Amzn-Trace-Id", "t"},
                                     {"Empty", ""}};
  auto parts = canonical_request("post", "/", "", headers, {}, kEmptyPayloadHash, params());
  EXPECT_EQ(parts.signed_headers, "empty;host;x-b");
  EXPECT_EQ(parts.canonical_request,
            "POST\n/\n\nempty:\nhost:h\nx-b:two words,second\n\nempty;host;x-b\n" +
                std::string(kEmptyPayloadHash));
}

TEST(SigV4CanonicalRequest, ValueNormalisationMatchesBotocoreSplitJoin) {
  // botocore signs ' '.join(value.split()). Random values over spaces, tabs, newlines and
  // letters exercise both the already-normal fast path and the collapsing path.
  std::mt19937 rng(20261125);
  const std::string alphabet = "ab  \t\n\r\f\v";
  for (int round = 0; round < 3000; ++round) {
    std::string value(rng() % 12, 'a');
    for (char& c : value) c = alphabet[rng() % alphabet.size()];
    std::string expected;
    std::string word;
    for (char c : value + " ") {
      if (std::string_view(" \t\n\r\f\v").find(c) != std::string_view::npos) {
        if (!word.empty()) expected += (expected.empty() ? "" : " ") + word;
        word.clear();
      } else {
        word.push_back(c);
      }
    }
    auto parts =
        canonical_request("GET", "/", "", {{"X-V", value}}, {}, kEmptyPayloadHash, params());
    EXPECT_EQ(parts.canonical_request,
              "GET\n/\n\nx-v:" + expected + "\n\nx-v\n" + std::string(kEmptyPayloadHash))
        << "value bytes: " << ::testing::PrintToString(value);
  }
}

TEST(SigV4CanonicalRequest, ExplicitSignedListSelectsHeaders) {
  // A verifier passes the client's SignedHeaders: only those are used, even user-agent.
  std::vector<HeaderLine> headers = {
      {"Host", "127.0.0.1:8080"}, {"User-Agent", "x"}, {"X-Other", "y"}, {"X-Amz-Date", "d"}};
  auto parts = canonical_request("GET", "/", "", headers, {"x-amz-date", "Host", "user-agent"},
                                 kEmptyPayloadHash, params());
  EXPECT_EQ(parts.signed_headers, "host;user-agent;x-amz-date");
  EXPECT_EQ(parts.canonical_request,
            "GET\n/\n\nhost:127.0.0.1:8080\nuser-agent:x\nx-amz-date:d\n\n"
            "host;user-agent;x-amz-date\n" +
                std::string(kEmptyPayloadHash));
}

TEST(SigV4Sign, AddsPortOnlyWhenNotDefault) {
  // Host is lower-cased and carries the port only when it is not the scheme's default.
  struct Case {
    const char* url;
    const char* host;
  } cases[] = {{"https://Example.COM/x", "example.com"},
               {"https://example.com:443/x", "example.com"},
               {"http://example.com:80/x", "example.com"},
               {"http://127.0.0.1:8080/x", "127.0.0.1:8080"},
               {"https://example.com:8443", "example.com:8443"},
               {"http://[::1]:9000/x", "[::1]:9000"}};
  for (const auto& c : cases) {
    http::Request r;
    r.url = c.url;
    ASSERT_TRUE(sign(r, creds(), params())) << c.url;
    EXPECT_EQ(header_named(r, "Host"), c.host) << c.url;
  }
}

TEST(SigV4Sign, KeepsExistingHostAndNeverSignsContentLengthOrUserAgent) {
  // An explicit Host is signed as given; Content-Length and User-Agent are not signed.
  http::Request r;
  r.url = "http://127.0.0.1:9/model/m/invoke";
  r.headers = {{"host", "proxy.local"}, {"Content-Length", "2"}, {"User-Agent", "ua"}};
  r.body = "{}";
  SigningTrace trace;
  ASSERT_TRUE(sign(r, creds(), params(), &trace));
  EXPECT_EQ(trace.signed_headers, "host;x-amz-date");
  EXPECT_EQ(header_named(r, "Host"), "<absent>");
  EXPECT_EQ(header_named(r, "host"), "proxy.local");
  EXPECT_NE(trace.canonical_request.find("host:proxy.local\n"), std::string::npos);
}

TEST(SigV4Sign, ResigningReplacesOldHeaders) {
  // A retry re-signs: exactly one Authorization / X-Amz-Date / token header afterwards.
  http::Request r;
  r.url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke";
  Credentials c = creds();
  c.session_token = "TOKEN1";
  ASSERT_TRUE(sign(r, c, params()));
  std::string first = header_named(r, "Authorization");
  c.session_token = "TOKEN2";
  SigningParams later = params();
  later.time = kStagesTime + std::chrono::seconds(5);
  ASSERT_TRUE(sign(r, c, later));
  EXPECT_EQ(header_named(r, "X-Amz-Date"), "20240115T120005Z");
  EXPECT_EQ(header_named(r, "X-Amz-Security-Token"), "TOKEN2");
  EXPECT_NE(header_named(r, "Authorization"), first);
  EXPECT_NE(header_named(r, "Authorization"), "<duplicate>");
  EXPECT_EQ(header_named(r, "Host"), "bedrock-runtime.us-east-1.amazonaws.com");
}

TEST(SigV4Sign, OmitSessionTokenAddsItAfterSigning) {
  // omit_session_token: the token is sent but not part of SignedHeaders.
  http::Request r;
  r.url = "https://example.com/";
  Credentials c = creds();
  c.session_token = "TOKEN";
  SigningParams p = params();
  p.omit_session_token = true;
  SigningTrace trace;
  ASSERT_TRUE(sign(r, c, p, &trace));
  EXPECT_EQ(trace.signed_headers, "host;x-amz-date");
  EXPECT_EQ(header_named(r, "X-Amz-Security-Token"), "TOKEN");
}

TEST(SigV4Sign, UsesGivenContentSha256AsPayloadHash) {
  // A caller-supplied X-Amz-Content-SHA256 is the payload-hash line (botocore parity).
  http::Request r;
  r.url = "https://example.com/";
  r.headers = {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};
  r.body = "ignored";
  SigningTrace trace;
  ASSERT_TRUE(sign(r, creds(), params(), &trace));
  EXPECT_TRUE(trace.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_EQ(trace.signed_headers, "host;x-amz-content-sha256;x-amz-date");
}

TEST(SigV4Sign, RejectsBadInput) {
  // Malformed URLs and empty keys are Validation errors, and the request is left untouched.
  for (const char* url : {"", "example.com/x", "https://", "https:///x", "https://h:abc/",
                          "https://user@h/", "https://[::1/x"}) {
    http::Request r;
    r.url = url;
    auto status = sign(r, creds(), params());
    ASSERT_FALSE(status) << url;
    EXPECT_EQ(status.error().code, ErrorCode::Validation) << url;
    EXPECT_TRUE(r.headers.empty()) << url;
  }
  http::Request r;
  r.url = "https://example.com/";
  Credentials empty_secret = creds();
  empty_secret.secret_access_key.clear();
  EXPECT_EQ(sign(r, empty_secret, params()).error().code, ErrorCode::Validation);
  SigningParams no_region = params();
  no_region.region.clear();
  EXPECT_EQ(sign(r, creds(), no_region).error().code, ErrorCode::Validation);
}

TEST(SigningKeyCache, DerivesOncePerScopeAndMatchesUncached) {
  // Same (secret, date, region, service) hits the cache; any change derives a new key.
  detail::SigningKeyCache cache(4);
  std::string a = cache.get("secret", "20240115", "us-east-1", "bedrock");
  EXPECT_EQ(a, signing_key("secret", "20240115", "us-east-1", "bedrock"));
  EXPECT_EQ(cache.get("secret", "20240115", "us-east-1", "bedrock"), a);
  EXPECT_EQ(cache.derivations(), 1u);
  EXPECT_NE(cache.get("secret2", "20240115", "us-east-1", "bedrock"), a);
  EXPECT_NE(cache.get("secret", "20240116", "us-east-1", "bedrock"), a);
  EXPECT_NE(cache.get("secret", "20240115", "us-west-2", "bedrock"), a);
  EXPECT_EQ(cache.derivations(), 4u);
  EXPECT_EQ(cache.size(), 4u);
  cache.get("secret", "20240115", "us-east-1", "s3");  // full: wiped, then inserted
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SigningKeyCache, ThreadMemoAnswersOnlyTheExactScope) {
  // The per-thread memo sits in front of get(): a repeat is served without a derivation, and
  // a change to any part (including a secret differing in its last byte, or a prefix of it)
  // gets that scope's own key, never the memoised one.
  detail::SigningKeyCache cache;
  const std::string key = cache.get_for_thread("secretA", "20240115", "us-east-1", "bedrock");
  EXPECT_EQ(key, signing_key("secretA", "20240115", "us-east-1", "bedrock"));
  const size_t after_first = cache.derivations();
  EXPECT_EQ(cache.get_for_thread("secretA", "20240115", "us-east-1", "bedrock"), key);
  EXPECT_EQ(cache.derivations(), after_first);
  const struct {
    const char *secret, *date, *region, *service;
  } changed[] = {{"secretB", "20240115", "us-east-1", "bedrock"},
                 {"secret", "20240115", "us-east-1", "bedrock"},
                 {"secretA", "20240116", "us-east-1", "bedrock"},
                 {"secretA", "20240115", "us-east-2", "bedrock"},
                 {"secretA", "20240115", "us-east-1", "s3"}};
  for (const auto& c : changed) {
    EXPECT_EQ(cache.get_for_thread(c.secret, c.date, c.region, c.service),
              signing_key(c.secret, c.date, c.region, c.service))
        << c.secret << " " << c.date << " " << c.region << " " << c.service;
  }
  // Another thread has its own memo and still gets the right key.
  std::string from_other_thread;
  std::thread([&] {
    from_other_thread = cache.get_for_thread("secretA", "20240115", "us-east-1", "bedrock");
  }).join();
  EXPECT_EQ(from_other_thread, key);
}

TEST(SigningKeyCache, ConcurrentUseAgrees) {
  // Many threads asking for the same key all get the same bytes.
  detail::SigningKeyCache cache;
  std::string expected = signing_key("s", "20240115", "r", "bedrock");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (cache.get("s", "20240115", "r", "bedrock") != expected) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SigV4Sign, ConcurrentSigningMatchesSequential) {
  // Threads sharing the key cache and per-thread digest contexts agree with a serial run.
  auto signed_value = [](int i) {
    http::Request r;
    r.url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/m" + std::to_string(i % 7) +
            "/invoke";
    r.body = "body" + std::to_string(i);
    Credentials c = creds();
    c.secret_access_key += std::to_string(i % 3);
    EXPECT_TRUE(sign(r, c, params()));
    return header_named(r, "Authorization");
  };
  std::vector<std::string> expected;
  for (int i = 0; i < 60; ++i) expected.push_back(signed_value(i));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 60; ++i) {
        if (signed_value(i) != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace bedrock::auth::sigv4
