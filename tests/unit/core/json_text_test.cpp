// The direct JSON writer must print what nlohmann::json::dump() prints, since bodies written
// either way are compared byte for byte with golden files.
#include "bedrock/core/json_text.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace bedrock {
namespace {

// Every ASCII byte (control characters included) gets nlohmann's escape; UTF-8 is copied.
TEST(JsonText, StringsAreEscapedExactlyAsNlohmannDoes) {
  std::string text = "start";
  for (int c = 1; c < 128; ++c) text.push_back(static_cast<char>(c));
  text += "caf\xC3\xA9 \xF0\x9F\x98\x80 \"quoted\" back\\slash";
  std::string out = "x";
  append_json_string(out, text);
  EXPECT_EQ(out, "x" + nlohmann::json(text).dump());
}

// Integers across the whole int range, signs and digit counts.
TEST(JsonText, IntegersAreWrittenExactlyAsNlohmannDoes) {
  for (int value : {0, 1, -1, 9, 10, 256, 4096, 200000, std::numeric_limits<int>::max(),
                    std::numeric_limits<int>::min()}) {
    std::string out = "x";
    append_json_number(out, value);
    EXPECT_EQ(out, "x" + nlohmann::json(value).dump()) << value;
  }
}

}  // namespace
}  // namespace bedrock
