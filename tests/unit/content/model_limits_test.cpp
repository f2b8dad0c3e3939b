#include "bedrock/content/model_limits.h"

#include <gtest/gtest.h>

namespace bedrock::content {
namespace {

// Requests within both limits pass; over the window says by how much and offers chunking.
TEST(CheckFits, ReportsOverflowAndOffersChunking) {
  const ModelLimits m{"anthropic.claude-3-haiku-20240307-v1:0",
                      models::ModelFamily::AnthropicMessages, 200000, 4096};
  EXPECT_TRUE(check_fits(m, 150000, 4096, true));
  auto over = check_fits(m, 250000, 1000, true);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::InputTooLong);
  EXPECT_NE(over.error().message.find("51000 tokens too long"), std::string::npos)
      << over.error().message;
  EXPECT_NE(over.error().message.find("in chunks"), std::string::npos);
  auto plain = check_fits(m, 250000, 1000, false);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().message.find("in chunks"), std::string::npos);
  auto output = check_fits(m, 10, 8000, false);
  ASSERT_FALSE(output);
  EXPECT_EQ(output.error().code, ErrorCode::Validation);
  EXPECT_NE(output.error().message.find("by 3904"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::content
