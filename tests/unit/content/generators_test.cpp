#include "bedrock/content/generators.h"

#include <gtest/gtest.h>

#include "fake_invoker.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

struct Env {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  TokenCalibration calibration;
  GenerationContext ctx() {
    GenerationContext c;
    c.invoker = &invoker;
    c.config = &config;
    c.calibration = &calibration;
    c.limits = [](std::string_view id) -> Result<ModelLimits> {
      if (id == "tiny.model-v1")
        return ModelLimits{std::string(id), models::ModelFamily::Nova, 100, 50};
      return ModelLimits{std::string(id), models::ModelFamily::AnthropicMessages, 200000, 4096};
    };
    return c;
  }
  explicit Env(FakeInvoker::Responder r = {}) : invoker(std::move(r)) {}
  const runtime::InvokeRequest last() const { return invoker.requests().back(); }
};

// Rephrase uses the strong model, the style's instruction and the text; free-form styles pass.
TEST(Rephrase, BuildsPromptPerStyle) {
  Env env;
  auto r = rephrase(env.ctx(), {"server down 2am, fixed", "academic"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->builtin_style);
  EXPECT_EQ(env.last().model_id, "anthropic.claude-3-5-sonnet-20240620-v1:0");
  EXPECT_EQ(env.last().fallbacks,
            std::vector<std::string>{"anthropic.claude-3-haiku-20240307-v1:0"});
  const std::string user = env.last().prompt.messages.back().text;
  EXPECT_NE(user.find("formal academic register"), std::string::npos);
  EXPECT_NE(user.find("server down 2am, fixed"), std::string::npos);
  EXPECT_NE(user.find("Keep every key fact"), std::string::npos);
  auto free = rephrase(env.ctx(), {"hello", "like a pirate"});
  ASSERT_TRUE(free);
  EXPECT_FALSE(free->builtin_style);
  EXPECT_NE(env.last().prompt.messages.back().text.find("in this style: like a pirate."),
            std::string::npos);
  EXPECT_FALSE(rephrase(env.ctx(), {"hello", "  "}));
  EXPECT_FALSE(rephrase(env.ctx(), {"", "casual"}));
}

// Bullets parse from text with any marker; one paragraph per bullet comes back in order.
TEST(Expand, OneParagraphPerBullet) {
  auto in = ExpandInput::from_text(
      "- fast start\n* low memory\n  even on small boxes\n\n1. offline\n• clear errors");
  ASSERT_EQ(in.bullets.size(), 4u);
  EXPECT_EQ(in.bullets[1], "low memory even on small boxes");
  EXPECT_EQ(in.bullets[3], "clear errors");
  Env env([](const runtime::InvokeRequest&) {
    return std::string("First para.\n\nSecond\npara.\n\nThird.\n\nFourth.");
  });
  auto e = expand(env.ctx(), in);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_TRUE(e->one_per_bullet);
  EXPECT_EQ(e->paragraphs[1], "Second para.");
  EXPECT_EQ(env.last().model_id, "amazon.nova-micro-v1:0");
  EXPECT_NE(env.last().prompt.messages.back().text.find("exactly 4 paragraphs"), std::string::npos);
  EXPECT_FALSE(expand(env.ctx(), ExpandInput{}));
}

// Blog: word range per length in the prompt; the markdown is split into title and sections.
TEST(Blog, ParsesTitleAndSections) {
  EXPECT_EQ(word_range(BlogLength::Short).min, 300);
  EXPECT_EQ(word_range(BlogLength::Long).max, 2500);
  EXPECT_FALSE(parse_blog_length("huge"));
  Env env([](const runtime::InvokeRequest&) {
    return std::string(
        "# Fast Inference\n\nIntro words here.\n\n## Why\nBecause users wait.\n\n## How\nRetry "
        "well.\n");
  });
  auto post = blog(env.ctx(), {"fast inference", BlogLength::Short, "developers", std::nullopt});
  ASSERT_TRUE(post) << post.error().message;
  EXPECT_EQ(post->title, "Fast Inference");
  EXPECT_EQ(post->introduction, "Intro words here.");
  ASSERT_EQ(post->sections.size(), 2u);
  EXPECT_EQ(post->sections[1].heading, "How");
  EXPECT_EQ(post->sections[1].body, "Retry well.");
  EXPECT_EQ(post->word_count, 3 + 3 + 2);
  const std::string user = env.last().prompt.messages.back().text;
  EXPECT_NE(user.find("300 to 600 words"), std::string::npos);
  EXPECT_NE(user.find("Audience: developers"), std::string::npos);
  EXPECT_FALSE(blog(env.ctx(), {" ", BlogLength::Short, {}, {}}));
}

// Product: features listed, audience and tone in the prompt; missing inputs refused.
TEST(Product, BuildsPromptAndCountsWords) {
  Env env([](const runtime::InvokeRequest&) { return std::string("  A great kettle for tea.  "); });
  auto d = product(
      env.ctx(), {"Kettle", {"1.7 l", "boils in 3 min"}, "tea lovers", "warm", BlogLength::Short});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->text, "A great kettle for tea.");
  EXPECT_EQ(d->word_count, 5);
  const std::string user = env.last().prompt.messages.back().text;
  EXPECT_NE(user.find("- boils in 3 min"), std::string::npos);
  EXPECT_NE(user.find("Tone: warm"), std::string::npos);
  EXPECT_NE(user.find("50 to 100 words"), std::string::npos);
  EXPECT_FALSE(product(env.ctx(), {"Kettle", {}, "x", {}, BlogLength::Short}));
  EXPECT_FALSE(product(env.ctx(), {"", {"a"}, "x", {}, BlogLength::Short}));
}

// Every call is checked before sending: too long fails without calling, fallbacks that cannot
// take the request are dropped, max_tokens is clamped to the model's output limit.
TEST(CallTask, ChecksLimitsBeforeSending) {
  Env env;
  env.config.task(Task::Rephrase).fallbacks = {"tiny.model-v1", "other.model-v1"};
  env.config.task(Task::Rephrase).max_tokens = 100000;
  auto r = rephrase(env.ctx(), {"short text", "casual"});
  ASSERT_TRUE(r);
  EXPECT_EQ(env.last().fallbacks, std::vector<std::string>{"other.model-v1"});
  EXPECT_EQ(env.last().params.max_tokens, 4096);
  env.config.task(Task::Rephrase).model = "tiny.model-v1";
  const int before = env.invoker.calls();
  auto too_long = rephrase(env.ctx(), {std::string(2000, 'a') + " end", "casual"});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::InputTooLong);
  EXPECT_EQ(env.invoker.calls(), before);
}

// Reported token counts feed the per-model calibration.
TEST(CallTask, CalibratesFromReportedCounts) {
  Env env;
  env.invoker.report_tokens(true);
  auto r = rephrase(env.ctx(), {std::string(400, 'x') + " words words words", "casual"});
  ASSERT_TRUE(r);
  EXPECT_NE(env.calibration.ratio("anthropic.claude-3-5-sonnet-20240620-v1:0"), 1.0);
}

// 600 words: well over 300 tokens by any estimate.
std::string many_words() {
  std::string text;
  for (int i = 0; i < 600; ++i) text += "word ";
  return text;
}

// A context whose rephrase model has a 300-token window: templates and a short text fit,
// many_words() does not (by the estimate).
GenerationContext small_window(Env& env) {
  env.config.task(Task::Rephrase).model = "small.model-v1";
  env.config.task(Task::Rephrase).max_tokens = 10;
  auto ctx = env.ctx();
  ctx.limits = [](std::string_view id) -> Result<ModelLimits> {
    return ModelLimits{std::string(id), models::ModelFamily::Nova, 300, 50};
  };
  return ctx;
}

// With a token counter the pre-flight check uses Bedrock's count: a short text the counter says
// is too long is refused before sending, and the count is asked for the request as sent.
TEST(CallTask, CountedTokensReplaceTheEstimate) {
  Env env;
  auto ctx = small_window(env);
  std::vector<std::string> counted_models;
  int answer = 500;
  ctx.count_input_tokens = [&](const runtime::InvokeRequest& req) -> Result<int> {
    counted_models.push_back(req.model_id);
    return answer;
  };
  auto refused = rephrase(ctx, {"short text", "casual"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InputTooLong);
  EXPECT_EQ(env.invoker.calls(), 0);
  EXPECT_EQ(counted_models, std::vector<std::string>{"small.model-v1"});
  // A text the estimate would refuse passes when the count says it fits.
  answer = 20;
  auto passed = rephrase(ctx, {many_words(), "casual"});
  EXPECT_TRUE(passed) << passed.error().message;
  EXPECT_EQ(env.invoker.calls(), 1);
}

// A counter that fails (no CountTokens for the model) leaves the estimate in charge; a cancelled
// count cancels the call.
TEST(CallTask, FailedCountFallsBackToTheEstimate) {
  Env env;
  auto ctx = small_window(env);
  ErrorCode code = ErrorCode::Validation;
  ctx.count_input_tokens = [&](const runtime::InvokeRequest&) -> Result<int> {
    return fail(code, "The provided model doesn't support counting tokens.");
  };
  EXPECT_TRUE(rephrase(ctx, {"short text", "casual"}));
  auto too_long = rephrase(ctx, {many_words(), "casual"});
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::InputTooLong);
  code = ErrorCode::Cancelled;
  auto cancelled = rephrase(ctx, {"short text", "casual"});
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(env.invoker.calls(), 1);
}

}  // namespace
}  // namespace bedrock::content
