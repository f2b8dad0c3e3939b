#include "bedrock/content/map_reduce.h"

#include <gtest/gtest.h>

#include "bedrock/content/generators.h"
#include "fake_invoker.h"
#include "fakes/fake_clock.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

ModelLimits small_model(int window = 2000, int output = 200) {
  return {"test.small-v1", models::ModelFamily::TitanText, window, output};
}

struct Fixture {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  FakeClock clock;
  ModelLimits limits = small_model();
  GenerationContext ctx() {
    GenerationContext c;
    c.invoker = &invoker;
    c.config = &config;
    c.limits = [this](std::string_view id) -> Result<ModelLimits> {
      ModelLimits l = limits;
      l.model_id = std::string(id);
      return l;
    };
    c.clock = &clock;
    return c;
  }
  Fixture() {
    config.task(Task::Summarize).model = "test.small-v1";
    config.task(Task::Summarize).fallbacks.clear();
    config.task(Task::Summarize).max_tokens = 200;
  }
};

std::string document(int paragraphs) {
  std::string text;
  for (int p = 0; p < paragraphs; ++p) {
    text += "Paragraph " + std::to_string(p) + ". ";
    for (int s = 0; s < 8; ++s) text += "The committee met on Tuesday and approved the budget. ";
    text += "\n\n";
  }
  return text;
}

// The plan derives the chunk budget from the window minus prompt and answer, less 10%, capped.
TEST(MapReducePlan, DerivesBudgetFromModelLimits) {
  MapReduceOptions o;
  o.chunk_tokens = 0;
  o.overlap_tokens = 20;
  auto plan = plan_map_reduce(document(40), small_model(2000, 200), 100, 200, o);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->chunk_budget, (2000 - 100 - 200) * 9 / 10);
  EXPECT_GE(plan->chunks.chunks.size(), 3u);
  for (const auto& c : plan->chunks.chunks) EXPECT_LE(c.tokens, plan->chunk_budget);
  o.chunk_tokens = 300;
  plan = plan_map_reduce(document(40), small_model(2000, 200), 100, 200, o);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->chunk_budget, 300);
  // A window that leaves no room for text is InputTooLong, saying so.
  auto none = plan_map_reduce("x", small_model(300, 200), 100, 200, o);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::InputTooLong);
}

// Chunk calls run in parallel but never more than `concurrency` at once, on a bounded pool.
TEST(MapReduce, RunsChunksWithBoundedConcurrency) {
  Fixture f;
  f.invoker.gate_until_in_flight(4);
  MapReduceOptions o;
  o.concurrency = 4;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  int last_done = 0;
  bool ordered = true;
  o.on_progress = [&](const MapReduceProgress& p) {
    if (p.phase == MapReduceProgress::Phase::Map) {
      ordered = ordered && p.done == last_done + 1;
      last_done = p.done;
    }
  };
  auto r = run_map_reduce(f.ctx(), document(30), 2, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GE(r->chunks, 8);
  EXPECT_TRUE(ordered);  // reports from parallel workers arrive one at a time, in order
  EXPECT_EQ(last_done, r->chunks);
  EXPECT_EQ(f.invoker.max_in_flight(), 4);
  // One record per call: every chunk plus the reduce calls.
  EXPECT_EQ(static_cast<int>(r->records.size()), f.invoker.calls());
  EXPECT_GE(r->levels, 1);
  EXPECT_FALSE(r->summary.empty());
}

// Concatenated summaries that do not fit are reduced again, level by level, until they do.
TEST(MapReduce, ReducesHierarchicallyUntilItFits) {
  Fixture f;
  // Each summary is ~60 tokens so 30 of them cannot be combined within a 150-token budget.
  FakeInvoker verbose([](const runtime::InvokeRequest&) {
    std::string s;
    for (int i = 0; i < 12; ++i) s += "summary words here. ";
    return s;
  });
  GenerationContext ctx = f.ctx();
  ctx.invoker = &verbose;
  MapReduceOptions o;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  std::vector<MapReduceProgress> progress;
  o.on_progress = [&](const MapReduceProgress& p) { progress.push_back(p); };
  auto r = run_map_reduce(ctx, document(30), 2, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GE(r->levels, 3);
  const auto requests = verbose.requests();
  int combine_calls = 0;
  for (const auto& q : requests) {
    if (q.prompt.messages.back().text.find("<summaries>") != std::string::npos) ++combine_calls;
  }
  EXPECT_EQ(combine_calls + r->chunks, verbose.calls());
  EXPECT_GT(combine_calls, r->levels);  // more than one call per level below the top
  // Progress: the map phase ends with done == total, then reduce levels in order.
  ASSERT_FALSE(progress.empty());
  int last_level = 0;
  for (const auto& p : progress) {
    EXPECT_GE(p.level, last_level);
    EXPECT_LE(p.done, p.total);
    last_level = p.level;
  }
  EXPECT_EQ(progress.back().phase, MapReduceProgress::Phase::Reduce);
  EXPECT_EQ(progress.back().done, progress.back().total);
  EXPECT_EQ(progress.back().level, r->levels);
}

// Progress carries elapsed time and an ETA from the calls so far, on the injected clock.
TEST(MapReduce, ReportsElapsedAndEta) {
  Fixture f;
  f.invoker.set_latency(&f.clock, std::chrono::milliseconds(500));
  MapReduceOptions o;
  o.concurrency = 1;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  std::vector<MapReduceProgress> progress;
  o.on_progress = [&](const MapReduceProgress& p) { progress.push_back(p); };
  auto r = run_map_reduce(f.ctx(), document(10), 1, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_GE(r->chunks, 3);
  const MapReduceProgress& first = progress.front();
  EXPECT_EQ(first.phase, MapReduceProgress::Phase::Map);
  EXPECT_EQ(first.done, 1);
  EXPECT_EQ(first.elapsed, std::chrono::milliseconds(500));
  ASSERT_TRUE(first.eta.has_value());
  EXPECT_EQ(*first.eta, std::chrono::milliseconds(500 * (r->chunks - 1)));
  EXPECT_GT(first.tokens, 0);  // estimated: the fake reports no counts
  const MapReduceProgress& map_end = progress[static_cast<std::size_t>(r->chunks - 1)];
  EXPECT_EQ(map_end.done, map_end.total);
  EXPECT_EQ(*map_end.eta, std::chrono::milliseconds(0));
  EXPECT_EQ(progress.back().elapsed, std::chrono::milliseconds(500 * f.invoker.calls()));
}

// A chunk that fails transiently is retried within its budget and the job succeeds.
TEST(MapReduce, RetriesFailedChunk) {
  Fixture f;
  f.invoker.fail_when_contains("Paragraph 3.", Error::make(ErrorCode::Throttling, "slow down"), 2);
  MapReduceOptions o;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  o.chunk_retries = 2;
  auto r = run_map_reduce(f.ctx(), document(10), 1, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->failed.empty());
  EXPECT_EQ(f.invoker.calls(), static_cast<int>(r->records.size()) + 2);
  // Retry pauses used the injected clock, not real time.
  EXPECT_GE(f.clock.steady().time_since_epoch(), std::chrono::milliseconds(600));
}

// A chunk that keeps failing fails the job with an error naming the chunk and the reason.
TEST(MapReduce, FailsJobNamingTheChunk) {
  Fixture f;
  f.invoker.fail_when_contains("Paragraph 3.", Error::make(ErrorCode::ModelTimeout, "too slow"));
  MapReduceOptions o;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  o.chunk_retries = 1;
  o.concurrency = 1;
  auto r = run_map_reduce(f.ctx(), document(10), 1, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::ModelTimeout);
  EXPECT_NE(r.error().message.find("after 2 attempt(s)"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("chunk "), std::string::npos);
  EXPECT_NE(r.error().message.find("too slow"), std::string::npos);
  // Scheduling stopped: later chunks were not sent.
  auto plan = plan_map_reduce(document(10), f.limits, 0, 0, o);
  ASSERT_TRUE(plan);
  EXPECT_LT(f.invoker.calls(), static_cast<int>(plan->chunks.chunks.size()) + 1);
}

// With mark_failed_chunks the failure becomes a marker in the combined input.
TEST(MapReduce, MarksFailedChunkWhenAsked) {
  Fixture f;
  f.invoker.fail_when_contains("Paragraph 3.", Error::make(ErrorCode::ModelError, "boom"));
  MapReduceOptions o;
  o.chunk_tokens = 150;
  o.overlap_tokens = 0;
  o.chunk_retries = 0;
  o.mark_failed_chunks = true;
  auto r = run_map_reduce(f.ctx(), document(10), 1, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->failed.size(), 1u);
  const std::string marker =
      "[chunk " + std::to_string(r->failed[0].index) + " could not be summarized: ";
  bool seen = false;
  for (const auto& q : f.invoker.requests()) {
    if (q.prompt.messages.back().text.find(marker) != std::string::npos) seen = true;
  }
  EXPECT_TRUE(seen);
  EXPECT_NE(r->failed[0].reason.find("boom"), std::string::npos);
}

// Setting the cancel flag stops the job with Cancelled and no further calls.
TEST(MapReduce, CancellationStopsScheduling) {
  Fixture f;
  std::atomic<bool> cancel{false};
  FakeInvoker cancelling([&](const runtime::InvokeRequest&) {
    cancel = true;
    return std::string("ok");
  });
  GenerationContext ctx = f.ctx();
  ctx.invoker = &cancelling;
  ctx.cancelled = &cancel;
  MapReduceOptions o;
  o.chunk_tokens = 150;
  o.concurrency = 1;
  auto r = run_map_reduce(ctx, document(10), 1, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(cancelling.calls(), 1);
  EXPECT_EQ(cancelling.requests().front().cancelled, &cancel);  // the flag reaches the call
}

// summarize() makes one call when the text fits, map-reduce when it does not (Auto), and an
// InputTooLong error offering the chunked path with Never.
TEST(Summarize, ChoosesSingleCallOrMapReduce) {
  Fixture f;
  f.config.map_reduce.chunk_tokens = 150;
  auto one = summarize(f.ctx(), {"A short text about budgets.", 2});
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_FALSE(one->chunked);
  EXPECT_EQ(one->records.size(), 1u);
  EXPECT_NE(f.invoker.requests().back().prompt.messages.back().text.find("in 2 paragraph"),
            std::string::npos);
  EXPECT_EQ(f.invoker.requests().back().params.temperature, 0.2);

  auto big = summarize(f.ctx(), {document(40), 2});
  ASSERT_TRUE(big) << big.error().message;
  EXPECT_TRUE(big->chunked);
  EXPECT_GT(big->chunks, 1);

  SummarizeOptions never;
  never.chunking = Chunking::Never;
  auto refused = summarize(f.ctx(), {document(40), 2}, never);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InputTooLong);
  EXPECT_NE(refused.error().message.find("tokens too long"), std::string::npos);
  EXPECT_NE(refused.error().message.find("in chunks"), std::string::npos);
  EXPECT_FALSE(summarize(f.ctx(), {"text", 0}));
  EXPECT_FALSE(summarize(f.ctx(), {"   ", 2}));
}

}  // namespace
}  // namespace bedrock::content
