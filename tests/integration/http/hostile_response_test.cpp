// Responses a hostile or broken server sends: announced sizes past our limit must be refused
// before anything is reserved, on both the direct path and curl's own engine.
#include <gtest/gtest.h>

#include <string>

#include "bedrock/http/curl_transport.h"
#include "fakes/loopback_server.h"
#include "json_post.h"

namespace bedrock::http {
namespace {

using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;

LoopbackResponse raw_reply(std::string bytes) {
  LoopbackResponse r;
  r.raw = std::move(bytes);
  r.close_connection = true;
  return r;
}

// Content-Length: 99999999999 is refused as "response too large" instead of reserving ~100 GB
// (which threw std::bad_alloc out of the transport).
TEST(HostileResponse, HugeAnnouncedContentLengthIsATypedError) {
  LoopbackServer server([](const LoopbackRequest&) {
    return raw_reply(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Content-Length: 99999999999\r\n\r\n{\"partial\":");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(json_post(server.url("/model/m/invoke")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(r.error().message.find("response too large"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("99999999999"), std::string::npos) << r.error().message;
}

// Just over a configured limit is refused the same way; just under it is accepted.
TEST(HostileResponse, AnnouncedLengthIsCheckedAgainstTheConfiguredLimit) {
  LoopbackServer server([](const LoopbackRequest& request) {
    const std::size_t n = request.target.find("big") != std::string::npos ? 1025 : 1024;
    return LoopbackResponse::text(200, std::string(n, 'x'));
  });
  ASSERT_TRUE(server.start());
  CurlTransportOptions options;
  options.max_response_bytes = 1024;
  CurlTransport transport(options);
  auto small = transport.send(json_post(server.url("/small")), {});
  ASSERT_TRUE(small.has_value()) << small.error().message;
  EXPECT_EQ(small->body.size(), 1024u);
  auto big = transport.send(json_post(server.url("/big")), {});
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::InvalidResponse);
  EXPECT_NE(big.error().message.find("response too large"), std::string::npos);
}

}  // namespace
}  // namespace bedrock::http
