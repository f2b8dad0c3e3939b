// GET /v1/jobs's query string: values decoded, bounds checked, malformed escapes refused with
// the parameter named (strtol once read "%zz" as a NUL byte).
#include <gtest/gtest.h>

#include "server/jobs/list_query.h"

namespace bedrock::server::jobs {
namespace {

TEST(JobsListQuery, ReadsStatusLimitAndCursor) {
  auto q = read_list_query("/v1/jobs?status=running&limit=20&cursor=17.job_a%2Bb+c");
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->state, bedrock::jobs::JobState::Running);
  EXPECT_EQ(q->limit, 20u);
  EXPECT_EQ(q->after, "17.job_a+b c");
  auto bare = read_list_query("/v1/jobs");
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->state);
  EXPECT_EQ(bare->limit, 50u);
  EXPECT_EQ(bare->after, "");
}

TEST(JobsListQuery, TheFirstOccurrenceWinsAndAFragmentEndsTheQuery) {
  EXPECT_EQ(query_value("/v1/jobs?limit=3&limit=4", "limit"), "3");
  EXPECT_EQ(query_value("/v1/jobs?cursor=a#cursor=b", "cursor"), "a");
  EXPECT_EQ(query_value("/v1/jobs?xlimit=3", "limit"), "");
  EXPECT_EQ(query_value("/v1/jobs?limit", "limit"), "");
}

TEST(JobsListQuery, RefusesBadValuesNamingTheParameter) {
  for (const char* target :
       {"/v1/jobs?limit=0", "/v1/jobs?limit=1001", "/v1/jobs?limit=-1", "/v1/jobs?limit=+5",
        "/v1/jobs?limit=5x", "/v1/jobs?limit=%20", "/v1/jobs?limit=99999999999999999999999"}) {
    auto q = read_list_query(target);
    ASSERT_FALSE(q) << target;
    EXPECT_EQ(q.error().status, 400u);
    EXPECT_EQ(q.error().param, "limit") << target;
  }
  auto state = read_list_query("/v1/jobs?status=sleeping");
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().param, "status");
}

TEST(JobsListQuery, RefusesMalformedPercentEscapes) {
  for (const char* target : {"/v1/jobs?cursor=%zz", "/v1/jobs?cursor=%4", "/v1/jobs?cursor=%",
                             "/v1/jobs?cursor=%-1", "/v1/jobs?cursor=a%g0"}) {
    auto q = read_list_query(target);
    ASSERT_FALSE(q) << target;
    EXPECT_EQ(q.error().param, "cursor") << target;
  }
  EXPECT_FALSE(query_value("/v1/jobs?status=%zz", "status"));
  EXPECT_EQ(query_value("/v1/jobs?status=%72unning", "status"), "running");
}

}  // namespace
}  // namespace bedrock::server::jobs
