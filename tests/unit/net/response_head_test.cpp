// The server's own response head against Beast's serializer: the same bytes for the
// responses servers send (success, error, refusal with Connection: close, HTTP/1.0, a set
// reason phrase, repeated fields).
#include "net/response_head.h"

#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>
#include <sstream>

namespace bedrock::net {
namespace {

namespace http = boost::beast::http;

std::string beast_head(const HttpResponse& response) {
  std::ostringstream out;
  out << response.base();
  return out.str();
}

std::string ours(const HttpResponse& response) {
  std::string out = "stale bytes from the previous response";
  serialize_head(response, out);
  return out;
}

TEST(ResponseHead, MatchesBeastForWhatServersSend) {
  HttpResponse ok{http::status::ok, 11};
  ok.set(http::field::date, "Tue, 01 Dec 2026 22:09:49 GMT");
  ok.set(http::field::content_type, "application/json");
  ok.set("x-amzn-RequestId", "8cfb4e77-39ad-4019-a672-e8d68ae934d8");
  ok.set("X-Amzn-Bedrock-Input-Token-Count", "6");
  ok.body() = R"({"a":1})";
  ok.prepare_payload();
  ok.keep_alive(true);
  EXPECT_EQ(ours(ok), beast_head(ok));
  EXPECT_NE(ours(ok).find("Content-Length: 7\r\n"), std::string::npos);

  HttpResponse refused{http::status::bad_request, 11};
  refused.set("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/");
  refused.set("x-amzn-RequestId", "rid-1");
  refused.set(http::field::content_type, "application/json");
  refused.body() = R"({"message":"too big"})";
  refused.prepare_payload();
  refused.keep_alive(false);
  EXPECT_EQ(ours(refused), beast_head(refused));
  EXPECT_NE(ours(refused).find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(ours(refused).rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);

  HttpResponse old{http::status::service_unavailable, 10};
  old.reason("Busy Right Now");
  old.insert("Set-Cookie", "a=1");
  old.insert("Set-Cookie", "b=2");
  old.prepare_payload();
  old.keep_alive(true);
  EXPECT_EQ(ours(old), beast_head(old));
  EXPECT_EQ(ours(old).rfind("HTTP/1.0 503 Busy Right Now\r\n", 0), 0u);

  HttpResponse unusual{static_cast<http::status>(299), 11};
  EXPECT_EQ(ours(unusual), beast_head(unusual));
}

}  // namespace
}  // namespace bedrock::net
