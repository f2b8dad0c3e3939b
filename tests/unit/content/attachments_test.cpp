// Generators with images and documents: the blocks go into the first user turn beside the
// instruction text, the call goes through Converse to a model that reads them, Bedrock's limits
// are checked before anything is sent, and a text-only call is what it was.
#include "bedrock/content/attachments.h"

#include <gtest/gtest.h>

#include "bedrock/content/generator_steps.h"
#include "bedrock/content/prepared_call.h"
#include "fake_invoker.h"

namespace bedrock::content {
namespace {

using testing::FakeInvoker;

constexpr std::string_view kPdf = "%PDF-1.4 tiny";
constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n....";

// Models by what they read: "eyes" read images and documents, "docs" documents only, "text"
// neither.
LimitsLookup media_limits() {
  return [](std::string_view id) -> Result<ModelLimits> {
    ModelLimits l{std::string(id), models::ModelFamily::AnthropicMessages, 200000, 4096};
    l.reads_images = id.find("eyes") != std::string_view::npos;
    l.reads_documents = l.reads_images || id.find("docs") != std::string_view::npos;
    return l;
  };
}

struct Env {
  FakeInvoker invoker;
  ContentConfig config = ContentConfig::defaults();
  Env() {
    for (auto& task : config.tasks) {
      task.model = "eyes.model-v1";
      task.fallbacks = {"text.model-v1"};
    }
  }
  GenerationContext ctx() {
    GenerationContext c;
    c.invoker = &invoker;
    c.config = &config;
    c.limits = media_limits();
    return c;
  }
};

Attachments pdf_and_png() {
  Attachments a;
  EXPECT_TRUE(add_attachment(a, "/tmp/Q3 report_v2.final.pdf", std::string(kPdf)));
  EXPECT_TRUE(add_attachment(a, "photo.JPG", std::string(kPng)));
  return a;
}

TEST(ContentAttachments, AddAttachmentReadsTheFormatFromTheNameOrTheGivenFormat) {
  Attachments a = pdf_and_png();
  ASSERT_EQ(a.documents.size(), 1u);
  ASSERT_EQ(a.images.size(), 1u);
  EXPECT_EQ(a.documents[0].format, models::DocumentFormat::Pdf);
  EXPECT_EQ(a.documents[0].name, "Q3 report-v2-final");
  EXPECT_EQ(a.documents[0].source.bytes, kPdf);
  EXPECT_EQ(a.images[0].format, models::ImageFormat::Jpeg);
  ASSERT_TRUE(add_attachment(a, "scan", "bytes", "webp"));
  EXPECT_EQ(a.images[1].format, models::ImageFormat::Webp);
  ASSERT_TRUE(add_attachment(a, "notes", "text", "markdown"));
  EXPECT_EQ(a.documents[1].format, models::DocumentFormat::Md);
}

TEST(ContentAttachments, DocumentNamesAreMadeUnique) {
  Attachments a;
  ASSERT_TRUE(add_attachment(a, "a/report.pdf", "1"));
  ASSERT_TRUE(add_attachment(a, "b/report.pdf", "2"));
  ASSERT_TRUE(add_attachment(a, "report.txt", "3"));
  ASSERT_EQ(a.documents.size(), 3u);
  EXPECT_EQ(a.documents[0].name, "report");
  EXPECT_EQ(a.documents[1].name, "report (2)");
  EXPECT_EQ(a.documents[2].name, "report (3)");
  EXPECT_TRUE(check_attachments(a));
  for (const auto& d : a.documents) EXPECT_TRUE(models::valid_document_name(d.name)) << d.name;
}

TEST(ContentAttachments, BedrocksLimitsAreRefusedNamingTheFile) {
  Attachments a;
  auto unknown = add_attachment(a, "virus.exe", "MZ");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::Validation);
  EXPECT_NE(unknown.error().message.find("virus.exe"), std::string::npos);
  EXPECT_FALSE(add_attachment(a, "x.bin", "1", "exe"));
  EXPECT_FALSE(add_attachment(a, "empty.pdf", ""));
  auto big_image = add_attachment(a, "big.png", std::string(models::kMaxImageBytes + 1, 'x'));
  ASSERT_FALSE(big_image);
  EXPECT_NE(big_image.error().message.find("big.png"), std::string::npos);
  EXPECT_TRUE(add_attachment(a, "max.png", std::string(models::kMaxImageBytes, 'x')));
  EXPECT_FALSE(add_attachment(a, "big.pdf", std::string(models::kMaxDocumentBytes + 1, 'x')));
  for (std::size_t i = 0; i < models::kMaxDocumentsPerRequest; ++i) {
    ASSERT_TRUE(add_attachment(a, "d.txt", "x"));
  }
  auto sixth = add_attachment(a, "sixth.txt", "x");
  ASSERT_FALSE(sixth);
  EXPECT_NE(sixth.error().message.find("at most 5 documents"), std::string::npos);
  Attachments many;
  for (std::size_t i = 0; i < models::kMaxImagesPerRequest; ++i) {
    ASSERT_TRUE(add_attachment(many, "i.gif", "x"));
  }
  EXPECT_FALSE(add_attachment(many, "one-more.gif", "x"));
}

TEST(ContentAttachments, CheckAttachmentsRefusesBadNamesDuplicatesAndEmptyBytes) {
  Attachments a;
  a.documents.push_back(
      {models::DocumentFormat::Pdf, "report.pdf", models::MediaSource::from_bytes("x")});
  EXPECT_FALSE(check_attachments(a));
  a.documents[0].name = "report";
  EXPECT_TRUE(check_attachments(a));
  a.documents.push_back(a.documents[0]);
  EXPECT_FALSE(check_attachments(a));
  a.documents.pop_back();
  a.images.push_back({models::ImageFormat::Png, models::MediaSource::from_bytes("")});
  EXPECT_FALSE(check_attachments(a));
}

// The blocks ride in the first user turn, after the instruction text is rendered; the request
// goes through Converse.
TEST(ContentAttachments, SummarizeOfADocumentAloneIsOneConverseCallWithTheBlocks) {
  Env env;
  SummarizeInput in;
  in.attachments = pdf_and_png();
  auto s = summarize(env.ctx(), in);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(s->chunked);
  const auto reqs = env.invoker.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const runtime::InvokeRequest& r = reqs[0];
  EXPECT_TRUE(r.use_converse);
  EXPECT_EQ(r.model_id, "eyes.model-v1");
  ASSERT_EQ(r.prompt.messages.size(), 1u);
  const models::Message& m = r.prompt.messages[0];
  ASSERT_EQ(m.documents.size(), 1u);
  ASSERT_EQ(m.images.size(), 1u);
  EXPECT_EQ(m.documents[0].name, "Q3 report-v2-final");
  EXPECT_EQ(m.documents[0].source.bytes, kPdf);
  EXPECT_EQ(m.images[0].source.bytes, kPng);
  EXPECT_EQ(m.text.rfind("Summarize the attached material in 2 paragraph(s).", 0), 0u) << m.text;
  EXPECT_NE(m.text.find("Attached: the document \"Q3 report-v2-final\" (pdf) and an image (jpeg). "
                        "They are part of the input."),
            std::string::npos)
      << m.text;
  EXPECT_EQ(m.text.find("<text>"), std::string::npos);
}

TEST(ContentAttachments, TextAndAttachmentsUseTheUsualTemplateAndAddTheNote) {
  Env env;
  SummarizeInput in{"The quarter went well.", 1};
  ASSERT_TRUE(add_attachment(in.attachments, "chart.png", std::string(kPng)));
  auto call = summarize_call(in);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->template_name, "user");
  EXPECT_FALSE(call->chunkable);
  auto prepared = prepare_task(env.ctx(), *call);
  ASSERT_TRUE(prepared) << prepared.error().message;
  const std::string& text = prepared->request.prompt.messages[0].text;
  EXPECT_NE(text.find("<text>\nThe quarter went well.\n</text>"), std::string::npos);
  const std::string note = "\n\nAttached: an image (png). It is part of the input.";
  ASSERT_GT(text.size(), note.size());
  EXPECT_EQ(text.substr(text.size() - note.size()), note) << text;
}

// Byte for byte what it was: no blocks, no note, the native body.
TEST(ContentAttachments, TextOnlyCallsAreUnchanged) {
  Env env;
  auto call = summarize_call({"Some text.", 1});
  ASSERT_TRUE(call);
  EXPECT_TRUE(call->chunkable);
  auto prepared = prepare_task(env.ctx(), *call);
  ASSERT_TRUE(prepared);
  const runtime::InvokeRequest& r = prepared->request;
  EXPECT_FALSE(r.use_converse);
  EXPECT_TRUE(r.prompt.messages[0].images.empty());
  EXPECT_TRUE(r.prompt.messages[0].documents.empty());
  EXPECT_EQ(r.prompt.messages[0].text,
            "Summarize the following text in 1 paragraph(s). Reply with the summary only.\n\n"
            "<text>\nSome text.\n</text>");
  EXPECT_EQ(r.fallbacks, std::vector<std::string>{"text.model-v1"});
}

TEST(ContentAttachments, AModelThatCannotReadThemIsSkippedForAFallbackThatCan) {
  Env env;
  for (auto& task : env.config.tasks) {
    task.model = "text.model-v1";
    task.fallbacks = {"docs.model-v1", "eyes.model-v1", "text.other-v1"};
  }
  ProductInput in{"Lamp", {}, "readers", {}};
  ASSERT_TRUE(add_attachment(in.attachments, "lamp.webp", "RIFF"));
  auto call = product_call(in);
  ASSERT_TRUE(call) << call.error().message;
  auto prepared = prepare_task(env.ctx(), *call);
  ASSERT_TRUE(prepared) << prepared.error().message;
  EXPECT_EQ(prepared->request.model_id, "eyes.model-v1");
  EXPECT_TRUE(prepared->request.fallbacks.empty());
  EXPECT_EQ(prepared->limits.model_id, "eyes.model-v1");
  EXPECT_NE(prepared->request.prompt.messages[0].text.find("(as shown in the attachments)"),
            std::string::npos);
}

TEST(ContentAttachments, NoModelThatReadsThemIsAValidationErrorNamingTheModel) {
  Env env;
  for (auto& task : env.config.tasks) {
    task.model = "docs.model-v1";
    task.fallbacks = {"text.model-v1"};
  }
  SocialInput in{"", {Platform::X}};
  ASSERT_TRUE(add_attachment(in.attachments, "cat.gif", "GIF89a"));
  ASSERT_TRUE(check_social_input(in));
  auto prepared = prepare_task(env.ctx(), social_draft_call(in, Platform::X));
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().code, ErrorCode::Validation);
  EXPECT_NE(prepared.error().message.find("docs.model-v1 cannot read the attached images"),
            std::string::npos)
      << prepared.error().message;
  EXPECT_TRUE(env.invoker.requests().empty());
  // Documents alone: that model reads them.
  SocialInput doc{"", {Platform::X}};
  ASSERT_TRUE(add_attachment(doc.attachments, "post.md", "# launch"));
  EXPECT_TRUE(prepare_task(env.ctx(), social_draft_call(doc, Platform::X)));
}

TEST(ContentAttachments, ChunkingAlwaysWithAttachmentsIsRefused) {
  Env env;
  SummarizeInput in{"text", 1};
  in.attachments = pdf_and_png();
  SummarizeOptions options;
  options.chunking = Chunking::Always;
  auto s = summarize(env.ctx(), in, options);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Validation);
  EXPECT_TRUE(env.invoker.requests().empty());
}

TEST(ContentAttachments, EmptyInputStaysRefusedWhereAttachmentsCannotStandIn) {
  Attachments a = pdf_and_png();
  EXPECT_FALSE(summarize_call({"  ", 1}));
  EXPECT_FALSE(rephrase_call({"", "casual", a}));
  ExpandInput expand;
  expand.attachments = a;
  EXPECT_FALSE(expand_call(expand));
  BlogInput blog;
  blog.attachments = a;
  EXPECT_FALSE(blog_call(blog));
  EXPECT_FALSE(product_call({"Lamp", {}, "readers", {}}));
  EXPECT_FALSE(check_social_input({"", {Platform::X}}));
  // Context for a generator whose own input is given: the blocks go along.
  ExpandInput bullets = ExpandInput::from_text("- fast\n- small");
  bullets.attachments = a;
  auto call = expand_call(bullets);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->attachments.size(), 2u);
}

TEST(ContentAttachments, AttachmentTokensCountAgainstTheContextWindow) {
  Env env;
  GenerationContext ctx = env.ctx();
  ctx.limits = [](std::string_view id) -> Result<ModelLimits> {
    ModelLimits l{std::string(id), models::ModelFamily::AnthropicMessages, 3000, 1024};
    l.reads_images = l.reads_documents = true;
    return l;
  };
  for (auto& task : env.config.tasks) task.max_tokens = 1000;
  SummarizeInput in;
  ASSERT_TRUE(add_attachment(in.attachments, "a.png", "x"));
  EXPECT_TRUE(summarize(ctx, in));
  ASSERT_TRUE(add_attachment(in.attachments, "b.png", "x"));
  auto s = summarize(ctx, in);  // 2 x 1,600 tokens + the answer: over 3,000
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::InputTooLong);
  EXPECT_EQ(s.error().message.find("chunks"), std::string::npos);
  EXPECT_EQ(estimate_attachment_tokens(in.attachments), 3200);
}

TEST(ContentAttachments, TheRegistryKnowsWhichModelsRead) {
  auto limits = registry_limits();
  auto haiku3 = limits("anthropic.claude-3-haiku-20240307-v1:0");
  ASSERT_TRUE(haiku3);
  EXPECT_TRUE(haiku3->reads_images);
  EXPECT_TRUE(haiku3->reads_documents);
  auto haiku35 = limits("us.anthropic.claude-3-5-haiku-20241022-v1:0");
  ASSERT_TRUE(haiku35);
  EXPECT_FALSE(haiku35->reads_images);
  EXPECT_TRUE(haiku35->reads_documents);
  auto micro = limits("amazon.nova-micro-v1:0");
  ASSERT_TRUE(micro);
  EXPECT_FALSE(micro->reads_images || micro->reads_documents);
  auto lite = limits("amazon.nova-lite-v1:0");
  ASSERT_TRUE(lite);
  EXPECT_TRUE(lite->reads_images && lite->reads_documents);
  auto titan = limits("amazon.titan-text-express-v1");
  ASSERT_TRUE(titan);
  EXPECT_FALSE(titan->reads_images || titan->reads_documents);
}

}  // namespace
}  // namespace bedrock::content
