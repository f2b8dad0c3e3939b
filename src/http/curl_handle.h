// Private to the curl transport: one pooled connection slot. Requests that go straight to
// their server take the direct path (DirectConnection: curl connects, we write HTTP/1.1 and
// Beast parses it); the rest (proxies, HEAD, caller-set framing headers) use curl's HTTP engine
// on a reusable easy handle driven by its own multi handle (which owns the connection cache, so
// the connection survives between calls). Used by one thread at a time.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "bedrock/http/curl_transport.h"
#include "direct_connection.h"

namespace bedrock::http::detail {

class CurlHandle {
 public:
  // nullptr when curl cannot allocate a handle.
  static std::unique_ptr<CurlHandle> create(const CurlTransportOptions& options);
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  Result<Response> perform(const Request& request, const CallOptions& options);

 private:
  CurlHandle(const CurlTransportOptions& options, CURL* easy, CURLM* multi);
  void set_headers(const Request& request);
  const std::string& proxy_for(const std::string& url) const;
  void set_method(const Request& request);
  void set_proxy(const std::string& url);

  const CurlTransportOptions& options_;
  CURL* easy_;
  CURLM* multi_;
  char error_[CURL_ERROR_SIZE] = {};
  // The header list points into header_text_; both are rebuilt per call without reallocating
  // once they have grown to the usual size.
  std::string header_text_;
  std::vector<std::size_t> header_offsets_;
  std::vector<curl_slist> header_nodes_;
  const std::string* proxy_ = nullptr;  // the proxy currently set on easy_
  // Requests that go straight to their server; created on first use.
  std::unique_ptr<DirectConnection> direct_;
};

}  // namespace bedrock::http::detail
