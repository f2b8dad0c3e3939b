// How long an idle I/O thread polls before it sleeps (ServerOptions::busy_poll), adapted the way
// Linux's haltpoll cpuidle governor adapts a virtual machine's halt polling: waking a sleeping
// thread costs a VM tens of microseconds (the vCPU halts, and the waker pays for an
// inter-processor interrupt), so a thread whose next event keeps coming soon after it falls idle
// polls for it, and one whose idle spells run longer than the limit soon stops polling at all
// instead of burning CPU for nothing.
#pragma once

#include <chrono>

namespace bedrock::net::detail {

class PollWindow {
 public:
  // limit: the longest a thread polls, and the longest idle spell worth polling through.
  explicit PollWindow(std::chrono::microseconds limit);

  // How long to poll in the idle spell that starts now. Zero at first: a thread begins by
  // sleeping, and only polls once short spells have shown that polling pays.
  std::chrono::nanoseconds current() const { return current_; }

  // An idle spell (polling plus sleeping) ended after `idle`.
  // - Longer than the window but within the limit: a longer window would have caught the event,
  //   so the window doubles (to at least a quarter of the limit, at most the limit).
  // - Longer than the limit: polling could not have caught it, so the window halves (and goes
  //   to zero once it is under a microsecond).
  // - Within the window: the poll caught the event; nothing changes.
  void record(std::chrono::nanoseconds idle);

 private:
  std::chrono::nanoseconds limit_;
  std::chrono::nanoseconds current_{0};
};

}  // namespace bedrock::net::detail
