// Shared helpers for the credential-provider tests: private temp directories, executable
// scripts, STS/IMDS response bodies, and a provider that counts and scripts its answers.
#pragma once

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "bedrock/auth/sigv4.h"
#include "bedrock/core/percent_encoding.h"
#include "bedrock/credentials/provider.h"
#include "bedrock/http/url.h"

namespace bedrock::testing {

class CredentialsTempDir {
 public:
  CredentialsTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "bedrock-creds-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~CredentialsTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  CredentialsTempDir(const CredentialsTempDir&) = delete;
  CredentialsTempDir& operator=(const CredentialsTempDir&) = delete;

  std::string path() const { return path_.string(); }

  // Writes `text` to `relative` (creating parents) and returns the full path.
  std::string write(const std::string& relative, const std::string& text) const {
    auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    return full.string();
  }

  // Writes an executable /bin/sh script and returns its path.
  std::string script(const std::string& relative, const std::string& body) const {
    std::string full = write(relative, "#!/bin/sh\n" + body);
    ::chmod(full.c_str(), 0700);
    return full;
  }

 private:
  std::filesystem::path path_;
};

// An STS AssumeRole / AssumeRoleWithWebIdentity success document.
inline std::string sts_success_xml(std::string_view action, std::string_view key,
                                   std::string_view secret, std::string_view token,
                                   std::string_view expiration) {
  return fmt::format(
      "<{0}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <{0}Result>\n"
      "    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/R/s</Arn>"
      "<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>\n"
      "    <Credentials>\n"
      "      <AccessKeyId>{1}</AccessKeyId>\n"
      "      <SecretAccessKey>{2}</SecretAccessKey>\n"
      "      <SessionToken>{3}</SessionToken>\n"
      "      <Expiration>{4}</Expiration>\n"
      "    </Credentials>\n"
      "  </{0}Result>\n"
      "  <ResponseMetadata><RequestId>req-ok-1</RequestId></ResponseMetadata>\n"
      "</{0}Response>\n",
      action, key, secret, token, expiration);
}

inline std::string sts_error_xml(std::string_view code, std::string_view message) {
  return fmt::format(
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error>\n"
      "  <RequestId>req-err-7</RequestId>\n"
      "</ErrorResponse>\n",
      code, message);
}

// A metadata-style JSON credential document (container endpoint, IMDS).
inline std::string metadata_json(std::string_view key, std::string_view secret,
                                 std::string_view token, std::string_view expiration) {
  return fmt::format(
      R"({{"Code":"Success","LastUpdated":"2024-01-15T11:00:00Z","Type":"AWS-HMAC",)"
      R"("AccessKeyId":"{}","SecretAccessKey":"{}","Token":"{}","Expiration":"{}"}})",
      key, secret, token, expiration);
}

// A provider whose answers are produced by a function; counts calls. Thread-safe if the
// function is.
class ScriptedProvider final : public credentials::CredentialsProvider {
 public:
  using Fn = std::function<Result<auth::Credentials>(int call)>;
  explicit ScriptedProvider(Fn fn, std::string name = "scripted")
      : fn_(std::move(fn)), name_(std::move(name)) {}
  Result<auth::Credentials> get() override { return fn_(++calls_); }
  std::string_view name() const override { return name_; }
  int calls() const { return calls_.load(); }

 private:
  Fn fn_;
  std::string name_;
  std::atomic<int> calls_{0};
};

inline auth::Credentials make_credentials(std::string key, std::string secret,
                                          std::optional<WallTime> expiration = std::nullopt) {
  auth::Credentials c;
  c.access_key_id = std::move(key);
  c.secret_access_key = std::move(secret);
  c.session_token = "token-" + c.access_key_id;
  c.expiration = expiration;
  c.source = "scripted";
  return c;
}

// Case-insensitive header lookup on a request a fake transport recorded.
inline std::optional<std::string> header_of(const http::Request& request, std::string_view name) {
  auto value = http::find_header(request.headers, name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

// Decodes an application/x-www-form-urlencoded body into its fields.
inline std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    fields[key.value_or("<bad>")] = value.value_or("<bad>");
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return fields;
}

// Checks a received request's SigV4 signature the way a verifier does: re-signs a copy
// (with the signed header set it claims) at the X-Amz-Date it carries and compares the
// Authorization values. Returns "" when it matches, else what differs.
inline std::string verify_sigv4(std::string method, std::string url,
                                std::vector<std::pair<std::string, std::string>> headers,
                                std::string body, const auth::Credentials& creds,
                                std::string_view region, std::string_view service) {
  std::string authorization, amz_date;
  http::Request copy;
  copy.method = std::move(method);
  copy.url = std::move(url);
  copy.body = std::move(body);
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (auto& [name, value] : headers) {
    std::string l = lower(name);
    if (l == "authorization") {
      authorization = value;
    } else if (l == "x-amz-date") {
      amz_date = value;
    }
  }
  auto parsed = auth::sigv4::parse_authorization(authorization);
  if (!parsed) return "unparseable Authorization: " + parsed.error().message;
  if (parsed->service != service) return "service " + parsed->service;
  if (parsed->region != region) return "region " + parsed->region;
  if (parsed->access_key_id != creds.access_key_id) return "key " + parsed->access_key_id;
  for (auto& [name, value] : headers) {
    std::string l = lower(name);
    bool is_signed = false;
    for (const auto& h : parsed->signed_headers) is_signed = is_signed || h == l;
    if (is_signed && l != "x-amz-date" && l != "x-amz-security-token") {
      copy.headers.emplace_back(name, value);
    }
  }
  if (amz_date.size() != 16) return "bad X-Amz-Date " + amz_date;
  std::tm tm{};
  tm.tm_year = std::stoi(amz_date.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(amz_date.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(amz_date.substr(6, 2));
  tm.tm_hour = std::stoi(amz_date.substr(9, 2));
  tm.tm_min = std::stoi(amz_date.substr(11, 2));
  tm.tm_sec = std::stoi(amz_date.substr(13, 2));
  auth::sigv4::SigningParams params;
  params.region = std::string(region);
  params.service = std::string(service);
  params.time = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (auto s = auth::sigv4::sign(copy, creds, params); !s) return "re-sign: " + s.error().message;
  for (auto& [name, value] : copy.headers) {
    if (lower(name) == "authorization") {
      return value == authorization
                 ? ""
                 : "signature mismatch: got " + authorization + " expected " + value;
    }
  }
  return "re-sign produced no Authorization";
}

}  // namespace bedrock::testing
