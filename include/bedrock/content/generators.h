// The content generators. Each takes typed input, renders its task's templates, calls the
// configured model (with fallbacks) through GenerationContext, and returns typed output with
// every invocation record. All are thread-safe given a thread-safe context.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bedrock/content/attachments.h"
#include "bedrock/content/generation.h"
#include "bedrock/content/map_reduce.h"

namespace bedrock::content {

// ---- summarize ----------------------------------------------------------------------------
enum class Chunking {
  Auto,    // one call when the text fits the model, map-reduce when it does not
  Never,   // one call; a text that does not fit fails with InputTooLong (offering chunking)
  Always,  // map-reduce even when one call would do
};

// With attachments the summary is always one call (text and attachments together; map-reduce
// splits text only, so Chunking::Always is a Validation error and a call too long is
// InputTooLong without the chunking offer). The text may then be empty: the "attached" template
// asks for a summary of the attachments alone.
struct SummarizeInput {
  std::string text;
  int paragraphs = 2;  // 1..20
  // At most this many words (count_words) in the summary, 0: no limit. The prompt asks for it
  // (the "length_limit" placeholder); a longer answer is cut with cut_to_words.
  int max_words = 0;
  Attachments attachments{};
};

struct SummarizeOptions {
  Chunking chunking = Chunking::Auto;
  MapReduceOptions map_reduce;  // from ContentConfig::map_reduce by default (see from_config)
};

struct Summary {
  std::string text;
  bool chunked = false;                    // produced by map-reduce
  int chunks = 1;                          // chunks summarized in the map step
  int reduce_levels = 0;                   // map-reduce: reduce levels run (1 = one combine call)
  std::vector<FailedChunk> failed_chunks;  // only with mark_failed_chunks
  bool cut = false;                        // over max_words as answered: cut_to_words applied
  std::vector<runtime::InvocationRecord> records;
};

Result<Summary> summarize(const GenerationContext& ctx, const SummarizeInput& input,
                          const SummarizeOptions& options);
// Same, with map-reduce settings from ctx.config.
Result<Summary> summarize(const GenerationContext& ctx, const SummarizeInput& input);

// ---- rephrase -----------------------------------------------------------------------------
// "professional", "casual", "academic", "simplify", or any other text as a free-form style
// description (at most 500 bytes).
// Attachments are context for the rewrite (the text is still required).
struct RephraseInput {
  std::string text;
  std::string style = "professional";
  Attachments attachments{};
};

struct Rephrased {
  std::string text;
  std::string style;  // as given
  bool builtin_style = false;
  runtime::InvocationRecord record;
};

// The sentence a style becomes in the prompt ("in a professional tone: ..."). Validation error
// for an empty or over-long style.
Result<std::string> style_instruction(std::string_view style, bool* builtin = nullptr);

Result<Rephrased> rephrase(const GenerationContext& ctx, const RephraseInput& input);

// ---- expand -------------------------------------------------------------------------------
struct ExpandInput {
  std::vector<std::string> bullets;  // one entry per bullet, markers already removed
  Attachments attachments{};         // source material for the paragraphs (bullets required)
  // Parses "- a\n* b\n• c\n1. d\n  continued" into bullets: markers (-, *, +, •, 1., 1)) are
  // removed, indented lines continue the previous bullet, blank lines are skipped.
  static ExpandInput from_text(std::string_view text);
};

struct Expanded {
  std::vector<std::string> paragraphs;  // in bullet order
  bool one_per_bullet = false;          // the model returned exactly one paragraph per bullet
  runtime::InvocationRecord record;
  std::string text() const;  // paragraphs joined by blank lines
};

// Validation for no bullets or more than 100.
Result<Expanded> expand(const GenerationContext& ctx, const ExpandInput& input);

// ---- blog ---------------------------------------------------------------------------------
enum class BlogLength { Short, Medium, Long };
struct WordRange {
  int min = 0;
  int max = 0;
};
// short 300-600 words, medium 800-1200, long 1500-2500.
WordRange word_range(BlogLength length);
Result<BlogLength> parse_blog_length(std::string_view name);  // "short" | "medium" | "long"

struct BlogInput {
  std::string topic;
  BlogLength length = BlogLength::Medium;
  std::optional<std::string> audience;
  std::optional<std::string> tone;
  Attachments attachments{};  // source material for the post (the topic is still required)
};

struct BlogSection {
  std::string heading;
  std::string body;
};

struct BlogPost {
  std::string title;
  std::string introduction;  // text before the first section
  std::vector<BlogSection> sections;
  int word_count = 0;
  WordRange target;
  std::string markdown;  // the model's text as returned
  runtime::InvocationRecord record;
};

// Splits "# Title\nintro\n## A\n..." into title, introduction and sections. Without a "# "
// line the first non-empty line is the title.
BlogPost parse_blog_markdown(std::string_view markdown);

Result<BlogPost> blog(const GenerationContext& ctx, const BlogInput& input);

// ---- product ------------------------------------------------------------------------------
struct ProductInput {
  std::string name;
  std::vector<std::string> features;  // may be empty when attachments show the product
  std::string audience;
  std::optional<std::string> tone;
  BlogLength length = BlogLength::Short;  // short 50-100 words, medium 100-200, long 200-400
  Attachments attachments{};              // product photos, data sheets
};

WordRange product_word_range(BlogLength length);

struct ProductDescription {
  std::string text;
  int word_count = 0;
  WordRange target;
  runtime::InvocationRecord record;
};

// Validation for an empty name, no features (and no attachments), or an empty audience.
Result<ProductDescription> product(const GenerationContext& ctx, const ProductInput& input);

int count_words(std::string_view text);

// `text` if it has at most `max_words` words; else its longest prefix that ends a sentence
// within the limit, or (no such sentence) its first `max_words` words and "…". 0: no limit.
std::string cut_to_words(std::string_view text, int max_words);

// " of at most N words in total" for the summary templates' length_limit; empty for 0.
std::string length_limit_phrase(int max_words);

}  // namespace bedrock::content
