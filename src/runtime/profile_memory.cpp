#include "profile_memory.h"

namespace bedrock::runtime {

std::optional<std::string> ProfileMemory::find(std::string_view model_id) const {
  std::lock_guard lock(mu_);
  auto it = profiles_.find(model_id);
  if (it == profiles_.end()) return std::nullopt;
  return it->second;
}

void ProfileMemory::remember(const std::string& model_id, const std::string& profile_id) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  auto [it, inserted] = profiles_.insert_or_assign(model_id, profile_id);
  if (!inserted) return;
  order_.push_back(model_id);
  while (order_.size() > capacity_) {
    profiles_.erase(order_.front());
    order_.pop_front();
  }
}

std::size_t ProfileMemory::size() const {
  std::lock_guard lock(mu_);
  return profiles_.size();
}

}  // namespace bedrock::runtime
