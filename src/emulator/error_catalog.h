// The emulator's reading of the exception table (bedrock/models/service_errors.h): the HTTP
// status and default message of each exception name it can answer with.
#pragma once

#include <string_view>

namespace bedrock::emulator {

// 0 when `name` is not an exception the emulator knows.
int status_of_error(std::string_view name);
std::string_view default_message(std::string_view name);

// The value of x-amzn-ErrorType for an exception name.
inline constexpr std::string_view kErrorTypeSuffix =
    ":http://internal.amazon.com/coral/com.amazon.bedrock/";

}  // namespace bedrock::emulator
