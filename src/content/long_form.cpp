// Blog posts and product descriptions: the generators whose length is a word range.
#include <fmt/format.h>

#include "bedrock/content/generator_steps.h"
#include "bedrock/core/ascii.h"

namespace bedrock::content {
namespace {

std::string_view length_name(BlogLength l) {
  return l == BlogLength::Short ? "short" : l == BlogLength::Medium ? "medium" : "long";
}

bool blank(std::string_view s) { return trim_ascii(s).empty(); }

}  // namespace

int count_words(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

WordRange word_range(BlogLength length) {
  switch (length) {
    case BlogLength::Short:
      return {300, 600};
    case BlogLength::Medium:
      return {800, 1200};
    case BlogLength::Long:
      return {1500, 2500};
  }
  return {800, 1200};
}

WordRange product_word_range(BlogLength length) {
  switch (length) {
    case BlogLength::Short:
      return {50, 100};
    case BlogLength::Medium:
      return {100, 200};
    case BlogLength::Long:
      return {200, 400};
  }
  return {50, 100};
}

Result<BlogLength> parse_blog_length(std::string_view name) {
  if (name == "short") return BlogLength::Short;
  if (name == "medium") return BlogLength::Medium;
  if (name == "long") return BlogLength::Long;
  return fail(ErrorCode::Validation,
              fmt::format("unknown length '{}': use short, medium or long", name));
}

BlogPost parse_blog_markdown(std::string_view markdown) {
  BlogPost post;
  post.markdown = std::string(markdown);
  std::string* target = &post.introduction;
  std::size_t pos = 0;
  while (pos <= markdown.size()) {
    std::size_t nl = markdown.find('\n', pos);
    if (nl == std::string_view::npos) nl = markdown.size();
    const std::string_view line = markdown.substr(pos, nl - pos);
    pos = nl + 1;
    const std::string_view t = trim_ascii(line);
    if (post.title.empty() && t.rfind("# ", 0) == 0) {
      post.title = std::string(trim_ascii(t.substr(2)));
      continue;
    }
    if (t.rfind("## ", 0) == 0) {
      post.sections.push_back({std::string(trim_ascii(t.substr(3))), {}});
      target = &post.sections.back().body;
      continue;
    }
    if (post.title.empty() && post.introduction.empty() && post.sections.empty() && !t.empty()) {
      post.title =
          std::string(t.rfind("#", 0) == 0 ? trim_ascii(t.substr(t.find_first_not_of('#'))) : t);
      continue;
    }
    if (!target->empty() || !blank(line)) {
      *target += line;
      *target += '\n';
    }
  }
  post.introduction = std::string(trim_ascii(post.introduction));
  for (auto& s : post.sections) s.body = std::string(trim_ascii(s.body));
  post.word_count = count_words(post.introduction);
  for (const auto& s : post.sections) post.word_count += count_words(s.body);
  return post;
}

Result<TaskCall> blog_call(const BlogInput& input) {
  if (blank(input.topic)) return fail(ErrorCode::Validation, "blog topic is empty");
  const WordRange range = word_range(input.length);
  TaskCall call{Task::Blog, "user", {}, false};
  call.values["topic"] = input.topic;
  call.values["audience"] = input.audience.value_or("a general audience");
  call.values["tone"] = input.tone.value_or("informative and engaging");
  call.values["length"] = std::string(length_name(input.length));
  call.values["min_words"] = std::to_string(range.min);
  call.values["max_words"] = std::to_string(range.max);
  call.attachments = input.attachments;
  return call;
}

Result<BlogPost> finish_blog(const BlogInput& input, CallOutput out, bool streamed) {
  BlogPost post = parse_blog_markdown(out.text);
  if (post.title.empty()) {
    Error e = Error::make(ErrorCode::InvalidResponse, "the model's blog post has no title");
    if (streamed) e.partial_output = std::move(post.markdown);
    return fail(std::move(e));
  }
  post.target = word_range(input.length);
  post.record = std::move(out.record);
  return post;
}

Result<BlogPost> blog(const GenerationContext& ctx, const BlogInput& input) {
  auto call = blog_call(input);
  if (!call) return fail(call.error());
  auto out = call_task(ctx, *call);
  if (!out) return fail(out.error());
  return finish_blog(input, std::move(*out), ctx.text_sink != nullptr);
}

Result<TaskCall> product_call(const ProductInput& input) {
  if (blank(input.name)) return fail(ErrorCode::Validation, "product name is empty");
  if (input.features.empty() && input.attachments.empty()) {
    return fail(ErrorCode::Validation, "product has no features");
  }
  if (blank(input.audience)) return fail(ErrorCode::Validation, "target audience is empty");
  const WordRange range = product_word_range(input.length);
  std::string features;
  for (const auto& f : input.features) features += "- " + f + "\n";
  if (features.empty()) features = "- (as shown in the attachments)\n";
  TaskCall call{Task::Product, "user", {}, false};
  call.values["name"] = input.name;
  call.values["features"] = features;
  call.values["audience"] = input.audience;
  call.values["tone"] = input.tone.value_or("clear and persuasive");
  call.values["length"] = std::string(length_name(input.length));
  call.values["min_words"] = std::to_string(range.min);
  call.values["max_words"] = std::to_string(range.max);
  call.attachments = input.attachments;
  return call;
}

ProductDescription finish_product(const ProductInput& input, CallOutput out) {
  ProductDescription d;
  d.text = std::string(trim_ascii(out.text));
  d.word_count = count_words(d.text);
  d.target = product_word_range(input.length);
  d.record = std::move(out.record);
  return d;
}

Result<ProductDescription> product(const GenerationContext& ctx, const ProductInput& input) {
  auto call = product_call(input);
  if (!call) return fail(call.error());
  auto out = call_task(ctx, *call);
  if (!out) return fail(out.error());
  return finish_product(input, std::move(*out));
}

}  // namespace bedrock::content
