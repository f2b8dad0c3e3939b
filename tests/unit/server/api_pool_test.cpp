// The map-reduce pool: bounded workers and queue, refusal when full, close() runs what was
// queued and signals the running jobs.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "server/api/map_reduce_pool.h"

namespace bedrock::server::api {
namespace {

// One worker, a queue of one: the third job is refused while the first runs and one waits.
TEST(MapReducePool, RefusesWhenFull) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  bool started = false;
  std::atomic<int> ran{0};
  MapReducePool pool(1, 1);
  ASSERT_TRUE(pool.try_submit([&] {
    std::unique_lock lock(mu);
    started = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return release; });
    ++ran;
  }));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return started; }));
  }
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(pool.queued(), 1u);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.close();
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(pool.try_submit([] {}));
}

// close() sets closing() for the jobs still running, so they can end early.
TEST(MapReducePool, CloseSignalsRunningJobs) {
  MapReducePool pool(2, 4);
  std::atomic<bool> saw_closing{false};
  std::atomic<bool> started{false};
  ASSERT_TRUE(pool.try_submit([&] {
    started = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!pool.closing().load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    saw_closing = pool.closing().load();
  }));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!started.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  ASSERT_TRUE(started.load());
  pool.close();
  EXPECT_TRUE(saw_closing.load());
}

// A job that throws does not end the worker: the next job still runs.
TEST(MapReducePool, ThrowingJobIsContained) {
  MapReducePool pool(1, 4);
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("boom"); }));
  ASSERT_TRUE(pool.try_submit([&] { ++ran; }));
  pool.close();
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace bedrock::server::api
