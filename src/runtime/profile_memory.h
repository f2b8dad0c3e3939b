// Which inference profile answered for a plain model id, remembered for the life of the client
// so later calls go straight to it instead of paying for the on-demand refusal again.
// Thread-safe; bounded (the oldest mapping is forgotten first).
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock::runtime {

class ProfileMemory {
 public:
  static constexpr std::size_t kDefaultCapacity = 256;
  explicit ProfileMemory(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  std::optional<std::string> find(std::string_view model_id) const;
  void remember(const std::string& model_id, const std::string& profile_id);
  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> profiles_;
  std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace bedrock::runtime
