// The one error type of the project: every failure a user can meet has a kind (ErrorCode),
// a technical message, the upstream HTTP status and request id when there is one, and a
// retryable flag. Retry and fallback decisions read only this type.
#pragma once

#include <string>
#include <string_view>

namespace bedrock {

enum class ErrorCode {
  // Bedrock service errors (names follow the AWS exception shapes).
  Validation,             // ValidationException (400)
  AccessDenied,           // AccessDeniedException (403)
  UnrecognizedClient,     // UnrecognizedClientException (403): unknown access key
  InvalidSignature,       // InvalidSignatureException / SignatureDoesNotMatch (403)
  ExpiredToken,           // ExpiredTokenException (403)
  MissingAuthentication,  // MissingAuthenticationTokenException (403)
  ResourceNotFound,       // ResourceNotFoundException (404)
  Throttling,             // ThrottlingException (429)
  ServiceQuotaExceeded,   // ServiceQuotaExceededException (400)
  ServiceUnavailable,     // ServiceUnavailableException (503)
  InternalServer,         // InternalServerException (500) and other 5xx
  ModelTimeout,           // ModelTimeoutException (408)
  ModelNotReady,          // ModelNotReadyException (429)
  ModelError,             // ModelErrorException (424)
  ModelStreamError,       // ModelStreamErrorException (424)
  // Client-side failures.
  DeadlineExceeded,      // the caller's overall deadline passed
  ConnectionFailed,      // DNS, refused, unreachable, connect timeout, proxy
  ConnectionReset,       // peer closed or reset the connection mid-exchange
  ReadTimeout,           // no bytes from the peer for longer than the read timeout
  TlsFailed,             // handshake or certificate verification failed
  CredentialsNotFound,   // no provider in the chain yielded credentials
  ConfigurationInvalid,  // a variable, flag or file line has an unusable value
  InputTooLong,          // the request does not fit the model's context window
  InvalidResponse,       // the peer answered with something we cannot parse
  SchemaMismatch,        // a structured answer is not JSON or does not match the caller's schema
  Cancelled,             // the caller cancelled (Ctrl-C, shutdown)
  QueueFull,             // a bounded job queue refused a submit; retry once it drains
  Unknown,               // an upstream error we do not recognise
};

// Stable, machine-friendly name of a code ("Throttling", "DeadlineExceeded", ...).
std::string_view to_string(ErrorCode code);

// Whether an error of this kind is worth retrying as the AWS SDKs' standard mode decides.
bool is_retryable_by_default(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::Unknown;
  std::string message;     // technical detail, safe to log (never contains secrets)
  int http_status = 0;     // upstream status, 0 when no HTTP response was received
  std::string request_id;  // upstream x-amzn-RequestId, empty when none
  bool retryable = false;
  std::string aws_type;     // exception name as sent by the service, e.g. "ThrottlingException"
  int original_status = 0;  // ModelErrorException / ModelStreamErrorException originalStatusCode
  // A streamed call that failed after its first event: the answer's text delivered until then.
  std::string partial_output;

  // Builds an error whose retryable flag is the code's default.
  static Error make(ErrorCode code, std::string message);
};

// "Throttling: Too many requests (HTTP 429, request id abc)" — for logs and --verbose.
std::string describe(const Error& error);

// What happened and what to do, in one or two sentences an end user can act on.
// Derived only from the code (plus status), never from upstream text, so it is consistent.
std::string user_message(const Error& error);

}  // namespace bedrock
