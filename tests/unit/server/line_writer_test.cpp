// LineWriter: lines reach the descriptor whole and in order, a reader that takes nothing never
// holds up append() or the destructor, a full buffer drops and counts, a reader that goes away
// costs lines (counted), not the process, and other writers' lines never land inside ours.
#include "server/line_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace bedrock::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Pipe {
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() {
    close_read();
    if (fds[1] >= 0) ::close(fds[1]);
  }
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  // Everything readable until `until` passes or `want` bytes came.
  std::string read_for(milliseconds limit, std::size_t want) {
    std::string got;
    const auto until = Clock::now() + limit;
    char buf[65536];
    while (got.size() < want && Clock::now() < until) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
  int fds[2] = {-1, -1};
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', at)) {
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

LineWriter::Options writing_to(const Pipe& pipe, milliseconds flush_interval = milliseconds(50)) {
  LineWriter::Options o;
  o.fd = pipe.fds[1];
  o.flush_interval = flush_interval;
  return o;
}

std::string line(int i) {
  return "{\"line\":" + std::to_string(i) + ",\"pad\":\"" + std::string(200, 'a') + "\"}";
}

TEST(LineWriter, LinesArriveWholeAndInOrderWithinTheFlushInterval) {
  Pipe pipe;
  LineWriter writer(writing_to(pipe, milliseconds(20)));
  writer.append(line(0));
  // One short line, far below wake_at: the interval alone brings it out.
  const std::string first = pipe.read_for(milliseconds(2000), line(0).size() + 1);
  EXPECT_EQ(first, line(0) + "\n");
  for (int i = 1; i < 2000; ++i) writer.append(line(i));
  std::size_t want = 0;
  for (int i = 1; i < 2000; ++i) want += line(i).size() + 1;
  const std::vector<std::string> got = lines_of(pipe.read_for(milliseconds(5000), want));
  ASSERT_EQ(got.size(), 1999u);
  for (int i = 1; i < 2000; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i - 1)], line(i));
  EXPECT_EQ(writer.dropped(), 0u);
}

// Nobody reads the pipe: append() still returns at once, lines beyond the buffer are dropped
// and counted, and the destructor gives up after its close timeout.
TEST(LineWriter, AReaderThatTakesNothingHoldsUpNeitherAppendNorTheDestructor) {
  Pipe pipe;
  LineWriter::Options o = writing_to(pipe);
  o.max_buffered = 256 * 1024;
  o.close_timeout = milliseconds(300);
  auto writer = std::make_unique<LineWriter>(o);
  const auto start = Clock::now();
  constexpr int kLines = 20000;  // ~4.3 MB: far more than the pipe (64 KiB) and the buffer
  for (int i = 0; i < kLines; ++i) writer->append(line(i));
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_GT(writer->dropped(), 0u);
  EXPECT_LT(writer->dropped(), static_cast<std::uint64_t>(kLines));
  const auto closing = Clock::now();
  writer.reset();
  EXPECT_LT(Clock::now() - closing, milliseconds(1500));
}

// The reader goes away: the lines are lost and counted; the process (which does not ignore
// SIGPIPE here) lives on.
TEST(LineWriter, AReaderThatGoesAwayCostsLinesNotTheProcess) {
  Pipe pipe;
  LineWriter writer(writing_to(pipe, milliseconds(10)));
  pipe.close_read();
  for (int i = 0; i < 100; ++i) writer.append(line(i));
  for (int i = 0; i < 300 && writer.dropped() < 100; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(writer.dropped(), 100u);
}

// Another thread writes its own lines to the same pipe meanwhile (as the error log shares
// stderr): every line read is one of theirs or one of ours, whole.
TEST(LineWriter, OtherWritersLinesNeverLandInsideOurs) {
  Pipe pipe;
  LineWriter::Options o = writing_to(pipe, milliseconds(5));
  o.wake_at = 8 * 1024;
  LineWriter writer(o);
  const std::string theirs = std::string(150, 'X');
  std::atomic<bool> stop{false};
  std::thread other([&] {
    const std::string bytes = theirs + "\n";
    while (!stop.load()) {
      EXPECT_EQ(::write(pipe.fds[1], bytes.data(), bytes.size()),
                static_cast<ssize_t>(bytes.size()));
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  });
  std::string text;
  constexpr int kLines = 5000;
  for (int i = 0; i < kLines; ++i) {
    writer.append(line(i));
    if (i % 500 == 0) text += pipe.read_for(milliseconds(1), 1);
  }
  std::size_t ours = 0;
  const auto until = Clock::now() + milliseconds(5000);
  while (Clock::now() < until) {
    text += pipe.read_for(milliseconds(50), 1);
    ours = 0;
    for (const auto& l : lines_of(text)) ours += l.rfind("{\"line\":", 0) == 0 ? 1 : 0;
    if (ours == kLines) break;
  }
  stop = true;
  other.join();
  text += pipe.read_for(milliseconds(50), 1);
  int next = 0;
  for (const auto& l : lines_of(text)) {
    if (l == theirs) continue;
    ASSERT_EQ(l, line(next)) << "a line was cut or interleaved";
    ++next;
  }
  EXPECT_EQ(next, kLines);
}

}  // namespace
}  // namespace bedrock::server
