// The AWS front end's validation of a rest-json body against the service model (Coral wording:
// "N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...").
// Every violation is collected, then reported as one ValidationException.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "schema_check.h"

namespace bedrock::emulator::model::detail {

class CoralCheck {
 public:
  // `constraint` continues "Member must ...".
  void add(std::string_view value, std::string_view path, std::string_view constraint) {
    add_raw(value, path, fmt::format("Member must {}", constraint));
  }
  // `constraint` is the whole constraint text (map keys and values have their own wording).
  void add_raw(std::string_view value, std::string_view path, std::string_view constraint) {
    errors_.push_back(
        fmt::format("Value {} at '{}' failed to satisfy constraint: {}", value, path, constraint));
  }
  bool type(const Json& v, std::string_view path, bool ok, std::string_view kind) {
    if (!ok)
      add(fmt::format("'{}'", shown(v.is_string() ? Json(v.dump(-1, ' ', false,
                                                                Json::error_handler_t::replace))
                                                  : v)),
          path, fmt::format("be of type {}", kind));
    return ok;
  }
  bool ok() const { return errors_.empty(); }
  Error error() const {
    std::string joined;
    for (const auto& e : errors_) joined += (joined.empty() ? "" : "; ") + e;
    return validation_error(fmt::format("{} validation error{} detected: {}", errors_.size(),
                                        errors_.size() == 1 ? "" : "s", joined));
  }

 private:
  std::vector<std::string> errors_;
};

}  // namespace bedrock::emulator::model::detail
