#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/exit_codes.h"
#include "cli/session.h"

namespace bedrock::cli {
namespace {

// What an AnswerStream wrote to an in-memory FILE*.
struct Captured {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* file = open_memstream(&data, &size);
  ~Captured() {
    std::fclose(file);
    std::free(data);
  }
  std::string text() {
    std::fflush(file);
    return std::string(data == nullptr ? "" : data, size);
  }
};

// Ctrl-C mid-stream: the partial answer stays printed once with its line ended, exit 130.
TEST(SessionStreaming, CancelledMidStreamExits130KeepingTextOnce) {
  GlobalOptions options;
  options.quiet = true;
  std::atomic<bool> cancelled{false};
  Session session(options, cancelled);
  Captured out;
  AnswerStream stream(out.file);
  stream.on_text("The first half of");
  cancelled = true;
  Error e = Error::make(ErrorCode::Cancelled, "cancelled mid-stream");
  e.partial_output = "The first half of";
  EXPECT_EQ(session.report(e, &stream), kExitCancelled);
  EXPECT_EQ(out.text(), "The first half of\n");
}

// Whatever error the stop surfaced as, a Ctrl-C during the stream exits 130.
TEST(SessionStreaming, CancelFlagWinsOverTheSurfacedError) {
  GlobalOptions options;
  std::atomic<bool> cancelled{true};
  Session session(options, cancelled);
  Captured out;
  AnswerStream stream(out.file);
  stream.on_text("partial");
  EXPECT_EQ(session.report(Error::make(ErrorCode::ConnectionReset, "closed"), &stream),
            kExitCancelled);
  EXPECT_EQ(out.text(), "partial\n");
}

// A stream broken by the service keeps its text once and exits with the error's own code.
TEST(SessionStreaming, FailureAfterTextKeepsItsExitCode) {
  GlobalOptions options;
  std::atomic<bool> cancelled{false};
  Session session(options, cancelled);
  Captured out;
  AnswerStream stream(out.file);
  stream.on_text("line one\n");
  Error e = Error::make(ErrorCode::ModelStreamError, "broken");
  e.partial_output = "line one\n";
  EXPECT_EQ(session.report(e, &stream), kExitService);
  EXPECT_EQ(out.text(), "line one\n");
}

// A finished stream only ends its line: the text is not printed a second time.
TEST(SessionStreaming, FinishAfterStreamDoesNotReprint) {
  GlobalOptions options;
  options.quiet = true;
  std::atomic<bool> cancelled{false};
  Session session(options, cancelled);
  Captured out;
  AnswerStream stream(out.file);
  stream.on_text("whole answer");
  EXPECT_EQ(session.finish("whole answer", {{"text", "whole answer"}}, &stream), kExitOk);
  EXPECT_EQ(out.text(), "whole answer\n");
}

}  // namespace
}  // namespace bedrock::cli
