#include "bedrock/http/url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bedrock::http {
namespace {

struct UrlCase {
  std::string input;
  std::string scheme, host;
  int port;
  std::string path, query, host_header;
};

TEST(ParseUrl, SplitsComponentsAndAppliesDefaultPorts) {
  // Components come out raw; host_header carries the port only when it is not the default.
  const std::vector<UrlCase> cases = {
      {"https://bedrock-runtime.us-east-1.amazonaws.com/model/a%3A0/invoke", "https",
       "bedrock-runtime.us-east-1.amazonaws.com", 443, "/model/a%3A0/invoke", "",
       "bedrock-runtime.us-east-1.amazonaws.com"},
      {"http://127.0.0.1:8080", "http", "127.0.0.1", 8080, "/", "", "127.0.0.1:8080"},
      {"http://localhost:80/x?a=1&b=%2F", "http", "localhost", 80, "/x", "a=1&b=%2F", "localhost"},
      {"HTTPS://Example.com:443?q", "https", "Example.com", 443, "/", "q", "Example.com"},
      {"https://h:8443/p#frag", "https", "h", 8443, "/p", "", "h:8443"},
      {"http://[::1]:9000/p", "http", "[::1]", 9000, "/p", "", "[::1]:9000"},
      {"http://[::1]/", "http", "[::1]", 80, "/", "", "[::1]"},
      {"http://169.254.170.2/v2/credentials/abc", "http", "169.254.170.2", 80,
       "/v2/credentials/abc", "", "169.254.170.2"},
  };
  for (const auto& c : cases) {
    auto url = parse_url(c.input);
    ASSERT_TRUE(url.has_value()) << c.input << ": " << url.error().message;
    EXPECT_EQ(url->scheme, c.scheme) << c.input;
    EXPECT_EQ(url->host, c.host) << c.input;
    EXPECT_EQ(url->port, c.port) << c.input;
    EXPECT_EQ(url->path, c.path) << c.input;
    EXPECT_EQ(url->query, c.query) << c.input;
    EXPECT_EQ(url->host_header(), c.host_header) << c.input;
  }
}

TEST(ParseUrl, StrRebuildsTheUrl) {
  // str() round-trips a URL without a default port.
  EXPECT_EQ(parse_url("http://h:81/a?b=c")->str(), "http://h:81/a?b=c");
  EXPECT_EQ(parse_url("https://h:443")->str(), "https://h/");
}

TEST(ParseUrl, RejectsUnusableUrls) {
  // Each bad URL fails with ConfigurationInvalid and the URL in the message.
  for (const char* bad :
       {"", "bedrock.amazonaws.com", "://h", "ftp://h/", "http://", "http:///path", "http://h:/",
        "http://h:0/", "http://h:65536/", "http://h:8x/", "http://user:pw@h/", "http://[::1/",
        "http://[::1]x/", "http://Z:.2]:80", "http://a]:80/", "http://a[b/"}) {
    auto url = parse_url(bad);
    ASSERT_FALSE(url.has_value()) << bad;
    EXPECT_EQ(url.error().code, ErrorCode::ConfigurationInvalid) << bad;
    EXPECT_NE(url.error().message.find(bad), std::string::npos) << url.error().message;
  }
}

struct SplitCase {
  std::string input;
  std::string scheme, authority, host, port, path, query, target;
};

TEST(SplitUrl, KeepsSpellingOfEveryPiece) {
  // Views into the input: no case folding, no default port, fragment dropped, "/" for no path.
  const std::vector<SplitCase> cases = {
      {"HTTPS://Example.COM:443/a%3A0/b?x=1#frag", "HTTPS", "Example.COM:443", "Example.COM", "443",
       "/a%3A0/b", "x=1", "/a%3A0/b?x=1"},
      {"http://h", "http", "h", "h", "", "/", "", ""},
      {"http://h?q", "http", "h", "h", "", "/", "q", "?q"},
      {"http://h#f/x?y", "http", "h", "h", "", "/", "", ""},
      {"http://[::1]:9000/p", "http", "[::1]:9000", "[::1]", "9000", "/p", "", "/p"},
      {"http://[fe80::1%25eth0]/", "http", "[fe80::1%25eth0]", "[fe80::1%25eth0]", "", "/", "",
       "/"},
      {"ws://h:1/", "ws", "h:1", "h", "1", "/", "", "/"},
      {"http://h:08080/", "http", "h:08080", "h", "08080", "/", "", "/"},
      {"http://h/a?b?c=d&e", "http", "h", "h", "", "/a", "b?c=d&e", "/a?b?c=d&e"},
  };
  for (const auto& c : cases) {
    auto url = split_url(c.input);
    ASSERT_TRUE(url.has_value()) << c.input << ": " << url.error();
    EXPECT_EQ(url->scheme, c.scheme) << c.input;
    EXPECT_EQ(url->authority, c.authority) << c.input;
    EXPECT_EQ(url->host, c.host) << c.input;
    EXPECT_EQ(url->port, c.port) << c.input;
    EXPECT_EQ(url->path, c.path) << c.input;
    EXPECT_EQ(url->query, c.query) << c.input;
    EXPECT_EQ(url->target, c.target) << c.input;
  }
}

TEST(SplitUrl, NamesWhyAUrlCannotBeSplit) {
  // Each malformed URL fails with its own reason.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "no scheme"},
      {"h/path", "no scheme"},
      {"://h", "no scheme"},
      {"http://user:pw@h/", "user-info not supported"},
      {"http://user@h", "user-info not supported"},
      {"http://[::1/", "unterminated IPv6 literal"},
      {"http://[::1]x/", "junk after IPv6 literal"},
      {"http://h:/", "empty port"},
      {"http://[::1]:/", "empty port"},
      {"http://", "empty host"},
      {"http:///p", "empty host"},
      {"http://[]/", "empty host"},
      {"http://:80/", "empty host"},
      {"http://h:8x/", "port must be 1-65535"},
      {"http://h:123456/", "port must be 1-65535"},
      {"http://h:-1/", "port must be 1-65535"},
  };
  for (const auto& [input, reason] : cases) {
    auto url = split_url(input);
    ASSERT_FALSE(url.has_value()) << input;
    EXPECT_EQ(url.error(), reason) << input;
  }
}

TEST(ForEachQueryPair, VisitsNonEmptyPairsInOrderWithOffsets) {
  // Pairs stay encoded, a bare key has an empty value, empty pairs are skipped, and returning
  // false stops the walk.
  std::vector<std::string> seen;
  for_each_query_pair(
      "a=1&&b&c=%2F=x&", [&](std::string_view key, std::string_view value, std::size_t at) {
        seen.push_back(std::string(key) + "|" + std::string(value) + "|" + std::to_string(at));
        return true;
      });
  EXPECT_EQ(seen, (std::vector<std::string>{"a|1|0", "b||5", "c|%2F=x|7"}));

  seen.clear();
  for_each_query_pair("x=1&stop=2&y=3", [&](std::string_view key, std::string_view, std::size_t) {
    seen.emplace_back(key);
    return key != "stop";
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"x", "stop"}));

  int calls = 0;
  for_each_query_pair("", [&](std::string_view, std::string_view, std::size_t) {
    ++calls;
    return true;
  });
  for_each_query_pair("&&", [&](std::string_view, std::string_view, std::size_t) {
    ++calls;
    return true;
  });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace bedrock::http
