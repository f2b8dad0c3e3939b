// The one place where a Bedrock answer (or a transport failure) becomes a bedrock::Error.
// Retry and fallback read only the Error this produces (STYLE.md "Classify once").
//
// Classification follows botocore's rest-json error parser exactly (docs/wire-protocol.md §2.2):
//   1. the body is parsed as JSON; a non-JSON body becomes the message as a whole;
//   2. message = body "message", else body "Message", else "";
//   3. provisional name = body "__type", else the HTTP status as a string;
//   4. overriding it: header x-amzn-ErrorType, else body "code", else body "Code";
//   every name is cut at the first ':' and after the last '#'
//   ("ThrottlingException:http://internal..." and "com.amazon.bedrock#ThrottlingException"
//   are both "ThrottlingException");
//   5. x-amzn-RequestId is kept; ModelErrorException / ModelStreamErrorException keep
//   originalStatusCode.
// The retryable flag is standard mode's decision (docs/wire-protocol.md §6.3): throttling names,
// the transient names, HTTP 500/502/503/504, modeled-retryable ModelNotReadyException, and
// transport failures. A bare status without a known name maps to the closest code but is
// retried only when its status is in the transient set.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/error.h"
#include "bedrock/http/transport.h"

namespace bedrock::runtime {

// Strips an error-type value to its bare name per step 4 above.
std::string bare_error_name(std::string_view raw);

// Classifies a non-2xx HTTP answer. Pure; thread-safe.
Error classify_http_error(int status, const http::Headers& headers, std::string_view body);

// Normalises a transport error (ConnectionFailed, ReadTimeout, ...): keeps its code and sets
// retryable as standard mode does (connection and read failures are transient; deadline and
// cancellation are final).
Error classify_transport_error(Error transport_error);

// Whether this error counts as throttling for the adaptive limiter and quota costs
// (standard-mode throttling names; ModelNotReadyException is transient, not throttling).
bool is_throttling(const Error& error);

// Whether the failure was a connect or read timeout (retry quota cost 10 instead of 5).
bool is_timeout(const Error& error);

// Whether another model could succeed where this one failed: throttling or unavailability
// that outlived the retries, model timeout, not ready, not found / not enabled, access denied
// to the model, model failure. Input errors (Validation, InputTooLong), credential and
// signature errors, deadline and cancellation never move to another model.
bool is_fallback_worthy(const Error& error);

}  // namespace bedrock::runtime
