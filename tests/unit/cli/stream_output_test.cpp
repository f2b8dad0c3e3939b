#include "cli/stream_output.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace bedrock::cli {
namespace {

// An in-memory FILE*, so what the stream wrote (and when it flushed) can be read back.
class MemoryFile {
 public:
  MemoryFile() : file_(open_memstream(&data_, &size_)) {}
  ~MemoryFile() {
    std::fclose(file_);
    std::free(data_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::FILE* get() { return file_; }
  // What reached the file so far: open_memstream updates data/size on fflush only, so this
  // also shows whether the stream flushed.
  std::string flushed() const { return std::string(data_ == nullptr ? "" : data_, size_); }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

// Only an unfinished multi-byte sequence at the very end is held back.
TEST(CompleteUtf8Prefix, HoldsOnlyAnUnfinishedTrailingSequence) {
  EXPECT_EQ(complete_utf8_prefix(""), 0u);
  EXPECT_EQ(complete_utf8_prefix("abc"), 3u);
  EXPECT_EQ(complete_utf8_prefix("a\xC3"), 1u);              // é cut after its lead byte
  EXPECT_EQ(complete_utf8_prefix("a\xC3\xA9"), 3u);          // é whole
  EXPECT_EQ(complete_utf8_prefix("a\xE2\x82"), 1u);          // € missing its last byte
  EXPECT_EQ(complete_utf8_prefix("\xF0\x9F\x98"), 0u);       // 😀 missing one byte
  EXPECT_EQ(complete_utf8_prefix("\xF0\x9F\x98\x80"), 4u);   // 😀 whole
  EXPECT_EQ(complete_utf8_prefix("a\x80\x80\x80\x80"), 5u);  // stray continuations: not held
  EXPECT_EQ(complete_utf8_prefix("a\xFF"), 2u);              // invalid byte: not held
}

// Every split of a multi-byte text reaches the output whole, flushed after each piece, and
// the terminal never sees a broken character in between.
TEST(AnswerStream, NeverWritesHalfACharacter) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC 5 \xF0\x9F\x98\x80!";
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    MemoryFile out;
    AnswerStream stream(out.get());
    stream.on_text(text.substr(0, cut));
    const std::string first = out.flushed();
    EXPECT_EQ(first.size(), complete_utf8_prefix(text.substr(0, cut))) << cut;
    EXPECT_EQ(text.compare(0, first.size(), first), 0) << cut;
    stream.on_text(text.substr(cut));
    EXPECT_EQ(out.flushed(), text) << cut;
    stream.end();
    EXPECT_EQ(out.flushed(), text + "\n") << cut;
  }
}

// The line is ended as the whole-answer output ends it: one newline, never a second one.
TEST(AnswerStream, EndsTheLineLikeTheWholeAnswer) {
  {
    MemoryFile out;
    AnswerStream stream(out.get());
    stream.on_text("line\n");
    stream.end();
    EXPECT_EQ(out.flushed(), "line\n");
  }
  {
    MemoryFile out;
    AnswerStream stream(out.get());
    stream.end();  // nothing streamed: an empty line, as finish("") prints
    EXPECT_EQ(out.flushed(), "\n");
  }
  {
    MemoryFile out;
    AnswerStream stream(out.get());
    stream.on_text("cut \xE2\x82");  // the answer ended inside a character: flushed as it came
    stream.end();
    EXPECT_EQ(out.flushed(), "cut \xE2\x82\n");
    EXPECT_EQ(stream.answer_bytes(), 6u);
  }
}

// The runtime callback forwards text deltas in order and ignores reasoning and the rest.
TEST(AnswerStream, CallbackForwardsOnlyText) {
  MemoryFile out;
  AnswerStream stream(out.get());
  auto cb = stream.callback();
  cb(models::ReasoningDelta{0, models::ReasoningPart::Text, "secret thoughts"});
  cb(models::TextDelta{1, "Hello"});
  EXPECT_EQ(out.flushed(), "Hello");
  cb(models::UsageUpdate{});
  cb(models::TextDelta{1, ", world"});
  cb(models::MessageStop{});
  stream.end();
  EXPECT_EQ(out.flushed(), "Hello, world\n");
}

// Our own lines start on a fresh line and complete a held character first.
TEST(AnswerStream, PrintStartsOnANewLine) {
  MemoryFile out;
  AnswerStream stream(out.get());
  std::vector<std::string> starts;
  stream.set_on_call_start([&](const content::TaskCall& c) { starts.push_back(c.template_name); });
  content::TaskCall call;
  call.template_name = "retry";
  stream.on_call_start(call);
  stream.print("== X ==\n", true);
  stream.on_text("draft");
  stream.print("(5/280 characters)\n", true);
  stream.end();
  EXPECT_EQ(out.flushed(), "== X ==\ndraft\n(5/280 characters)\n");
  EXPECT_EQ(starts, std::vector<std::string>{"retry"});
}

// --json never streams, --no-stream wins, --stream forces pipes; terminals by default only
// for the content commands.
TEST(StreamWanted, FlagsJsonAndTerminal) {
  const StreamFlags none{};
  const StreamFlags on{true, false};
  const StreamFlags off{false, true};
  EXPECT_TRUE(stream_wanted(none, false, true, true));
  EXPECT_FALSE(stream_wanted(none, false, true, false));  // a pipe
  EXPECT_FALSE(stream_wanted(none, false, false, true));  // invoke without --stream
  EXPECT_TRUE(stream_wanted(on, false, false, false));    // invoke --stream into a pipe
  EXPECT_TRUE(stream_wanted(on, false, true, false));     // rephrase --stream into a pipe
  EXPECT_FALSE(stream_wanted(off, false, true, true));    // --no-stream on a terminal
  EXPECT_FALSE(stream_wanted(on, true, true, true));      // --json gets the whole answer
  EXPECT_FALSE(stream_wanted(none, true, true, true));
}

}  // namespace
}  // namespace bedrock::cli
