// The Bedrock worked examples of docs/wire-protocol.md §3.3, checked byte for byte at every stage.
#include <gtest/gtest.h>

#include "auth/crypto.h"
#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::sigv4 {
namespace {

constexpr std::string_view kHost = "https://bedrock-runtime.us-east-1.amazonaws.com";
constexpr std::string_view kBodyA =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]})";
constexpr std::string_view kBodyD =
    R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":64}})";

const WallTime kTime{std::chrono::seconds{1705320000}};  // 2024-01-15T12:00:00Z

Credentials example_credentials(std::string token = "") {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.session_token = std::move(token);
  return c;
}

SigningParams example_params() {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = kTime;
  return p;
}

http::Request example_request(std::string_view path, std::string_view body) {
  http::Request r;
  r.method = "POST";
  r.url = std::string(kHost) + std::string(path);
  r.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  r.body = std::string(body);
  return r;
}

std::string header(const http::Request& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

std::string canonical_for(std::string_view uri_line, std::string_view payload_hash,
                          bool with_token = false) {
  std::string out = "POST\n" + std::string(uri_line) +
                    "\n\naccept:application/json\ncontent-type:application/json\n"
                    "host:bedrock-runtime.us-east-1.amazonaws.com\nx-amz-date:20240115T120000Z\n";
  if (with_token) out += "x-amz-security-token:FQoGZXIvYXdzEXAMPLESESSIONTOKEN\n";
  out += with_token ? "\naccept;content-type;host;x-amz-date;x-amz-security-token\n"
                    : "\naccept;content-type;host;x-amz-date\n";
  out += payload_hash;
  return out;
}

std::string string_to_sign_for(std::string_view canonical_hash) {
  return "AWS4-HMAC-SHA256\n20240115T120000Z\n20240115/us-east-1/bedrock/aws4_request\n" +
         std::string(canonical_hash);
}

TEST(SigV4BedrockExamples, TimestampsAndBodyHashes) {
  // The formatted timestamps and the body hashes the examples rely on.
  EXPECT_EQ(amz_date(kTime), "20240115T120000Z");
  EXPECT_EQ(date_stamp(kTime), "20240115");
  EXPECT_EQ(kBodyA.size(), 105u);
  EXPECT_EQ(sha256_hex(kBodyA), "9329b36c40ffa765265d99a4a0323f8b89dee097170fe4361ffb4832ef37ee8f");
  // docs/wire-protocol.md §3.3 says 92 bytes, but the body it prints (whose hash it gives) is 94.
  EXPECT_EQ(kBodyD.size(), 94u);
  EXPECT_EQ(sha256_hex(kBodyD), "f5b802cc64a01910fd197a46e9e959f3a5795f7728fa5710fb28f1ec3019f545");
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash);
}

TEST(SigV4BedrockExamples, SigningKeyChain) {
  // kDate -> kRegion -> kService -> kSigning exactly as listed in §3.3.
  const std::string secret = "AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string k_date = detail::hmac_sha256(secret, "20240115");
  std::string k_region = detail::hmac_sha256(k_date, "us-east-1");
  std::string k_service = detail::hmac_sha256(k_region, "bedrock");
  EXPECT_EQ(detail::to_hex(k_date),
            "207de81b9b5d0a2cc6c672095d223f04f88789dbcb2aaca6add895e6edb59a77");
  EXPECT_EQ(detail::to_hex(k_region),
            "3e9db546b60345435b8ff91152afd8aa6a46cd8bf5d1ca3da1ac64da530d850c");
  EXPECT_EQ(detail::to_hex(k_service),
            "d237324f2403976c5dbf5a5047178c05ff361408e3ac6a532525508a0c60a212");
  std::string k_signing =
      signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20240115", "us-east-1", "bedrock");
  EXPECT_EQ(detail::to_hex(k_signing),
            "d4de7750f444a5199cbf173bfcceb1ef9613ceccaf3e489ccd1a1e1d5755047f");
  EXPECT_EQ(cached_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20240115", "us-east-1",
                               "bedrock"),
            k_signing);
}

struct Example {
  const char* name;
  const char* path;
  std::string_view body;
  const char* token;
  const char* canonical_uri;
  const char* canonical_hash;
  const char* signature;
};

class SigV4BedrockExample : public ::testing::TestWithParam<Example> {};

TEST_P(SigV4BedrockExample, StagesMatchReference) {
  // Each stage through the pure functions equals the botocore-captured value.
  const Example& e = GetParam();
  SigningParams params = example_params();
  std::vector<HeaderLine> headers = {{"Content-Type", "application/json"},
                                     {"Accept", "application/json"},
                                     {"Host", "bedrock-runtime.us-east-1.amazonaws.com"},
                                     {"X-Amz-Date", "20240115T120000Z"}};
  bool with_token = e.token[0] != '\0';
  if (with_token) headers.push_back({"X-Amz-Security-Token", e.token});
  std::string path(e.path);
  std::string payload = sha256_hex(e.body);
  auto parts = canonical_request("POST", path, "", headers, {}, payload, params);
  EXPECT_EQ(parts.canonical_request, canonical_for(e.canonical_uri, payload, with_token));
  EXPECT_EQ(sha256_hex(parts.canonical_request), e.canonical_hash);
  std::string sts = string_to_sign(parts.canonical_request, params);
  EXPECT_EQ(sts, string_to_sign_for(e.canonical_hash));
  std::string key =
      signing_key(example_credentials().secret_access_key, "20240115", "us-east-1", "bedrock");
  EXPECT_EQ(signature(key, sts), e.signature);
}

TEST_P(SigV4BedrockExample, SignAddsExactHeaders) {
  // sign() produces the Authorization header of docs/wire-protocol.md §3.3 and the X-Amz-* headers.
  const Example& e = GetParam();
  http::Request request = example_request(e.path, e.body);
  SigningTrace trace;
  ASSERT_TRUE(sign(request, example_credentials(e.token), example_params(), &trace));
  bool with_token = e.token[0] != '\0';
  EXPECT_EQ(trace.canonical_request,
            canonical_for(e.canonical_uri, sha256_hex(e.body), with_token));
  EXPECT_EQ(trace.string_to_sign, string_to_sign_for(e.canonical_hash));
  EXPECT_EQ(header(request, "X-Amz-Date"), "20240115T120000Z");
  EXPECT_EQ(header(request, "Host"), "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(header(request, "X-Amz-Security-Token"), with_token ? e.token : "<absent>");
  std::string signed_headers = with_token
                                   ? "accept;content-type;host;x-amz-date;x-amz-security-token"
                                   : "accept;content-type;host;x-amz-date";
  EXPECT_EQ(header(request, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/aws4_request, "
            "SignedHeaders=" +
                signed_headers + ", Signature=" + e.signature);
  EXPECT_EQ(request.body, e.body);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, SigV4BedrockExample,
    ::testing::Values(
        Example{"A", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", kBodyA, "",
                "/model/anthropic.claude-3-haiku-20240307-v1%253A0/invoke",
                "b8afcb60e9aef096384f35610264943b85d226d72e8250bcdad402d3bc193579",
                "457990cca69a30d096adea6404187226726aa25c097c218c05ddfa7768b467ea"},
        Example{"B",
                "/model/"
                "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic."
                "claude-3-haiku-20240307-v1%3A0/invoke",
                kBodyA, "",
                "/model/"
                "arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%"
                "252Fus.anthropic.claude-3-haiku-20240307-v1%253A0/invoke",
                "66a4c78f44ee095ead09616763cb4bb8e7bbf68ff1fdf460b16314c4f1d1d8e1",
                "fcd408660323cc995bca33eedda326a83780711e2c78c80e508fcf3d5cedadd4"},
        Example{"C", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", kBodyA,
                "FQoGZXIvYXdzEXAMPLESESSIONTOKEN",
                "/model/anthropic.claude-3-haiku-20240307-v1%253A0/invoke",
                "298604423fbe81fc1893e06153225f8c3f7d5ee8481be566bacb2d9674d7c12b",
                "3fe8fae6c58dc20004f4317feeba96daf803e0a5745eb8f06a12118e701ecac0"},
        Example{"D", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse", kBodyD, "",
                "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse",
                "59278eb99d2ff80613466281db2a025a8ff7b0658e4f1a5e477b2aebd560f27e",
                "6fab8a74474b2d2b5d1e19a1137b3a8fcee4059aa76b2b5ad901475be49126d8"},
        Example{"E", "/model/anthropic.claude-3-haiku-20240307-v1:0/invoke", kBodyA, "",
                "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
                "794d05bfc3e364e3247008a9f50376ea0033acb0a67fe0139baad74e62f5e640",
                "a197361acd104138e424675ab765d88afeb75ee35d5b60fea2579369fbf3c940"}),
    [](const ::testing::TestParamInfo<Example>& param_info) {
      return std::string(param_info.param.name);
    });

}  // namespace
}  // namespace bedrock::auth::sigv4
