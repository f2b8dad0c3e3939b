// Converse images and documents in the emulator: a document needs a text block beside it,
// formats, sizes, counts and names are checked as Bedrock documents them, and models that
// read no images or documents refuse them.
#include "emulator/model/attachments.h"

#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/request_checks.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using nlohmann::json;
using namespace testing;  // NOLINT: test helpers

json document(const std::string& name, const std::string& format = "txt") {
  return {{"document", {{"format", format}, {"name", name}, {"source", {{"bytes", "aGVsbG8="}}}}}};
}
json image(const std::string& format = "png", const std::string& bytes = "iVBORw0KGgo=") {
  return {{"image", {{"format", format}, {"source", {{"bytes", bytes}}}}}};
}
const json kText = {{"text", "What does it say?"}};

std::string attachment_error(const ModelInfo& m, const json& content) {
  json body = {{"messages", {{{"role", "user"}, {"content", content}}}}};
  auto r = parse_converse_request(m, body.dump());
  if (r) return "";
  EXPECT_EQ(r.error().http_status, 400);
  return r.error().message;
}

// A document travels with a text block; alone it is refused with Bedrock's message.
TEST(ConverseAttachments, DocumentNeedsATextBlock) {
  EXPECT_EQ(attachment_error(claude_haiku(), {document("notes"), kText}), "");
  EXPECT_EQ(attachment_error(claude_haiku(), json::array({document("notes")})),
            "A text block must be included when using documents.");
  EXPECT_EQ(attachment_error(nova_lite(), {image(), kText}), "");
}

// Formats from the service model, sizes, counts and names as Bedrock documents them.
TEST(ConverseAttachments, FormatsSizesCountsAndNames) {
  EXPECT_EQ(attachment_error(claude_haiku(), {image("bmp"), kText}),
            "1 validation error detected: Value 'bmp' at "
            "'messages.1.member.content.1.member.image.format' failed to satisfy constraint: "
            "Member must satisfy enum value set: [png, jpeg, gif, webp]");
  EXPECT_NE(attachment_error(claude_haiku(), {document("x", "exe"), kText}), "");
  EXPECT_EQ(attachment_error(claude_haiku(), {document("same"), document("same"), kText}),
            "Messages can't contain duplicate document names.");
  json six = json::array({kText});
  for (int i = 0; i < 6; ++i) six.push_back(document("d" + std::to_string(i)));
  EXPECT_EQ(attachment_error(claude_haiku(), six),
            "You can't include more than 5 documents in a request.");
  json many = json::array({kText});
  for (int i = 0; i < 21; ++i) many.push_back(image());
  EXPECT_EQ(attachment_error(claude_haiku(), many),
            "You can't include more than 20 images in a request.");
  // 3.75 MB decoded fits; one byte more does not.
  const std::string fits((detail::kMaxImageBytes / 3) * 4, 'A');
  EXPECT_EQ(attachment_error(claude_haiku(), {image("png", fits), kText}), "");
  EXPECT_NE(attachment_error(claude_haiku(), {image("png", fits + "AAAA"), kText}), "");
  EXPECT_NE(attachment_error(claude_haiku(), {document(std::string(201, 'n')), kText}), "");
}

// Families that read no images (Claude 3.5 Haiku, Titan) or no documents refuse them.
TEST(ConverseAttachments, FamiliesWithoutSupportRefuse) {
  const ModelInfo haiku35 =
      model("anthropic.claude-3-5-haiku-20241022-v1:0", ModelFamily::AnthropicMessages, 8192);
  EXPECT_NE(attachment_error(haiku35, {image(), kText}), "");
  EXPECT_EQ(attachment_error(haiku35, {document("notes"), kText}), "");
  EXPECT_NE(attachment_error(titan_express(), {document("notes"), kText}), "");
  EXPECT_NE(attachment_error(titan_express(), {image(), kText}), "");
}

}  // namespace
}  // namespace bedrock::emulator::model

namespace bedrock::emulator::model {
namespace {

// The default answer ends by naming the blocks it read, so a test of a caller sees what arrived.
TEST(EmulatorAttachments, TheAnswerNamesWhatItRead) {
  json body = {{"messages",
                {{{"role", "user"},
                  {"content",
                   {document("Q3 report", "pdf"),
                    image("png", "iVBORw0KGgo="),
                    {{"text", "Summarize the attached material in 2 paragraphs."}}}}}}}};
  auto r = parse_converse_request(testing::claude_haiku(), body.dump());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->attachments.size(), 2u);
  EXPECT_EQ(r->attachments[0], "document \"Q3 report\" (pdf, 5 bytes)");
  EXPECT_EQ(r->attachments[1], "image (png, 8 bytes)");
  const EmulatedAnswer a = default_answer(testing::claude_haiku(), *r);
  EXPECT_NE(a.text.find("(Read: document \"Q3 report\" (pdf, 5 bytes); image (png, 8 bytes).)"),
            std::string::npos)
      << a.text;
  // Hostile shapes are described without throwing.
  EXPECT_TRUE(detail::describe_attachments(json{{"messages", 3}}).empty());
  EXPECT_EQ(
      detail::describe_attachments(
          json{{"messages",
                {{{"role", 1}}, {{"role", "user"}, {"content", {{{"image", {{"format", 2}}}}}}}}}})
          .size(),
      1u);
}

}  // namespace
}  // namespace bedrock::emulator::model
