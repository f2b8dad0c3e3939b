#include "io_pool.h"

#include <boost/asio/post.hpp>
#include <exception>

#include "bedrock/core/log.h"
#include "poll_window.h"
#include "session.h"

namespace bedrock::net::detail {

namespace {

// run(), except that an idle thread polls for a while before it sleeps, for as long as its
// PollWindow says polling pays (ServerOptions::busy_poll).
void run_polling(Worker& worker, std::chrono::microseconds limit) {
  using Clock = std::chrono::steady_clock;
  boost::asio::io_context& context = worker.context;
  PollWindow window(limit);
  while (!context.stopped()) {
    if (context.poll() > 0) continue;
    const auto idle_since = Clock::now();
    const auto poll_until = idle_since + window.current();
    auto polled_at = idle_since;
    bool caught = false;
    while (polled_at < poll_until && !context.stopped()) {
      if (context.poll() > 0) {
        caught = true;
        break;
      }
      polled_at = Clock::now();
    }
    // A caught spell ends where the poll that caught it began: the handlers it ran are work, not
    // idleness. A slept one also counts the first handler's time (run_one cannot tell them
    // apart), which can only make the window shrink sooner.
    if (!caught) context.run_one();
    window.record((caught ? polled_at : Clock::now()) - idle_since);
    worker.poll_window_ns.store(window.current().count(), std::memory_order_relaxed);
  }
}

}  // namespace

IoPool::IoPool(int threads, std::chrono::microseconds busy_poll) : busy_poll_(busy_poll) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>());
    guards_.emplace_back(boost::asio::make_work_guard(workers_.back()->context));
  }
}

IoPool::~IoPool() {
  stop();
  while (!workers_.empty()) workers_.pop_back();
}

void IoPool::run() {
  for (auto& worker : workers_) {
    // No exception may end an I/O thread (that would terminate the process): handlers are
    // called inside try blocks, and anything else thrown out of run() is logged and the loop
    // resumed.
    threads_.emplace_back([w = worker.get(), poll = busy_poll_] {
      for (;;) {
        try {
          if (poll.count() > 0) {
            run_polling(*w, poll);
          } else {
            w->context.run();
          }
          return;
        } catch (const std::exception& e) {
          logger()->error("net: I/O thread: {}", e.what());
        } catch (...) {
          logger()->error("net: I/O thread: unknown exception");
        }
      }
    });
  }
}

void IoPool::close_sessions(std::chrono::milliseconds limit) {
  if (threads_.empty()) return;
  auto remaining = std::make_shared<std::atomic<std::size_t>>(workers_.size());
  for (auto& worker : workers_) {
    boost::asio::post(worker->context, [w = worker.get(), remaining] {
      while (RegistryLink* link = w->sessions.first()) {
        auto session = static_cast<Session*>(link)->shared_from_this();
        session->close();
        w->sessions.remove(*link);  // close() removes it; never loop on one that did not
      }
      remaining->fetch_sub(1);
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (remaining->load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void IoPool::stop() {
  guards_.clear();
  for (auto& worker : workers_) worker->context.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace bedrock::net::detail
