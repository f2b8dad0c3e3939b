#include "bedrock/content/social.h"

#include <gtest/gtest.h>

#include "fake_invoker.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

// Documented limits per platform; twitter is an alias of x.
TEST(Platforms, LimitsAndNames) {
  EXPECT_EQ(platform_info(Platform::X).limit, 280);
  EXPECT_EQ(platform_info(Platform::Threads).limit, 500);
  EXPECT_EQ(platform_info(Platform::Mastodon).limit, 500);
  EXPECT_EQ(platform_info(Platform::LinkedIn).limit, 3000);
  EXPECT_EQ(platform_info(Platform::Facebook).limit, 63206);
  EXPECT_EQ(platform_info(Platform::Instagram).limit, 2200);
  EXPECT_EQ(*parse_platform("Twitter"), Platform::X);
  EXPECT_EQ(*parse_platform("x"), Platform::X);
  EXPECT_EQ(*parse_platform("LinkedIn"), Platform::LinkedIn);
  auto bad = parse_platform("myspace");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("mastodon"), std::string::npos);
}

// Length counts code points, and URLs as 23 on X only.
TEST(Platforms, CountsCodePointsAndUrls) {
  EXPECT_EQ(post_length(Platform::Threads, "héllo 😀"), 7);
  const std::string url = "see https://example.com/a/very/long/path/that/goes/on";
  EXPECT_EQ(post_length(Platform::X, url), 4 + 23);
  EXPECT_EQ(post_length(Platform::Mastodon, url), static_cast<int>(url.size()));
}

// Shortening ends at a sentence boundary and keeps hashtags when they fit.
TEST(Platforms, ShortensAtSentenceKeepingHashtags) {
  const std::string text = "First sentence here. Second one is longer than that. Third! #ai #cloud";
  const std::string s = shorten_post(Platform::X, text, 45);
  EXPECT_EQ(s, "First sentence here.\n\n#ai #cloud");
  EXPECT_LE(post_length(Platform::X, s), 45);
  // No sentence fits: word cut with an ellipsis, never mid-code-point.
  const std::string cjk = "数据数据数据数据数据 数据数据数据数据数据 数据数据";
  const std::string c = shorten_post(Platform::X, cjk, 15);
  EXPECT_LE(post_length(Platform::X, c), 15);
  EXPECT_EQ(c, "数据数据数据数据数据…");
}

// Over-limit drafts are regenerated once, then shortened; every post ends within its limit.
TEST(Social, VerifiesAndRepairsLength) {
  int call = 0;
  FakeInvoker invoker([&](const runtime::InvokeRequest&) {
    ++call;
    std::string s;
    for (int i = 0; i < 40; ++i) s += "Great news today. ";
    return s + "#launch";
  });
  ContentConfig config = ContentConfig::defaults();
  GenerationContext ctx;
  ctx.invoker = &invoker;
  ctx.config = &config;
  ctx.limits = [](std::string_view id) -> Result<ModelLimits> {
    return ModelLimits{std::string(id), models::ModelFamily::AnthropicMessages, 200000, 4096};
  };
  auto posts = social(ctx, {"We launched.", {Platform::X, Platform::LinkedIn}});
  ASSERT_TRUE(posts) << posts.error().message;
  ASSERT_EQ(posts->size(), 2u);
  const SocialPost& x = (*posts)[0];
  EXPECT_TRUE(x.regenerated);
  EXPECT_TRUE(x.shortened);
  EXPECT_LE(x.length, 280);
  EXPECT_NE(x.text.find("#launch"), std::string::npos);
  EXPECT_EQ(x.records.size(), 2u);
  const SocialPost& li = (*posts)[1];
  EXPECT_FALSE(li.regenerated);
  EXPECT_EQ(li.records.size(), 1u);
  EXPECT_EQ(call, 3);
  const auto reqs = invoker.requests();
  EXPECT_NE(reqs[1].prompt.messages.back().text.find("at most 238 characters"), std::string::npos);
  EXPECT_FALSE(social(ctx, {"x", {Platform::X, Platform::X}}));
  EXPECT_FALSE(social(ctx, {"x", {}}));
}

}  // namespace
}  // namespace bedrock::content
