// The built-in prompt templates. Each names the placeholders it may use; config files may
// replace any of them (content_config.cpp checks the placeholders against the same lists).
#include "bedrock/content/content_config.h"

namespace bedrock::content {
namespace {

constexpr std::string_view kSummarizeSystem =
    "You are a precise summarizer. You keep names, numbers, dates and conclusions exactly as "
    "written and never add facts that are not in the text.";
constexpr std::string_view kSummarizeUser =
    "Summarize the following text in {{paragraphs}} paragraph(s){{length_limit}}. Reply with "
    "the summary only.\n\n<text>\n{{text}}\n</text>";
constexpr std::string_view kSummarizeAttached =
    "Summarize the attached material in {{paragraphs}} paragraph(s){{length_limit}}. Reply with "
    "the summary only.";
constexpr std::string_view kSummarizeChunk =
    "This is part {{chunk_index}} of {{chunk_count}} of a longer document. Summarize this part "
    "in one dense paragraph that keeps every name, number, date and conclusion. Reply with the "
    "summary only.\n\n<part>\n{{text}}\n</part>";
constexpr std::string_view kSummarizeCombine =
    "The following are summaries of consecutive parts of one document, in order. Combine them "
    "into a single summary of the whole document in {{paragraphs}} paragraph(s){{length_limit}}, "
    "keeping the "
    "key facts and removing repetition. Reply with the summary only.\n\n<summaries>\n{{text}}\n"
    "</summaries>";

constexpr std::string_view kRephraseSystem =
    "You rewrite text in a requested style. You keep every fact, figure, name and commitment "
    "of the original; you change only the wording.";
constexpr std::string_view kRephraseUser =
    "Rewrite the following text {{style_instruction}} Keep every key fact. Reply with the "
    "rewritten text only.\n\n<text>\n{{text}}\n</text>";

constexpr std::string_view kExpandSystem =
    "You turn terse notes into clear prose without inventing specifics that the notes do not "
    "support.";
constexpr std::string_view kExpandUser =
    "Expand each of the following {{count}} bullet points into one well-written paragraph, in "
    "the same order. Write exactly {{count}} paragraphs separated by blank lines, with no "
    "headings, numbering or bullet markers.\n\n<bullets>\n{{bullets}}\n</bullets>";

constexpr std::string_view kBlogSystem =
    "You are an experienced writer of clear, well-structured blog posts.";
constexpr std::string_view kBlogUser =
    "Write a blog post about: {{topic}}\n\nAudience: {{audience}}\nTone: {{tone}}\nLength: "
    "{{min_words}} to {{max_words}} words.\n\nFormat: the first line is the title, starting "
    "with \"# \". Then an introduction, then sections that each start with a \"## \" heading. "
    "Markdown only, no preamble.";

constexpr std::string_view kProductSystem =
    "You write accurate, persuasive product descriptions. You never claim features that are "
    "not listed.";
constexpr std::string_view kProductUser =
    "Write a product description.\n\nProduct: {{name}}\nFeatures:\n{{features}}\nTarget "
    "audience: {{audience}}\nTone: {{tone}}\nLength: {{min_words}} to {{max_words}} words.\n\n"
    "Reply with the description only.";

constexpr std::string_view kSocialSystem =
    "You write social media posts that fit each platform's conventions and length limits.";
constexpr std::string_view kSocialUser =
    "Write one {{platform}} post about the content below. It must be at most {{limit}} "
    "characters long, hashtags included. {{hashtag_instruction}} Reply with the post text "
    "only.\n\n<content>\n{{content}}\n</content>";
constexpr std::string_view kSocialRetry =
    "This {{platform}} post has {{length}} characters but the limit is {{limit}}. Rewrite it "
    "in at most {{target}} characters, keeping the main message. {{hashtag_instruction}} Reply "
    "with the post text only.\n\n<post>\n{{draft}}\n</post>";

std::vector<TemplateSpec> specs(Task task) {
  switch (task) {
    case Task::Summarize:
      return {{"system", {}, kSummarizeSystem},
              {"user", {"text", "paragraphs", "length_limit"}, kSummarizeUser},
              {"attached", {"paragraphs", "length_limit"}, kSummarizeAttached},
              {"chunk", {"text", "chunk_index", "chunk_count"}, kSummarizeChunk},
              {"combine", {"text", "paragraphs", "length_limit"}, kSummarizeCombine}};
    case Task::Rephrase:
      return {{"system", {}, kRephraseSystem},
              {"user", {"text", "style", "style_instruction"}, kRephraseUser}};
    case Task::Expand:
      return {{"system", {}, kExpandSystem}, {"user", {"bullets", "count"}, kExpandUser}};
    case Task::Blog:
      return {
          {"system", {}, kBlogSystem},
          {"user", {"topic", "audience", "tone", "length", "min_words", "max_words"}, kBlogUser}};
    case Task::Product:
      return {{"system", {}, kProductSystem},
              {"user",
               {"name", "features", "audience", "tone", "length", "min_words", "max_words"},
               kProductUser}};
    case Task::Social:
      return {{"system", {}, kSocialSystem},
              {"user", {"content", "platform", "limit", "hashtag_instruction"}, kSocialUser},
              {"retry",
               {"draft", "platform", "limit", "length", "target", "hashtag_instruction"},
               kSocialRetry}};
  }
  return {};
}

}  // namespace

const std::vector<TemplateSpec>& template_specs(Task task) {
  static const std::array<std::vector<TemplateSpec>, kTaskCount> all = [] {
    std::array<std::vector<TemplateSpec>, kTaskCount> a;
    for (Task t : kAllTasks) a[static_cast<std::size_t>(t)] = specs(t);
    return a;
  }();
  return all[static_cast<std::size_t>(task)];
}

}  // namespace bedrock::content
