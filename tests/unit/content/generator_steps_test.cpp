// The split generators (call, prepare_task, the model call, finish_task, finish) give exactly
// what the synchronous generators give, without an invoker in the context.
#include "bedrock/content/generator_steps.h"

#include <gtest/gtest.h>

#include "bedrock/content/prepared_call.h"
#include "fake_invoker.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

struct StepsEnv {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  explicit StepsEnv(FakeInvoker::Responder r = {}) : invoker(std::move(r)) {}
  GenerationContext ctx(bool with_invoker = true) {
    GenerationContext c;
    c.invoker = with_invoker ? &invoker : nullptr;
    c.config = &config;
    c.limits = [](std::string_view id) -> Result<ModelLimits> {
      if (id == "tiny.model-v1")
        return ModelLimits{std::string(id), models::ModelFamily::Nova, 100, 50};
      return ModelLimits{std::string(id), models::ModelFamily::AnthropicMessages, 200000, 4096};
    };
    return c;
  }
  // What an asynchronous caller does: prepare without an invoker, send, finish.
  Result<CallOutput> split_call(const TaskCall& call) {
    auto prepared = prepare_task(ctx(false), call);
    if (!prepared) return fail(prepared.error());
    return finish_task(ctx(false), *prepared, invoker.invoke(prepared->request));
  }
};

void expect_same_request(const runtime::InvokeRequest& a, const runtime::InvokeRequest& b) {
  EXPECT_EQ(a.model_id, b.model_id);
  EXPECT_EQ(a.fallbacks, b.fallbacks);
  EXPECT_EQ(a.prompt.system, b.prompt.system);
  ASSERT_EQ(a.prompt.messages.size(), b.prompt.messages.size());
  EXPECT_EQ(a.prompt.messages.back().text, b.prompt.messages.back().text);
  EXPECT_EQ(a.params.max_tokens, b.params.max_tokens);
  EXPECT_EQ(a.params.temperature, b.params.temperature);
}

// Rephrase through the split sends the same request and returns the same result as rephrase().
TEST(GeneratorSteps, RephraseMatchesSync) {
  StepsEnv env;
  const RephraseInput in{"server down 2am, fixed", "casual"};
  auto sync = rephrase(env.ctx(), in);
  ASSERT_TRUE(sync);
  auto call = rephrase_call(in);
  ASSERT_TRUE(call);
  auto out = env.split_call(*call);
  ASSERT_TRUE(out) << out.error().message;
  const auto reqs = env.invoker.requests();
  ASSERT_EQ(reqs.size(), 2u);
  expect_same_request(reqs[0], reqs[1]);
  const Rephrased split = finish_rephrase(in, std::move(*out));
  EXPECT_EQ(split.text, sync->text);
  EXPECT_TRUE(split.builtin_style);
  EXPECT_EQ(split.record.model_used, sync->record.model_used);
  EXPECT_FALSE(rephrase_call({"text", " "}));
  EXPECT_FALSE(rephrase_call({"", "casual"}));
}

// Expand, blog and product: the split gives the same typed result as the generator.
TEST(GeneratorSteps, ExpandBlogProductMatchSync) {
  StepsEnv env([](const runtime::InvokeRequest& r) {
    const std::string& u = r.prompt.messages.back().text;
    if (u.find("blog") != std::string::npos || u.find("Blog") != std::string::npos)
      return std::string("# Title\n\nIntro.\n\n## A\nBody a.\n\n## B\nBody b.");
    return std::string("One para.\n\nTwo\npara.");
  });
  const ExpandInput ein{{"fast", "small"}};
  auto esync = expand(env.ctx(), ein);
  ASSERT_TRUE(esync);
  auto eout = env.split_call(*expand_call(ein));
  ASSERT_TRUE(eout);
  const Expanded esplit = finish_expand(ein, std::move(*eout));
  EXPECT_EQ(esplit.paragraphs, esync->paragraphs);
  EXPECT_EQ(esplit.paragraphs, (std::vector<std::string>{"One para.", "Two para."}));
  EXPECT_TRUE(esplit.one_per_bullet);

  const BlogInput bin{"blog about caches", BlogLength::Short, "ops", std::nullopt};
  auto bsync = blog(env.ctx(), bin);
  ASSERT_TRUE(bsync) << bsync.error().message;
  auto bout = env.split_call(*blog_call(bin));
  ASSERT_TRUE(bout);
  auto bsplit = finish_blog(bin, std::move(*bout), false);
  ASSERT_TRUE(bsplit);
  EXPECT_EQ(bsplit->title, bsync->title);
  EXPECT_EQ(bsplit->sections.size(), bsync->sections.size());
  EXPECT_EQ(bsplit->target.min, 300);
  EXPECT_EQ(bsplit->word_count, bsync->word_count);

  const ProductInput pin{"Widget", {"light", "strong"}, "hikers", std::nullopt, BlogLength::Long};
  auto psync = product(env.ctx(), pin);
  ASSERT_TRUE(psync);
  auto pout = env.split_call(*product_call(pin));
  ASSERT_TRUE(pout);
  const ProductDescription psplit = finish_product(pin, std::move(*pout));
  EXPECT_EQ(psplit.text, psync->text);
  EXPECT_EQ(psplit.word_count, psync->word_count);
  EXPECT_EQ(psplit.target.max, 400);
  EXPECT_FALSE(product_call({"Widget", {}, "hikers", std::nullopt, BlogLength::Short}));

  const auto reqs = env.invoker.requests();
  ASSERT_EQ(reqs.size(), 6u);
  for (std::size_t i = 0; i < reqs.size(); i += 2) expect_same_request(reqs[i], reqs[i + 1]);
}

// A blog answer without a title fails in finish_blog; the markdown is partial output only when
// the user saw it streamed.
TEST(GeneratorSteps, BlogWithoutTitleFails) {
  const BlogInput in{"t", BlogLength::Short, std::nullopt, std::nullopt};
  CallOutput out;
  out.text = "   \n";
  auto quiet = finish_blog(in, out, false);
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, ErrorCode::InvalidResponse);
  EXPECT_TRUE(quiet.error().partial_output.empty());
  out.text = "\n\n";
  auto shown = finish_blog(in, out, true);
  ASSERT_FALSE(shown);
  EXPECT_EQ(shown.error().partial_output, "\n\n");
}

// Summarize's single call is chunkable: on a model too small it is InputTooLong offering
// chunking, found in prepare_task before anything is sent.
TEST(GeneratorSteps, SummarizeTooLongFoundBeforeSending) {
  StepsEnv env;
  env.config.task(Task::Summarize).model = "tiny.model-v1";
  auto call = summarize_call({std::string(2000, 'a'), 2});
  ASSERT_TRUE(call);
  EXPECT_TRUE(call->chunkable);
  auto prepared = prepare_task(env.ctx(false), *call);
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().code, ErrorCode::InputTooLong);
  EXPECT_EQ(env.invoker.calls(), 0);
  EXPECT_FALSE(summarize_call({"text", 0}));
  EXPECT_FALSE(summarize_call({" \n", 2}));

  StepsEnv ok;
  const SummarizeInput in{"a short text", 3};
  auto sync = summarize(ok.ctx(), in);
  ASSERT_TRUE(sync);
  auto out = ok.split_call(*summarize_call(in));
  ASSERT_TRUE(out);
  const Summary split = finish_summary(std::move(*out), in.max_words);
  EXPECT_EQ(split.text, sync->text);
  EXPECT_FALSE(split.chunked);
  EXPECT_EQ(split.records.size(), 1u);
}

// finish_task: an error keeps the streamed text as partial output; a blank answer is refused.
TEST(GeneratorSteps, FinishTaskErrors) {
  StepsEnv env;
  auto prepared = prepare_task(env.ctx(false), *rephrase_call({"hi", "casual"}));
  ASSERT_TRUE(prepared);
  auto failed =
      finish_task(env.ctx(false), *prepared,
                  tl::unexpected(Error::make(ErrorCode::Throttling, "slow down")), "half an ans");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::Throttling);
  EXPECT_EQ(failed.error().partial_output, "half an ans");
  runtime::InvokeResult blank;
  blank.completion.text = " \n";
  auto empty = finish_task(env.ctx(false), *prepared, blank, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidResponse);
}

// Social as steps: an over-long draft asks for one rewrite, whose answer is then shortened if
// still over; the same posts as social().
TEST(GeneratorSteps, SocialDraftThenRetry) {
  const std::string long_text(400, 'x');
  StepsEnv env([&](const runtime::InvokeRequest&) { return long_text + ". Short."; });
  const SocialInput in{"launch news", {Platform::X}};
  ASSERT_TRUE(check_social_input(in));
  EXPECT_FALSE(check_social_input({"launch", {Platform::X, Platform::X}}));
  auto sync = social(env.ctx(), in);
  ASSERT_TRUE(sync);
  ASSERT_EQ(sync->size(), 1u);

  const TaskCall draft = social_draft_call(in, Platform::X);
  auto out = env.split_call(draft);
  ASSERT_TRUE(out);
  SocialStep step = finish_social_draft(Platform::X, draft, std::move(*out));
  ASSERT_TRUE(step.retry);
  EXPECT_EQ(step.retry->template_name, "retry");
  EXPECT_EQ(step.retry->values.at("target"), "238");
  auto again = env.split_call(*step.retry);
  ASSERT_TRUE(again);
  const SocialPost post = finish_social_retry(std::move(step.post), std::move(*again));
  EXPECT_TRUE(post.regenerated);
  EXPECT_TRUE(post.shortened);
  EXPECT_LE(post.length, 280);
  EXPECT_EQ(post.text, sync->front().text);
  EXPECT_EQ(post.records.size(), 2u);

  StepsEnv fits([](const runtime::InvokeRequest&) { return std::string("Short post #news"); });
  auto short_out = fits.split_call(draft);
  ASSERT_TRUE(short_out);
  const SocialStep done = finish_social_draft(Platform::X, draft, std::move(*short_out));
  EXPECT_FALSE(done.retry);
  EXPECT_EQ(done.post.text, "Short post #news");
  EXPECT_FALSE(done.post.regenerated);
}

}  // namespace
}  // namespace bedrock::content

namespace bedrock::content {
namespace {

// max_words: the prompt asks for it, and a longer answer is cut at a sentence end, else at the
// word limit with an ellipsis.
TEST(SummaryWordLimit, PromptAndCut) {
  EXPECT_EQ(cut_to_words("One two. Three four five.", 0), "One two. Three four five.");
  EXPECT_EQ(cut_to_words("One two. Three four five.", 5), "One two. Three four five.");
  EXPECT_EQ(cut_to_words("One two. Three four five.", 4), "One two.");
  EXPECT_EQ(cut_to_words("One two three four", 2), "One two\xE2\x80\xA6");
  EXPECT_EQ(length_limit_phrase(0), "");

  testing::FakeInvoker invoker(
      [](const runtime::InvokeRequest&) { return std::string("A b c. D e f. G h i."); });
  ContentConfig config = ContentConfig::defaults();
  GenerationContext ctx;
  ctx.invoker = &invoker;
  ctx.config = &config;
  ctx.limits = [](std::string_view id) -> Result<ModelLimits> {
    return ModelLimits{std::string(id), models::ModelFamily::AnthropicMessages, 200000, 4096};
  };
  SummarizeInput in{"some text to summarize", 1};
  in.max_words = 7;
  auto s = summarize(ctx, in);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->text, "A b c. D e f.");
  EXPECT_TRUE(s->cut);
  EXPECT_NE(invoker.requests().back().prompt.messages.back().text.find(
                "in 1 paragraph(s) of at most 7 words in total. Reply"),
            std::string::npos);
  in.max_words = 0;
  auto plain = summarize(ctx, in);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->cut);
  EXPECT_NE(invoker.requests().back().prompt.messages.back().text.find("in 1 paragraph(s). Reply"),
            std::string::npos);
}

}  // namespace
}  // namespace bedrock::content
