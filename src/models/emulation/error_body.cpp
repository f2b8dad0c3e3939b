// Error responses as Bedrock sends them (reference §2.1/§2.2): the AWS exception name
// travels in x-amzn-ErrorType, the body is {"message": ...} plus the modeled extras of
// ModelErrorException / ModelStreamErrorException.
#include <nlohmann/json.hpp>

#include "bedrock/models/emulation.h"
#include "bedrock/models/service_errors.h"

namespace bedrock::models::emulation {

std::string_view aws_error_type(ErrorCode code) { return service_exception_for(code).name; }

int aws_error_status(ErrorCode code) { return service_exception_for(code).http_status; }

std::string render_error_body(const Error& error, std::string_view resource_or_original) {
  nlohmann::ordered_json body;
  body["message"] = error.message;
  if (error.code == ErrorCode::ModelError || error.code == ErrorCode::ModelStreamError) {
    // originalStatusCode is modeled as an int in 100..599.
    int original =
        error.original_status >= 100 && error.original_status <= 599 ? error.original_status : 500;
    body["originalStatusCode"] = original;
    if (!resource_or_original.empty()) {
      body[error.code == ErrorCode::ModelError ? "resourceName" : "originalMessage"] =
          std::string(resource_or_original);
    }
  }
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace bedrock::models::emulation
