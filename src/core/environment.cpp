#include "bedrock/core/environment.h"

#include <cstdlib>

namespace bedrock {

std::optional<std::string> SystemEnvironment::get(std::string_view name) const {
  // getenv needs a NUL-terminated name; std::getenv is safe as long as nobody calls setenv
  // concurrently, which this project never does after start-up.
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

const Environment& system_environment() {
  static const SystemEnvironment env;
  return env;
}

}  // namespace bedrock
