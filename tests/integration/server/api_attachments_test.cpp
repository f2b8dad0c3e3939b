// "attachments" on the /api/ endpoints over a real socket against bedrock-emulator: a PDF and a
// picture reach the model as Converse document and image blocks (the emulator's answer names
// what it read), as JSON and streamed; a model that reads no images hands the call to a fallback
// that does; bad base64, an unknown type, too many or too large files are 400/413 naming the
// field, never a 500.
#include <gtest/gtest.h>

#include "bedrock/core/base64.h"
#include "integration/server/api_test_support.h"

namespace bedrock::server::testing {
namespace {

using nlohmann::json;

// Small stand-ins: the emulator checks formats, sizes and names, not the content.
const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(24, '\0');

json file(const std::string& name, const std::string& bytes) {
  return {{"name", name}, {"data", base64_encode(bytes)}};
}

std::string read_line(const std::string& pdf_name, const std::string& pdf, const std::string& png) {
  return "(Read: document \"" + pdf_name + "\" (pdf, " + std::to_string(pdf.size()) +
         " bytes); image (png, " + std::to_string(png.size()) + " bytes).)";
}

class ApiAttachments : public SharedApiHarness<ApiAttachments> {
 public:
  static std::vector<std::string> emulator_flags() { return {"--stream-token-ms", "0"}; }
};

// A PDF and a picture with no text: one call whose blocks the model read.
TEST_F(ApiAttachments, APdfIsSummarizedInOneCall) {
  auto a = harness_->post(
      "/api/summarize", {{"attachments", {file("Q3 report.pdf", kPdf), file("chart.png", kPng)}}});
  ASSERT_EQ(a.status, 200u) << a.raw;
  const std::string summary = a.json.at("summary").get<std::string>();
  EXPECT_NE(summary.find(read_line("Q3 report", kPdf, kPng)), std::string::npos) << summary;
  EXPECT_EQ(a.json.at("chunked"), false);
  EXPECT_EQ(a.json.at("calls"), 1);
  EXPECT_GT(a.json.at("usage").at("input_tokens").get<long long>(), 0);
  // Text and a file together: the text is summarized with the file beside it.
  auto both = harness_->post("/api/summarize", {{"text", "Revenue grew 12% in Q3."},
                                                {"attachments", {file("notes.pdf", kPdf)}}});
  ASSERT_EQ(both.status, 200u) << both.raw;
  EXPECT_NE(both.json.at("summary").get<std::string>().find("(Read: document \"notes\" (pdf"),
            std::string::npos)
      << both.raw;
}

TEST_F(ApiAttachments, StreamedTheDeltasCarryTheAnswer) {
  auto a = harness_->post(
      "/api/summarize",
      {{"stream", true}, {"attachments", {file("report.pdf", kPdf), file("chart.png", kPng)}}});
  ASSERT_EQ(a.status, 200u) << a.raw;
  ASSERT_FALSE(a.events.empty()) << a.raw;
  const auto& done = a.events.back();
  ASSERT_EQ(done.name, "done") << a.raw;
  std::string deltas;
  for (const auto& e : a.events) {
    if (e.name == "delta") deltas += e.data.at("text").get<std::string>();
  }
  EXPECT_EQ(deltas, done.data.at("summary").get<std::string>());
  EXPECT_NE(deltas.find(read_line("report", kPdf, kPng)), std::string::npos) << deltas;
}

// A product photo and no feature list. Product descriptions go to Claude 3.5 Haiku, which reads
// no images; its fallback Claude 3 Haiku does (ContentConfig::defaults()).
TEST_F(ApiAttachments, AProductPhotoGoesToAModelThatReadsImages) {
  auto a = harness_->post("/api/product", {{"name", "Quill lamp"},
                                           {"audience", "night readers"},
                                           {"attachments", {file("lamp.png", kPng)}}});
  ASSERT_EQ(a.status, 200u) << a.raw;
  EXPECT_EQ(a.json.at("model"), "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_NE(a.json.at("description").get<std::string>().find("(Read: image (png"),
            std::string::npos)
      << a.raw;
  // A model that reads neither, chosen for the request, with no fallback that reads images
  // either: a 400 naming the model, nothing sent.
  auto refused = harness_->post("/api/expand", {{"bullets", "- bright"},
                                                {"model", "amazon.nova-micro-v1:0"},
                                                {"attachments", {file("lamp.png", kPng)}}});
  EXPECT_EQ(refused.status, 400u) << refused.raw;
  EXPECT_NE(refused.json.value("error", "")
                .find("cannot go to amazon.nova-micro-v1:0: it reads no "
                      "pictures, nor do its fallbacks"),
            std::string::npos)
      << refused.raw;
  EXPECT_EQ(refused.json.value("field", ""), "attachments");
  // The same for a job: refused before it is queued.
  auto job = harness_->post("/api/expand", {{"bullets", "- bright"},
                                            {"async", true},
                                            {"model", "amazon.nova-micro-v1:0"},
                                            {"attachments", {file("lamp.png", kPng)}}});
  EXPECT_GE(job.status, 400u) << job.raw;
}

TEST_F(ApiAttachments, BadAttachmentsNameTheField) {
  struct Case {
    json attachments;
    unsigned status;
    const char* field;
  };
  const std::string big_image(4'000'000, 'x');
  json six = json::array();
  for (int i = 0; i < 6; ++i) six.push_back(file("d" + std::to_string(i) + ".pdf", kPdf));
  const Case cases[] = {
      // json::array and json::object spelled out: nested braces alone build different JSON
      // under GCC and clang (nlohmann/json's initializer-list ambiguity).
      {json::array({file("a.pdf", kPdf),
                    json::object({{"name", "b.pdf"}, {"data", "%%% not base64 %%%"}})}),
       400, "attachments[1].data"},
      {json::array({file("tool.exe", "MZ")}), 400, "attachments[0].name"},
      {json::array({json::object({{"name", "a.pdf"}, {"data", ""}})}), 400, "attachments[0].data"},
      {json::array({json::object({{"name", "a.pdf"}})}), 400, "attachments[0].data"},
      {json::array({file("a.png", kPng), file("big.png", big_image)}), 413, "attachments[1].data"},
      {six, 400, "attachments"},
      {"report.pdf", 400, "attachments"},
  };
  for (const auto& c : cases) {
    auto a = harness_->post("/api/summarize", {{"text", "t"}, {"attachments", c.attachments}});
    EXPECT_EQ(a.status, c.status) << a.raw.substr(0, 400);
    EXPECT_NE(a.json.value("error", "").find(c.field), std::string::npos) << a.raw.substr(0, 400);
  }
  auto chunked = harness_->post("/api/summarize",
                                {{"chunking", "always"}, {"attachments", {file("a.pdf", kPdf)}}});
  EXPECT_EQ(chunked.status, 400u) << chunked.raw;
  EXPECT_NE(chunked.json.value("error", "").find("chunking"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::server::testing
