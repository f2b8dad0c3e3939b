// `blog`, `product` and `social`: commands that write new content from a brief.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "bedrock/content/generators.h"
#include "bedrock/content/social.h"
#include "commands.h"

namespace bedrock::cli {
namespace {

struct BlogFlags {
  std::string topic;
  std::string length = "medium";
  std::optional<std::string> audience;
  std::optional<std::string> tone;
  ModelFlags model;
  StreamFlags stream;
};

int run_blog(Session& session, const BlogFlags& f) {
  auto length = content::parse_blog_length(f.length);
  if (!length) return session.report(length.error());
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Blog, f.model, storage);
  if (!ctx) return session.report(ctx.error());
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  auto post = content::blog(*ctx, {f.topic, *length, f.audience, f.tone});
  if (!post) return session.report(post.error(), streamed);
  nlohmann::json sections = nlohmann::json::array();
  for (const auto& s : post->sections)
    sections.push_back({{"heading", s.heading}, {"body", s.body}});
  nlohmann::json json = {{"title", post->title},
                         {"introduction", post->introduction},
                         {"sections", sections},
                         {"word_count", post->word_count},
                         {"target_words", {post->target.min, post->target.max}},
                         {"markdown", post->markdown},
                         {"records", records_json({post->record})}};
  return session.finish(post->markdown, std::move(json), streamed);
}

struct ProductFlags {
  std::optional<std::string> name;
  std::vector<std::string> features;
  std::optional<std::string> audience;
  std::optional<std::string> tone;
  std::string length = "short";
  std::optional<std::string> details;
  ModelFlags model;
  StreamFlags stream;
};

// --details FILE.json: {"name": ..., "features": [...], "audience": ..., "tone": ..., "length":
// ...} Flags given on the command line win over the file.
Result<content::ProductInput> product_input(const ProductFlags& f) {
  content::ProductInput in;
  std::string length = f.length;
  if (f.details) {
    std::ifstream file(*f.details);
    if (!file) return fail(ErrorCode::Validation, fmt::format("cannot open {}", *f.details));
    auto doc = nlohmann::json::parse(file, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return fail(ErrorCode::Validation, fmt::format("{} is not a JSON object", *f.details));
    }
    try {
      in.name = doc.value("name", "");
      in.features = doc.value("features", std::vector<std::string>{});
      in.audience = doc.value("audience", "");
      if (doc.contains("tone")) in.tone = doc.at("tone").get<std::string>();
      length = doc.value("length", length);
    } catch (const nlohmann::json::exception& e) {
      return fail(ErrorCode::Validation, fmt::format("{}: {}", *f.details, e.what()));
    }
  }
  if (f.name) in.name = *f.name;
  if (!f.features.empty()) in.features = f.features;
  if (f.audience) in.audience = *f.audience;
  if (f.tone) in.tone = *f.tone;
  auto parsed = content::parse_blog_length(length);
  if (!parsed) return fail(parsed.error());
  in.length = *parsed;
  return in;
}

int run_product(Session& session, const ProductFlags& f) {
  auto input = product_input(f);
  if (!input) return session.report(input.error());
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Product, f.model, storage);
  if (!ctx) return session.report(ctx.error());
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  auto out = content::product(*ctx, *input);
  if (!out) return session.report(out.error(), streamed);
  nlohmann::json json = {{"text", out->text},
                         {"word_count", out->word_count},
                         {"target_words", {out->target.min, out->target.max}},
                         {"records", records_json({out->record})}};
  return session.finish(out->text, std::move(json), streamed);
}

struct SocialFlags {
  std::optional<std::string> file;
  std::vector<std::string> platforms;
  ModelFlags model;
  StreamFlags stream;
};

// Streamed, a post's heading comes before its text and its length after it, since the length
// is known only then; a draft over the limit is followed by its rewrite (and, when that is
// still too long, by the shortened post).
content::PostObserver show_posts_as_they_stream(AnswerStream& stream) {
  stream.set_on_call_start([&stream, first = true](const content::TaskCall& call) mutable {
    const auto value = [&](const char* key) {
      auto it = call.values.find(key);
      return it == call.values.end() ? std::string() : it->second;
    };
    if (call.template_name == "retry") {
      stream.print(fmt::format("[{}/{} characters: over the limit, rewriting]\n", value("length"),
                               value("limit")),
                   true);
      return;
    }
    stream.print(fmt::format("{}== {} ==\n", first ? "" : "\n", value("platform")), true);
    first = false;
  });
  return [&stream](const content::SocialPost& post) {
    if (post.shortened) stream.print(fmt::format("[shortened to fit:]\n{}", post.text), true);
    stream.print(fmt::format("({}/{} characters)\n", post.length, post.limit), true);
  };
}

int run_social(Session& session, const SocialFlags& f) {
  content::SocialInput input;
  for (const auto& name : f.platforms) {
    auto p = content::parse_platform(name);
    if (!p) return session.report(p.error());
    input.platforms.push_back(*p);
  }
  auto text = read_command_input(f.file);
  if (!text) return session.report(text.error());
  input.content = std::move(*text);
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Social, f.model, storage);
  if (!ctx) return session.report(ctx.error());
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  content::PostObserver on_post;
  if (streamed != nullptr) on_post = show_posts_as_they_stream(stream);
  auto posts = content::social(*ctx, input, on_post);
  if (!posts) return session.report(posts.error(), streamed);
  std::string plain;
  nlohmann::json json = nlohmann::json::array();
  std::vector<runtime::InvocationRecord> records;
  for (const auto& post : *posts) {
    const auto& info = content::platform_info(post.platform);
    plain += fmt::format("== {} ({}/{} characters{}) ==\n{}\n\n", info.display, post.length,
                         post.limit, post.shortened ? ", shortened" : "", post.text);
    json.push_back({{"platform", std::string(info.name)},
                    {"text", post.text},
                    {"length", post.length},
                    {"limit", post.limit},
                    {"regenerated", post.regenerated},
                    {"shortened", post.shortened},
                    {"records", records_json(post.records)}});
  }
  while (!plain.empty() && plain.back() == '\n') plain.pop_back();
  return session.finish(plain, {{"posts", json}}, streamed);
}

}  // namespace

void add_creative_commands(CLI::App& app, Session& session, int& exit_code) {
  auto b = std::make_shared<BlogFlags>();
  auto* blog = app.add_subcommand("blog", "Write a blog post (title and sections) on a topic");
  blog->add_option("--topic,-t", b->topic, "What the post is about")->required();
  blog->add_option("--length", b->length,
                   "short (300-600 words) | medium (800-1200) | long (1500-2500)")
      ->check(CLI::IsMember({"short", "medium", "long"}));
  blog->add_option("--audience", b->audience, "Who the post is for");
  blog->add_option("--tone", b->tone, "Tone of voice, e.g. 'friendly', 'authoritative'");
  add_model_flags(blog, b->model);
  add_stream_flags(blog, b->stream, true);
  blog->footer(
      "Examples:\n"
      "  bedrock-content blog --topic 'Why retries need budgets' --length short\n"
      "  bedrock-content blog -t 'Serverless cost traps' --audience 'CTOs' --tone candid --json");
  blog->callback([&session, &exit_code, b] { exit_code = run_blog(session, *b); });

  auto p = std::make_shared<ProductFlags>();
  auto* product = app.add_subcommand("product", "Write a product description");
  product->add_option("--name", p->name, "Product name");
  product->add_option("--feature", p->features, "A feature (repeatable)");
  product->add_option("--audience", p->audience, "Target audience");
  product->add_option("--tone", p->tone, "Tone of voice");
  product
      ->add_option("--length", p->length,
                   "short (50-100 words) | medium (100-200) | long (200-400)")
      ->check(CLI::IsMember({"short", "medium", "long"}));
  product->add_option("--details", p->details,
                      "JSON file with name, features, audience, tone, length (flags win)");
  add_model_flags(product, p->model);
  add_stream_flags(product, p->stream, true);
  product->footer(
      "Examples:\n"
      "  bedrock-content product --name 'TrailLite 2' --feature '480 g' --feature 'waterproof' \\\n"
      "      --audience 'ultralight hikers'\n"
      "  bedrock-content product --details product.json --tone playful");
  product->callback([&session, &exit_code, p] { exit_code = run_product(session, *p); });

  auto s = std::make_shared<SocialFlags>();
  auto* social =
      app.add_subcommand("social", "Write one post per platform, within each platform's limit");
  social->add_option("FILE", s->file, "Content to post about ('-' or absent = stdin)");
  social
      ->add_option("--platforms", s->platforms,
                   "Comma-separated: twitter|x, linkedin, facebook, instagram, threads, mastodon")
      ->delimiter(',')
      ->required();
  add_model_flags(social, s->model);
  add_stream_flags(social, s->stream, true);
  social->footer(
      "Examples:\n"
      "  bedrock-content social --platforms twitter,linkedin announcement.txt\n"
      "  echo 'We shipped v2!' | bedrock-content social --platforms x,mastodon,threads --json");
  social->callback([&session, &exit_code, s] { exit_code = run_social(session, *s); });
}

}  // namespace bedrock::cli
