#include "bedrock/core/base64.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

namespace bedrock {
namespace {

constexpr std::pair<const char*, const char*> kRfc4648Vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};

TEST(Base64, EncodesAndDecodesRfc4648Vectors) {
  // RFC 4648 §10's vectors, through the encoder and both decoders.
  for (auto [plain, encoded] : kRfc4648Vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), std::string(plain)) << encoded;
    EXPECT_EQ(base64_decode_lenient(encoded), std::string(plain)) << encoded;
  }
}

TEST(Base64, EveryByteRoundTrips) {
  // All 256 byte values at every length remainder survive encode then decode.
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(0, length);
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << length;
    EXPECT_EQ(base64_decode_lenient(base64_encode(bytes)), bytes) << length;
  }
}

TEST(Base64, StrictDecodeRejectsUnpaddedAndForeignInput) {
  // Strict: padded length, '=' only closing the last group, standard alphabet, no whitespace.
  for (const char* bad : {"Zg", "Zg=", "Z===", "====", "Zg==Zg==", "Zm9v YmFy", "Zm-v", "Zm_v",
                          "=Zg=", "Zm=v", "Zm9v\n"}) {
    EXPECT_EQ(base64_decode(bad), std::nullopt) << bad;
  }
}

TEST(Base64, LenientDecodeAcceptsMissingPaddingAndUrlAlphabet) {
  // What clients send: padding optional or excessive, '-' and '_' for '+' and '/'.
  EXPECT_EQ(base64_decode_lenient("Zg"), "f");
  EXPECT_EQ(base64_decode_lenient("Zm8"), "fo");
  EXPECT_EQ(base64_decode_lenient("Zg====="), "f");
  EXPECT_EQ(base64_decode_lenient("-_8="), "\xFB\xFF");
  EXPECT_EQ(base64_decode_lenient("+/8="), "\xFB\xFF");
  // A lone trailing character carries fewer than 8 bits and yields no byte.
  EXPECT_EQ(base64_decode_lenient("Zm9vY"), "foo");
}

TEST(Base64, LenientDecodeRejectsForeignCharacters) {
  // Whitespace, '=' inside the text and other punctuation are still errors.
  for (const char* bad : {"Zm9v YmFy", "Zg==Zg==", "Zm9v!", "Zm9v\n", "Z.g"}) {
    EXPECT_EQ(base64_decode_lenient(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace bedrock
