// Nothing thrown inside a map-reduce worker thread may leave it (std::terminate would end the
// process): a call or a progress observer that throws becomes a typed error or a log line.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "bedrock/content/generators.h"
#include "bedrock/content/map_reduce.h"
#include "fake_invoker.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

struct Job {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  FakeClock clock;
  explicit Job(FakeInvoker::Responder responder) : invoker(std::move(responder)) {
    config.task(Task::Summarize).model = "test.small-v1";
    config.task(Task::Summarize).fallbacks.clear();
    config.task(Task::Summarize).max_tokens = 200;
  }
  GenerationContext ctx() {
    GenerationContext c;
    c.invoker = &invoker;
    c.config = &config;
    c.limits = [](std::string_view id) -> Result<ModelLimits> {
      return ModelLimits{std::string(id), models::ModelFamily::TitanText, 2000, 200};
    };
    c.clock = &clock;
    return c;
  }
};

std::string hostile_document(int paragraphs) {
  std::string text;
  for (int p = 0; p < paragraphs; ++p) {
    text += "Paragraph " + std::to_string(p) + ". ";
    for (int s = 0; s < 8; ++s) text += "The committee met on Tuesday and approved the budget. ";
    text += "\n\n";
  }
  return text;
}

MapReduceOptions parallel_options() {
  MapReduceOptions o;
  o.concurrency = 4;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  o.chunk_retries = 0;
  return o;
}

// A call that throws std::bad_alloc (as a huge announced Content-Length once did) fails the job
// with a typed error naming the chunk, instead of terminating the process.
TEST(HostileMapReduce, ThrowingCallBecomesATypedError) {
  Job job([](const runtime::InvokeRequest& request) -> std::string {
    if (request.prompt.messages.back().text.find("Paragraph 7.") != std::string::npos) {
      throw std::bad_alloc();
    }
    return "summary";
  });
  auto r = run_map_reduce(job.ctx(), hostile_document(20), 1, parallel_options());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Unknown);
  EXPECT_NE(r.error().message.find("failed unexpectedly"), std::string::npos) << r.error().message;
}

// With failed chunks marked, the throwing chunk is marked and the job still completes.
TEST(HostileMapReduce, ThrowingCallIsMarkedLikeAnyFailedChunk) {
  Job job([](const runtime::InvokeRequest& request) -> std::string {
    if (request.prompt.messages.back().text.find("Paragraph 7.") != std::string::npos) {
      throw std::runtime_error("decoder blew up");
    }
    return "summary";
  });
  MapReduceOptions o = parallel_options();
  o.mark_failed_chunks = true;
  auto r = run_map_reduce(job.ctx(), hostile_document(20), 1, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_NE(r->failed[0].reason.find("decoder blew up"), std::string::npos);
}

// A progress observer that throws is the caller's bug, but it must not end the process either.
TEST(HostileMapReduce, ThrowingProgressCallbackDoesNotEscapeTheWorkers) {
  Job job([](const runtime::InvokeRequest&) { return std::string("summary"); });
  MapReduceOptions o = parallel_options();
  o.on_progress = [](const MapReduceProgress&) { throw std::runtime_error("observer bug"); };
  auto r = run_map_reduce(job.ctx(), hostile_document(20), 1, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->summary, "summary");
}

}  // namespace
}  // namespace bedrock::content
