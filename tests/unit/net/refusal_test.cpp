// The answers the server writes itself: the right status and a JSON body naming the limit.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bedrock/net/server.h"

namespace bedrock::net {
namespace {

TEST(DefaultRefusal, StatusAndJsonBodyPerKind) {
  // 413, 431, 503 (with Retry-After) and 500, each {"error": sentence, "code": name}.
  ServerOptions options;
  options.max_body_bytes = 1234;
  const HttpResponse body = default_refusal(Refusal::BodyTooLarge, options);
  EXPECT_EQ(body.result_int(), 413u);
  const auto json = nlohmann::json::parse(body.body());
  EXPECT_EQ(json["code"], "BodyTooLarge");
  EXPECT_NE(json["error"].get<std::string>().find("1234"), std::string::npos);
  EXPECT_EQ(body[boost::beast::http::field::content_length], std::to_string(body.body().size()));

  EXPECT_EQ(default_refusal(Refusal::HeadersTooLarge, options).result_int(), 431u);
  const HttpResponse busy = default_refusal(Refusal::Busy, options);
  EXPECT_EQ(busy.result_int(), 503u);
  EXPECT_EQ(busy[boost::beast::http::field::retry_after], "1");
  const HttpResponse unanswered = default_refusal(Refusal::Unanswered, options);
  EXPECT_EQ(unanswered.result_int(), 500u);
  EXPECT_EQ(nlohmann::json::parse(unanswered.body())["code"], "InternalError");
}

}  // namespace
}  // namespace bedrock::net
