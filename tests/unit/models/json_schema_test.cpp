// The bounded JSON Schema subset: each keyword passes a matching value and names the JSON pointer
// of the first violation otherwise; unsupported keywords are ignored; depth is bounded.
#include "bedrock/models/json_schema.h"

#include <gtest/gtest.h>

#include <string>

namespace bedrock::models {
namespace {

struct Case {
  const char* schema;
  const char* good;
  const char* bad;
  const char* pointer;  // expected in the failure message
};

// One pass and one fail per keyword.
TEST(JsonSchema, EachKeywordPassesAndFails) {
  const Case cases[] = {
      {R"({"type":"string"})", R"("a")", "1", R"("")"},
      {R"({"type":["string","null"]})", "null", "true", R"("")"},
      {R"({"type":"integer"})", "3.0", "3.5", R"("")"},
      {R"({"type":"object","properties":{"a":{"type":"number"}}})", R"({"a":1})", R"({"a":"x"})",
       R"("/a")"},
      {R"({"type":"object","required":["a"]})", R"({"a":1})", R"({"b":1})", R"("a")"},
      {R"({"type":"object","properties":{"a":{}},"additionalProperties":false})", R"({"a":1})",
       R"({"a":1,"b/c":2})", R"("/b~1c")"},
      {R"({"additionalProperties":{"type":"string"}})", R"({"x":"y"})", R"({"x":1})", R"("/x")"},
      {R"({"type":"array","items":{"type":"integer"}})", "[1,2]", R"([1,"two"])", R"("/1")"},
      {R"({"enum":["C","F"]})", R"("C")", R"("K")", R"("")"},
      {R"({"const":{"a":1}})", R"({"a":1})", R"({"a":2})", R"("")"},
      {R"({"minimum":5})", "5", "4.9", "below the minimum"},
      {R"({"maximum":5})", "5", "6", "above the maximum"},
      {R"({"exclusiveMinimum":5})", "6", "5", "exclusive minimum"},
      {R"({"exclusiveMaximum":5})", "4", "5", "exclusive maximum"},
      {R"({"minLength":2})", R"("éé")", R"("é")", "fewer than 2"},
      {R"({"maxLength":2})", R"("éé")", R"("ééé")", "more than 2"},
      {R"({"minItems":1})", "[0]", "[]", "fewer than 1"},
      {R"({"maxItems":1})", "[0]", "[0,1]", "more than 1"},
      {R"({"properties":{"a":false}})", R"({"b":1})", R"({"a":1})", R"("/a")"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(validate_json_schema(c.good, c.schema).has_value()) << c.schema << " " << c.good;
    auto bad = validate_json_schema(c.bad, c.schema);
    ASSERT_FALSE(bad.has_value()) << c.schema << " " << c.bad;
    EXPECT_EQ(bad.error().code, ErrorCode::SchemaMismatch);
    EXPECT_NE(bad.error().message.find(c.pointer), std::string::npos)
        << c.schema << ": " << bad.error().message;
  }
}

// The first violation deep inside is named by its full pointer.
TEST(JsonSchema, NestedViolationNamesFullPointer) {
  const char* schema =
      R"({"type":"object","properties":{"items":{"type":"array","items":{"type":"object",)"
      R"("properties":{"price":{"type":"number","minimum":0}}}}}})";
  auto r = validate_json_schema(R"({"items":[{"price":1},{"price":2},{"price":-3}]})", schema);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find(R"("/items/2/price": -3 is below the minimum 0)"),
            std::string::npos)
      << r.error().message;
}

// Unsupported keywords ($ref, anyOf, pattern, format) constrain nothing.
TEST(JsonSchema, UnsupportedKeywordsAreIgnored) {
  EXPECT_TRUE(validate_json_schema(R"("abc")",
                                   R"({"type":"string","pattern":"^x","format":"email",)"
                                   R"("anyOf":[{"type":"number"}],"$ref":"#/x"})")
                  .has_value());
}

// Not JSON is a mismatch; a schema that is not an object is the caller's Validation error.
TEST(JsonSchema, NonJsonAnswerAndBadSchema) {
  auto answer = validate_json_schema("Sure! {\"a\":1}", R"({"type":"object"})");
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code, ErrorCode::SchemaMismatch);
  EXPECT_NE(answer.error().message.find("not JSON"), std::string::npos);
  auto schema = validate_json_schema("1", "[1]");
  ASSERT_FALSE(schema.has_value());
  EXPECT_EQ(schema.error().code, ErrorCode::Validation);
}

// Hostile depth is refused before any parser or walk sees it.
TEST(JsonSchema, DepthIsBounded) {
  const std::string deep =
      std::string(kMaxSchemaDepth + 1, '[') + std::string(kMaxSchemaDepth + 1, ']');
  auto r = validate_json_schema(deep, R"({"type":"array"})");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::SchemaMismatch);
  const std::string deep_schema =
      std::string(kMaxSchemaDepth + 1, '[') + std::string(kMaxSchemaDepth + 1, ']');
  EXPECT_EQ(validate_json_schema("1", deep_schema).error().code, ErrorCode::Validation);
  const std::string ok = std::string(kMaxSchemaDepth, '[') + std::string(kMaxSchemaDepth, ']');
  EXPECT_TRUE(validate_json_schema(ok, R"({"type":"array"})").has_value());
}

}  // namespace
}  // namespace bedrock::models
