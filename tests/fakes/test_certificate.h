// Self-signed certificates made at test time (OpenSSL API, no `openssl` binary), for serving
// HTTPS from the loopback server and trusting it through a CA bundle file.
#pragma once

#include <string>

#include "fakes/loopback_server.h"

namespace bedrock::testing {

// A fresh P-256 key and a self-signed CA:TRUE certificate valid for one day, with subject
// alternative names DNS:localhost and IP:127.0.0.1. Throws std::runtime_error on OpenSSL failure
// (test set-up only).
TlsIdentity make_self_signed_identity(const std::string& common_name = "localhost");

// A private directory under the system temp dir, removed (recursively) with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string write_file(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace bedrock::testing
