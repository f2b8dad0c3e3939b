// The transport's direct path (curl connects; the request is written by us and the response
// parsed by Beast) against the loopback server: wire fidelity, response framing, connection
// reuse rules, and the requests that stay on curl's own engine.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "bedrock/http/curl_transport.h"
#include "fakes/loopback_server.h"

namespace bedrock::http {
namespace {

using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;

Request dated_post(const std::string& url, std::string body = "{}") {
  Request r;
  r.method = "POST";
  r.url = url;
  r.headers = {{"Content-Type", "application/json"}, {"X-Amz-Date", "20261201T000000Z"}};
  r.body = std::move(body);
  return r;
}

LoopbackResponse raw(std::string bytes, bool close = false) {
  LoopbackResponse r;
  r.raw = std::move(bytes);
  r.close_connection = close;
  return r;
}

TEST(CurlTransportDirect, ServerSeesExactlyTheRequestsHeadersAndBody) {
  // Caller headers in order, then Host, the default User-Agent and Content-Length; nothing
  // curl would add on its own (Expect, Accept: */*, an invented Content-Type).
  LoopbackRequest seen;
  LoopbackServer server([&](const LoopbackRequest& r) {
    seen = r;
    return LoopbackResponse::text(200, "ok");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/model/a%3A0/invoke?q=1"), "{\"x\":1}"), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/model/a%3A0/invoke?q=1");
  EXPECT_EQ(seen.version, "HTTP/1.1");
  EXPECT_EQ(seen.body, "{\"x\":1}");
  ASSERT_EQ(seen.headers.size(), 5u);
  EXPECT_EQ(seen.headers[0],
            (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  EXPECT_EQ(seen.headers[1].first, "X-Amz-Date");
  EXPECT_EQ(seen.headers[2], (std::pair<std::string, std::string>{
                                 "Host", "127.0.0.1:" + std::to_string(server.port())}));
  EXPECT_EQ(seen.headers[3],
            (std::pair<std::string, std::string>{"User-Agent", "bedrock-content/0.1"}));
  EXPECT_EQ(seen.headers[4], (std::pair<std::string, std::string>{"Content-Length", "7"}));
}

TEST(CurlTransportDirect, BodiesOverTheInlineSizeArriveWhole) {
  // A 1 MiB body leaves after its head in a second write; the server gets every byte.
  LoopbackServer server([](const LoopbackRequest& r) {
    return LoopbackResponse::text(200, std::to_string(r.body.size()) + ":" + r.body.substr(0, 3) +
                                           r.body.substr(r.body.size() - 3));
  });
  ASSERT_TRUE(server.start());
  std::string body(1 << 20, 'b');
  body.replace(0, 3, "AAA");
  body.replace(body.size() - 3, 3, "ZZZ");
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/"), body), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "1048576:AAAZZZ");
}

TEST(CurlTransportDirect, ResponseHeadersKeepSpellingOrderAndDuplicates) {
  // Names as the server spelled them, in order, duplicates kept; lookups ignore case.
  LoopbackServer server([](const LoopbackRequest&) {
    return raw(
        "HTTP/1.1 429 Too Many Requests\r\nx-amzn-RequestId: rid-1\r\nX-Dup: 1\r\nX-Dup: 2\r\n"
        "x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/\r\n"
        "Content-Length: 2\r\n\r\n{}");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->body, "{}");
  ASSERT_EQ(r->headers.size(), 5u);
  EXPECT_EQ(r->headers[0].first, "x-amzn-RequestId");
  EXPECT_EQ(r->headers[1], (std::pair<std::string, std::string>{"X-Dup", "1"}));
  EXPECT_EQ(r->headers[2], (std::pair<std::string, std::string>{"X-Dup", "2"}));
  EXPECT_EQ(r->header("X-AMZN-REQUESTID"), "rid-1");
}

TEST(CurlTransportDirect, InterimResponsesAreSkipped) {
  // A 100 Continue ahead of the answer is not the answer, and its headers are not kept.
  LoopbackServer server([](const LoopbackRequest&) {
    return raw(
        "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
        "HTTP/1.1 200 OK\r\nX-Final: yes\r\nContent-Length: 5\r\n\r\nfinal");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "final");
  EXPECT_FALSE(r->header("X-Interim").has_value());
  EXPECT_EQ(r->header("X-Final"), "yes");
}

TEST(CurlTransportDirect, ChunkedResponsesAreDechunked) {
  // Transfer-Encoding: chunked, with an extension and a trailer, yields the plain body.
  LoopbackServer server([](const LoopbackRequest&) {
    return raw(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(dated_post(server.url("/")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "hello world");
  }
  EXPECT_EQ(server.connections_accepted(), 1u);  // chunked framing keeps the connection usable
}

TEST(CurlTransportDirect, BodyFramedByCloseIsReadToTheEndAndNotReused) {
  // No Content-Length and no chunking: the body ends when the server closes, and the next call
  // needs a new connection.
  LoopbackServer server(
      [](const LoopbackRequest&) { return raw("HTTP/1.1 200 OK\r\n\r\nuntil close", true); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(dated_post(server.url("/")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "until close");
  }
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(CurlTransportDirect, BytesBeyondTheResponseRetireTheConnection) {
  // Junk after a complete response means the framing cannot be trusted: the next call opens a
  // new connection instead of reading the junk as its answer.
  LoopbackServer server([](const LoopbackRequest&) {
    return raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(dated_post(server.url("/")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(CurlTransportDirect, ResponseDribbledByteByByteParsesTheSame) {
  // Every read ends mid-token (status line, header names, CRLFs, chunk sizes): the parser
  // keeps the unconsumed bytes and the answer is the same as when it arrives whole.
  const std::string response =
      "HTTP/1.1 200 OK\r\nx-amzn-RequestId: rid-7\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
  LoopbackServer server([&](const LoopbackRequest&) {
    LoopbackResponse r = raw(response);
    r.slow_chunk_bytes = 1;
    r.slow_interval = std::chrono::milliseconds(1);
    return r;
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(dated_post(server.url("/")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "abcdefg");
    EXPECT_EQ(r->header("x-amzn-requestid"), "rid-7");
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(CurlTransportDirect, FoldedHeaderValueIsJoinedWithASpace) {
  // Obsolete line folding (RFC 9112 §5.2) reads as one value, as curl's engine reports it.
  LoopbackServer server([](const LoopbackRequest&) {
    return raw("HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\nContent-Length: 1\r\n\r\nk");
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_TRUE(r->header("X-Folded").has_value());
  EXPECT_EQ(*r->header("X-Folded"), "first second");
  EXPECT_EQ(r->body, "k");
}

TEST(CurlTransportDirect, EarlyAnswerToAnOversizedUploadIsReturned) {
  // A server that refuses a large body answers 413 before reading it (then discards the rest,
  // as nginx's lingering close does): the caller gets that answer, not a reset while sending,
  // and stops sending once the answer is there.
  LoopbackServer::Options limits;
  limits.max_body_bytes = 1024;
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::text(200, "x"); },
                        limits);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  for (int i = 0; i < 3; ++i) {
    auto res = transport.send(dated_post(server.url("/"), std::string(8u << 20, 'b')), {});
    ASSERT_TRUE(res.has_value()) << res.error().message;
    EXPECT_EQ(res->status, 413);
  }
  // The refused request's connection is not reused: each attempt had its own.
  EXPECT_EQ(server.connections_accepted(), 3u);
}

TEST(CurlTransportDirect, TruncatedHeadIsAResetNotAResponse) {
  // The server hangs up halfway through the status line's headers.
  LoopbackServer server(
      [](const LoopbackRequest&) { return raw("HTTP/1.1 200 OK\r\nContent-Le", true); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(dated_post(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionReset) << r.error().message;
}

TEST(CurlTransportDirect, HeadAndCallerFramingUseCurlsEngineOnTheSameTransport) {
  // HEAD (no body follows its Content-Length) and a caller-set Connection header are carried
  // by curl's engine; plain calls around them keep working.
  LoopbackServer server([](const LoopbackRequest& r) {
    return LoopbackResponse::text(
        200, r.method == "HEAD" ? "" : "body:" + r.method,
        {{"X-Connection", std::string(r.header("Connection").value_or(""))}});
  });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  Request head;
  head.method = "HEAD";
  head.url = server.url("/");
  auto h = transport.send(head, {});
  ASSERT_TRUE(h.has_value()) << h.error().message;
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(h->body, "");
  Request framed = dated_post(server.url("/"));
  framed.headers.emplace_back("Connection", "keep-alive");
  auto f = transport.send(framed, {});
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(f->header("X-Connection"), "keep-alive");
  auto p = transport.send(dated_post(server.url("/")), {});
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->body, "body:POST");
}

TEST(CurlTransportDirect, InvalidHeaderIsRefusedBeforeConnecting) {
  // A value with CR LF (header injection) never reaches the wire on the direct path either.
  LoopbackServer server([](const LoopbackRequest&) { return LoopbackResponse::text(200, "x"); });
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  Request r = dated_post(server.url("/"));
  r.headers.emplace_back("X-Bad", "a\r\nInjected: 1");
  auto res = transport.send(r, {});
  ASSERT_FALSE(res.has_value());
  EXPECT_EQ(res.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_EQ(server.requests_served(), 0u);
}

}  // namespace
}  // namespace bedrock::http
