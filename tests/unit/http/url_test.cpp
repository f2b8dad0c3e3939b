#include "bedrock/http/url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bedrock::http {
namespace {

struct EncodeCase {
  std::string input;
  bool keep_slash;
  std::string expected;
};

TEST(PercentEncode, MatchesReferenceModelIdTable) {
  // Reference §1.3: model ids and ARNs become single path segments, ':' and '/' encoded.
  const std::vector<EncodeCase> cases = {
      {"anthropic.claude-3-haiku-20240307-v1:0", false, "anthropic.claude-3-haiku-20240307-v1%3A0"},
      {"us.anthropic.claude-3-5-sonnet-20240620-v1:0", false,
       "us.anthropic.claude-3-5-sonnet-20240620-v1%3A0"},
      {"arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
       "us.anthropic.claude-3-haiku-20240307-v1:0",
       false,
       "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
       "us.anthropic.claude-3-haiku-20240307-v1%3A0"},
  };
  for (const auto& c : cases) EXPECT_EQ(percent_encode(c.input, c.keep_slash), c.expected);
}

TEST(PercentEncode, EncodesEverythingButUnreservedWithUpperCaseHex) {
  // Only A-Z a-z 0-9 - . _ ~ stay literal; space is %20 (never '+'); bytes >= 0x80 encode.
  const std::vector<EncodeCase> cases = {
      {"", false, ""},
      {"AZaz09-._~", false, "AZaz09-._~"},
      {"a b+c", false, "a%20b%2Bc"},
      {"/model/x:y/invoke", true, "/model/x%3Ay/invoke"},
      {"/model/x:y/invoke", false, "%2Fmodel%2Fx%3Ay%2Finvoke"},
      {"!*'();@&=$,?#[]%", false, "%21%2A%27%28%29%3B%40%26%3D%24%2C%3F%23%5B%5D%25"},
      {"\xC3\xA9\xFF", false, "%C3%A9%FF"},
      {std::string("a\0b", 3), false, "a%00b"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(percent_encode(c.input, c.keep_slash), c.expected) << c.input;
  }
}

TEST(PercentDecode, InvertsEncodingAndAcceptsLowerCaseHex) {
  // Decoding undoes percent_encode, accepts %3a as well as %3A and leaves '+' alone.
  EXPECT_EQ(percent_decode("v1%3A0"), "v1:0");
  EXPECT_EQ(percent_decode("v1%3a0"), "v1:0");
  EXPECT_EQ(percent_decode("a+b%20c"), "a+b c");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("%C3%A9"), "\xC3\xA9");
  const std::string arn =
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-v1:0";
  EXPECT_EQ(percent_decode(percent_encode(arn)), arn);
}

TEST(PercentDecode, RejectsMalformedEscapes) {
  // A '%' without two hex digits is an error rather than a silent pass-through.
  for (const char* bad : {"%", "%4", "abc%", "%G0", "%0g", "x%%41"}) {
    EXPECT_FALSE(percent_decode(bad).has_value()) << bad;
  }
}

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
  for (const char* bad : {"", "bedrock.amazonaws.com", "://h", "ftp://h/", "http://",
                          "http:///path", "http://h:/", "http://h:0/", "http://h:65536/",
                          "http://h:8x/", "http://user:pw@h/", "http://[::1/", "http://[::1]x/"}) {
    auto url = parse_url(bad);
    ASSERT_FALSE(url.has_value()) << bad;
    EXPECT_EQ(url.error().code, ErrorCode::ConfigurationInvalid) << bad;
    EXPECT_NE(url.error().message.find(bad), std::string::npos) << url.error().message;
  }
}

}  // namespace
}  // namespace bedrock::http
