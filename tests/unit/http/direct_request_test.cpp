// The direct path's pure parts: which requests it takes, and the exact bytes of a request head.
#include <gtest/gtest.h>

#include <string>

#include "http/direct_connection.h"

namespace bedrock::http::detail {
namespace {

Request request(std::string method, std::string url, Headers headers = {}, std::string body = "") {
  Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// DirectTarget holds views into the request's URL, so each test keeps its Request alive.

TEST(DirectTarget, SplitsOriginHostAndTarget) {
  // An explicit non-default port stays in Host; the query belongs to the target.
  const Request t_request = request("POST", "http://127.0.0.1:8080/model/a%3A0/invoke?x=1#frag");
  auto t = direct_target(t_request);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(t->host_port, "127.0.0.1:8080");
  EXPECT_EQ(t->target, "/model/a%3A0/invoke?x=1");
}

TEST(DirectTarget, DropsTheSchemesDefaultPortFromHost) {
  // Host carries ":443"/":80" only when it is not the scheme's default, as curl writes it.
  const Request https_request =
      request("POST", "https://bedrock-runtime.us-east-1.amazonaws.com:443/x");
  auto https = direct_target(https_request);
  ASSERT_TRUE(https.has_value());
  EXPECT_EQ(https->host_port, "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(https->origin, "https://bedrock-runtime.us-east-1.amazonaws.com:443");
  const Request http_request = request("GET", "http://example.com:80/");
  auto http = direct_target(http_request);
  ASSERT_TRUE(http.has_value());
  EXPECT_EQ(http->host_port, "example.com");
  const Request odd_request = request("GET", "http://example.com:443/");
  auto odd = direct_target(odd_request);
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->host_port, "example.com:443");
}

TEST(DirectTarget, KeepsIpv6LiteralsWhole) {
  // The colons inside "[...]" are not a port separator.
  const Request t_request = request("GET", "http://[::1]:9000/latest/api/token");
  auto t = direct_target(t_request);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->host_port, "[::1]:9000");
  const Request no_port_request = request("GET", "http://[fd00:ec2::254]/latest");
  auto no_port = direct_target(no_port_request);
  ASSERT_TRUE(no_port.has_value());
  EXPECT_EQ(no_port->host_port, "[fd00:ec2::254]");
}

TEST(DirectTarget, LeavesWhatCurlMustHandleToCurl) {
  // HEAD, user-info, other schemes, missing paths and caller-set framing headers go to curl.
  EXPECT_FALSE(direct_target(request("HEAD", "http://h/x")));
  EXPECT_FALSE(direct_target(request("GET", "http://user:pw@h/x")));
  EXPECT_FALSE(direct_target(request("GET", "ftp://h/x")));
  EXPECT_FALSE(direct_target(request("GET", "h/x")));
  EXPECT_FALSE(direct_target(request("GET", "http://h")));
  EXPECT_FALSE(direct_target(request("GET", "http://h?x=1")));
  EXPECT_FALSE(direct_target(request("GET", "http://h:/x")));
  for (const char* framing :
       {"Content-Length", "transfer-encoding", "Expect", "CONNECTION", "Upgrade"}) {
    EXPECT_FALSE(direct_target(request("POST", "http://h/x", {{framing, "x"}}))) << framing;
  }
  EXPECT_TRUE(direct_target(request("DELETE", "HTTPS://h/x", {{"Host", "h"}})));
}

TEST(WriteRequestHead, WritesHeadersInOrderWithHostAgentAndLength) {
  // The caller's headers keep their order and spelling; Host, User-Agent and Content-Length
  // follow because the request has none of them.
  Request r = request("POST", "http://127.0.0.1:8080/model/m/invoke",
                      {{"Content-Type", "application/json"}, {"X-Amz-Date", "20261201T000000Z"}},
                      "{\"a\":1}");
  auto t = direct_target(r);
  ASSERT_TRUE(t.has_value());
  std::string head;
  write_request_head(r, *t, "agent/1", head);
  EXPECT_EQ(head,
            "POST /model/m/invoke HTTP/1.1\r\n"
            "Content-Type: application/json\r\n"
            "X-Amz-Date: 20261201T000000Z\r\n"
            "Host: 127.0.0.1:8080\r\n"
            "User-Agent: agent/1\r\n"
            "Content-Length: 7\r\n"
            "\r\n");
}

TEST(WriteRequestHead, KeepsTheCallersHostAndUserAgent) {
  // A signed request names its Host (it is in the signature): no second one is written.
  Request r = request("GET", "http://169.254.169.254/latest/meta-data/",
                      {{"host", "169.254.169.254"}, {"user-agent", "mine"}, {"X-Empty", ""}});
  auto t = direct_target(r);
  ASSERT_TRUE(t.has_value());
  std::string head;
  write_request_head(r, *t, "agent/1", head);
  EXPECT_EQ(head,
            "GET /latest/meta-data/ HTTP/1.1\r\n"
            "host: 169.254.169.254\r\n"
            "user-agent: mine\r\n"
            "X-Empty: \r\n"
            "\r\n");
}

TEST(WriteRequestHead, EmptyPutAndPostStillSayContentLengthZero) {
  // Servers may answer 411 to a body-carrying method without a length; GET without a body
  // says nothing.
  for (const char* method : {"PUT", "POST", "PATCH"}) {
    Request r = request(method, "http://h/x", {{"Host", "h"}});
    std::string head;
    write_request_head(r, *direct_target(r), "", head);
    EXPECT_NE(head.find("\r\nContent-Length: 0\r\n"), std::string::npos) << method;
  }
  Request get = request("GET", "http://h/x", {{"Host", "h"}});
  std::string head;
  write_request_head(get, *direct_target(get), "", head);
  EXPECT_EQ(head, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
}

}  // namespace
}  // namespace bedrock::http::detail
