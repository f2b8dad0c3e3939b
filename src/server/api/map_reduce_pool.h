// The worker threads that run large-document summaries. Map-reduce is the synchronous content
// code (content::summarize with chunking, its own bounded fan-out of `concurrency` threads per
// job) calling the model through a content::BlockingAsyncInvoker over the service's one
// AsyncBedrockClient: those threads wait, so they are few and never the I/O or upstream threads.
// Everything else in /api/ is asynchronous. At most `workers` jobs run and `queue` wait; a job
// beyond that is refused (the route answers 503 with Retry-After).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bedrock::server::api {

class MapReducePool {
 public:
  MapReducePool(int workers, std::size_t queue);
  ~MapReducePool();  // close()
  MapReducePool(const MapReducePool&) = delete;
  MapReducePool& operator=(const MapReducePool&) = delete;

  // Any thread. false: the queue is full or the pool is closed (the job is not run). A job must
  // not throw (what it throws is logged and dropped).
  bool try_submit(std::function<void()> job);

  // Sets closing() (running jobs' model calls see it and end Cancelled within the invoker's
  // poll), lets the queued jobs run (they fail fast the same way, so each answers its request),
  // and joins the workers. Idempotent; blocks until every job has returned.
  void close();
  const std::atomic<bool>& closing() const { return closing_; }

  std::size_t queued() const;

 private:
  void work();

  const std::size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::atomic<bool> closing_{false};
  bool stop_ = false;  // with mu_: workers exit once the queue is empty
  std::vector<std::thread> workers_;
};

}  // namespace bedrock::server::api
