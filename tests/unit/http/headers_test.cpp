#include <gtest/gtest.h>

#include "bedrock/http/transport.h"

namespace bedrock::http {
namespace {

TEST(FindHeader, IsCaseInsensitiveAndReturnsTheFirstMatch) {
  // Lookup ignores case, returns the first of duplicates, and nullopt when absent.
  Headers headers = {{"Content-Type", "application/json"},
                     {"x-amzn-RequestId", "abc"},
                     {"X-AMZN-REQUESTID", "second"},
                     {"Empty", ""}};
  EXPECT_EQ(find_header(headers, "content-type"), "application/json");
  EXPECT_EQ(find_header(headers, "X-Amzn-RequestId"), "abc");
  EXPECT_EQ(find_header(headers, "empty"), "");
  EXPECT_FALSE(find_header(headers, "Content-Length").has_value());
  EXPECT_FALSE(find_header(headers, "Content-Typ").has_value());
  EXPECT_FALSE(find_header({}, "a").has_value());
}

TEST(FindHeader, ResponseHeaderUsesTheSameLookup) {
  // Response::header is a thin wrapper over find_header.
  Response r{200, {{"X-Amzn-ErrorType", "ThrottlingException"}}, ""};
  EXPECT_EQ(r.header("x-amzn-errortype"), "ThrottlingException");
  EXPECT_FALSE(r.header("x-amzn-requestid").has_value());
}

}  // namespace
}  // namespace bedrock::http
