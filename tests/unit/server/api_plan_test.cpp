// The endpoints' plans: the calls they ask for and the answer fields they make from the
// outputs (the same split generators as the CLI's synchronous path).
#include <gtest/gtest.h>

#include "server/api/generation_plan.h"

namespace bedrock::server::api {
namespace {

content::CallOutput output(std::string text) {
  content::CallOutput out;
  out.text = std::move(text);
  out.record.model_used = "m";
  return out;
}

// rephrase: one call, the tutorial's rephrased_text field.
TEST(ApiPlan, RephraseOneCall) {
  RephraseRequest req;
  req.input = {"hello there", "casual"};
  auto plan = rephrase_plan(req);
  ASSERT_TRUE(plan);
  auto call = (*plan)->next();
  ASSERT_TRUE(call);
  EXPECT_EQ(call->task, content::Task::Rephrase);
  EXPECT_EQ(call->values.at("text"), "hello there");
  ASSERT_TRUE((*plan)->take(output("Hey there"), false));
  EXPECT_FALSE((*plan)->next());
  const auto fields = (*plan)->fields();
  EXPECT_EQ(fields.at("rephrased_text"), "Hey there");
  EXPECT_EQ(fields.at("builtin_style"), true);
}

// summarize: the word limit reaches the prompt and cuts the answer; expand joins paragraphs.
TEST(ApiPlan, SummarizeCutsAndExpandJoins) {
  SummarizeRequest s;
  s.input.text = "long text";
  s.input.max_words = 3;
  s.input.paragraphs = 1;
  auto plan = summarize_plan(s);
  ASSERT_TRUE(plan);
  auto call = (*plan)->next();
  ASSERT_TRUE(call);
  EXPECT_EQ(call->values.at("length_limit"), " of at most 3 words in total");
  ASSERT_TRUE((*plan)->take(output("One two. Three four."), false));
  EXPECT_EQ((*plan)->fields().at("summary"), "One two.");
  EXPECT_EQ((*plan)->fields().at("cut"), true);

  ExpandRequest e;
  e.input.bullets = {"a", "b"};
  auto expand = expand_plan(e);
  ASSERT_TRUE(expand);
  ASSERT_TRUE((*expand)->next());
  ASSERT_TRUE((*expand)->take(output("Para a.\n\nPara b."), false));
  EXPECT_EQ((*expand)->fields().at("expanded_text"), "Para a.\n\nPara b.");
  EXPECT_EQ((*expand)->fields().at("one_per_bullet"), true);
}

// blog: an answer without a title fails the request (InvalidResponse).
TEST(ApiPlan, BlogWithoutTitleFails) {
  BlogRequest b;
  b.input.topic = "caches";
  auto plan = blog_plan(b);
  ASSERT_TRUE(plan);
  ASSERT_TRUE((*plan)->next());
  auto taken = (*plan)->take(output(" \n "), true);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::InvalidResponse);
}

// social: a draft per platform, a rewrite after an over-long draft, announced for streams.
TEST(ApiPlan, SocialDraftsAndRewrites) {
  SocialRequest r;
  r.input = {"launch", {content::Platform::X, content::Platform::Mastodon}};
  auto plan = social_plan(r);
  ASSERT_TRUE(plan);
  auto& p = **plan;
  auto first = p.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(p.announce(*first)->at("platform"), "x");
  EXPECT_EQ(p.announce(*first)->at("step"), "draft");
  ASSERT_TRUE(p.take(output(std::string(300, 'w')), false));
  auto rewrite = p.next();
  ASSERT_TRUE(rewrite);
  EXPECT_EQ(rewrite->template_name, "retry");
  EXPECT_EQ(p.announce(*rewrite)->at("step"), "rewrite");
  ASSERT_TRUE(p.take(output("Short now #launch"), false));
  auto second = p.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(p.announce(*second)->at("platform"), "mastodon");
  ASSERT_TRUE(p.take(output("Toot #Launch"), false));
  EXPECT_FALSE(p.next());
  const auto posts = p.fields().at("posts");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].at("text"), "Short now #launch");
  EXPECT_EQ(posts[0].at("regenerated"), true);
  EXPECT_EQ(posts[1].at("regenerated"), false);

  SocialRequest twice;
  twice.input = {"launch", {content::Platform::X, content::Platform::X}};
  EXPECT_FALSE(social_plan(twice));
}

}  // namespace
}  // namespace bedrock::server::api
