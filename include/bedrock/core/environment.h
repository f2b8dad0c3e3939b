// Environment variables are read through this seam so tests never depend on the real
// process environment (or the real ~/.aws).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock {

class Environment {
 public:
  virtual ~Environment() = default;
  // Unset and empty are different: AWS SDKs treat an empty AWS_PROFILE as unset, callers decide.
  virtual std::optional<std::string> get(std::string_view name) const = 0;

  // Convenience: the value if set and non-empty.
  std::optional<std::string> non_empty(std::string_view name) const {
    auto v = get(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  }
};

class SystemEnvironment final : public Environment {
 public:
  std::optional<std::string> get(std::string_view name) const override;
};

const Environment& system_environment();

class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  std::optional<std::string> get(std::string_view name) const override {
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    return it->second;
  }
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace bedrock
