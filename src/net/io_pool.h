// One io_context per I/O thread: no cross-thread locking inside Asio on the hot path. Each
// thread also keeps the registry of its open sessions.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "session_registry.h"

namespace bedrock::net::detail {

struct Worker {
  boost::asio::io_context context{1};
  SessionRegistry sessions;
  // The thread's PollWindow, published for Server::poll_windows().
  std::atomic<std::int64_t> poll_window_ns{0};
};

class IoPool {
 public:
  IoPool(int threads, std::chrono::microseconds busy_poll);
  // The first worker (which owns the acceptors) goes last: sessions destroyed with the other
  // contexts still refer to their listener.
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  Worker& next() {
    return *workers_[next_.fetch_add(1, std::memory_order_relaxed) % workers_.size()];
  }
  Worker& first() { return *workers_.front(); }
  std::size_t size() const { return workers_.size(); }
  Worker& at(std::size_t i) { return *workers_[i]; }

  void run();
  // Closes every registered session on its own thread; waits up to `limit` for that.
  void close_sessions(std::chrono::milliseconds limit);
  void stop();

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
  std::chrono::microseconds busy_poll_;
};

}  // namespace bedrock::net::detail
