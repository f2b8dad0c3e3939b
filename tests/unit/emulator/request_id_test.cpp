// x-amzn-RequestId values: random version-4 UUIDs in the canonical 8-4-4-4-12 spelling, as
// Bedrock sends them.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "emulator/service.h"

namespace bedrock::emulator {
namespace {

TEST(RequestId, IsACanonicalVersion4Uuid) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::set<char> variants;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = new_request_id();
    ASSERT_TRUE(std::regex_match(id, uuid)) << id;
    variants.insert(id[19]);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(variants.size(), 4u);  // 8, 9, a and b all occur: the variant bits are not stuck
}

}  // namespace
}  // namespace bedrock::emulator
