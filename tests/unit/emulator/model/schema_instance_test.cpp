// The value generator behind deterministic tool calls and structured output: what it makes
// fits the schema it was made from, and hostile schemas cost a bounded walk.
#include "emulator/model/schema_instance.h"

#include <gtest/gtest.h>

#include <string>

namespace bedrock::emulator::model::detail {
namespace {

// Required properties at every level get a value of their type; optional ones are left out.
TEST(SchemaInstance, FillsRequiredPropertiesWithTheirTypes) {
  const Json schema = Json::parse(R"({"type":"object","properties":{
      "name":{"type":"string"},"age":{"type":"integer"},"score":{"type":"number"},
      "ok":{"type":["boolean","null"]},"kind":{"enum":["a","b"]},"fixed":{"const":7},
      "tags":{"type":"array","items":{"type":"string"},"minItems":2},
      "address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
      "either":{"anyOf":[{"type":"integer"},{"type":"string"}]},"note":{"type":"string"}},
      "required":["name","age","score","ok","kind","fixed","tags","address","either"]})");
  const Json value = schema_instance(schema);
  EXPECT_EQ(value, Json::parse(R"({"name":"example","age":1,"score":1.5,"ok":true,"kind":"a",
      "fixed":7,"tags":["example","example"],"address":{"city":"example"},"either":1})"));
  EXPECT_TRUE(fits_schema(value, schema));
  EXPECT_FALSE(fits_schema(Json::parse(R"({"name":"x"})"), schema));
  Json wrong = value;
  wrong["address"]["city"] = 5;
  EXPECT_FALSE(fits_schema(wrong, schema));
}

// Given values are kept as they are; the rest of the required properties is filled in.
TEST(SchemaInstance, GivenValuesStand) {
  const Json schema = Json::parse(
      R"({"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},
          "required":["city","days"]})");
  EXPECT_EQ(schema_instance(schema, Json::parse(R"({"city":"Oslo"})")),
            Json::parse(R"({"city":"Oslo","days":1})"));
}

// A schema nested far deeper than the generator walks ends in empty objects, not a crash.
TEST(SchemaInstance, DeepSchemasAreCut) {
  std::string text = R"({"type":"string"})";
  for (int i = 0; i < 200; ++i) {
    text = R"({"type":"object","properties":{"x":)" + text + R"(},"required":["x"]})";
  }
  const Json value = schema_instance(Json::parse(text));
  const Json* at = &value;
  int depth = 0;
  while (at->is_object() && at->contains("x")) {
    at = &(*at)["x"];
    ++depth;
  }
  EXPECT_EQ(depth, kMaxSchemaInstanceDepth);
  EXPECT_EQ(*at, Json::object());
  // An array schema with a huge minItems yields a few items, not millions.
  EXPECT_EQ(schema_instance(Json::parse(R"({"type":"array","minItems":100000000})")).size(), 3u);
}

}  // namespace
}  // namespace bedrock::emulator::model::detail
