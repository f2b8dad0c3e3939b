#include "cli/progress.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace bedrock::cli {
namespace {

using std::chrono::milliseconds;

// The bar fills in proportion and the ETA extrapolates from finished chunks.
TEST(ProgressBar, ProportionalFillAndEta) {
  ProgressSnapshot s{4, 10, 12345, milliseconds(8000)};
  EXPECT_EQ(render_progress_bar(s, 10),
            "[####------] 4/10 chunks  12,345 tokens  00:08 elapsed  ETA 00:12");
}

// Before the first chunk finishes there is no ETA to give.
TEST(ProgressBar, NoEtaBeforeFirstChunk) {
  ProgressSnapshot s{0, 3, 0, milliseconds(500)};
  EXPECT_EQ(render_progress_bar(s, 4), "[----] 0/3 chunks  0 tokens  00:00 elapsed  ETA --:--");
}

// An unknown total shows "?" and an empty bar rather than dividing by zero.
TEST(ProgressBar, UnknownTotal) {
  ProgressSnapshot s{2, 0, 1000000, milliseconds(61000)};
  EXPECT_EQ(render_progress_bar(s, 2),
            "[--] 2/? chunks  1,000,000 tokens  01:01 elapsed  ETA --:--");
}

TEST(StatusLine, Format) {
  EXPECT_EQ(render_status_line({10, 10, 2500, milliseconds(3250)}),
            "10/10 chunks, 2,500 tokens, 3.2 s");
}

// Quiet prints nothing; StatusLine prints exactly one line at the end, no redraws.
TEST(ProgressReporter, ModesWriteWhatTheyPromise) {
  char buffer[512] = {};
  std::FILE* out = fmemopen(buffer, sizeof buffer, "w");
  ASSERT_NE(out, nullptr);
  {
    ProgressReporter quiet(ProgressMode::Quiet, out);
    quiet.update({1, 2, 3, milliseconds(4)});
    quiet.finish({2, 2, 3, milliseconds(4)});
    ProgressReporter line(ProgressMode::StatusLine, out);
    line.update({1, 2, 3, milliseconds(4)});
    line.finish({2, 2, 30, milliseconds(1500)});
  }
  std::fclose(out);
  EXPECT_STREQ(buffer, "2/2 chunks, 30 tokens, 1.5 s\n");
  EXPECT_EQ(choose_progress_mode(true, true), ProgressMode::Quiet);
  EXPECT_EQ(choose_progress_mode(false, true), ProgressMode::Bar);
  EXPECT_EQ(choose_progress_mode(false, false), ProgressMode::StatusLine);
}

}  // namespace
}  // namespace bedrock::cli
