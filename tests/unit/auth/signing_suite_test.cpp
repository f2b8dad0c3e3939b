// The aws-c-auth SigV4 test suite (copied into tests/data/sigv4, Apache-2.0): every case's
// canonical request, string to sign and signature, byte for byte; one test per vector.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bedrock/auth/sigv4.h"

namespace bedrock::auth::sigv4 {
namespace {

namespace fs = std::filesystem;

fs::path suite_dir() { return fs::path(BEDROCK_SOURCE_DIR) / "tests" / "data" / "sigv4"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct RawRequest {
  std::string method;
  std::string path;
  std::string query;
  std::vector<HeaderLine> headers;
  std::string body;
};

// request.txt: "METHOD TARGET HTTP/1.1" (TARGET may contain spaces), header lines where a line
// starting with whitespace continues the previous value, a blank line, then the body.
RawRequest parse_request(const std::string& text) {
  RawRequest r;
  size_t pos = 0;
  auto next_line = [&](std::string& line) {
    if (pos > text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    return true;
  };
  std::string line;
  next_line(line);
  size_t first = line.find(' ');
  size_t last = line.rfind(' ');
  r.method = line.substr(0, first);
  std::string target = line.substr(first + 1, last - first - 1);
  size_t question = target.find('?');
  r.path = target.substr(0, question);
  if (question != std::string::npos) r.query = target.substr(question + 1);
  while (next_line(line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
      r.headers.back().value += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    r.headers.push_back(HeaderLine{line.substr(0, colon), line.substr(colon + 1)});
  }
  if (pos < text.size()) r.body = text.substr(pos);
  return r;
}

WallTime parse_timestamp(const std::string& iso) {
  std::tm fields{};
  std::istringstream in(iso);
  in >> std::get_time(&fields, "%Y-%m-%dT%H:%M:%SZ");
  return WallTime{std::chrono::seconds{timegm(&fields)}};
}

struct Vector {
  std::string name;
  RawRequest request;
  nlohmann::json context;
  SigningParams params;
  Credentials credentials;
};

Vector load_vector(const std::string& name) {
  Vector v;
  v.name = name;
  fs::path dir = suite_dir() / name;
  v.request = parse_request(read_text(dir / "request.txt"));
  v.context = nlohmann::json::parse(read_text(dir / "context.json"));
  v.params.region = v.context.at("region").get<std::string>();
  v.params.service = v.context.at("service").get<std::string>();
  v.params.time = parse_timestamp(v.context.at("timestamp").get<std::string>());
  // The suite is generated with single URI encoding; only the normalize flag varies.
  v.params.double_encode_path = false;
  v.params.normalize_path = v.context.at("normalize").get<bool>();
  v.params.omit_session_token = v.context.value("omit_session_token", false);
  v.params.sign_payload_header = v.context.value("sign_body", false);
  const auto& creds = v.context.at("credentials");
  v.credentials.access_key_id = creds.at("access_key_id").get<std::string>();
  v.credentials.secret_access_key = creds.at("secret_access_key").get<std::string>();
  v.credentials.session_token = creds.value("token", "");
  return v;
}

std::vector<std::string> vector_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(suite_dir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string gtest_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

TEST(SigningSuite, AllVectorsPresent) {
  // Guards against an empty or moved corpus silently producing zero parameterised tests.
  EXPECT_EQ(vector_names().size(), 38u);
}

class SigningSuiteStages : public ::testing::TestWithParam<std::string> {};

TEST_P(SigningSuiteStages, CanonicalRequestStringToSignSignature) {
  // The pure stages, fed the headers the signer adds, reproduce the three header-* files.
  Vector v = load_vector(GetParam());
  fs::path dir = suite_dir() / v.name;
  std::vector<HeaderLine> headers = v.request.headers;
  headers.push_back({"X-Amz-Date", amz_date(v.params.time)});
  if (!v.credentials.session_token.empty() && !v.params.omit_session_token) {
    headers.push_back({"X-Amz-Security-Token", v.credentials.session_token});
  }
  std::string payload_hash = sha256_hex(v.request.body);
  if (v.params.sign_payload_header) headers.push_back({"X-Amz-Content-SHA256", payload_hash});

  auto parts = canonical_request(v.request.method, v.request.path, v.request.query, headers, {},
                                 payload_hash, v.params);
  EXPECT_EQ(parts.canonical_request, read_text(dir / "header-canonical-request.txt"));
  std::string sts = string_to_sign(parts.canonical_request, v.params);
  EXPECT_EQ(sts, read_text(dir / "header-string-to-sign.txt"));
  std::string key = signing_key(v.credentials.secret_access_key, date_stamp(v.params.time),
                                v.params.region, v.params.service);
  EXPECT_EQ(signature(key, sts), read_text(dir / "header-signature.txt"));
}

INSTANTIATE_TEST_SUITE_P(AwsCAuth, SigningSuiteStages, ::testing::ValuesIn(vector_names()),
                         gtest_name);

class SigningSuiteSign : public ::testing::TestWithParam<std::string> {};

TEST_P(SigningSuiteSign, SignProducesReferenceAuthorization) {
  // sign() on the raw request yields the Authorization line of header-signed-request.txt.
  Vector v = load_vector(GetParam());
  for (const auto& h : v.request.headers) {
    if (h.name == "Content-Length") {
      GTEST_SKIP()
          << "sign() never signs Content-Length (botocore parity, docs/wire-protocol.md §3.2) but "
             "this vector does; its stages are verified by SigningSuiteStages";
    }
  }
  fs::path dir = suite_dir() / v.name;
  http::Request request;
  request.method = v.request.method;
  std::string host;
  for (const auto& h : v.request.headers) {
    if (h.name == "Host") host = h.value;
  }
  request.url =
      "https://" + host + v.request.path + (v.request.query.empty() ? "" : "?") + v.request.query;
  for (const auto& h : v.request.headers) request.headers.emplace_back(h.name, h.value);
  request.body = v.request.body;

  SigningTrace trace;
  ASSERT_TRUE(sign(request, v.credentials, v.params, &trace));
  EXPECT_EQ(trace.canonical_request, read_text(dir / "header-canonical-request.txt"));
  EXPECT_EQ(trace.signature, read_text(dir / "header-signature.txt"));

  std::string expected_auth;
  std::istringstream signed_request(read_text(dir / "header-signed-request.txt"));
  for (std::string line; std::getline(signed_request, line);) {
    if (line.rfind("Authorization:", 0) == 0) expected_auth = line.substr(14);
  }
  ASSERT_FALSE(expected_auth.empty());
  std::string actual_auth;
  for (const auto& [name, value] : request.headers) {
    if (name == "Authorization") actual_auth = value;
  }
  EXPECT_EQ(actual_auth, expected_auth);
}

INSTANTIATE_TEST_SUITE_P(AwsCAuth, SigningSuiteSign, ::testing::ValuesIn(vector_names()),
                         gtest_name);

}  // namespace
}  // namespace bedrock::auth::sigv4
