// CurlTransport TLS verification (self-signed certificate made at test time) and proxy routing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "bedrock/http/curl_transport.h"
#include "fakes/loopback_server.h"
#include "fakes/test_certificate.h"

namespace bedrock::http {
namespace {

using testing::LoopbackRequest;
using testing::LoopbackResponse;
using testing::LoopbackServer;

Request get(const std::string& url) {
  Request r;
  r.method = "GET";
  r.url = url;
  return r;
}

LoopbackResponse hello(const LoopbackRequest& r) {
  return LoopbackResponse::text(200, "hello " + r.target);
}

TEST(CurlTransportTls, UntrustedCertificateIsTlsFailed) {
  // A self-signed certificate not in the trust store fails verification as TlsFailed.
  LoopbackServer::Options options;
  options.tls = testing::make_self_signed_identity();
  LoopbackServer server(hello, options);
  ASSERT_TRUE(server.start());
  CurlTransport transport;
  auto r = transport.send(get(server.url("/secure")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::TlsFailed) << r.error().message;
  EXPECT_EQ(server.requests_served(), 0u);
}

TEST(CurlTransportTls, CertificateTrustedThroughCaBundleSucceeds) {
  // The same kind of server is reachable once its certificate is the CA bundle, and the
  // connection is reused across calls.
  testing::TempDir dir;
  LoopbackServer::Options options;
  options.tls = testing::make_self_signed_identity();
  LoopbackServer server(hello, options);
  ASSERT_TRUE(server.start());
  CurlTransportOptions transport_options;
  transport_options.ca_bundle = dir.write_file("ca.pem", options.tls->certificate_pem);
  CurlTransport transport(transport_options);
  for (int i = 0; i < 3; ++i) {
    auto r = transport.send(get(server.url("/secure")), {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello /secure");
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(CurlTransportTls, LargeBodiesCrossTlsBothWays) {
  // 1 MiB up and 2 MiB down over HTTPS: many TLS records each way, some left buffered inside
  // OpenSSL between reads, and every byte arrives.
  testing::TempDir dir;
  LoopbackServer::Options options;
  options.tls = testing::make_self_signed_identity();
  LoopbackServer server(
      [](const LoopbackRequest& r) {
        std::string body(2u << 20, 'd');
        body.replace(0, std::min<std::size_t>(r.body.size(), 16), r.body.substr(0, 16));
        return LoopbackResponse::text(200, std::to_string(r.body.size()) + ":" + body);
      },
      options);
  ASSERT_TRUE(server.start());
  CurlTransportOptions transport_options;
  transport_options.ca_bundle = dir.write_file("ca.pem", options.tls->certificate_pem);
  CurlTransport transport(transport_options);
  Request post = get(server.url("/big"));
  post.method = "POST";
  post.body = "0123456789abcdef" + std::string((1u << 20) - 16, 'u');
  for (int i = 0; i < 2; ++i) {
    auto r = transport.send(post, {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    ASSERT_EQ(r->body.size(), 8 + (2u << 20));
    EXPECT_EQ(r->body.substr(0, 24), "1048576:0123456789abcdef");
    EXPECT_EQ(r->body.back(), 'd');
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(CurlTransportTls, CaBundleOfAnotherCertificateIsTlsFailed) {
  // Trusting a different self-signed certificate does not make this server trusted.
  testing::TempDir dir;
  LoopbackServer::Options options;
  options.tls = testing::make_self_signed_identity();
  LoopbackServer server(hello, options);
  ASSERT_TRUE(server.start());
  CurlTransportOptions transport_options;
  transport_options.ca_bundle =
      dir.write_file("other.pem", testing::make_self_signed_identity().certificate_pem);
  CurlTransport transport(transport_options);
  auto r = transport.send(get(server.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::TlsFailed) << r.error().message;
}

TEST(CurlTransportProxy, HttpRequestGoesThroughTheProxyWithAbsoluteUri) {
  // With http_proxy set, the proxy receives the absolute-URI request line; the target sees
  // nothing.
  LoopbackServer target(hello);
  ASSERT_TRUE(target.start());
  LoopbackServer proxy([](const LoopbackRequest& r) {
    return LoopbackResponse::text(200, "via proxy " + r.target);
  });
  ASSERT_TRUE(proxy.start());
  CurlTransportOptions options;
  options.http_proxy = proxy.url("");
  CurlTransport transport(options);
  auto r = transport.send(get(target.url("/model/x%3A0/invoke?a=1")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "via proxy " + target.url("/model/x%3A0/invoke?a=1"));
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].target, target.url("/model/x%3A0/invoke?a=1"));
  EXPECT_EQ(target.requests_served(), 0u);
}

TEST(CurlTransportProxy, NoProxyBypassesTheProxy) {
  // A host listed in no_proxy is contacted directly.
  LoopbackServer target(hello);
  ASSERT_TRUE(target.start());
  LoopbackServer proxy(hello);
  ASSERT_TRUE(proxy.start());
  CurlTransportOptions options;
  options.http_proxy = proxy.url("");
  options.no_proxy = "localhost,127.0.0.1";
  CurlTransport transport(options);
  auto r = transport.send(get(target.url("/direct")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "hello /direct");
  EXPECT_EQ(proxy.requests_served(), 0u);
  EXPECT_EQ(target.requests_served(), 1u);
}

TEST(CurlTransportProxy, HttpsProxyIsNotUsedForHttpUrls) {
  // https_proxy applies to https:// URLs only; a plain http:// call goes direct.
  LoopbackServer target(hello);
  ASSERT_TRUE(target.start());
  LoopbackServer proxy(hello);
  ASSERT_TRUE(proxy.start());
  CurlTransportOptions options;
  options.https_proxy = proxy.url("");
  CurlTransport transport(options);
  auto r = transport.send(get(target.url("/plain")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(proxy.requests_served(), 0u);
  EXPECT_EQ(target.requests_served(), 1u);
}

// An HTTPS target with a self-signed certificate, a plain proxy that only tunnels, and
// transport options that use the proxy and trust the target.
struct TunnelRig {
  testing::TempDir dir;
  LoopbackServer::Options tls{.tls = testing::make_self_signed_identity()};
  LoopbackServer target{hello, tls};
  LoopbackServer proxy{[](const LoopbackRequest& r) {
    if (r.method == "CONNECT") return LoopbackResponse::tunnel();
    return LoopbackResponse::text(400, "CONNECT only");
  }};
  CurlTransportOptions options;

  bool start() {
    if (!target.start() || !proxy.start()) return false;
    options.https_proxy = proxy.url("");
    options.ca_bundle = dir.write_file("ca.pem", tls.tls->certificate_pem);
    return true;
  }
};

TEST(CurlTransportProxy, HttpsGoesThroughTheProxyTunnelWithVerification) {
  // An https:// call with https_proxy set opens a CONNECT tunnel through the proxy and still
  // verifies the target's certificate end to end.
  TunnelRig rig;
  ASSERT_TRUE(rig.start());
  CurlTransport transport(rig.options);
  auto r = transport.send(get(rig.target.url("/tunnelled")), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->body, "hello /tunnelled");
  ASSERT_EQ(rig.proxy.requests().size(), 1u);
  EXPECT_EQ(rig.proxy.requests()[0].method, "CONNECT");
  EXPECT_EQ(rig.proxy.requests()[0].target, "127.0.0.1:" + std::to_string(rig.target.port()));
  ASSERT_EQ(rig.target.requests().size(), 1u);
  EXPECT_EQ(rig.target.requests()[0].target, "/tunnelled");

  // Without the CA bundle the tunnelled handshake fails verification.
  CurlTransportOptions untrusting_options = rig.options;
  untrusting_options.ca_bundle.clear();
  CurlTransport untrusting(untrusting_options);
  auto bad = untrusting.send(get(rig.target.url("/tunnelled")), {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::TlsFailed) << bad.error().message;
}

TEST(CurlTransportProxy, TunnelIsKeptAliveAndNoProxyStillApplies) {
  // Three https calls through the proxy share one CONNECT tunnel; with the target's host in
  // no_proxy the same calls bypass the proxy entirely.
  TunnelRig rig;
  ASSERT_TRUE(rig.start());
  CurlTransport tunnelled(rig.options);
  Request post = get(rig.target.url("/t"));
  post.method = "POST";
  post.body = "{}";
  for (int i = 0; i < 3; ++i) {
    auto r = tunnelled.send(post, {});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "hello /t");
  }
  EXPECT_EQ(rig.proxy.requests().size(), 1u);
  EXPECT_EQ(rig.target.connections_accepted(), 1u);

  CurlTransportOptions bypass_options = rig.options;
  bypass_options.no_proxy = "127.0.0.1";
  CurlTransport bypassing(bypass_options);
  auto r = bypassing.send(post, {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(rig.proxy.requests().size(), 1u);  // unchanged: no second CONNECT
  EXPECT_EQ(rig.target.connections_accepted(), 2u);
}

TEST(CurlTransportProxy, UnreachableProxyIsConnectionFailed) {
  // A proxy that refuses connections is a ConnectionFailed, like an unreachable host.
  LoopbackServer target(hello);
  ASSERT_TRUE(target.start());
  std::string dead_proxy;
  {
    LoopbackServer gone(hello);
    ASSERT_TRUE(gone.start());
    dead_proxy = gone.url("");
  }
  CurlTransportOptions options;
  options.http_proxy = dead_proxy;
  CurlTransport transport(options);
  auto r = transport.send(get(target.url("/")), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed) << r.error().message;
  EXPECT_EQ(target.requests_served(), 0u);
}

}  // namespace
}  // namespace bedrock::http
