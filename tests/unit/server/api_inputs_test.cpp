// The /api/ bodies: the tutorial's fields read into the generators' inputs, and every refusal a
// 400 that names the field.
#include "server/api/api_inputs.h"

#include <gtest/gtest.h>

namespace bedrock::server::api {
namespace {

using nlohmann::json;

template <typename R>
std::string refused_field(const R& r) {
  EXPECT_FALSE(r);
  if (r) return "(accepted)";
  EXPECT_EQ(r.error().status, 400u);
  return r.error().param;
}

// "model" (any generator): trimmed; blank means the configured model; not a string is refused.
TEST(ApiInputs, Model) {
  auto r = read_rephrase(json{{"text", "t"}, {"model", " fast "}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->common.model, "fast");
  auto blank = read_blog(json{{"topic", "t"}, {"model", "  "}});
  ASSERT_TRUE(blank);
  EXPECT_EQ(blank->common.model, "");
  auto none = read_summarize(json{{"text", "t"}});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->common.model, "");
  EXPECT_EQ(refused_field(read_expand(json{{"bullets", "- a"}, {"model", 3}})), "model");
}

// summarize: text required, max_length is words (1..10000), paragraphs follow it by default.
TEST(ApiInputs, Summarize) {
  auto r = read_summarize(json{{"text", "Some text."}, {"max_length", 100}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.text, "Some text.");
  EXPECT_EQ(r->input.max_words, 100);
  EXPECT_EQ(r->input.paragraphs, 1);
  EXPECT_FALSE(r->common.stream);
  EXPECT_EQ(r->chunking, content::Chunking::Auto);
  auto plain = read_summarize(json{{"text", "t"}, {"stream", true}, {"chunking", "never"}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->input.max_words, 0);
  EXPECT_EQ(plain->input.paragraphs, 2);
  EXPECT_TRUE(plain->common.stream);
  EXPECT_EQ(plain->chunking, content::Chunking::Never);
  EXPECT_EQ(refused_field(read_summarize(json{{"max_length", 10}})), "text");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "  \n"}})), "text");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", 5}})), "text");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "t"}, {"max_length", 0}})), "max_length");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "t"}, {"max_length", "50"}})), "max_length");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "t"}, {"paragraphs", 21}})), "paragraphs");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "t"}, {"chunking", "sometimes"}})),
            "chunking");
  EXPECT_EQ(refused_field(read_summarize(json{{"text", "t"}, {"stream", "yes"}})), "stream");
}

// rephrase: style defaults to professional; an unusable style is refused up front.
TEST(ApiInputs, Rephrase) {
  auto r = read_rephrase(json{{"text", "hello"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->input.style, "professional");
  auto pirate = read_rephrase(json{{"text", "hello"}, {"style", "like a pirate"}});
  ASSERT_TRUE(pirate);
  EXPECT_EQ(pirate->input.style, "like a pirate");
  EXPECT_EQ(refused_field(read_rephrase(json{{"text", "hello"}, {"style", " "}})), "style");
  EXPECT_EQ(refused_field(read_rephrase(json{{"text", "hello"}, {"style", std::string(501, 'a')}})),
            "style");
  EXPECT_EQ(refused_field(read_rephrase(json{{"style", "casual"}})), "text");
}

// expand: bullets as one string (markers parsed as the CLI does) or as a list.
TEST(ApiInputs, ExpandStringOrList) {
  auto text = read_expand(json{{"bullets", "- fast\n* small\n  and light\n\n1. cheap"}});
  ASSERT_TRUE(text);
  EXPECT_EQ(text->input.bullets, (std::vector<std::string>{"fast", "small and light", "cheap"}));
  auto list = read_expand(json{{"bullets", json::array({"fast", " small "})}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->input.bullets, (std::vector<std::string>{"fast", "small"}));
  EXPECT_EQ(refused_field(read_expand(json::object())), "bullets");
  EXPECT_EQ(refused_field(read_expand(json{{"bullets", "\n \n"}})), "bullets");
  EXPECT_EQ(refused_field(read_expand(json{{"bullets", json::array({"a", 3})}})), "bullets[1]");
  EXPECT_EQ(refused_field(read_expand(json{{"bullets", 7}})), "bullets");
  EXPECT_EQ(refused_field(read_expand(json{{"bullets", json(std::vector<std::string>(101, "b"))}})),
            "bullets");
}

// blog and product: the CLI's flags as fields, lengths by name.
TEST(ApiInputs, BlogAndProduct) {
  auto blog = read_blog(json{{"topic", "caching"}, {"length", "long"}, {"tone", "dry"}});
  ASSERT_TRUE(blog);
  EXPECT_EQ(blog->input.length, content::BlogLength::Long);
  EXPECT_EQ(blog->input.tone, "dry");
  EXPECT_FALSE(blog->input.audience);
  EXPECT_EQ(refused_field(read_blog(json{{"topic", "x"}, {"length", "huge"}})), "length");
  EXPECT_EQ(refused_field(read_blog(json::object())), "topic");

  auto product = read_product(json{
      {"name", "Widget"}, {"features", json::array({"light", "strong"})}, {"audience", "hikers"}});
  ASSERT_TRUE(product);
  EXPECT_EQ(product->input.features.size(), 2u);
  EXPECT_EQ(product->input.length, content::BlogLength::Short);
  EXPECT_EQ(refused_field(read_product(json{{"name", "W"}, {"audience", "a"}})), "features");
  EXPECT_EQ(refused_field(read_product(json{{"name", "W"}, {"features", "f"}})), "audience");
}

// social: platforms as a list or a comma-separated string; unknown or repeated ones refused.
TEST(ApiInputs, SocialPlatforms) {
  auto list =
      read_social(json{{"content", "launch"}, {"platforms", json::array({"twitter", "LinkedIn"})}});
  ASSERT_TRUE(list);
  EXPECT_EQ(list->input.platforms,
            (std::vector<content::Platform>{content::Platform::X, content::Platform::LinkedIn}));
  auto csv = read_social(json{{"content", "launch"}, {"platforms", "x, mastodon"}});
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->input.platforms.size(), 2u);
  EXPECT_EQ(refused_field(read_social(json{{"content", "c"}, {"platforms", "myspace"}})),
            "platforms");
  EXPECT_EQ(refused_field(read_social(json{{"content", "c"}, {"platforms", "x,twitter"}})),
            "platforms");
  EXPECT_EQ(refused_field(read_social(json{{"platforms", "x"}})), "content");
}

}  // namespace
}  // namespace bedrock::server::api

namespace bedrock::server::api {
namespace {

std::string attachments_refusal(const json& attachments, unsigned status = 400) {
  auto r = read_summarize(json{{"text", "t"}, {"attachments", attachments}});
  EXPECT_FALSE(r);
  if (r) return "(accepted)";
  EXPECT_EQ(r.error().status, status) << r.error().message;
  return r.error().param;
}

// "attachments": base64 files read into image and document blocks, the format from the name
// or "format"; every refusal names the field.
TEST(ApiInputs, Attachments) {
  auto r =
      read_summarize(json{{"attachments",
                           {{{"name", "Q3 report.pdf"}, {"data", "JVBERi0xLjQ="}},
                            {{"name", "photo"}, {"format", "png"}, {"data", "iVBORw"}},
                            {{"name", "x.gif"}, {"data", "data:image/gif;base64,R0lGOA=="}}}}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->input.text, "");
  ASSERT_EQ(r->input.attachments.documents.size(), 1u);
  EXPECT_EQ(r->input.attachments.documents[0].name, "Q3 report");
  EXPECT_EQ(r->input.attachments.documents[0].source.bytes, "%PDF-1.4");
  ASSERT_EQ(r->input.attachments.images.size(), 2u);
  EXPECT_EQ(r->input.attachments.images[0].format, models::ImageFormat::Png);
  EXPECT_EQ(r->input.attachments.images[1].source.bytes, "GIF8");

  EXPECT_EQ(attachments_refusal("x"), "attachments");
  EXPECT_EQ(attachments_refusal(json::array({3})), "attachments[0]");
  EXPECT_EQ(attachments_refusal({{{"data", "AAAA"}}}), "attachments[0].name");
  EXPECT_EQ(attachments_refusal({{{"name", "  "}, {"data", "AAAA"}}}), "attachments[0].name");
  EXPECT_EQ(attachments_refusal({{{"name", "a.exe"}, {"data", "AAAA"}}}), "attachments[0].name");
  EXPECT_EQ(attachments_refusal({{{"name", "a.pdf"}, {"format", "exe"}, {"data", "AAAA"}}}),
            "attachments[0].format");
  EXPECT_EQ(attachments_refusal({{{"name", "a.pdf"}, {"format", 1}, {"data", "AAAA"}}}),
            "attachments[0].format");
  EXPECT_EQ(attachments_refusal({{{"name", "a.pdf"}, {"data", "AAAA"}},
                                 {{"name", "b.pdf"}, {"data", "not base64!"}}}),
            "attachments[1].data");
  EXPECT_EQ(attachments_refusal({{{"name", "a.pdf"}}}), "attachments[0].data");
  EXPECT_EQ(attachments_refusal({{{"name", "a.pdf"}, {"data", ""}}}), "attachments[0].data");
  const std::string big(models::kMaxImageBytes / 3 * 4 + 4, 'A');
  EXPECT_EQ(attachments_refusal({{{"name", "a.png"}, {"data", big}}}, 413), "attachments[0].data");
  json six = json::array();
  for (int i = 0; i < 6; ++i) six.push_back({{"name", "d.txt"}, {"data", "eA=="}});
  EXPECT_EQ(attachments_refusal(six), "attachments");
  json too_many = json::array();
  for (int i = 0; i < 26; ++i) too_many.push_back(3);
  EXPECT_EQ(attachments_refusal(too_many), "attachments");
}

// Where an attachment can stand in for the input: summarize text, product features, social
// content; elsewhere the text stays required. Chunking "always" reads text only.
TEST(ApiInputs, AttachmentsAsInput) {
  const json pdf = {{{"name", "r.pdf"}, {"data", "JVBERi0xLjQ="}}};
  EXPECT_EQ(refused_field(read_summarize(json{{"attachments", json::array()}})), "text");
  EXPECT_EQ(refused_field(read_summarize(json{{"attachments", pdf}, {"chunking", "always"}})),
            "chunking");
  auto product =
      read_product(json{{"name", "Lamp"}, {"audience", "readers"}, {"attachments", pdf}});
  ASSERT_TRUE(product) << product.error().message;
  EXPECT_TRUE(product->input.features.empty());
  EXPECT_EQ(refused_field(read_product(json{{"name", "Lamp"}, {"audience", "readers"}})),
            "features");
  auto social = read_social(json{{"platforms", "x"}, {"attachments", pdf}});
  ASSERT_TRUE(social) << social.error().message;
  EXPECT_EQ(social->input.content, "");
  EXPECT_EQ(refused_field(read_rephrase(json{{"attachments", pdf}})), "text");
  EXPECT_EQ(refused_field(read_blog(json{{"attachments", pdf}})), "topic");
  auto rephrase = read_rephrase(json{{"text", "t"}, {"attachments", pdf}});
  ASSERT_TRUE(rephrase);
  EXPECT_EQ(rephrase->input.attachments.size(), 1u);
  auto expand = read_expand(json{{"bullets", "- a"}, {"attachments", pdf}});
  ASSERT_TRUE(expand);
  EXPECT_EQ(expand->input.attachments.size(), 1u);
}

}  // namespace
}  // namespace bedrock::server::api
