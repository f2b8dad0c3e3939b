// An error as --json prints it: text from outside is valid UTF-8 and free of secrets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/record_json.h"

namespace bedrock::cli {
namespace {

// Invalid UTF-8 from a peer no longer makes dump() throw (which exited 1, "unexpected
// failure"); a password in a quoted URL is masked.
TEST(ErrorJson, OutsideTextIsRepairedAndRedacted) {
  Error e = Error::make(ErrorCode::ConfigurationInvalid,
                        "endpoint \"http://admin:Hunter2SecretPw@host\" rejected: bad \xFF byte");
  e.request_id = "rid-\xC3";
  nlohmann::json doc = to_json(e);
  std::string text;
  ASSERT_NO_THROW(text = doc.dump());
  EXPECT_EQ(text.find("Hunter2SecretPw"), std::string::npos) << text;
  EXPECT_NE(text.find("http://****@host"), std::string::npos) << text;
  EXPECT_NE(doc["detail"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::cli
