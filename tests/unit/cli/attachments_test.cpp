// `invoke --attach` and `invoke --tools`: files become image and document blocks by extension,
// with the limits checked before reading; tool files in Bedrock's toolConfig shape or as a list.
#include "cli/attachments.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/record_json.h"

namespace bedrock::cli {
namespace {

std::string attachment_file(const std::string& name, const std::string& content) {
  auto dir =
      std::filesystem::temp_directory_path() / ("bedrock-cli-attach-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// Images and documents by extension, bytes as read, document names from the file names and
// unique.
TEST(AttachFiles, ImagesAndDocumentsByExtension) {
  models::Message m{models::Role::User, "Compare."};
  const auto ok = attach_files(
      {attachment_file("cat.JPG", std::string("\xFF\xD8\xFF", 3)),
       attachment_file("Q3 report_v2.pdf", "%PDF"), attachment_file("Q3 report_v2.md", "# notes")},
      m);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(m.images.size(), 1u);
  EXPECT_EQ(m.images[0].format, models::ImageFormat::Jpeg);
  EXPECT_EQ(m.images[0].source.bytes, std::string("\xFF\xD8\xFF", 3));
  ASSERT_EQ(m.documents.size(), 2u);
  EXPECT_EQ(m.documents[0].format, models::DocumentFormat::Pdf);
  EXPECT_EQ(m.documents[0].name, "Q3 report-v2");
  EXPECT_EQ(m.documents[1].format, models::DocumentFormat::Md);
  EXPECT_EQ(m.documents[1].name, "Q3 report-v2 (2)");
  EXPECT_EQ(m.documents[1].source.bytes, "# notes");
}

// Unknown types, empty and oversized files are refused with the file named.
TEST(AttachFiles, ClearErrors) {
  models::Message m;
  auto unknown = attach_files({attachment_file("archive.zip", "PK")}, m);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::Validation);
  EXPECT_NE(unknown.error().message.find("archive.zip: unknown file type"), std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("webp"), std::string::npos);

  auto empty = attach_files({attachment_file("empty.png", "")}, m);
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos);

  auto big =
      attach_files({attachment_file("big.png", std::string(models::kMaxImageBytes + 1, 'x'))}, m);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("big.png is 3.75 MiB (3932161 bytes)"), std::string::npos)
      << big.error().message;
  EXPECT_NE(big.error().message.find("an image can be at most 3.75 MiB"), std::string::npos);

  auto big_csv = attach_files(
      {attachment_file("big.csv", std::string(models::kMaxDocumentBytes + 1, 'x'))}, m);
  ASSERT_FALSE(big_csv);
  EXPECT_NE(big_csv.error().message.find("a document can be at most 4.50 MiB"), std::string::npos);
  // PDFs go up to the request limit here: the encoder knows which models take them larger.
  EXPECT_TRUE(attach_files(
      {attachment_file("big.pdf", std::string(models::kMaxDocumentBytes + 1, 'x'))}, m));

  auto missing = attach_files({"/nonexistent/dir/x.png"}, m);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot read /nonexistent/dir/x.png"), std::string::npos);
}

// Bedrock's toolConfig shape, with a forced tool.
TEST(ToolFile, BedrockToolConfig) {
  auto config = parse_tool_file(R"({"tools":[{"toolSpec":{"name":"get_weather",
      "description":"Weather.","inputSchema":{"json":{"type":"object","properties":{
      "city":{"type":"string"}},"required":["city"]}},"strict":true}}],
      "toolChoice":{"tool":{"name":"get_weather"}}})");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->tools.size(), 1u);
  EXPECT_EQ(config->tools[0].name, "get_weather");
  EXPECT_EQ(config->tools[0].description, "Weather.");
  EXPECT_EQ(config->tools[0].input_schema_json,
            R"({"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"})");
  EXPECT_TRUE(config->tools[0].strict);
  EXPECT_EQ(config->choice, models::ToolChoice::Tool);
  EXPECT_EQ(config->forced_tool, "get_weather");
}

// A bare list of specs, the schema given directly or not at all (a tool without arguments).
TEST(ToolFile, ListOfSpecs) {
  auto config = parse_tool_file(
      R"([{"name":"now"},{"name":"add","inputSchema":{"type":"object","properties":{}}}])");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->tools.size(), 2u);
  EXPECT_EQ(config->tools[0].input_schema_json, models::ToolSpec{}.input_schema_json);
  EXPECT_EQ(config->tools[1].input_schema_json, R"({"properties":{},"type":"object"})");
  EXPECT_EQ(config->choice, models::ToolChoice::Unset);
  auto any = parse_tool_file(R"({"tools":[{"name":"now"}],"toolChoice":{"any":{}}})");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->choice, models::ToolChoice::Any);
}

// Malformed files say what is wrong.
TEST(ToolFile, MalformedFilesAreRefused) {
  for (const char* text : {"", "{", "[]", "{}", R"({"tools":{}})", R"([{"description":"x"}])",
                           R"([{"name":"a","inputSchema":"x"}])", R"([{"name":"a","strict":1}])",
                           R"({"tools":[{"name":"a"}],"toolChoice":{"maybe":{}}})",
                           R"({"tools":[{"name":"a"}],"toolChoice":{"tool":{}}})"}) {
    auto config = parse_tool_file(text);
    ASSERT_FALSE(config) << text;
    EXPECT_EQ(config.error().code, ErrorCode::Validation) << text;
  }
  const std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_FALSE(parse_tool_file(deep));
  auto missing = read_tool_file("/nonexistent/tools.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/tools.json"), std::string::npos);
}

// The JSON a caller reads: tool calls with their input as JSON, reasoning, extra response fields
// and trace.
TEST(CompletionJson, CarriesToolCallsAndResponseParts) {
  models::Completion c;
  c.text = "Checking.";
  c.reasoning = "needs weather";
  c.tool_calls = {{"tooluse_1", "get_weather", R"({"city":"Paris"})"}};
  c.additional_response_fields = R"({"stop_sequence":null})";
  c.trace = R"({"guardrail":{"actionReason":"none"}})";
  const auto json = to_json(c);
  EXPECT_EQ(json["tool_calls"][0]["input"]["city"], "Paris");
  EXPECT_EQ(json["tool_calls"][0]["id"], "tooluse_1");
  EXPECT_EQ(json["reasoning"], "needs weather");
  EXPECT_TRUE(json["additional_response_fields"]["stop_sequence"].is_null());
  EXPECT_EQ(json["trace"]["guardrail"]["actionReason"], "none");
  EXPECT_TRUE(to_json(models::Completion{})["trace"].is_null());
}

}  // namespace
}  // namespace bedrock::cli
