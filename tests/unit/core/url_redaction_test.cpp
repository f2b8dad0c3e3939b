// URL credentials are replaced wherever a URL is shown, alone or inside a message.
#include "bedrock/core/url_redaction.h"

#include <gtest/gtest.h>

#include "bedrock/core/log.h"

namespace bedrock {
namespace {

// The user-info goes, scheme, host, port and path stay.
TEST(UrlRedaction, ReplacesUserInfo) {
  EXPECT_EQ(redact_url_credentials("http://user:hunter2@127.0.0.1:8080/x?y=1"),
            "http://****@127.0.0.1:8080/x?y=1");
  EXPECT_EQ(redact_url_credentials("https://token@host"), "https://****@host");
  EXPECT_EQ(redact_url_credentials("http://a:b@c@host/p"), "http://****@host/p");
}

// Every URL inside free text or quoted JSON is redacted; text without one is unchanged.
TEST(UrlRedaction, RedactsUrlsInsideMessages) {
  EXPECT_EQ(redact_url_credentials(
                "endpoint URL must not contain user-info: \"http://u:p4ss@h\" (and ftp://x:y@z)"),
            "endpoint URL must not contain user-info: \"http://****@h\" (and ftp://****@z)");
  EXPECT_EQ(redact_url_credentials("mail me@example.com at http://host/a@b"),
            "mail me@example.com at http://host/a@b");
  EXPECT_EQ(redact_url_credentials("no url here"), "no url here");
}

// The log redactor applies it too, so a URL with a password cannot reach a log line.
TEST(UrlRedaction, LogRedactionCoversUrlCredentials) {
  EXPECT_EQ(redact("connecting to http://admin:s3cretpass@10.0.0.1:8080"),
            "connecting to http://****@10.0.0.1:8080");
}

}  // namespace
}  // namespace bedrock
