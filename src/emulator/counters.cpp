#include "counters.h"

#include <nlohmann/json.hpp>

namespace bedrock::emulator {
namespace {

// Distinct model keys kept apart; the rest are counted together under kOtherModels, so a
// client sending made-up model ids cannot grow the counters (or GET /admin/counters)
// without bound. The parentheses keep these keys apart from real model ids.
constexpr std::size_t kMaxModelKeys = 1000;
constexpr std::string_view kOtherModels = "(other)";

template <typename Map>
void bump(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), 0).first;
  ++it->second;
}

}  // namespace

void Counters::record(std::string_view model, std::string_view operation, std::string_view outcome,
                      int input_tokens, int output_tokens, bool retry) {
  std::lock_guard lock(mu_);
  ++total_;
  if (retry) ++retries_;
  auto it = models_.find(model);
  if (it == models_.end() && models_.size() >= kMaxModelKeys) it = models_.find(kOtherModels);
  if (it == models_.end()) {
    const std::string_view key = models_.size() >= kMaxModelKeys ? kOtherModels : model;
    it = models_.emplace(std::string(key), PerModel{}).first;
  }
  PerModel& m = it->second;
  ++m.requests;
  if (retry) ++m.retries;
  m.input_tokens += static_cast<std::uint64_t>(input_tokens > 0 ? input_tokens : 0);
  m.output_tokens += static_cast<std::uint64_t>(output_tokens > 0 ? output_tokens : 0);
  bump(m.operations, operation);
  bump(m.outcomes, outcome);
}

void Counters::reset() {
  std::lock_guard lock(mu_);
  total_ = 0;
  retries_ = 0;
  models_.clear();
}

std::uint64_t Counters::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::uint64_t Counters::count(std::string_view model, std::string_view outcome) const {
  std::lock_guard lock(mu_);
  auto it = models_.find(model);
  if (it == models_.end()) return 0;
  auto o = it->second.outcomes.find(outcome);
  return o == it->second.outcomes.end() ? 0 : o->second;
}

std::string Counters::to_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json models = nlohmann::json::object();
  for (const auto& [name, m] : models_) {
    nlohmann::json ops = nlohmann::json::object();
    for (const auto& [k, v] : m.operations) ops[k] = v;
    nlohmann::json outcomes = nlohmann::json::object();
    for (const auto& [k, v] : m.outcomes) outcomes[k] = v;
    models[name] = {{"requests", m.requests},
                    {"retries", m.retries},
                    {"input_tokens", m.input_tokens},
                    {"output_tokens", m.output_tokens},
                    {"operations", ops},
                    {"outcomes", outcomes}};
  }
  nlohmann::json out = {{"total", total_}, {"retries", retries_}, {"models", models}};
  // Model ids come from request paths: bytes that are not UTF-8 are shown as U+FFFD instead
  // of making dump() throw.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bedrock::emulator
