// The bounds of one job-store flush: oldest first, a count cap, a byte cap that a single large
// entry may exceed alone (it must still be written), nothing lost between flushes.
#include <gtest/gtest.h>

#include <string>

#include "server/jobs/flush_batch.h"

namespace bedrock::server::jobs {
namespace {

std::size_t size_of(const std::string& s) { return s.size(); }

TEST(JobsFlushBatch, TakesTheOldestFirstAndLeavesTheRestInOrder) {
  std::deque<std::string> pending{"a", "b", "c"};
  auto batch = take_flush_batch(pending, size_of);
  EXPECT_EQ(batch, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(pending.empty());
  EXPECT_TRUE(take_flush_batch(pending, size_of).empty());
}

TEST(JobsFlushBatch, StopsAtTheJobCountAndTheNextFlushTakesTheRest) {
  std::deque<std::string> pending;
  for (std::size_t i = 0; i < kMaxFlushJobs + 5; ++i) pending.push_back(std::to_string(i));
  auto first = take_flush_batch(pending, size_of);
  ASSERT_EQ(first.size(), kMaxFlushJobs);
  EXPECT_EQ(first.front(), "0");
  EXPECT_EQ(first.back(), std::to_string(kMaxFlushJobs - 1));
  auto second = take_flush_batch(pending, size_of);
  ASSERT_EQ(second.size(), 5u);
  EXPECT_EQ(second.front(), std::to_string(kMaxFlushJobs));
  EXPECT_TRUE(pending.empty());
}

TEST(JobsFlushBatch, StopsBeforeTheByteBoundButAlwaysTakesOneEntry) {
  const std::string third(kMaxFlushBytes / 3, 'x');
  std::deque<std::string> pending{third, third, third, "tail"};
  // Three thirds fit exactly; the fourth entry would pass the bound.
  auto batch = take_flush_batch(pending, size_of);
  EXPECT_EQ(batch.size(), 3u);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending.front(), "tail");

  std::deque<std::string> huge{std::string(kMaxFlushBytes + 1, 'y'), "next"};
  auto alone = take_flush_batch(huge, size_of);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone.front().size(), kMaxFlushBytes + 1);
  EXPECT_EQ(take_flush_batch(huge, size_of), (std::vector<std::string>{"next"}));
}

}  // namespace
}  // namespace bedrock::server::jobs
