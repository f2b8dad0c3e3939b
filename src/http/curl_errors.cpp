#include "curl_errors.h"

#include <fmt/format.h>

#include "bedrock/core/url_redaction.h"

namespace bedrock::http::detail {
namespace {

bool is_tls_error(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

std::string detail_of(const FailedTransfer& f) {
  std::string_view text = f.curl_detail.empty() ? curl_easy_strerror(f.code) : f.curl_detail;
  return fmt::format("curl: {}", text);
}

Error make(ErrorCode code, const FailedTransfer& f, std::string what) {
  return Error::make(code, fmt::format("{}: {}", redact_url_credentials(f.origin), what));
}

Error reset_error(const FailedTransfer& f) {
  if (f.status != 0 && f.content_length >= 0) {
    return make(ErrorCode::ConnectionReset, f,
                fmt::format("connection closed by peer after {} of {} body bytes (HTTP {}; {})",
                            f.body_received, f.content_length, f.status, detail_of(f)));
  }
  if (f.status != 0) {
    return make(ErrorCode::ConnectionReset, f,
                fmt::format("connection closed by peer after {} body bytes (HTTP {}; {})",
                            f.body_received, f.status, detail_of(f)));
  }
  if (f.code == CURLE_SEND_ERROR) {
    return make(ErrorCode::ConnectionReset, f,
                fmt::format("connection reset while sending the request ({})", detail_of(f)));
  }
  return make(ErrorCode::ConnectionReset, f,
              fmt::format("connection closed by peer before any response ({})", detail_of(f)));
}

}  // namespace

Error to_error(const FailedTransfer& f) {
  switch (f.abort) {
    case AbortReason::Cancelled:
      return make(ErrorCode::Cancelled, f,
                  fmt::format("request cancelled after {} ms", f.elapsed_ms));
    case AbortReason::Deadline:
      return make(ErrorCode::DeadlineExceeded, f,
                  fmt::format("deadline exceeded after {} ms", f.elapsed_ms));
    case AbortReason::ReadTimeout:
      return make(ErrorCode::ReadTimeout, f,
                  fmt::format("no data from the server for {} ms (read timeout; {} body bytes "
                              "received, HTTP status {})",
                              f.read_timeout_ms, f.body_received, f.status));
    case AbortReason::FirstByte:
      return make(ErrorCode::ReadTimeout, f,
                  fmt::format("no response within {} ms of sending the request (first-byte "
                              "timeout)",
                              f.first_byte_timeout_ms));
    case AbortReason::SinkStopped:
      return make(ErrorCode::Cancelled, f,
                  fmt::format("response reading stopped by its receiver after {} ms "
                              "({} body bytes received, HTTP status {})",
                              f.elapsed_ms, f.body_received, f.status));
    case AbortReason::TooLarge:
      return make(
          ErrorCode::InvalidResponse, f,
          f.content_length > f.max_body
              ? fmt::format("response too large: the server announced {} body bytes, "
                            "more than the {} byte limit",
                            f.content_length, f.max_body)
              : fmt::format("response too large: the body exceeds the {} byte limit", f.max_body));
    case AbortReason::None:
      break;
  }
  if (is_tls_error(f.code)) {
    return make(ErrorCode::TlsFailed, f, fmt::format("TLS failed ({})", detail_of(f)));
  }
  switch (f.code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return make(ErrorCode::ConnectionFailed, f, fmt::format("cannot connect ({})", detail_of(f)));
    case CURLE_OPERATION_TIMEDOUT:
      if (f.deadline_passed) {
        return make(ErrorCode::DeadlineExceeded, f,
                    fmt::format("deadline exceeded after {} ms", f.elapsed_ms));
      }
      if (!f.connected) {
        // The runtime's classifier recognises a connect timeout by "timed out" in the text.
        return make(ErrorCode::ConnectionFailed, f,
                    fmt::format("connect timed out after {} ms", f.connect_timeout_ms));
      }
      return make(ErrorCode::ReadTimeout, f, fmt::format("timed out ({})", detail_of(f)));
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return reset_error(f);
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (!f.connected) {
        return make(ErrorCode::ConfigurationInvalid, f,
                    fmt::format("unsupported URL scheme ({})", detail_of(f)));
      }
      [[fallthrough]];  // an HTTP/0.9 or otherwise alien reply
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
      return make(ErrorCode::InvalidResponse, f,
                  fmt::format("unusable response ({})", detail_of(f)));
    case CURLE_URL_MALFORMAT:
      return make(ErrorCode::ConfigurationInvalid, f, fmt::format("bad URL ({})", detail_of(f)));
    default:
      return make(ErrorCode::Unknown, f, fmt::format("transfer failed ({})", detail_of(f)));
  }
}

}  // namespace bedrock::http::detail
