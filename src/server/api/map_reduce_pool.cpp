#include "server/api/map_reduce_pool.h"

#include <algorithm>
#include <exception>

#include "bedrock/core/log.h"

namespace bedrock::server::api {

MapReducePool::MapReducePool(int workers, std::size_t queue) : queue_limit_(queue) {
  const int n = std::max(1, workers);
  workers_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

MapReducePool::~MapReducePool() { close(); }

bool MapReducePool::try_submit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stop_ || jobs_.size() >= queue_limit_) return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void MapReducePool::close() {
  closing_.store(true);
  {
    std::lock_guard lock(mu_);
    if (stop_ && workers_.empty()) return;
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard lock(mu_);
  workers_.clear();
}

std::size_t MapReducePool::queued() const {
  std::lock_guard lock(mu_);
  return jobs_.size();
}

void MapReducePool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      // No deadline on this wait: a worker idles until there is a job or the pool closes, and
      // close() wakes every worker.
      wake_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      logger()->error("map-reduce job failed: {}", e.what());
    } catch (...) {
      logger()->error("map-reduce job failed");
    }
  }
}

}  // namespace bedrock::server::api
