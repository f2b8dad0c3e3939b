// Every /api/ endpoint over a real socket against bedrock-emulator, answered as JSON: the
// tutorial's fields, plus model, usage, cost and the request id; bad input a 400 naming the
// field; a text too long for the model a 422 when chunking is off, map-reduce when it is on.
#include <gtest/gtest.h>

#include "bedrock/content/generators.h"
#include "integration/server/api_test_support.h"

namespace bedrock::server::testing {
namespace {

using nlohmann::json;

void expect_common_fields(const Answer& a) {
  ASSERT_EQ(a.status, 200u) << a.raw;
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_FALSE(a.json.at("model").get<std::string>().empty());
  EXPECT_GT(a.json.at("usage").at("input_tokens").get<long long>(), 0);
  EXPECT_GT(a.json.at("usage").at("output_tokens").get<long long>(), 0);
  EXPECT_EQ(a.json.at("usage").at("total_tokens").get<long long>(),
            a.json.at("usage").at("input_tokens").get<long long>() +
                a.json.at("usage").at("output_tokens").get<long long>());
  EXPECT_GT(a.json.at("cost_usd").get<double>(), 0);
  EXPECT_GT(a.json.at("latency").get<double>(), 0);
  EXPECT_EQ(a.json.at("request_id"), a.request_id);
  EXPECT_FALSE(a.request_id.empty());
}

class ApiEndpoints : public SharedApiHarness<ApiEndpoints> {
 public:
  static std::vector<std::string> emulator_flags() { return {}; }
};

// The tutorial's three endpoints, with its fields.
TEST_F(ApiEndpoints, TutorialEndpoints) {
  auto s = harness_->post(
      "/api/summarize",
      {{"text", "Revenue grew 12% in Q3 while costs fell by 3%. " + std::string(400, 'x')},
       {"max_length", 60}});
  expect_common_fields(s);
  EXPECT_LE(content::count_words(s.json.at("summary").get<std::string>()), 60);
  EXPECT_EQ(s.json.at("chunked"), false);
  EXPECT_EQ(s.json.at("calls"), 1);

  auto r =
      harness_->post("/api/rephrase", {{"text", "server down 2am, fixed"}, {"style", "academic"}});
  expect_common_fields(r);
  EXPECT_FALSE(r.json.at("rephrased_text").get<std::string>().empty());
  EXPECT_EQ(r.json.at("style"), "academic");

  auto e = harness_->post("/api/expand", {{"bullets", "- fast start\n- low memory"}});
  expect_common_fields(e);
  EXPECT_FALSE(e.json.at("expanded_text").get<std::string>().empty());
  auto list = harness_->post("/api/expand", {{"bullets", json::array({"fast", "small"})}});
  expect_common_fields(list);
}

// "model" sends every call of the request to that model instead of the task's configured one.
TEST_F(ApiEndpoints, ChosenModel) {
  const std::string chosen = "anthropic.claude-3-5-haiku-20241022-v1:0";
  auto configured = harness_->post("/api/summarize", {{"text", "Revenue grew 12% in Q3."}});
  expect_common_fields(configured);
  ASSERT_NE(configured.json.at("model"), chosen) << "pick a model other than the default";
  auto s =
      harness_->post("/api/summarize", {{"text", "Revenue grew 12% in Q3."}, {"model", chosen}});
  expect_common_fields(s);
  EXPECT_EQ(s.json.at("model"), chosen);
  auto unknown = harness_->post("/api/rephrase", {{"text", "t"}, {"model", "no.such-model-v9"}});
  EXPECT_GE(unknown.status, 400u) << unknown.raw;
  EXPECT_LT(unknown.status, 500u) << unknown.raw;
}

// The other generators, with the CLI's flags as fields.
TEST_F(ApiEndpoints, OtherGenerators) {
  auto b = harness_->post("/api/blog", {{"topic", "caching at the edge"}, {"length", "short"}});
  expect_common_fields(b);
  EXPECT_FALSE(b.json.at("title").get<std::string>().empty());
  EXPECT_EQ(b.json.at("target_words"), json::array({300, 600}));

  auto p = harness_->post("/api/product", {{"name", "Trail Lamp"},
                                           {"features", json::array({"200 lumens", "USB-C"})},
                                           {"audience", "hikers"}});
  expect_common_fields(p);
  EXPECT_FALSE(p.json.at("description").get<std::string>().empty());

  auto s = harness_->post("/api/social", {{"content", "We launched v2 today."},
                                          {"platforms", json::array({"x", "linkedin"})}});
  expect_common_fields(s);
  ASSERT_EQ(s.json.at("posts").size(), 2u);
  for (const auto& post : s.json.at("posts")) {
    EXPECT_LE(post.at("length").get<int>(), post.at("limit").get<int>());
  }
  EXPECT_GE(s.json.at("calls").get<int>(), 2);
}

// Bad input: 400 with the field named in the sentence, never a 500; not JSON: 415.
TEST_F(ApiEndpoints, BadInputNamesTheField) {
  struct Case {
    const char* path;
    json body;
    const char* field;
  };
  const Case cases[] = {
      {"/api/summarize", {{"max_length", 10}}, "text"},
      {"/api/summarize", {{"text", "t"}, {"max_length", -1}}, "max_length"},
      {"/api/rephrase", {{"text", "t"}, {"style", ""}}, "style"},
      {"/api/expand", {{"bullets", 12}}, "bullets"},
      {"/api/blog", {{"topic", "t"}, {"length", "epic"}}, "length"},
      {"/api/product", {{"name", "n"}, {"audience", "a"}}, "features"},
      {"/api/social", {{"content", "c"}, {"platforms", "friendster"}}, "platforms"},
  };
  for (const auto& c : cases) {
    auto a = harness_->post(c.path, c.body);
    EXPECT_EQ(a.status, 400u) << c.path << " " << a.raw;
    EXPECT_EQ(a.json.value("code", ""), "Validation") << a.raw;
    EXPECT_NE(a.json.value("error", "").find(c.field), std::string::npos) << a.raw;
    EXPECT_EQ(a.json.value("request_id", ""), a.request_id);
  }
  net::testing::RawClient raw(harness_->port());
  raw.send(net::testing::request("POST", "/api/rephrase", "text=hello"));
  raw.read_until([](const std::string& b) { return net::testing::parse_response(b).has_value(); },
                 std::chrono::seconds(5));
  auto parsed = net::testing::parse_response(raw.received());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, 415u);
}

// A text over the model's context window: 422 with chunking "never" (nothing is sent upstream);
// with "always" a small text is summarized by map-reduce on the pool.
TEST_F(ApiEndpoints, TooLongAndMapReduce) {
  std::string huge;
  while (huge.size() < 1'300'000) huge += "The quarterly report lists revenue, costs and risks. ";
  auto refused = harness_->post("/api/summarize", {{"text", huge}, {"chunking", "never"}});
  EXPECT_EQ(refused.status, 422u) << refused.raw.substr(0, 400);
  EXPECT_EQ(refused.json.value("code", ""), "InputTooLong");

  std::string doc;
  for (int i = 0; doc.size() < 60'000; ++i)
    doc += "Section " + std::to_string(i) + " says the numbers grew. ";
  auto mr =
      harness_->post("/api/summarize", {{"text", doc}, {"chunking", "always"}, {"max_length", 80}},
                     std::chrono::seconds(60));
  expect_common_fields(mr);
  EXPECT_EQ(mr.json.at("chunked"), true);
  EXPECT_GE(mr.json.at("chunks").get<int>(), 2);
  EXPECT_GE(mr.json.at("calls").get<int>(), mr.json.at("chunks").get<int>() + 1);
  EXPECT_LE(content::count_words(mr.json.at("summary").get<std::string>()), 80);
}

// An upstream failure after the client's retries is a 502/429 with our error shape.
TEST_F(ApiEndpoints, UpstreamFailureIsMapped) {
  ASSERT_EQ(harness_->admin("/admin/faults",
                            {{"next", {{"kind", "ModelErrorException"}, {"count", 10}}}}),
            200u);
  auto a = harness_->post("/api/rephrase", {{"text", "hello"}});
  harness_->admin("/admin/reset", json::object());
  EXPECT_EQ(a.status, 502u) << a.raw;
  EXPECT_FALSE(a.json.value("error", "").empty());
  EXPECT_EQ(a.json.value("request_id", ""), a.request_id);
}

}  // namespace
}  // namespace bedrock::server::testing
