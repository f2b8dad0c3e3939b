// Error responses as Bedrock sends them (docs/wire-protocol.md §2.1/§2.2): the AWS exception name
// travels in x-amzn-ErrorType.
#include "error_body.h"

#include "bedrock/models/service_errors.h"

namespace bedrock::emulator::model {

std::string_view aws_error_type(ErrorCode code) { return models::service_exception_for(code).name; }

int aws_error_status(ErrorCode code) { return models::service_exception_for(code).http_status; }

}  // namespace bedrock::emulator::model
