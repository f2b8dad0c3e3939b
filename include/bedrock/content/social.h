// Social posts: one per platform, each verified against the platform's length limit after
// generation (regenerated once with a stricter instruction, then shortened at a sentence
// boundary when still over).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/content/generation.h"

namespace bedrock::content {

enum class Platform { X, LinkedIn, Facebook, Instagram, Threads, Mastodon };

// Limits in Unicode code points, from each platform's documentation: X 280 (developer docs,
// "counting characters"; URLs count as 23), Threads 500, Mastodon 500 (default instance
// limit), LinkedIn 3,000 (post), Facebook 63,206, Instagram 2,200 (caption).
struct PlatformInfo {
  Platform platform = Platform::X;
  std::string_view name;  // "x", "linkedin", ...
  std::string_view display;
  int limit = 0;
  bool urls_count_23 = false;
  std::string_view hashtag_instruction;
};

const PlatformInfo& platform_info(Platform platform);
// "twitter" and "x" both mean X; case-insensitive. Validation error names the accepted values.
Result<Platform> parse_platform(std::string_view name);

// Length as the platform counts it: code points, with every http(s) URL as 23 on X.
int post_length(Platform platform, std::string_view text);

// Cuts `text` to fit `limit`: keeps trailing hashtags when they fit, ends at the last sentence
// boundary that fits, else at a word boundary with "…"; never inside a UTF-8 sequence.
std::string shorten_post(Platform platform, std::string_view text, int limit);

struct SocialPost {
  Platform platform = Platform::X;
  std::string text;
  int length = 0;  // post_length()
  int limit = 0;
  bool regenerated = false;  // the first draft was over the limit and was rewritten
  bool shortened = false;    // still over after rewriting: cut at a sentence boundary
  std::vector<runtime::InvocationRecord> records;
};

// The content may be empty when attachments carry it (a photo to post about); rewrites of an
// over-long draft go without the attachments.
struct SocialInput {
  std::string content;
  std::vector<Platform> platforms;
  Attachments attachments{};
};

// Told of each post as soon as it is final, before the next platform's call (so a streaming
// caller can close one post before the next one's text arrives). Must not throw.
using PostObserver = std::function<void(const SocialPost&)>;

// One call per platform (two when a rewrite is needed). Validation for empty content, no
// platforms or a repeated platform. With ctx.text_sink set, every call streams (the draft,
// then the rewrite when the draft is over the limit: TextSink::on_call_start tells them apart).
Result<std::vector<SocialPost>> social(const GenerationContext& ctx, const SocialInput& input,
                                       const PostObserver& on_post = {});

}  // namespace bedrock::content
