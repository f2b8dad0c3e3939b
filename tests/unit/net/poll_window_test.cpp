// PollWindow: a thread starts out sleeping, polls once short idle spells show it pays, polls no
// longer than the limit, and stops polling when its idle spells outlast the limit.
#include "net/poll_window.h"

#include <gtest/gtest.h>

namespace bedrock::net::detail {
namespace {

using namespace std::chrono_literals;

TEST(PollWindow, StartsSleepingAndGrowsOnlyWhileSpellsAreShortEnoughToCatch) {
  PollWindow window(40us);
  EXPECT_EQ(window.current(), 0ns);
  window.record(30us);                // within the limit: a window would have caught it
  EXPECT_EQ(window.current(), 10us);  // a quarter of the limit to begin with
  window.record(5us);                 // caught inside the window: no change
  EXPECT_EQ(window.current(), 10us);
  window.record(25us);
  EXPECT_EQ(window.current(), 20us);
  window.record(35us);
  EXPECT_EQ(window.current(), 40us);
  window.record(40us);  // caught at the very end of the window
  EXPECT_EQ(window.current(), 40us);
}

TEST(PollWindow, SpellsBeyondTheLimitHalveItDownToNothing) {
  PollWindow window(40us);
  window.record(30us);
  window.record(30us);
  window.record(30us);
  ASSERT_EQ(window.current(), 40us);
  window.record(41us);
  EXPECT_EQ(window.current(), 20us);
  for (int i = 0; i < 4; ++i) window.record(100ms);  // an upstream that takes its time
  EXPECT_EQ(window.current(), 1250ns);
  window.record(100ms);
  EXPECT_EQ(window.current(), 0ns);
  window.record(100ms);
  EXPECT_EQ(window.current(), 0ns);
}

TEST(PollWindow, ThreadsWhoseSpellsAreAllLongNeverPoll) {
  PollWindow window(50us);
  for (int i = 0; i < 1000; ++i) {
    window.record(i % 2 == 0 ? 2ms : 200us);
    ASSERT_EQ(window.current(), 0ns) << "spell " << i;
  }
}

TEST(PollWindow, AZeroLimitNeverPolls) {
  PollWindow window(0us);
  for (std::chrono::nanoseconds idle : {0ns, 1ns, 1000ns, 1000000ns}) {
    window.record(idle);
    EXPECT_EQ(window.current(), 0ns);
  }
}

}  // namespace
}  // namespace bedrock::net::detail
