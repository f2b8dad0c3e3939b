// The /api/ endpoints with "stream": true over a real socket against bedrock-emulator: deltas
// then a final event with the JSON answer's fields; map-reduce progress; a fault mid-stream is a
// final error event in a complete response; a client that leaves cancels the upstream call.
#include <gtest/gtest.h>

#include <thread>

#include "integration/server/api_test_support.h"

namespace bedrock::server::testing {
namespace {

using nlohmann::json;

std::string deltas(const Answer& a) {
  std::string text;
  for (const auto& e : a.events)
    if (e.name == "delta") text += e.data.at("text").get<std::string>();
  return text;
}

int count(const Answer& a, std::string_view name) {
  int n = 0;
  for (const auto& e : a.events) n += e.name == name;
  return n;
}

// Rephrase streamed: several deltas whose text is the final event's rephrased_text.
TEST(ApiStream, DeltasThenDone) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "1"});
  auto a = h.post("/api/rephrase",
                  {{"text", "The meeting moved to Friday at noon because of the audit."},
                   {"style", "casual"},
                   {"stream", true}});
  ASSERT_EQ(a.status, 200u) << a.raw;
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.content_type.rfind("text/event-stream", 0), 0u);
  ASSERT_FALSE(a.events.empty());
  EXPECT_GE(count(a, "delta"), 2);
  const auto& done = a.events.back();
  ASSERT_EQ(done.name, "done");
  EXPECT_EQ(done.data.at("rephrased_text").get<std::string>(), deltas(a));
  EXPECT_GT(done.data.at("usage").at("output_tokens").get<long long>(), 0);
  EXPECT_EQ(done.data.at("request_id"), a.request_id);
  EXPECT_FALSE(done.data.at("model").get<std::string>().empty());
}

// The model asked first fails (a ModelErrorException moves on to the task's fallbacks): the JSON
// answer and the stream's done event name the fallback that answered and the model it stood in
// for; without the fault neither carries fallback_from.
TEST(ApiStream, AFallbackAnswerNamesTheModelAskedFirst) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "0"});
  // Rephrasing: Claude 3.5 Sonnet, then Claude 3 Haiku (ContentConfig::defaults()).
  const std::string primary = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  const std::string fallback = "anthropic.claude-3-haiku-20240307-v1:0";
  const json body = {{"text", "The meeting moved to Friday at noon."}, {"style", "casual"}};
  ASSERT_EQ(h.admin("/admin/faults", {{"model", primary},
                                      {"next", {{"kind", "ModelErrorException"}, {"count", 100}}}}),
            200u);
  auto plain = h.post("/api/rephrase", body);
  json streamed_body = body;
  streamed_body["stream"] = true;
  auto streamed = h.post("/api/rephrase", streamed_body);
  ASSERT_EQ(h.admin("/admin/faults", {{"model", primary}, {"clear", true}}), 200u);
  ASSERT_EQ(plain.status, 200u) << plain.raw;
  EXPECT_EQ(plain.json.value("model", ""), fallback);
  EXPECT_EQ(plain.json.value("fallback_from", ""), primary);
  ASSERT_FALSE(streamed.events.empty()) << streamed.raw;
  const auto& done = streamed.events.back();
  ASSERT_EQ(done.name, "done") << streamed.raw;
  EXPECT_EQ(done.data.value("model", ""), fallback);
  EXPECT_EQ(done.data.value("fallback_from", ""), primary);

  auto healthy = h.post("/api/rephrase", body);
  ASSERT_EQ(healthy.status, 200u) << healthy.raw;
  EXPECT_EQ(healthy.json.value("model", ""), primary);
  EXPECT_FALSE(healthy.json.contains("fallback_from"));
}

// Every generator streams and ends with done; social announces each call.
TEST(ApiStream, EveryEndpointStreams) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "0"});
  const std::pair<const char*, json> cases[] = {
      {"/api/summarize", {{"text", "Sales rose. Costs fell. Margins widened."}}},
      {"/api/expand", {{"bullets", json::array({"fast", "cheap"})}}},
      {"/api/blog", {{"topic", "edge caching"}, {"length", "short"}}},
      {"/api/product", {{"name", "Lamp"}, {"features", "bright"}, {"audience", "campers"}}},
      {"/api/social", {{"content", "v2 is out"}, {"platforms", "x,threads"}}},
  };
  for (const auto& [path, body] : cases) {
    json b = body;
    b["stream"] = true;
    auto a = h.post(path, b);
    ASSERT_EQ(a.status, 200u) << path << a.raw;
    ASSERT_FALSE(a.events.empty()) << path;
    EXPECT_EQ(a.events.back().name, "done") << path << a.raw;
    EXPECT_GE(count(a, "delta"), 1) << path;
  }
  auto social =
      h.post("/api/social", {{"content", "v2"}, {"platforms", "x,threads"}, {"stream", true}});
  ASSERT_GE(count(social, "call"), 2);
  EXPECT_EQ(social.events.front().name, "call");
  EXPECT_EQ(social.events.front().data.at("platform"), "x");
}

// Map-reduce streamed: progress events for the map step, then the final summary's deltas.
TEST(ApiStream, MapReduceProgress) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "0"});
  std::string doc;
  for (int i = 0; doc.size() < 60'000; ++i) doc += "Part " + std::to_string(i) + " adds detail. ";
  auto a = h.post("/api/summarize", {{"text", doc}, {"chunking", "always"}, {"stream", true}},
                  std::chrono::seconds(60));
  ASSERT_EQ(a.status, 200u) << a.raw.substr(0, 300);
  ASSERT_GE(count(a, "progress"), 2);
  const auto first = std::find_if(a.events.begin(), a.events.end(),
                                  [](const SseEvent& e) { return e.name == "progress"; });
  EXPECT_EQ(first->data.at("phase"), "map");
  EXPECT_GE(first->data.at("total").get<int>(), 2);
  ASSERT_EQ(a.events.back().name, "done");
  EXPECT_EQ(a.events.back().data.at("chunked"), true);
  EXPECT_EQ(a.events.back().data.at("summary").get<std::string>(), deltas(a));
}

// A fault inside the upstream stream, after text went out: a final error event, and the HTTP
// response still ends properly (its last chunk arrives; the connection is not cut).
TEST(ApiStream, FaultMidStreamIsFinalErrorEvent) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "1"});
  ASSERT_EQ(h.admin("/admin/faults",
                    {{"next", {{"kind", "stream:modelStreamErrorException@3"}, {"count", 1}}}}),
            200u);
  auto a = h.post("/api/rephrase",
                  {{"text", "A long enough text to stream in several events."}, {"stream", true}});
  ASSERT_EQ(a.status, 200u) << a.raw;
  EXPECT_TRUE(a.complete) << a.raw;
  ASSERT_FALSE(a.events.empty());
  EXPECT_GE(count(a, "delta"), 1) << a.raw;
  const auto& last = a.events.back();
  ASSERT_EQ(last.name, "error") << a.raw;
  EXPECT_EQ(last.data.at("status"), 502);
  EXPECT_FALSE(last.data.at("error").get<std::string>().empty());
  EXPECT_EQ(last.data.at("request_id"), a.request_id);
  EXPECT_EQ(count(a, "done"), 0);
}

// A client that leaves mid-stream: the upstream call is cancelled, so the request ends at once
// (in-flight back to 0) instead of when the slow answer would have finished.
TEST(ApiStream, ClientDisconnectCancelsUpstream) {
  REQUIRE_EMULATOR();
  // 100 ms per event: a long blog post would stream for many seconds.
  ApiHarness h({"--stream-token-ms", "100"});
  net::testing::RawClient client(h.port());
  client.send(net::testing::request(
      "POST", "/api/blog",
      json{{"topic", "caching"}, {"length", "long"}, {"stream", true}}.dump()));
  client.read_until(
      [](const std::string& b) { return b.find("event: delta") != std::string::npos; },
      std::chrono::seconds(10));
  ASSERT_NE(client.received().find("event: delta"), std::string::npos) << client.received();
  EXPECT_EQ(h.service().in_flight(), 1u);
  const auto left = std::chrono::steady_clock::now();
  client.close();
  while (h.service().in_flight() != 0 &&
         std::chrono::steady_clock::now() - left < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(h.service().in_flight(), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - left, std::chrono::seconds(2));
}

}  // namespace
}  // namespace bedrock::server::testing

namespace bedrock::server::testing {
namespace {

// A stream that outlives the request's deadline: the upstream call is cancelled and the stream
// ends with a final 504 error event in a complete response (never a cut connection).
TEST(ApiStream, DeadlineIsFinalErrorEvent) {
  REQUIRE_EMULATOR();
  ApiHarness h({"--stream-token-ms", "100"}, std::chrono::milliseconds(700));
  const auto start = std::chrono::steady_clock::now();
  auto a = h.post("/api/blog", {{"topic", "caching"}, {"length", "long"}, {"stream", true}},
                  std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(a.status, 200u) << a.raw;
  EXPECT_TRUE(a.complete) << a.raw;
  ASSERT_FALSE(a.events.empty());
  EXPECT_GE(count(a, "delta"), 1);
  const auto& last = a.events.back();
  ASSERT_EQ(last.name, "error") << a.raw;
  EXPECT_EQ(last.data.at("status"), 504);
  EXPECT_EQ(last.data.at("code"), "DeadlineExceeded");
}

}  // namespace
}  // namespace bedrock::server::testing
