// Converse images and documents: blocks against a golden body written from the service model's
// ImageBlock / DocumentBlock shapes (docs/wire-protocol.md §8.3), Bedrock's limits checked before
// sending, file names turned into formats and document names, and native codecs refusing them.
#include <gtest/gtest.h>

#include "bedrock/models/attachment.h"
#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "codec_test_support.h"

namespace bedrock::models {
namespace {

using nlohmann::json;
using testing::golden_json;
using testing::max_tokens;

constexpr const char* kSonnet = "anthropic.claude-3-5-sonnet-20241022-v2:0";

Prompt media_prompt() {
  Prompt p = Prompt::from_user("Compare the report with the pictures.");
  Message& m = p.messages.front();
  m.documents.push_back(
      {DocumentFormat::Pdf, "Q3 report-v2 (final)", MediaSource::from_bytes("%PDF-1.4 tiny")});
  m.documents.push_back(
      {DocumentFormat::Md, "notes", MediaSource::from_s3("s3://my-bucket/notes.md")});
  m.images.push_back({ImageFormat::Png, MediaSource::from_bytes("\x89PNG\r\n\x1a\n")});
  m.images.push_back(
      {ImageFormat::Jpeg, MediaSource::from_s3("s3://photos.example/cat.jpg", "123456789012")});
  return p;
}

Error media_rejected(const Prompt& prompt, const char* model_id = kSonnet) {
  auto body = encode_converse(prompt, max_tokens(512), testing::model(model_id));
  EXPECT_FALSE(body.has_value()) << *body;
  return body ? Error{} : body.error();
}

// Documents, then images, then the question; bytes base64-encoded, S3 sources with their owner.
TEST(ConverseMedia, BlocksMatchGolden) {
  auto body = encode_converse(media_prompt(), max_tokens(512), testing::model(kSonnet));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(json::parse(*body), golden_json("converse/request_media.json"));
}

// An image alone is a whole user turn: no empty text block is added beside it.
TEST(ConverseMedia, ImageWithoutTextSendsNoTextBlock) {
  Prompt p = Prompt::from_user("");
  p.messages.front().images.push_back({ImageFormat::Gif, MediaSource::from_bytes("GIF89a")});
  auto body = encode_converse(p, max_tokens(64), testing::model(kSonnet));
  ASSERT_TRUE(body.has_value()) << body.error().message;
  const json content = json::parse(*body)["messages"][0]["content"];
  ASSERT_EQ(content.size(), 1u);
  EXPECT_EQ(content[0]["image"]["format"], "gif");
}

// Bedrock requires a text block beside a document; the caller is told instead of a question
// being invented.
TEST(ConverseMedia, DocumentWithoutTextIsRefused) {
  Prompt p = Prompt::from_user("");
  p.messages.front().documents.push_back(
      {DocumentFormat::Txt, "notes", MediaSource::from_bytes("hello")});
  const Error e = media_rejected(p);
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_NE(e.message.find("no text"), std::string::npos) << e.message;
}

// Each image up to 3.75 MiB, each document up to 4.5 MiB: the limit passes, one byte more fails
// with the size and the limit in the message.
TEST(ConverseMedia, SizeLimitsAreExact) {
  Prompt image = Prompt::from_user("What is this?");
  image.messages.front().images.push_back(
      {ImageFormat::Png, MediaSource::from_bytes(std::string(kMaxImageBytes, 'x'))});
  EXPECT_TRUE(encode_converse(image, max_tokens(64), testing::model(kSonnet)).has_value());
  image.messages.front().images.front().source.bytes.push_back('x');
  const Error e = media_rejected(image);
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_NE(e.message.find("image 1 of message 1"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("3932161 bytes"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("3.75 MiB"), std::string::npos) << e.message;

  Prompt doc = Prompt::from_user("Summarize.");
  doc.messages.front().documents.push_back(
      {DocumentFormat::Csv, "table", MediaSource::from_bytes(std::string(kMaxDocumentBytes, 'x'))});
  EXPECT_TRUE(encode_converse(doc, max_tokens(64), testing::model(kSonnet)).has_value());
  doc.messages.front().documents.front().source.bytes.push_back('x');
  EXPECT_NE(media_rejected(doc).message.find("4.50 MiB"), std::string::npos);
}

// Bedrock lifts the document size limit for PDF on Claude 4 and for PDF and DOCX on Nova.
TEST(ConverseMedia, LargePdfAllowedWhereBedrockAllowsIt) {
  Prompt p = Prompt::from_user("Summarize.");
  p.messages.front().documents.push_back(
      {DocumentFormat::Pdf, "big",
       MediaSource::from_bytes(std::string(kMaxDocumentBytes + 1, 'x'))});
  EXPECT_TRUE(
      encode_converse(p, max_tokens(64), testing::model("anthropic.claude-sonnet-4-20250514-v1:0"))
          .has_value());
  EXPECT_TRUE(
      encode_converse(p, max_tokens(64), testing::model("amazon.nova-pro-v1:0")).has_value());
  EXPECT_EQ(media_rejected(p).code, ErrorCode::Validation);  // Claude 3.5
  p.messages.front().documents.front().format = DocumentFormat::Docx;
  EXPECT_TRUE(
      encode_converse(p, max_tokens(64), testing::model("amazon.nova-pro-v1:0")).has_value());
  p.messages.front().documents.front().format = DocumentFormat::Xlsx;
  EXPECT_EQ(media_rejected(p, "amazon.nova-pro-v1:0").code, ErrorCode::Validation);
}

// 20 images and 5 documents per request, counted across the turns.
TEST(ConverseMedia, CountLimitsSpanTheRequest) {
  Prompt p = Prompt::from_user("first");
  for (int i = 0; i < 3; ++i) {
    p.messages.front().documents.push_back(
        {DocumentFormat::Txt, "d" + std::to_string(i), MediaSource::from_bytes("x")});
  }
  p.messages.push_back({Role::Assistant, "ok"});
  p.messages.push_back({Role::User, "second"});
  for (int i = 0; i < 2; ++i) {
    p.messages.back().documents.push_back(
        {DocumentFormat::Txt, "e" + std::to_string(i), MediaSource::from_bytes("x")});
  }
  EXPECT_TRUE(encode_converse(p, max_tokens(64), testing::model(kSonnet)).has_value());
  p.messages.back().documents.push_back({DocumentFormat::Txt, "f", MediaSource::from_bytes("x")});
  EXPECT_NE(media_rejected(p).message.find("6 documents given"), std::string::npos);

  Prompt images = Prompt::from_user("many");
  for (std::size_t i = 0; i < kMaxImagesPerRequest; ++i) {
    images.messages.front().images.push_back({ImageFormat::Png, MediaSource::from_bytes("x")});
  }
  EXPECT_TRUE(encode_converse(images, max_tokens(64), testing::model(kSonnet)).has_value());
  images.messages.front().images.push_back({ImageFormat::Png, MediaSource::from_bytes("x")});
  EXPECT_NE(media_rejected(images).message.find("21 images given"), std::string::npos);
}

// Sources and placement Bedrock refuses are refused before sending.
TEST(ConverseMedia, MalformedAttachmentsAreRefused) {
  const auto with_image = [](MediaSource source) {
    Prompt p = Prompt::from_user("look");
    p.messages.front().images.push_back({ImageFormat::Png, std::move(source)});
    return p;
  };
  EXPECT_EQ(media_rejected(with_image(MediaSource::from_bytes(""))).code, ErrorCode::Validation);
  EXPECT_EQ(media_rejected(with_image(MediaSource::from_s3("https://bucket/key"))).code,
            ErrorCode::Validation);
  EXPECT_EQ(media_rejected(with_image(MediaSource::from_s3("s3://Upper/key"))).code,
            ErrorCode::Validation);
  EXPECT_EQ(media_rejected(with_image(MediaSource::from_s3("s3://bucket/key", "12345"))).code,
            ErrorCode::Validation);
  EXPECT_TRUE(encode_converse(with_image(MediaSource::from_s3("s3://bucket")), max_tokens(64),
                              testing::model(kSonnet))
                  .has_value());

  Prompt assistant = Prompt::from_user("hi");
  assistant.messages.push_back({Role::Assistant, "look"});
  assistant.messages.back().images.push_back({ImageFormat::Png, MediaSource::from_bytes("x")});
  assistant.messages.push_back({Role::User, "well?"});
  EXPECT_NE(media_rejected(assistant).message.find("assistant turn"), std::string::npos);

  Prompt bad_name = Prompt::from_user("read");
  bad_name.messages.front().documents.push_back(
      {DocumentFormat::Txt, "notes.txt", MediaSource::from_bytes("x")});
  EXPECT_NE(media_rejected(bad_name).message.find("invalid name"), std::string::npos);
}

// Native InvokeModel bodies cannot carry attachments: the codec says to use Converse.
TEST(ConverseMedia, NativeCodecsRefuseAttachments) {
  Prompt p = Prompt::from_user("look");
  p.messages.front().images.push_back({ImageFormat::Png, MediaSource::from_bytes("x")});
  for (const char* id : {kSonnet, "amazon.nova-pro-v1:0", "meta.llama3-70b-instruct-v1:0"}) {
    const ModelInfo info = testing::model(id);
    auto body = codec_for(info.family).encode(p, max_tokens(64), info);
    ASSERT_FALSE(body.has_value()) << id;
    EXPECT_EQ(body.error().code, ErrorCode::Validation);
    EXPECT_NE(body.error().message.find("Converse"), std::string::npos) << body.error().message;
  }
}

// Formats come from the extension, whatever its case; anything else is not an attachment.
TEST(Attachment, FormatsByExtension) {
  EXPECT_EQ(image_format_for("a/b/photo.JPG"), ImageFormat::Jpeg);
  EXPECT_EQ(image_format_for("x.webp"), ImageFormat::Webp);
  EXPECT_FALSE(image_format_for("x.pdf").has_value());
  EXPECT_EQ(document_format_for("notes.markdown"), DocumentFormat::Md);
  EXPECT_EQ(document_format_for("Sheet.XLSX"), DocumentFormat::Xlsx);
  EXPECT_EQ(document_format_for("page.htm"), DocumentFormat::Html);
  EXPECT_FALSE(document_format_for("archive.zip").has_value());
  EXPECT_FALSE(document_format_for("txt").has_value());  // a name without an extension
  EXPECT_EQ(to_string(ImageFormat::Jpeg), "jpeg");
  EXPECT_EQ(to_string(DocumentFormat::Docx), "docx");
}

// Bedrock's name rule, and names made to follow it from any file name.
TEST(Attachment, DocumentNames) {
  EXPECT_TRUE(valid_document_name("Q3 report-v2 (final) [draft]"));
  EXPECT_FALSE(valid_document_name(""));
  EXPECT_FALSE(valid_document_name("two  spaces"));
  EXPECT_FALSE(valid_document_name("notes.txt"));
  EXPECT_FALSE(valid_document_name("under_score"));
  EXPECT_FALSE(valid_document_name(std::string(201, 'a')));
  EXPECT_EQ(document_name_for("/tmp/Q3 report_v2.final.pdf"), "Q3 report-v2-final");
  EXPECT_EQ(document_name_for("a   b.txt"), "a b");
  EXPECT_EQ(document_name_for("r\xC3\xA9sum\xC3\xA9.docx"), "r-sum-");
  EXPECT_EQ(document_name_for(".pdf"), "-pdf");
  EXPECT_EQ(document_name_for("   .md"), "document");
  EXPECT_EQ(document_name_for(std::string(300, 'z') + ".txt").size(), kMaxDocumentNameBytes);
  EXPECT_TRUE(valid_document_name(document_name_for("/x/weird name__(1).pdf")));
}

}  // namespace
}  // namespace bedrock::models
