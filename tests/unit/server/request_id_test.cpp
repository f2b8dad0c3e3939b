#include "server/request_id.h"

#include <gtest/gtest.h>

#include <set>

namespace bedrock::server {
namespace {

// A caller's short token is kept so a trace can cross services.
TEST(RequestId, KeepsAcceptableOfferedId) {
  EXPECT_EQ(request_id_for("trace-abc_1.2"), "trace-abc_1.2");
}

// Anything that could break a header or a log line is replaced by a fresh id.
TEST(RequestId, ReplacesHostileOrLongIds) {
  for (std::string bad : {std::string("a b"), std::string("x\r\ny"), std::string("\"q\""),
                          std::string(65, 'a'), std::string()}) {
    const std::string id = request_id_for(bad);
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 16u);
    EXPECT_TRUE(is_acceptable_request_id(id));
  }
}

// Fresh ids do not repeat.
TEST(RequestId, FreshIdsAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(request_id_for({}));
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace bedrock::server
