#include "server/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace bedrock::server {
namespace {

Route route(std::string method, std::string path, std::string name) {
  return Route{std::move(method), std::move(path), std::move(name), ErrorStyle::Content,
               [](const ScopePtr&, net::HttpRequest&) {}};
}

// A method and an exact path find their route; the query string is ignored.
TEST(Router, MatchesMethodAndExactPath) {
  Router r;
  r.add(route("GET", "/healthz", "healthz"));
  r.add(route("POST", "/api/summarize", "api.summarize"));
  auto m = r.match("POST", "/api/summarize?x=1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->name, "api.summarize");
  EXPECT_EQ(m.index, 1u);
  EXPECT_FALSE(m.error.has_value());
}

// An unknown path is a 404; a prefix or a trailing slash is not the same path.
TEST(Router, UnknownPathIsNotFound) {
  Router r;
  r.add(route("POST", "/api/summarize", "api.summarize"));
  for (const char* target : {"/api", "/api/summarize/", "/API/summarize", "/"}) {
    auto m = r.match("POST", target);
    EXPECT_EQ(m.route, nullptr) << target;
    ASSERT_TRUE(m.error.has_value()) << target;
    EXPECT_EQ(m.error->status, 404u) << target;
    EXPECT_EQ(m.error->code, "NotFound");
  }
}

// A known path with another method is a 405 whose Allow lists every method of the path.
TEST(Router, OtherMethodIsNotAllowedWithAllow) {
  Router r;
  r.add(route("GET", "/v1/things", "things.list"));
  r.add(route("POST", "/v1/things", "things.create"));
  auto m = r.match("DELETE", "/v1/things");
  ASSERT_TRUE(m.error.has_value());
  EXPECT_EQ(m.error->status, 405u);
  EXPECT_EQ(m.error->allow, "GET, POST");
}

// Two routes for one method and path are a start-up error, not a silent override.
TEST(Router, DuplicateRouteThrows) {
  Router r;
  r.add(route("GET", "/healthz", "a"));
  EXPECT_THROW(r.add(route("GET", "/healthz", "b")), std::logic_error);
}

// Unmatched paths under /v1/ answer in OpenAI's error shape, the rest in ours.
TEST(Router, StyleForPathFollowsPrefix) {
  EXPECT_EQ(style_for_path("/v1/chat/completions"), ErrorStyle::OpenAI);
  EXPECT_EQ(style_for_path("/v1"), ErrorStyle::Content);
  EXPECT_EQ(style_for_path("/api/summarize"), ErrorStyle::Content);
}

}  // namespace
}  // namespace bedrock::server

namespace bedrock::server {
namespace {

// A "{id}" segment matches any one non-empty segment; exact paths win; path_segment reads it.
TEST(Router, PatternSegmentMatchesOneSegment) {
  Router r;
  r.add(route("GET", "/v1/jobs", "jobs.list"));
  r.add(route("GET", "/v1/jobs/{id}", "jobs.get"));
  r.add(route("DELETE", "/v1/jobs/{id}", "jobs.cancel"));
  auto m = r.match("GET", "/v1/jobs/job_abc?x=1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->name, "jobs.get");
  EXPECT_EQ(path_segment("/v1/jobs/job_abc?x=1", 2), "job_abc");
  EXPECT_EQ(r.match("DELETE", "/v1/jobs/x").route->name, "jobs.cancel");
  EXPECT_EQ(r.match("GET", "/v1/jobs").route->name, "jobs.list");
  for (const char* target : {"/v1/jobs/", "/v1/jobs/a/b", "/v1/job/a", "/v1/jobsx"}) {
    auto miss = r.match("GET", target);
    EXPECT_EQ(miss.route, nullptr) << target;
    ASSERT_TRUE(miss.error.has_value()) << target;
    EXPECT_EQ(miss.error->status, 404u) << target;
  }
  auto not_allowed = r.match("POST", "/v1/jobs/abc");
  ASSERT_TRUE(not_allowed.error.has_value());
  EXPECT_EQ(not_allowed.error->status, 405u);
  EXPECT_EQ(not_allowed.error->allow, "GET, DELETE");
  EXPECT_EQ(path_segment("/v1/jobs", 2), "");
}

}  // namespace
}  // namespace bedrock::server
