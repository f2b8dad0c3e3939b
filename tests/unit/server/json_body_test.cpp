#include "server/json_body.h"

#include <gtest/gtest.h>

namespace bedrock::server {
namespace {

net::HttpRequest post(std::string body, std::string content_type = "application/json") {
  net::HttpRequest r{boost::beast::http::verb::post, "/x", 11};
  if (!content_type.empty()) r.set(boost::beast::http::field::content_type, content_type);
  r.body() = std::move(body);
  return r;
}

// A JSON object with a JSON Content-Type (parameters and case aside) parses.
TEST(ParseJsonBody, AcceptsObject) {
  for (const char* type : {"application/json", "Application/JSON; charset=utf-8", ""}) {
    auto parsed = parse_json_body(post(R"({"text":"hi"})", type));
    ASSERT_TRUE(parsed.has_value()) << type;
    EXPECT_EQ((*parsed)["text"], "hi");
  }
}

// Another media type, a body that is not JSON, or invalid UTF-8 is a 415.
TEST(ParseJsonBody, RefusesNonJsonWith415) {
  EXPECT_EQ(parse_json_body(post(R"({"a":1})", "text/plain")).error().status, 415u);
  EXPECT_EQ(parse_json_body(post(R"({"a":1})", "application/jsonx")).error().status, 415u);
  EXPECT_EQ(parse_json_body(post("text=hi")).error().status, 415u);
  EXPECT_EQ(parse_json_body(post("")).error().status, 415u);
  EXPECT_EQ(parse_json_body(post("{\"a\":\"\xff\"}")).error().status, 415u);
}

// Deep nesting is refused before parsing (400 naming the body); so is a non-object.
TEST(ParseJsonBody, RefusesDeepAndNonObjectWith400) {
  std::string deep(100000, '[');
  auto e = parse_json_body(post(deep)).error();
  EXPECT_EQ(e.status, 400u);
  EXPECT_EQ(e.param, "body");
  EXPECT_EQ(parse_json_body(post("[1,2]")).error().status, 400u);
  EXPECT_EQ(parse_json_body(post("\"s\"")).error().status, 400u);
}

// Field helpers name the field in their 400s and accept absence unless required.
TEST(JsonFields, TypedFieldsNameTheField) {
  const auto o = nlohmann::json::parse(
      R"({"text":"t","n":3,"f":2.0,"half":2.5,"flag":true,"bad":"x","nul":null})");
  EXPECT_EQ(**string_field(o, "text", true), "t");
  EXPECT_FALSE(string_field(o, "missing")->has_value());
  EXPECT_FALSE(string_field(o, "nul")->has_value());
  EXPECT_EQ(string_field(o, "missing", true).error().param, "missing");
  EXPECT_EQ(string_field(o, "n").error().param, "n");
  EXPECT_EQ(**int_field(o, "n", 1, 10), 3);
  EXPECT_EQ(**int_field(o, "f", 1, 10), 2);
  EXPECT_EQ(int_field(o, "half", 1, 10).error().param, "half");
  EXPECT_EQ(int_field(o, "n", 5, 10).error().status, 400u);
  EXPECT_EQ(int_field(o, "bad", 1, 10).error().param, "bad");
  EXPECT_DOUBLE_EQ(**number_field(o, "half", 0, 3), 2.5);
  EXPECT_EQ(number_field(o, "half", 0, 1).error().param, "half");
  EXPECT_TRUE(**bool_field(o, "flag"));
  EXPECT_EQ(bool_field(o, "text").error().param, "text");
}

// A huge unsigned integer is out of range, not wrapped.
TEST(JsonFields, HugeIntegerIsOutOfRange) {
  const auto o = nlohmann::json::parse(R"({"n":18446744073709551615})");
  EXPECT_EQ(int_field(o, "n", 0, 100).error().status, 400u);
}

}  // namespace
}  // namespace bedrock::server
