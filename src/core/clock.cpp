#include "bedrock/core/clock.h"

#include <thread>

namespace bedrock {

void SystemClock::sleep_for(Duration d) const { std::this_thread::sleep_for(d); }

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace bedrock
