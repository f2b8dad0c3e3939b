// How much of what waits for the job store one statement carries. The runner keeps one submit
// flush and one result flush under way at a time (job_runner.cpp, queue_flush); what arrives
// meanwhile is taken by the next flush, oldest first, within these bounds, so a burst of large
// documents becomes several statements of bounded size rather than one unbounded one.
#pragma once

#include <cstddef>
#include <deque>
#include <utility>
#include <vector>

namespace bedrock::server::jobs {

inline constexpr std::size_t kMaxFlushJobs = 512;
// Past the first entry: an entry larger than this still goes, alone.
inline constexpr std::size_t kMaxFlushBytes = 8 << 20;

// Moves the oldest entries of `pending` into the returned batch: at most kMaxFlushJobs, and no
// more than kMaxFlushBytes (as `bytes_of` counts them) unless the first entry alone exceeds it.
template <typename T, typename BytesOf>
std::vector<T> take_flush_batch(std::deque<T>& pending, BytesOf bytes_of) {
  std::vector<T> batch;
  std::size_t bytes = 0;
  while (!pending.empty() && batch.size() < kMaxFlushJobs) {
    bytes += bytes_of(pending.front());
    if (!batch.empty() && bytes > kMaxFlushBytes) break;
    batch.push_back(std::move(pending.front()));
    pending.pop_front();
  }
  return batch;
}

}  // namespace bedrock::server::jobs
