// The generators split around their model calls: each "..._call" checks the input and builds
// the TaskCall, each "finish_..." turns the call's output into the typed result. The synchronous
// generators (generators.h, social.h) are exactly call + call_task + finish; a caller that sends
// the requests itself (prepare_task, its own client, finish_task) gets the same results.
#pragma once

#include <optional>

#include "bedrock/content/generators.h"
#include "bedrock/content/social.h"

namespace bedrock::content {

// Summarize when the text fits one call (Chunking::Auto or Never). The call is chunkable: its
// InputTooLong offers map-reduce. Validation for paragraphs outside 1..20 or an empty text.
Result<TaskCall> summarize_call(const SummarizeInput& input);
// Cuts the answer to input.max_words (cut_to_words).
Summary finish_summary(CallOutput out, int max_words);

// Validation for an empty text or a bad style (style_instruction).
Result<TaskCall> rephrase_call(const RephraseInput& input);
Rephrased finish_rephrase(const RephraseInput& input, CallOutput out);

// Validation for no bullets or more than 100.
Result<TaskCall> expand_call(const ExpandInput& input);
Expanded finish_expand(const ExpandInput& input, CallOutput out);

// Validation for an empty topic. finish_blog: InvalidResponse when the post has no title (with
// the markdown as partial output when `streamed`, since the user saw it).
Result<TaskCall> blog_call(const BlogInput& input);
Result<BlogPost> finish_blog(const BlogInput& input, CallOutput out, bool streamed);

// Validation for an empty name, no features, or an empty audience.
Result<TaskCall> product_call(const ProductInput& input);
ProductDescription finish_product(const ProductInput& input, CallOutput out);

// Social, per platform: a draft call, then, when the draft is over the platform's limit, one
// rewrite call (SocialStep::retry), after which the post is shortened if still over.
Status check_social_input(const SocialInput& input);
TaskCall social_draft_call(const SocialInput& input, Platform platform);
struct SocialStep {
  SocialPost post;                // final unless `retry` is set
  std::optional<TaskCall> retry;  // send this, then finish_social_retry
};
SocialStep finish_social_draft(Platform platform, const TaskCall& draft, CallOutput out);
SocialPost finish_social_retry(SocialPost post, CallOutput out);

}  // namespace bedrock::content
