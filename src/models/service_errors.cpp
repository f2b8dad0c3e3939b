#include "bedrock/models/service_errors.h"

namespace bedrock::models {

const ServiceException& service_exception_for(ErrorCode code) {
  // Bedrock: "Input is too long for requested model." is a plain ValidationException.
  if (code == ErrorCode::InputTooLong) code = ErrorCode::Validation;
  for (const auto& row : kServiceExceptions) {
    if (row.code == code && code != ErrorCode::Unknown) return row;
  }
  return *find_service_exception("InternalServerException");
}

const ServiceException* find_service_exception_event(std::string_view event_name) {
  if (event_name.empty()) return nullptr;
  for (const auto& row : kServiceExceptions) {
    if (row.event_name == event_name) return &row;
  }
  return nullptr;
}

}  // namespace bedrock::models
