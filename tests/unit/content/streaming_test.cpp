// Generators with a text sink: which calls stream, in what order the text arrives, and that
// results and errors are the same as without streaming.
#include <gtest/gtest.h>

#include "bedrock/content/generators.h"
#include "bedrock/content/map_reduce.h"
#include "bedrock/content/social.h"
#include "fake_invoker.h"
#include "fakes/fake_clock.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

// Records what a generator streams, interleaving its entries with the fake's "emit:" log.
class RecordingSink final : public TextSink {
 public:
  explicit RecordingSink(FakeInvoker* log = nullptr) : log_(log) {}
  void on_call_start(const TaskCall& call) override {
    starts.push_back(call.template_name);
    if (log_ != nullptr) log_->log("start:" + call.template_name);
  }
  void on_text(std::string_view piece) override {
    text += piece;
    pieces.emplace_back(piece);
    if (log_ != nullptr) log_->log("got:" + std::string(piece));
  }
  std::string text;
  std::vector<std::string> pieces;
  std::vector<std::string> starts;

 private:
  FakeInvoker* log_;
};

struct StreamingEnv {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  TokenCalibration calibration;
  FakeClock clock;
  explicit StreamingEnv(FakeInvoker::Responder r = {}) : invoker(std::move(r)) {
    invoker.report_tokens(true);
  }
  GenerationContext ctx(TextSink* sink = nullptr) {
    GenerationContext c;
    c.invoker = &invoker;
    c.config = &config;
    c.calibration = &calibration;
    c.clock = &clock;
    c.limits = [](std::string_view id) -> Result<ModelLimits> {
      return ModelLimits{std::string(id), models::ModelFamily::TitanText, 2000, 200};
    };
    c.text_sink = sink;
    return c;
  }
};

FakeInvoker::Responder fixed(std::string answer) {
  return [answer](const runtime::InvokeRequest&) { return answer; };
}

// Each piece reaches the sink before the invoker produces the next one; reasoning never does.
TEST(GenerationStreaming, ForwardsTextDeltasInOrderAsTheyArrive) {
  StreamingEnv env(fixed("Hello, streaming world"));
  env.invoker.stream_in_pieces(5);
  RecordingSink sink(&env.invoker);
  auto out = rephrase(env.ctx(&sink), {"hi there", "casual"});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->text, "Hello, streaming world");
  EXPECT_EQ(sink.text, "Hello, streaming world");
  const std::vector<std::string> expected = {"start:user", "emit:Hello", "got:Hello", "emit:, str",
                                             "got:, str",  "emit:eamin", "got:eamin", "emit:g wor",
                                             "got:g wor",  "emit:ld",    "got:ld"};
  EXPECT_EQ(env.invoker.event_log(), expected);
  EXPECT_EQ(env.invoker.streamed(), std::vector<bool>{true});
}

// With and without a sink the call returns the same result and teaches the calibration alike.
TEST(GenerationStreaming, SameResultAsWithoutStreaming) {
  StreamingEnv plain(fixed("Same answer either way."));
  StreamingEnv streamed(fixed("Same answer either way."));
  streamed.invoker.stream_in_pieces(3);
  RecordingSink sink;
  auto a = rephrase(plain.ctx(), {"text to rephrase", "academic"});
  auto b = rephrase(streamed.ctx(&sink), {"text to rephrase", "academic"});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->text, b->text);
  EXPECT_EQ(a->record.request_id, b->record.request_id);
  EXPECT_EQ(a->record.output_tokens, b->record.output_tokens);
  EXPECT_EQ(plain.calibration.corrected(a->record.model_used, 1000),
            streamed.calibration.corrected(b->record.model_used, 1000));
  EXPECT_EQ(plain.invoker.streamed(), std::vector<bool>{false});
  EXPECT_EQ(streamed.invoker.streamed(), std::vector<bool>{true});
}

// The user's cancel flag reaches the streamed request, so Ctrl-C can stop a stream mid-way.
TEST(GenerationStreaming, CancelFlagReachesTheStreamedRequest) {
  StreamingEnv env(fixed("answer"));
  RecordingSink sink;
  std::atomic<bool> cancelled{false};
  GenerationContext ctx = env.ctx(&sink);
  ctx.cancelled = &cancelled;
  ASSERT_TRUE(rephrase(ctx, {"text", "casual"}));
  ASSERT_EQ(env.invoker.requests().size(), 1u);
  EXPECT_EQ(env.invoker.requests()[0].cancelled, &cancelled);
  EXPECT_TRUE(env.invoker.streamed()[0]);
  cancelled = true;
  auto stopped = rephrase(ctx, {"text", "casual"});
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(sink.starts.size(), 1u);  // no second call was started
}

// A blank streamed answer is still an error, and it says what was shown.
TEST(GenerationStreaming, EmptyCompletionIsStillAnError) {
  StreamingEnv env(fixed(" \n "));
  RecordingSink sink;
  auto out = rephrase(env.ctx(&sink), {"text", "casual"});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::InvalidResponse);
  EXPECT_EQ(out.error().partial_output, " \n ");
}

// A stream broken after some text fails with that text as partial output, exactly once.
TEST(GenerationStreaming, FailureAfterTextKeepsPartialOutput) {
  StreamingEnv env(fixed("abcdefghij"));
  env.invoker.stream_in_pieces(4);
  env.invoker.fail_stream_after(2, Error::make(ErrorCode::ModelStreamError, "broken"));
  RecordingSink sink;
  auto out = expand(env.ctx(&sink), ExpandInput::from_text("- one\n- two"));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::ModelStreamError);
  EXPECT_EQ(out.error().partial_output, "abcdefgh");
  EXPECT_EQ(sink.text, "abcdefgh");
  EXPECT_EQ(env.invoker.calls(), 1);
}

// Blog and product stream the model's answer; the parsed result is unchanged.
TEST(GenerationStreaming, BlogAndProductStream) {
  const std::string post = "# Title\n\nIntro.\n\n## Part\nBody text.";
  StreamingEnv env(fixed(post));
  env.invoker.stream_in_pieces(7);
  RecordingSink sink;
  auto b = blog(env.ctx(&sink), {"topic", BlogLength::Short, std::nullopt, std::nullopt});
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->title, "Title");
  EXPECT_EQ(sink.text, post);
  RecordingSink product_sink;
  auto p = product(env.ctx(&product_sink),
                   {"Lamp", {"bright"}, "readers", std::nullopt, BlogLength::Short});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(product_sink.text, post);
  EXPECT_EQ(sink.pieces.size(), (post.size() + 6) / 7);
}

// A blog answer without a title fails after being streamed: the error keeps what was shown.
TEST(GenerationStreaming, BlogWithoutTitleKeepsStreamedText) {
  StreamingEnv env(fixed("\n\n"));
  env.invoker.stream_in_pieces(1);
  RecordingSink sink;
  auto b = blog(env.ctx(&sink), {"topic", BlogLength::Short, std::nullopt, std::nullopt});
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().partial_output, "\n\n");
}

std::string paragraphs_document(int paragraphs) {
  std::string text;
  for (int p = 0; p < paragraphs; ++p) {
    text += "Paragraph " + std::to_string(p) + ". ";
    for (int s = 0; s < 8; ++s) text += "The committee met on Tuesday and approved the budget. ";
    text += "\n\n";
  }
  return text;
}

bool is_combine(const runtime::InvokeRequest& r) {
  return r.prompt.messages.back().text.find("<summaries>") != std::string::npos;
}

// Map-reduce: the map calls and intermediate reduce levels never stream; the final one does.
TEST(GenerationStreaming, SummarizeStreamsOnlyTheFinalReduce) {
  StreamingEnv env([](const runtime::InvokeRequest& r) {
    std::string s = is_combine(r) ? "combined: " : "chunk: ";
    for (int i = 0; i < 12; ++i) s += "summary words here. ";
    return s;
  });
  env.config.task(Task::Summarize).fallbacks.clear();
  env.config.task(Task::Summarize).max_tokens = 200;
  env.invoker.stream_in_pieces(9);
  RecordingSink sink;
  SummarizeOptions options;
  options.chunking = Chunking::Always;
  options.map_reduce.chunk_tokens = 150;
  options.map_reduce.overlap_tokens = 0;
  options.map_reduce.concurrency = 3;
  auto s = summarize(env.ctx(&sink), {paragraphs_document(30), 2}, options);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_GE(s->reduce_levels, 2);  // so there is an intermediate level that must stay quiet
  const auto requests = env.invoker.requests();
  const auto streamed = env.invoker.streamed();
  ASSERT_EQ(requests.size(), streamed.size());
  int streamed_calls = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!streamed[i]) continue;
    ++streamed_calls;
    EXPECT_TRUE(is_combine(requests[i]));
    EXPECT_NE(requests[i].prompt.messages.back().text.find("in 2 paragraph"), std::string::npos);
  }
  EXPECT_EQ(streamed_calls, 1);
  EXPECT_TRUE(streamed.back());  // the last call is the final reduce
  EXPECT_EQ(sink.text, s->text);
  EXPECT_EQ(sink.starts, std::vector<std::string>{"combine"});
}

// A summary small enough for one call streams that call.
TEST(GenerationStreaming, SummarizeSingleCallStreams) {
  StreamingEnv env(fixed("Short summary."));
  env.invoker.stream_in_pieces(4);
  RecordingSink sink;
  auto s = summarize(env.ctx(&sink), {"A short text about budgets.", 1});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(s->chunked);
  EXPECT_EQ(sink.text, "Short summary.");
  EXPECT_EQ(sink.starts, std::vector<std::string>{"user"});
}

// The final reduce broken after some text is not retried: the user would see it twice.
TEST(GenerationStreaming, FinalReduceNotRetriedAfterPartialText) {
  StreamingEnv env(fixed("piece of summary text."));
  env.config.task(Task::Summarize).fallbacks.clear();
  env.config.task(Task::Summarize).max_tokens = 200;
  env.invoker.stream_in_pieces(5);
  env.invoker.fail_stream_after(1, Error::make(ErrorCode::ModelStreamError, "broken"));
  RecordingSink sink;
  SummarizeOptions options;
  options.chunking = Chunking::Always;
  options.map_reduce.chunk_tokens = 150;
  options.map_reduce.overlap_tokens = 0;
  options.map_reduce.chunk_retries = 2;
  auto s = summarize(env.ctx(&sink), {paragraphs_document(6), 1}, options);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::ModelStreamError);
  EXPECT_EQ(s.error().partial_output, "piece");
  EXPECT_EQ(sink.text, "piece");
  const auto streamed = env.invoker.streamed();
  EXPECT_EQ(std::count(streamed.begin(), streamed.end(), true), 1);
}

// Social streams the draft and the rewrite, told apart by on_call_start; each post is reported
// final before the next platform's call starts.
TEST(GenerationStreaming, SocialStreamsDraftAndRewritePerPost) {
  StreamingEnv env([](const runtime::InvokeRequest& r) -> std::string {
    const std::string& user = r.prompt.messages.back().text;
    if (user.find("X (Twitter)") != std::string::npos &&
        user.find("at most 238 characters") == std::string::npos) {
      return std::string(400, 'a');  // a draft over X's 280
    }
    return "Short post. #v2";
  });
  env.config.task(Task::Social).fallbacks.clear();
  RecordingSink sink(&env.invoker);
  env.invoker.stream_in_pieces(1000);
  SocialInput input{"We shipped v2.", {Platform::X, Platform::Mastodon}};
  auto posts = social(env.ctx(&sink), input, [&](const SocialPost& p) {
    env.invoker.log("post:" + std::string(platform_info(p.platform).name));
  });
  ASSERT_TRUE(posts) << posts.error().message;
  ASSERT_EQ(posts->size(), 2u);
  EXPECT_TRUE((*posts)[0].regenerated);
  std::vector<std::string> order;
  for (const auto& e : env.invoker.event_log()) {
    if (e.rfind("start:", 0) == 0 || e.rfind("post:", 0) == 0) order.push_back(e);
  }
  const std::vector<std::string> expected = {"start:user", "start:retry", "post:x", "start:user",
                                             "post:mastodon"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(sink.text, std::string(400, 'a') + "Short post. #v2" + "Short post. #v2");
}

}  // namespace
}  // namespace bedrock::content
