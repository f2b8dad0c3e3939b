// The streaming writer against nlohmann::json's own serializer: same bytes for the same
// document, whatever the nesting, and strings escaped as dump() escapes them.
#include "emulator/model/json_out.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace bedrock::emulator::model::detail {
namespace {

using nlohmann::ordered_json;

std::string dumped(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

TEST(JsonOut, NestingAndSeparatorsMatchNlohmann) {
  std::string body;
  JsonOut out(body);
  out.begin_object().member("a", 1).key("empty_array").begin_array().end_array();
  out.key("empty_object").begin_object().end_object();
  out.key("list").begin_array().number(-7).null().string("x");
  out.begin_object().member("k", "v").end_object().begin_array().end_array().end_array();
  out.key("raw").raw(R"({"z":[1,2]})");
  out.member("max", std::numeric_limits<std::int64_t>::max());
  out.member("min", std::numeric_limits<std::int64_t>::min()).end_object();

  ordered_json expected;
  expected["a"] = 1;
  expected["empty_array"] = ordered_json::array();
  expected["empty_object"] = ordered_json::object();
  expected["list"] = {-7, nullptr, "x", {{"k", "v"}}, ordered_json::array()};
  expected["raw"] = {{"z", {1, 2}}};
  expected["max"] = std::numeric_limits<std::int64_t>::max();
  expected["min"] = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(body, dumped(expected));
}

TEST(JsonOut, EveryByteEscapesAsNlohmannDoes) {
  // All single bytes (the high ones alone are invalid UTF-8 and take the replacement path)
  // and a few valid multi-byte sequences.
  for (int c = 0; c < 256; ++c) {
    const std::string text = std::string("a") + static_cast<char>(c) + "b";
    std::string body;
    append_json_string(body, text);
    EXPECT_EQ(body, dumped(ordered_json(text))) << "byte " << c;
  }
  for (const std::string text :
       {"caf\xc3\xa9", "\xe2\x82\xac\xf0\x9f\x98\x80", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"}) {
    std::string body;
    append_json_string(body, text);
    EXPECT_EQ(body, dumped(ordered_json(text))) << text;
  }
}

TEST(JsonOut, InvalidUtf8IsReplacedLikeNlohmann) {
  for (const std::string text : {"\xc0\xaf", "\xe2\x82", "x\xed\xa0\x80y", "\xf5\x80\x80\x80",
                                 "ok \xff\xfe end", "\xf0\x9f\x98"}) {
    std::string body;
    append_json_string(body, text);
    EXPECT_EQ(body, dumped(ordered_json(text)));
  }
}

}  // namespace
}  // namespace bedrock::emulator::model::detail
