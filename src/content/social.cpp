#include "bedrock/content/social.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "bedrock/content/generator_steps.h"
#include "bedrock/core/ascii.h"

namespace bedrock::content {
namespace {

constexpr std::array<PlatformInfo, 6> kPlatforms{{
    {Platform::X, "x", "X (Twitter)", 280, true, "Use one or two relevant hashtags at the end."},
    {Platform::LinkedIn, "linkedin", "LinkedIn", 3000, false,
     "End with three to five relevant hashtags."},
    {Platform::Facebook, "facebook", "Facebook", 63206, false,
     "Use at most two hashtags, or none."},
    {Platform::Instagram, "instagram", "Instagram", 2200, false,
     "End with five to ten relevant hashtags."},
    {Platform::Threads, "threads", "Threads", 500, false, "Use at most one topic hashtag."},
    {Platform::Mastodon, "mastodon", "Mastodon", 500, false,
     "End with two to four CamelCase hashtags so the post is discoverable."},
}};

std::size_t cp_count(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Byte offset just past the first `cps` code points.
std::size_t cp_prefix(std::string_view s, std::size_t cps) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == cps) return i;
      ++seen;
    }
  }
  return s.size();
}

}  // namespace

const PlatformInfo& platform_info(Platform platform) {
  return kPlatforms[static_cast<std::size_t>(platform)];
}

Result<Platform> parse_platform(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "twitter") return Platform::X;
  for (const auto& p : kPlatforms) {
    if (p.name == lower) return p.platform;
  }
  return fail(ErrorCode::Validation,
              fmt::format("unknown platform '{}': use twitter/x, linkedin, facebook, instagram, "
                          "threads or mastodon",
                          name));
}

int post_length(Platform platform, std::string_view text) {
  if (!platform_info(platform).urls_count_23) return static_cast<int>(cp_count(text));
  // X wraps every link in t.co: each URL counts as 23 whatever its length.
  int length = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t url = std::min(text.find("http://", pos), text.find("https://", pos));
    if (url == std::string_view::npos) {
      length += static_cast<int>(cp_count(text.substr(pos)));
      break;
    }
    length += static_cast<int>(cp_count(text.substr(pos, url - pos))) + 23;
    std::size_t end = url;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    pos = end;
  }
  return length;
}

std::string shorten_post(Platform platform, std::string_view text, int limit) {
  text = trim_ascii(text);
  if (post_length(platform, text) <= limit) return std::string(text);
  // Trailing hashtags: the run of "#word" tokens at the end.
  std::string_view body = text;
  std::string_view tags;
  for (;;) {
    const std::size_t sp = body.find_last_of(" \n");
    const std::string_view last = body.substr(sp == std::string_view::npos ? 0 : sp + 1);
    if (last.size() < 2 || last[0] != '#' || sp == std::string_view::npos) break;
    body = trim_ascii(body.substr(0, sp));
  }
  tags = trim_ascii(text.substr(body.size()));
  auto fits = [&](std::string_view b, std::string_view t) {
    std::string candidate(b);
    if (!t.empty()) candidate += (candidate.empty() ? "" : "\n\n") + std::string(t);
    return post_length(platform, candidate) <= limit ? std::optional<std::string>(candidate)
                                                     : std::nullopt;
  };
  for (std::string_view t : {tags, std::string_view{}}) {
    // Longest prefix of the body that ends a sentence and fits.
    for (std::size_t i = body.size(); i > 0; --i) {
      const char c = body[i - 1];
      const bool end = c == '.' || c == '!' || c == '?';
      if (!end || (i < body.size() && body[i] != ' ' && body[i] != '\n')) continue;
      if (auto f = fits(body.substr(0, i), t)) return *f;
    }
  }
  // No sentence fits: cut at a word boundary and mark the cut.
  const int room = std::max(1, limit - 1);
  std::string_view cut = body.substr(0, cp_prefix(body, static_cast<std::size_t>(room)));
  while (post_length(platform, cut) > room && !cut.empty()) {
    cut = cut.substr(0, cp_prefix(cut, cp_count(cut) - 1));
  }
  const std::size_t sp = cut.find_last_of(" \n");
  if (sp != std::string_view::npos && sp > 0) cut = cut.substr(0, sp);
  return std::string(trim_ascii(cut)) + "\xE2\x80\xA6";  // …
}

Status check_social_input(const SocialInput& input) {
  if (trim_ascii(input.content).empty() && input.attachments.empty())
    return fail(ErrorCode::Validation, "no content to post about");
  if (input.platforms.empty()) return fail(ErrorCode::Validation, "no platforms given");
  for (std::size_t i = 0; i < input.platforms.size(); ++i) {
    for (std::size_t j = i + 1; j < input.platforms.size(); ++j) {
      if (input.platforms[i] == input.platforms[j]) {
        return fail(ErrorCode::Validation,
                    fmt::format("platform {} given twice", platform_info(input.platforms[i]).name));
      }
    }
  }
  return {};
}

TaskCall social_draft_call(const SocialInput& input, Platform platform) {
  const PlatformInfo& info = platform_info(platform);
  TaskCall call{Task::Social, "user", {}, false};
  call.values["content"] = trim_ascii(input.content).empty() ? "(the attachments)" : input.content;
  call.values["platform"] = std::string(info.display);
  call.values["limit"] = std::to_string(info.limit);
  call.values["hashtag_instruction"] = std::string(info.hashtag_instruction);
  call.attachments = input.attachments;
  return call;
}

SocialStep finish_social_draft(Platform platform, const TaskCall& draft, CallOutput out) {
  const PlatformInfo& info = platform_info(platform);
  SocialStep step;
  step.post.platform = platform;
  step.post.limit = info.limit;
  step.post.records.push_back(std::move(out.record));
  step.post.text = std::string(trim_ascii(out.text));
  step.post.length = post_length(platform, step.post.text);
  if (step.post.length > info.limit) {
    // Aim below the limit: models overshoot character targets.
    TaskCall retry{Task::Social, "retry", draft.values, false};
    retry.values["draft"] = step.post.text;
    retry.values["length"] = std::to_string(step.post.length);
    retry.values["target"] = std::to_string(info.limit * 85 / 100);
    step.retry = std::move(retry);
  }
  return step;
}

SocialPost finish_social_retry(SocialPost post, CallOutput out) {
  post.records.push_back(std::move(out.record));
  post.regenerated = true;
  post.text = std::string(trim_ascii(out.text));
  post.length = post_length(post.platform, post.text);
  if (post.length > post.limit) {
    post.text = shorten_post(post.platform, post.text, post.limit);
    post.shortened = true;
    post.length = post_length(post.platform, post.text);
  }
  return post;
}

Result<std::vector<SocialPost>> social(const GenerationContext& ctx, const SocialInput& input,
                                       const PostObserver& on_post) {
  if (auto ok = check_social_input(input); !ok) return fail(ok.error());
  std::vector<SocialPost> posts;
  for (Platform platform : input.platforms) {
    const TaskCall call = social_draft_call(input, platform);
    auto out = call_task(ctx, call);
    if (!out) return fail(out.error());
    SocialStep step = finish_social_draft(platform, call, std::move(*out));
    if (step.retry) {
      auto again = call_task(ctx, *step.retry);
      if (!again) return fail(again.error());
      step.post = finish_social_retry(std::move(step.post), std::move(*again));
    }
    if (on_post) on_post(step.post);
    posts.push_back(std::move(step.post));
  }
  return posts;
}

}  // namespace bedrock::content
