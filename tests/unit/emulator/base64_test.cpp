// base64 as the emulator writes it into "chunk" events (auth's encoder): RFC 4648 §10's test
// vectors, and every byte value round-tripping through the emulator's own decoder.
#include "bedrock/auth/base64.h"

#include <gtest/gtest.h>

#include "emulator/query_string.h"

namespace bedrock::emulator {
namespace {

std::string encoded(std::string_view bytes) { return auth::base64_encode(bytes); }

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(encoded(""), "");
  EXPECT_EQ(encoded("f"), "Zg==");
  EXPECT_EQ(encoded("fo"), "Zm8=");
  EXPECT_EQ(encoded("foo"), "Zm9v");
  EXPECT_EQ(encoded("foob"), "Zm9vYg==");
  EXPECT_EQ(encoded("fooba"), "Zm9vYmE=");
  EXPECT_EQ(encoded("foobar"), "Zm9vYmFy");
}

TEST(Base64, EveryByteRoundTrips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(0, length);
    auto back = base64_decode(encoded(bytes));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, bytes);
  }
}

}  // namespace
}  // namespace bedrock::emulator
