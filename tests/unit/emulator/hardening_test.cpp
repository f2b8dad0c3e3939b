// The emulator's pieces against hostile input (issue 11): no exception leaves a handler,
// outside bytes stay JSON, counters stay bounded, the admin port stays private.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "emulator/admin_api.h"
#include "emulator/command_line_options.h"
#include "emulator/counters.h"
#include "emulator/fixtures.h"
#include "emulator/outside_text.h"
#include "emulator/request_boundary.h"

namespace bedrock::emulator {
namespace {
namespace http = boost::beast::http;

HttpRequest request(http::verb verb, const std::string& target, std::string body = {}) {
  HttpRequest r{verb, target, 11};
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

// A model id that is not UTF-8 is counted and the dump replaces its bytes instead of throwing.
TEST(CountersHardening, InvalidUtf8ModelIdDumps) {
  Counters c;
  c.record("bad\xff\xfe", "invoke", "ValidationException", 0, 0, false);
  std::string text;
  ASSERT_NO_THROW(text = c.to_json());
  auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["models"]["bad\xEF\xBF\xBD\xEF\xBF\xBD"]["requests"], 1);
}

// Distinct model keys stop at 1,000; the rest are counted together under "(other)".
TEST(CountersHardening, DistinctKeysAreCapped) {
  Counters c;
  for (int i = 0; i < 1500; ++i) {
    c.record("model-" + std::to_string(i), "invoke", "Success", 1, 1, false);
  }
  c.record("model-7", "invoke", "Success", 1, 1, false);  // a kept key still counts alone
  auto j = nlohmann::json::parse(c.to_json());
  EXPECT_EQ(j["total"], 1501);
  EXPECT_EQ(j["models"].size(), 1001u);
  EXPECT_EQ(j["models"]["(other)"]["requests"], 500);
  EXPECT_EQ(j["models"]["model-7"]["requests"], 2);
}

// Invalid bytes become U+FFFD one by one; valid text is unchanged.
TEST(OutsideText, ReplacesInvalidUtf8) {
  EXPECT_EQ(valid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b\xC3"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8(""), "");
}

// A fixture regex meets a 100 KB prompt without recursing per character, and still finds
// matches at its end.
TEST(FixturesHardening, RegexOnLongPrompt) {
  auto f = Fixtures::parse(R"([{"regex": "^Translate .* to French", "response": "Bonjour."},
                               {"regex": "(a|b)*c", "response": "abc"}])");
  ASSERT_TRUE(f);
  EXPECT_NE(f->match("m", "m", "Translate this to French"), nullptr);
  const std::string long_prompt = "Translate " + std::string(100 * 1024, 'a') + " to French";
  ASSERT_NE(f->match("m", "m", long_prompt), nullptr);
  EXPECT_EQ(f->match("m", "m", long_prompt)->response, "Bonjour.");
  ASSERT_NE(f->match("m", "m", std::string(100 * 1024, 'a') + "c"), nullptr);
  EXPECT_EQ(f->match("m", "m", std::string(100 * 1024, 'a') + "c")->response, "abc");
  EXPECT_EQ(f->match("m", "m", std::string(100 * 1024, 'a')), nullptr);
}

// A fixture whose error message is not a string is refused at load, not thrown.
TEST(FixturesHardening, WrongTypeIsAConfigurationError) {
  auto f = Fixtures::parse(R"([{"error": {"type": "ThrottlingException", "message": 5}}])");
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("message"), std::string::npos) << f.error().message;
}

// Wrong JSON types in admin bodies are 400s naming the member (they threw type_error).
TEST(AdminApiHardening, WrongTypesAreBadRequests) {
  Behavior behavior(system_clock(), 1);
  Counters counters;
  AdminApi admin(behavior, counters);
  for (const char* body :
       {R"({"clear": 1})", R"({"model": 5, "clear": true})",
        R"({"next": {"kind": "ThrottlingException", "count": 99999999999}})",
        R"({"next": {"kind": "ThrottlingException", "count": -1}})", R"([{"clear": "yes"}])"}) {
    Reply r;
    ASSERT_NO_THROW(r = admin.handle(request(http::verb::post, "/admin/faults", body))) << body;
    EXPECT_EQ(r.response.result_int(), 400) << body;
    EXPECT_TRUE(nlohmann::json::accept(r.response.body())) << r.response.body();
  }
  auto deep = admin.handle(request(http::verb::post, "/admin/quotas",
                                   std::string(100000, '[') + std::string(100000, ']')));
  EXPECT_EQ(deep.response.result_int(), 400);
  auto missing = admin.handle(request(http::verb::get, "/admin/\xff"));
  EXPECT_EQ(missing.response.result_int(), 404);
  EXPECT_TRUE(nlohmann::json::accept(missing.response.body())) << missing.response.body();
}

// An exception from a data-plane handler is a 500 InternalFailure in the AWS shape.
TEST(RequestBoundary, DataPlaneExceptionIsInternalFailure) {
  auto handler =
      data_plane_boundary([](const HttpRequest&) -> Reply { throw std::runtime_error("boom"); });
  Reply r = handler(request(http::verb::post, "/model/x/invoke", "{}"));
  EXPECT_EQ(r.response.result_int(), 500);
  EXPECT_EQ(std::string(r.response["x-amzn-ErrorType"]).substr(0, 16), "InternalFailure:");
  EXPECT_TRUE(nlohmann::json::parse(r.response.body()).contains("message"));
}

// Admin: an exception is a JSON 500; with a token, requests without it never reach the
// handler.
TEST(RequestBoundary, AdminTokenAndExceptions) {
  int calls = 0;
  auto handler = admin_boundary(
      [&](const HttpRequest&) -> Reply {
        ++calls;
        throw std::bad_alloc();
      },
      "0123456789abcdef");
  auto r = request(http::verb::get, "/admin/counters");
  EXPECT_EQ(handler(r).response.result_int(), 401);
  r.set(http::field::authorization, "Bearer 0123456789abcdeF");
  EXPECT_EQ(handler(r).response.result_int(), 401);
  r.set(http::field::authorization, "Bearer 0123456789abcdef0");
  EXPECT_EQ(handler(r).response.result_int(), 401);
  EXPECT_EQ(calls, 0);
  r.set(http::field::authorization, "Bearer 0123456789abcdef");
  auto answered = handler(r);
  EXPECT_EQ(answered.response.result_int(), 500);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(nlohmann::json::parse(answered.response.body()).contains("message"));
}

// --host 0.0.0.0 leaves the admin port on loopback; --admin-host and --admin-token pass
// through, and a short token is refused.
TEST(CommandLineHardening, AdminHostIsNotInherited) {
  CommandLine cl;
  cl.host = "0.0.0.0";
  cl.admin_port = 0;
  cl.no_auth = true;
  auto o = server_options(cl);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->host, "0.0.0.0");
  EXPECT_EQ(o->admin_host, "127.0.0.1");
  EXPECT_TRUE(o->admin_token.empty());
  EXPECT_EQ(o->max_pending_body_bytes, std::size_t{256} << 20);

  cl.admin_host = "::1";
  cl.admin_token = "0123456789abcdef";
  cl.max_pending_body_mb = 8;
  o = server_options(cl);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->admin_host, "::1");
  EXPECT_EQ(o->admin_token, "0123456789abcdef");
  EXPECT_EQ(o->max_pending_body_bytes, std::size_t{8} << 20);

  cl.admin_token = "short";
  EXPECT_FALSE(server_options(cl));
}

}  // namespace
}  // namespace bedrock::emulator
