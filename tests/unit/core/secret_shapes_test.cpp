// The secret shapes credential sources produce are all masked by the log redactor.
#include <gtest/gtest.h>

#include <string>

#include "bedrock/core/log.h"

namespace bedrock {
namespace {

void expect_masked(const std::string& text, const std::string& secret) {
  const std::string out = redact(text);
  EXPECT_EQ(out.find(secret), std::string::npos) << text << " -> " << out;
  EXPECT_NE(out.find("****"), std::string::npos) << text << " -> " << out;
}

// Query-string / form renderings: SecretAccessKey=..., SessionToken=..., X-Amz-Security-Token.
TEST(SecretShapes, KeyValueRenderings) {
  expect_masked("Action=X&SecretAccessKey=wJalrXUtnFEMIK7MDENG&Version=1", "wJalrXUtnFEMIK7MDENG");
  expect_masked("SessionToken=FwoGZXIvYXdzEJr//////////", "FwoGZXIvYXdzEJr");
  expect_masked("secretaccesskey = abcdEFGH1234", "abcdEFGH1234");
  expect_masked("GET /?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F&X-Amz-Date=1", "IQoJb3JpZ2lu");
  expect_masked("x-amz-security-token: IQoJb3JpZ2luX2VjEJr", "IQoJb3JpZ2lu");
}

// The JSON a credential_process, the container endpoint or IMDS prints, pretty or compact.
TEST(SecretShapes, CredentialProcessJson) {
  const std::string doc =
      "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIDEXAMPLE\",\n"
      "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG\",\n"
      "  \"SessionToken\": \"FwoGZXIvYXdzEJr+token\",\n"
      "  \"Expiration\": \"2026-12-03T12:00:00Z\"\n}";
  expect_masked(doc, "wJalrXUtnFEMI");
  expect_masked(doc, "FwoGZXIvYXdzEJr");
  expect_masked(R"({"SecretAccessKey":"compactSecretValue1"})", "compactSecretValue1");
  expect_masked(R"({"Token" : "containerTokenValue"})", "containerTokenValue");
  EXPECT_NE(redact(doc).find("AKIDEXAMPLE"), std::string::npos);  // the key id is not secret
}

// The same JSON quoted inside another JSON string (an error detail showing the output).
TEST(SecretShapes, EscapedJsonInsideAString) {
  expect_masked(R"({"detail": "bad output: {\"SecretAccessKey\": \"escapedSecret99\"}"})",
                "escapedSecret99");
  expect_masked(R"("{\"SessionToken\":\"escapedToken77\"}")", "escapedToken77");
}

// STS answers in XML.
TEST(SecretShapes, StsXml) {
  expect_masked(
      "<Credentials><SecretAccessKey>xmlSecretKey1</SecretAccessKey>"
      "<SessionToken>xmlSessionTok</SessionToken></Credentials>",
      "xmlSecretKey1");
  expect_masked("<SessionToken>xmlSessionTok</SessionToken>", "xmlSessionTok");
}

}  // namespace
}  // namespace bedrock
