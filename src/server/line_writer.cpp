#include "server/line_writer.h"

#include <limits.h>
#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace bedrock::server {

struct LineWriter::State {
  explicit State(Options o) : options(o), fd(::dup(o.fd)) {}
  const Options options;
  // The writer thread's own copy of the descriptor, closed when it ends: the owner may close
  // its descriptor at any time, even while an abandoned writer still holds this one.
  const int fd;
  std::mutex mutex;
  std::condition_variable wake;  // the writer: lines to write, or stopping
  std::condition_variable done;  // the destructor: the writer has ended
  std::string pending;           // whole lines, each with its newline
  bool stopping = false;
  bool ended = false;
  std::atomic<bool> abandoned{false};  // the destructor gave up waiting: drop what is left
  std::atomic<std::uint64_t> dropped{0};
};

namespace {

using State = LineWriter::State;

std::uint64_t count_lines(std::string_view bytes) {
  return static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

// Waits until `fd` takes bytes, polling in short steps so that an abandoned writer stops
// waiting. False when it never will (abandoned, or the descriptor is closed or broken).
bool wait_writable(State& s) {
  if (s.fd < 0) return false;  // dup() failed: nothing can be written
  for (;;) {
    if (s.abandoned.load(std::memory_order_relaxed)) return false;
    pollfd p{s.fd, POLLOUT, 0};
    const int n = ::poll(&p, 1, 100);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) continue;
    return (p.revents & POLLOUT) != 0 && (p.revents & (POLLERR | POLLNVAL)) == 0;
  }
}

// Whole lines of `bytes`, at most PIPE_BUF per write(2) (a longer single line goes alone).
void write_lines(State& s, std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t take = bytes.size();
    if (take > PIPE_BUF) {
      const std::size_t last_newline = bytes.rfind('\n', PIPE_BUF - 1);
      take = last_newline != std::string_view::npos ? last_newline + 1 : bytes.find('\n') + 1;
      if (take == 0) take = bytes.size();  // no newline at all: cannot happen, write it whole
    }
    std::string_view chunk = bytes.substr(0, take);
    while (!chunk.empty()) {
      ssize_t n = -1;
      if (wait_writable(s)) {
        n = ::write(s.fd, chunk.data(), chunk.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      }
      if (n <= 0) {  // the descriptor will take nothing more: the rest is lost
        s.dropped.fetch_add(count_lines(bytes), std::memory_order_relaxed);
        return;
      }
      chunk.remove_prefix(static_cast<std::size_t>(n));
    }
    bytes.remove_prefix(take);
  }
}

void run_writer(const std::shared_ptr<State>& state) {
  // A reader that goes away makes write(2) fail with EPIPE; its SIGPIPE must not end a process
  // that has not ignored it.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  State& s = *state;
  std::string out;
  std::unique_lock lock(s.mutex);
  for (;;) {
    // Asleep while there is nothing to write (an idle server never wakes this thread); then
    // one flush interval for the batch to grow, cut short by wake_at bytes or stopping.
    s.wake.wait(lock, [&] { return s.stopping || !s.pending.empty(); });
    s.wake.wait_for(lock, s.options.flush_interval,
                    [&] { return s.stopping || s.pending.size() >= s.options.wake_at; });
    out.swap(s.pending);
    const bool last = s.stopping;
    lock.unlock();
    write_lines(s, out);
    out.clear();
    lock.lock();
    if (last && s.pending.empty()) break;
  }
  if (s.fd >= 0) ::close(s.fd);
  s.ended = true;
  s.done.notify_all();
}

}  // namespace

LineWriter::LineWriter(Options options) : state_(std::make_shared<State>(options)) {
  std::thread([state = state_] { run_writer(state); }).detach();
}

LineWriter::~LineWriter() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->wake.notify_one();
  if (!state_->done.wait_for(lock, state_->options.close_timeout, [&] { return state_->ended; })) {
    state_->abandoned.store(true, std::memory_order_relaxed);
  }
}

void LineWriter::append(std::string_view line) {
  std::lock_guard lock(state_->mutex);
  State& s = *state_;
  if (s.stopping || s.pending.size() + line.size() + 1 > s.options.max_buffered) {
    s.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const std::size_t before = s.pending.size();
  s.pending.append(line).push_back('\n');
  // The writer waits for the first line of a batch and for wake_at bytes: wake it at either.
  if (before == 0 || (before < s.options.wake_at && s.pending.size() >= s.options.wake_at)) {
    s.wake.notify_one();
  }
}

std::uint64_t LineWriter::dropped() const {
  return state_->dropped.load(std::memory_order_relaxed);
}

}  // namespace bedrock::server
