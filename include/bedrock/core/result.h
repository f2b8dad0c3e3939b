// Result<T> is the return type of every fallible library call: a value or a bedrock::Error.
#pragma once

#include <tl/expected.hpp>

#include "bedrock/core/error.h"

namespace bedrock {

template <typename T>
using Result = tl::expected<T, Error>;

using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error::make(code, std::move(message)));
}

inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace bedrock
