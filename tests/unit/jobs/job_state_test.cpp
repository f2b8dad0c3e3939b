#include <gtest/gtest.h>

#include "bedrock/jobs/job.h"

namespace bedrock::jobs {
namespace {

TEST(JobState, NamesRoundTrip) {
  for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                     JobState::Cancelled}) {
    EXPECT_EQ(parse_job_state(to_string(s)), s);
  }
  EXPECT_EQ(to_string(JobState::Queued), "queued");
  EXPECT_EQ(to_string(JobState::Cancelled), "cancelled");
  EXPECT_FALSE(parse_job_state("Queued"));
  EXPECT_FALSE(parse_job_state(""));
}

TEST(JobState, OnlySucceededFailedAndCancelledAreFinished) {
  EXPECT_FALSE(is_finished(JobState::Queued));
  EXPECT_FALSE(is_finished(JobState::Running));
  EXPECT_TRUE(is_finished(JobState::Succeeded));
  EXPECT_TRUE(is_finished(JobState::Failed));
  EXPECT_TRUE(is_finished(JobState::Cancelled));
}

}  // namespace
}  // namespace bedrock::jobs
