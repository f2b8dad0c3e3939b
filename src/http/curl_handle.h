// Private to the curl transport: one reusable curl easy handle driven by its own multi handle
// (which owns the connection cache, so the connection survives between calls), plus reusable
// buffers for the request header list. Used by one thread at a time.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <vector>

#include "bedrock/http/curl_transport.h"

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
  Status set_headers(const Request& request);
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
};

}  // namespace bedrock::http::detail
