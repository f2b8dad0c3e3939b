#include <gtest/gtest.h>

#include "bedrock/http/curl_transport.h"

namespace bedrock::http {
namespace {

TEST(CurlOptionsFromEnvironment, ReadsCaBundleAndProxies) {
  // Each variable lands in its option; unset ones stay empty.
  MapEnvironment env({{"AWS_CA_BUNDLE", "/etc/ca.pem"},
                      {"HTTPS_PROXY", "http://proxy:3128"},
                      {"NO_PROXY", "localhost,.internal"}});
  CurlTransportOptions o = options_from_environment(env);
  EXPECT_EQ(o.ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(o.https_proxy, "http://proxy:3128");
  EXPECT_EQ(o.http_proxy, "");
  EXPECT_EQ(o.no_proxy, "localhost,.internal");
  EXPECT_EQ(o.max_idle_handles, 64u);
}

TEST(CurlOptionsFromEnvironment, LowerCaseWinsAndEmptyCountsAsUnset) {
  // curl's precedence: lower-case name first; an empty value falls through to the other.
  MapEnvironment env({{"http_proxy", "http://lower:1"},
                      {"HTTP_PROXY", "http://upper:2"},
                      {"https_proxy", ""},
                      {"HTTPS_PROXY", "http://upper:3"},
                      {"no_proxy", "*"},
                      {"NO_PROXY", "ignored"},
                      {"AWS_CA_BUNDLE", ""}});
  CurlTransportOptions o = options_from_environment(env);
  EXPECT_EQ(o.http_proxy, "http://lower:1");
  EXPECT_EQ(o.https_proxy, "http://upper:3");
  EXPECT_EQ(o.no_proxy, "*");
  EXPECT_EQ(o.ca_bundle, "");
}

TEST(CurlOptionsFromEnvironment, EmptyEnvironmentGivesNoProxyAndSystemTrust) {
  // Nothing set: no proxy, system CA store.
  CurlTransportOptions o = options_from_environment(MapEnvironment{});
  EXPECT_TRUE(o.http_proxy.empty());
  EXPECT_TRUE(o.https_proxy.empty());
  EXPECT_TRUE(o.no_proxy.empty());
  EXPECT_TRUE(o.ca_bundle.empty());
}

}  // namespace
}  // namespace bedrock::http
