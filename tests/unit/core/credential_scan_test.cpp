// The linear credential scanner against the std::regex rules it replaced (issue 11): equal on
// generated short text, and linear on long one-line text that made std::regex overflow the stack.
#include "bedrock/core/credential_scan.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "bedrock/core/log.h"
#include "bedrock/core/url_redaction.h"

namespace bedrock {
namespace {

// The former redact() rules, verbatim, kept only here as the oracle. std::regex recurses per
// matched character, so the oracle only ever sees short inputs.
struct OracleRule {
  std::regex pattern;
  const char* replacement;
};

const std::vector<OracleRule>& oracle_rules() {
  using std::regex_constants::ECMAScript;
  using std::regex_constants::icase;
  static const std::vector<OracleRule> kRules = {
      {std::regex(R"((authorization"?\s*[:=]\s*"?)[^"\r\n]*)", ECMAScript | icase), "$1****"},
      {std::regex(R"((x-amz-security-token"?\s*[:=]\s*"?)[^"\s,;&]+)", ECMAScript | icase),
       "$1****"},
      {std::regex(R"((x-amz-signature=)[0-9a-f]+)", ECMAScript | icase), "$1****"},
      {std::regex(R"((aws_secret_access_key|aws_session_token|aws_security_token)(\s*[=:]\s*)\S+)",
                  ECMAScript | icase),
       "$1$2****"},
      {std::regex(
           R"re(("(?:SecretAccessKey|SessionToken|Token|secret_access_key|session_token|aws_secret_access_key|AccessToken|api_key|apiKey)"\s*:\s*")[^"]*")re",
           ECMAScript | icase),
       "$1****\""},
      {std::regex(
           R"re((\\"(?:SecretAccessKey|SessionToken|Token|AccessToken)\\"\s*:\s*\\")[^"\\]*)re",
           ECMAScript | icase),
       "$1****"},
      {std::regex(R"(((?:SecretAccessKey|SessionToken|SecurityToken)\s*=\s*)[^\s&,;"']+)",
                  ECMAScript | icase),
       "$1****"},
      {std::regex(R"((<(?:\w+:)?(?:SecretAccessKey|SessionToken)>)[^<]*)", ECMAScript | icase),
       "$1****"},
      {std::regex(R"(bedrock-api-key-[A-Za-z0-9+/=_\-]+)"), "bedrock-api-key-****"},
      {std::regex(R"((Bearer\s+)[^\s"]+)", ECMAScript | icase), "$1****"},
  };
  return kRules;
}

std::string oracle_credentials(std::string text) {
  for (const auto& rule : oracle_rules()) {
    text = std::regex_replace(text, rule.pattern, rule.replacement);
  }
  return text;
}

// The former redact() without registered secrets (none of which occur in generated text).
std::string oracle_redact(std::string_view text) {
  return oracle_credentials(redact_url_credentials(text));
}

// Short text built from the rules' keywords, separators, quotes, line breaks and random bytes.
std::string generated_text(std::mt19937& rng) {
  static constexpr std::array<std::string_view, 52> kPieces = {"Authorization",
                                                               "authorization",
                                                               "AUTHORIZATION",
                                                               "\"Authorization\"",
                                                               "X-Amz-Security-Token",
                                                               "x-amz-security-token",
                                                               "X-Amz-Signature=",
                                                               "x-amz-signature=",
                                                               "aws_secret_access_key",
                                                               "AWS_SESSION_TOKEN",
                                                               "aws_security_token",
                                                               "aws_se",
                                                               "\"SecretAccessKey\"",
                                                               "\"Token\"",
                                                               "\"token\"",
                                                               "\"api_key\"",
                                                               "\"apiKey\"",
                                                               "\"session_token\"",
                                                               "\\\"Token\\\"",
                                                               "\\\"SessionToken\\\"",
                                                               "\\\"AccessToken\\\"",
                                                               "\\\"",
                                                               "SecretAccessKey",
                                                               "SessionToken",
                                                               "securitytoken",
                                                               "<SecretAccessKey>",
                                                               "<sts:SessionToken>",
                                                               "</SecretAccessKey>",
                                                               "<a_1:",
                                                               "<",
                                                               ">",
                                                               "bedrock-api-key-",
                                                               "Bedrock-api-key-",
                                                               "Bearer",
                                                               "bearer",
                                                               ":",
                                                               "=",
                                                               " ",
                                                               "\t",
                                                               "\n",
                                                               "\r",
                                                               "\"",
                                                               "\\",
                                                               "'",
                                                               ",",
                                                               ";",
                                                               "&",
                                                               "abc",
                                                               "DEADbeef",
                                                               "x/y+z_-=",
                                                               "https://user:pw@host/p",
                                                               "\f\v"};
  std::uniform_int_distribution<int> length(1, 14);
  std::uniform_int_distribution<std::size_t> piece(0, kPieces.size() + 7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string text;
  for (int n = length(rng); n > 0; --n) {
    const std::size_t p = piece(rng);
    if (p < kPieces.size()) {
      text += kPieces[p];
    } else {
      text += static_cast<char>(byte(rng));
    }
  }
  return text;
}

// On thousands of generated short texts the scanner gives exactly what the regex rules gave.
TEST(CredentialScan, EqualsTheRegexRulesOnGeneratedText) {
  std::mt19937 rng(11);
  int redacted = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string text = generated_text(rng);
    const std::string expected = oracle_redact(text);
    ASSERT_EQ(redact(text), expected) << "input: " << testing::PrintToString(text);
    ASSERT_EQ(redact_credentials(text), oracle_credentials(text))
        << "input: " << testing::PrintToString(text);
    if (expected != text) ++redacted;
  }
  // The generator must exercise the rules, not just pass text through.
  EXPECT_GT(redacted, 1000);
}

// Each rule on its own, including the shapes added after the emulator's first scanner.
TEST(CredentialScan, EqualsTheRegexRulesOnEachShape) {
  const std::vector<std::string> cases = {
      "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, Signature=abc\nnext",
      "x-amz-security-token: \"tok\";rest",
      "X-AMZ-SIGNATURE=ABCdef99z",
      "aws_session_token:abc def aws_security_token  =  q",
      R"({"session_token" : "a\"b", "apiKey":"k", "api_key": 5, "token":"")",
      R"(detail: "{\"SecretAccessKey\": \"wJal\", \"Token\":\"\"}")",
      "Action=X&SessionToken=FQo&SecretAccessKey = wJal;SecurityToken='q'",
      "<SecretAccessKey>wJal</SecretAccessKey><sts:SessionToken>FQo<x:y:SessionToken>z",
      "<SecretAccessKey:SessionToken>v<SecretAccessKey >w",
      "bedrock-api-key- x Bedrock-api-key-abc bedrock-api-key-a+b/c=d_e-f!",
      "BEARER\nxyz bearerbearer q Bearer\t\"x\"",
  };
  for (const auto& text : cases) {
    EXPECT_EQ(redact_credentials(text), oracle_credentials(text)) << text;
  }
  EXPECT_EQ(redact_credentials("<sts:SecretAccessKey>wJal</sts:SecretAccessKey>"),
            "<sts:SecretAccessKey>****</sts:SecretAccessKey>");
}

// A megabyte on one line, the shape that overflowed std::regex's stack, is redacted in linear
// time (the bound is generous: a linear scan takes milliseconds).
TEST(CredentialScan, MegabyteLinesAreLinear) {
  const auto started = std::chrono::steady_clock::now();
  const std::string bearer = "Authorization: Bearer " + std::string(1 << 20, 'x');
  EXPECT_EQ(redact(bearer), "Authorization: ****");
  std::string assignments;
  while (assignments.size() < (1u << 20)) assignments += "aws_secret_access_key=";
  EXPECT_EQ(redact(assignments), "aws_secret_access_key=****");
  std::string elements;
  while (elements.size() < (1u << 20)) elements += "<SessionToken><ns:SecretAccessKey>\\\"token";
  EXPECT_EQ(redact(elements).find("SessionToken><"), std::string::npos);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // A quadratic scan takes minutes on these inputs; linear ones take milliseconds optimised and
  // about 1.5 s under ASan at -O0 with the fuzzer's coverage instrumentation on a loaded machine.
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

}  // namespace
}  // namespace bedrock
