#include "progress.h"

#include <fmt/format.h>

namespace bedrock::cli {
namespace {

std::string with_thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++count;
  }
  return n < 0 ? "-" + out : out;
}

std::string mm_ss(std::chrono::milliseconds ms) {
  long long s = ms.count() / 1000;
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

}  // namespace

std::string render_progress_bar(const ProgressSnapshot& snapshot, int bar_width) {
  int filled = 0;
  if (snapshot.total > 0) {
    filled = static_cast<int>(static_cast<long long>(bar_width) * snapshot.done / snapshot.total);
    if (filled > bar_width) filled = bar_width;
  }
  std::string bar = "[" + std::string(filled, '#') + std::string(bar_width - filled, '-') + "]";
  std::string eta = "--:--";
  if (snapshot.done > 0 && snapshot.total >= snapshot.done) {
    auto per_chunk = snapshot.elapsed / snapshot.done;
    eta = mm_ss(per_chunk * (snapshot.total - snapshot.done));
  }
  std::string total = snapshot.total > 0 ? std::to_string(snapshot.total) : "?";
  return fmt::format("{} {}/{} chunks  {} tokens  {} elapsed  ETA {}", bar, snapshot.done, total,
                     with_thousands(snapshot.tokens), mm_ss(snapshot.elapsed), eta);
}

std::string render_status_line(const ProgressSnapshot& snapshot) {
  std::string total = snapshot.total > 0 ? std::to_string(snapshot.total) : "?";
  return fmt::format("{}/{} chunks, {} tokens, {:.1f} s", snapshot.done, total,
                     with_thousands(snapshot.tokens),
                     static_cast<double>(snapshot.elapsed.count()) / 1000.0);
}

void ProgressReporter::update(const ProgressSnapshot& snapshot) {
  if (mode_ != ProgressMode::Bar) return;
  std::lock_guard lock(mu_);
  // Redrawing more than ~20 times a second only costs terminal bandwidth.
  auto now = std::chrono::steady_clock::now();
  if (drew_ && snapshot.done != snapshot.total && now - last_draw_ < std::chrono::milliseconds(50))
    return;
  last_draw_ = now;
  drew_ = true;
  std::fprintf(out_, "\r\033[2K%s", render_progress_bar(snapshot).c_str());
  std::fflush(out_);
}

void ProgressReporter::finish(const ProgressSnapshot& snapshot) {
  std::lock_guard lock(mu_);
  switch (mode_) {
    case ProgressMode::Bar:
      std::fprintf(out_, "\r\033[2K%s\n", render_progress_bar(snapshot).c_str());
      break;
    case ProgressMode::StatusLine:
      std::fprintf(out_, "%s\n", render_status_line(snapshot).c_str());
      break;
    case ProgressMode::Quiet:
      return;
  }
  std::fflush(out_);
}

ProgressMode choose_progress_mode(bool quiet, bool stderr_is_terminal) {
  if (quiet) return ProgressMode::Quiet;
  return stderr_is_terminal ? ProgressMode::Bar : ProgressMode::StatusLine;
}

}  // namespace bedrock::cli
