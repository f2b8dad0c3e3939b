// Shared helpers for the credential-provider tests: private temp directories, executable
// scripts, STS/IMDS response bodies, and a provider that counts and scripts its answers.
#pragma once

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

#include "bedrock/auth/credentials.h"

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
class ScriptedProvider final : public auth::CredentialsProvider {
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

}  // namespace bedrock::testing
