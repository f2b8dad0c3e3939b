// The AWS exception of an emulated error (docs/wire-protocol.md §2.1/§2.2): its name travels in
// x-amzn-ErrorType.
#pragma once

#include <string_view>

#include "bedrock/core/error.h"

namespace bedrock::emulator::model {

// AWS exception name and HTTP status for a service error code ("ThrottlingException", 429).
// Client-side codes map to InternalServerException / 500.
std::string_view aws_error_type(ErrorCode code);
int aws_error_status(ErrorCode code);

}  // namespace bedrock::emulator::model
