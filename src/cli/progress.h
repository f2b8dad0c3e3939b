// Progress feedback on stderr: a redrawn bar on a terminal, one status line otherwise,
// nothing when quiet. Rendering is a pure function so it is tested without a terminal.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace bedrock::cli {

struct ProgressSnapshot {
  int done = 0;   // chunks (or calls) finished
  int total = 0;  // 0 = unknown
  long long tokens = 0;
  std::chrono::milliseconds elapsed{0};
};

// "[########------------]  4/10 chunks  1,234 tokens  00:03 elapsed  ETA 00:05"
// ETA is the elapsed time per finished chunk times the chunks left; "--:--" before the first.
std::string render_progress_bar(const ProgressSnapshot& snapshot, int bar_width = 24);

// "4/10 chunks, 1,234 tokens, 3.2 s"
std::string render_status_line(const ProgressSnapshot& snapshot);

enum class ProgressMode { Bar, StatusLine, Quiet };

// Thread-safe: updates may come from worker threads.
class ProgressReporter {
 public:
  ProgressReporter(ProgressMode mode, std::FILE* out = stderr) : mode_(mode), out_(out) {}
  void update(const ProgressSnapshot& snapshot);
  // Ends the bar line (Bar) or prints the single status line (StatusLine).
  void finish(const ProgressSnapshot& snapshot);

 private:
  std::mutex mu_;
  ProgressMode mode_;
  std::FILE* out_;
  bool drew_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

// Bar on a terminal, StatusLine when stderr is redirected, Quiet when asked.
ProgressMode choose_progress_mode(bool quiet, bool stderr_is_terminal);

}  // namespace bedrock::cli
