#include "error_catalog.h"

#include "bedrock/models/service_errors.h"

namespace bedrock::emulator {

int status_of_error(std::string_view name) {
  const auto* row = models::find_service_exception(name);
  return row != nullptr ? row->http_status : 0;
}

std::string_view default_message(std::string_view name) {
  const auto* row = models::find_service_exception(name);
  return row != nullptr ? row->default_message : "An error occurred.";
}

}  // namespace bedrock::emulator
