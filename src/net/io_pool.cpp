#include "io_pool.h"

#include <boost/asio/post.hpp>
#include <exception>

#include "bedrock/core/log.h"
#include "session.h"

namespace bedrock::net::detail {

namespace {

// run(), except that after the last handler it keeps polling for `window` before blocking
// (ServerOptions::busy_poll).
void run_polling(boost::asio::io_context& context, std::chrono::microseconds window) {
  using Clock = std::chrono::steady_clock;
  auto last_event = Clock::now();
  while (!context.stopped()) {
    if (context.poll() > 0) {
      last_event = Clock::now();
    } else if (Clock::now() - last_event >= window) {
      context.run_one();
      last_event = Clock::now();
    }
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
    threads_.emplace_back([c = &worker->context, poll = busy_poll_] {
      for (;;) {
        try {
          if (poll.count() > 0) {
            run_polling(*c, poll);
          } else {
            c->run();
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
