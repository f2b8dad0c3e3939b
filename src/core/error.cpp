#include "bedrock/core/error.h"

#include <fmt/format.h>

namespace bedrock {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::Validation:
      return "Validation";
    case ErrorCode::AccessDenied:
      return "AccessDenied";
    case ErrorCode::UnrecognizedClient:
      return "UnrecognizedClient";
    case ErrorCode::InvalidSignature:
      return "InvalidSignature";
    case ErrorCode::ExpiredToken:
      return "ExpiredToken";
    case ErrorCode::MissingAuthentication:
      return "MissingAuthentication";
    case ErrorCode::ResourceNotFound:
      return "ResourceNotFound";
    case ErrorCode::Throttling:
      return "Throttling";
    case ErrorCode::ServiceQuotaExceeded:
      return "ServiceQuotaExceeded";
    case ErrorCode::ServiceUnavailable:
      return "ServiceUnavailable";
    case ErrorCode::InternalServer:
      return "InternalServer";
    case ErrorCode::ModelTimeout:
      return "ModelTimeout";
    case ErrorCode::ModelNotReady:
      return "ModelNotReady";
    case ErrorCode::ModelError:
      return "ModelError";
    case ErrorCode::ModelStreamError:
      return "ModelStreamError";
    case ErrorCode::DeadlineExceeded:
      return "DeadlineExceeded";
    case ErrorCode::ConnectionFailed:
      return "ConnectionFailed";
    case ErrorCode::ConnectionReset:
      return "ConnectionReset";
    case ErrorCode::ReadTimeout:
      return "ReadTimeout";
    case ErrorCode::TlsFailed:
      return "TlsFailed";
    case ErrorCode::CredentialsNotFound:
      return "CredentialsNotFound";
    case ErrorCode::ConfigurationInvalid:
      return "ConfigurationInvalid";
    case ErrorCode::InputTooLong:
      return "InputTooLong";
    case ErrorCode::InvalidResponse:
      return "InvalidResponse";
    case ErrorCode::SchemaMismatch:
      return "SchemaMismatch";
    case ErrorCode::Cancelled:
      return "Cancelled";
    case ErrorCode::QueueFull:
      return "QueueFull";
    case ErrorCode::Unknown:
      return "Unknown";
  }
  return "Unknown";
}

bool is_retryable_by_default(ErrorCode code) {
  // Mirrors standard mode (docs/wire-protocol.md §6.3): throttling, transient 5xx,
  // modeled-retryable ModelNotReady, and transport failures. ModelTimeout is not retried by the
  // SDKs.
  switch (code) {
    case ErrorCode::Throttling:
    case ErrorCode::ServiceUnavailable:
    case ErrorCode::InternalServer:
    case ErrorCode::ModelNotReady:
    case ErrorCode::ConnectionFailed:
    case ErrorCode::ConnectionReset:
    case ErrorCode::ReadTimeout:
      return true;
    default:
      return false;
  }
}

Error Error::make(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.retryable = is_retryable_by_default(code);
  return e;
}

std::string describe(const Error& error) {
  std::string out = fmt::format("{}: {}", to_string(error.code), error.message);
  if (error.http_status != 0 || !error.request_id.empty()) {
    out += " (";
    if (error.http_status != 0) out += fmt::format("HTTP {}", error.http_status);
    if (error.http_status != 0 && !error.request_id.empty()) out += ", ";
    if (!error.request_id.empty()) out += fmt::format("request id {}", error.request_id);
    out += ")";
  }
  return out;
}

std::string user_message(const Error& error) {
  switch (error.code) {
    case ErrorCode::Validation:
      return "The request was rejected as invalid. Check the model id, the prompt and the "
             "parameters (for example max tokens) and try again.";
    case ErrorCode::AccessDenied:
      return "Access was denied. Make sure your AWS identity may call bedrock:InvokeModel and "
             "that access to this model is enabled in the Bedrock console for this region.";
    case ErrorCode::UnrecognizedClient:
      return "AWS does not recognise the access key. Check the credentials you are using "
             "(profile, environment variables) or create a new access key.";
    case ErrorCode::InvalidSignature:
      return "The request signature was rejected. Check that the secret access key matches the "
             "access key and that this machine's clock is correct.";
    case ErrorCode::ExpiredToken:
      return "Your AWS session has expired. Refresh your credentials (for example run "
             "'aws sso login' or renew the session token) and try again.";
    case ErrorCode::MissingAuthentication:
      return "The request carried no credentials. Configure AWS credentials or a Bedrock API "
             "key (AWS_BEARER_TOKEN_BEDROCK).";
    case ErrorCode::ResourceNotFound:
      return "The model was not found. Check the model id and region, and that the model is "
             "available and enabled for your account there.";
    case ErrorCode::Throttling:
      return "Bedrock is throttling requests right now. Wait a moment and try again, or ask AWS "
             "for a higher quota.";
    case ErrorCode::ServiceQuotaExceeded:
      return "Your account's Bedrock quota is exhausted. Request a quota increase or try a "
             "different model or region.";
    case ErrorCode::ServiceUnavailable:
      return "Bedrock is temporarily unavailable. Try again in a few moments.";
    case ErrorCode::InternalServer:
      return "Bedrock had an internal error. Try again; if it keeps happening, try another "
             "model.";
    case ErrorCode::ModelTimeout:
      return "The model took too long to answer. Try a shorter input or fewer output tokens, or "
             "try again.";
    case ErrorCode::ModelNotReady:
      return "The model is still starting up. Try again in a minute.";
    case ErrorCode::ModelError:
    case ErrorCode::ModelStreamError:
      return "The model failed while processing the request. Try again or use another model.";
    case ErrorCode::DeadlineExceeded:
      return "The request did not finish within the time allowed. Try again, or allow more time "
             "with --timeout.";
    case ErrorCode::ConnectionFailed:
      return "Could not connect to Bedrock. Check your network, proxy settings and the endpoint "
             "URL.";
    case ErrorCode::ConnectionReset:
      return "The connection to Bedrock was lost during the request. Try again.";
    case ErrorCode::ReadTimeout:
      return "Bedrock stopped sending data before the answer was complete. Try again, or raise "
             "the read timeout.";
    case ErrorCode::TlsFailed:
      return "A secure connection to Bedrock could not be established. Check the system clock, "
             "proxy and CA bundle (AWS_CA_BUNDLE).";
    case ErrorCode::CredentialsNotFound:
      return "No AWS credentials were found. Run 'aws configure', set AWS_ACCESS_KEY_ID and "
             "AWS_SECRET_ACCESS_KEY, choose a profile with --profile, or set "
             "AWS_BEARER_TOKEN_BEDROCK.";
    case ErrorCode::ConfigurationInvalid:
      return "The configuration is invalid. Fix the setting named in the details and try again.";
    case ErrorCode::InputTooLong:
      return "The input is too long for this model. Shorten it, pick a model with a larger "
             "context window, or let the tool split it into chunks.";
    case ErrorCode::InvalidResponse:
      return "Bedrock sent an answer that could not be understood. Try again; if it persists, "
             "report it with the request id.";
    case ErrorCode::SchemaMismatch:
      return "The model's answer does not match the requested JSON schema. Try again, simplify "
             "the schema, or use a model with native structured output.";
    case ErrorCode::Cancelled:
      return "The request was cancelled.";
    case ErrorCode::QueueFull:
      return "The job queue is full. Wait for queued jobs to finish and submit again.";
    case ErrorCode::Unknown:
      break;
  }
  return "The request failed for an unexpected reason. Run again with --verbose for details.";
}

}  // namespace bedrock
