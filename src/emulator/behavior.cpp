#include "behavior.h"

#include <nlohmann/json.hpp>

namespace bedrock::emulator {

double SeededRandom::uniform01() {
  std::lock_guard lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

Behavior::Behavior(const Clock& clock, std::uint64_t seed) : clock_(clock), random_(seed) {}

std::string Behavior::key(std::string_view model) {
  return model == "*" ? std::string() : std::string(model);
}

Behavior::ModelState* Behavior::find(std::string_view requested, std::string_view base) {
  if (auto it = models_.find(requested); it != models_.end()) return &it->second;
  if (auto it = models_.find(base); it != models_.end()) return &it->second;
  return nullptr;
}

void Behavior::refresh_active() {
  bool any = false;
  for (const auto& [name, s] : models_) {
    if ((s.latency && !s.latency->is_zero()) || (s.faults && !s.faults->empty()) ||
        !s.scheduled.empty() || s.rpm || s.tpm) {
      any = true;
      break;
    }
  }
  active_.store(any, std::memory_order_release);
}

void Behavior::set_latency(std::string_view model, LatencySpec spec) {
  std::lock_guard lock(mu_);
  models_[key(model)].latency = spec;
  refresh_active();
}

Status Behavior::set_fault(std::string_view model, const Fault& fault, double probability) {
  std::lock_guard lock(mu_);
  auto& state = models_[key(model)];
  FaultTable table = state.faults.value_or(FaultTable{});
  if (auto st = table.set(fault, probability); !st) return st;
  state.faults = table;
  refresh_active();
  return {};
}

void Behavior::clear_faults(std::string_view model) {
  std::lock_guard lock(mu_);
  if (auto it = models_.find(key(model)); it != models_.end()) {
    it->second.faults.reset();
    it->second.scheduled.clear();
  }
  refresh_active();
}

void Behavior::schedule_faults(std::string_view model, const Fault& fault, int count) {
  if (count <= 0) return;
  std::lock_guard lock(mu_);
  models_[key(model)].scheduled.push_back({fault, count});
  refresh_active();
}

void Behavior::set_stream_token_ms(double ms) {
  stream_token_ms_.store(ms > 0 ? ms : 0, std::memory_order_relaxed);
}

Duration Behavior::stream_gap() const {
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double, std::milli>(stream_token_ms()));
}

void Behavior::set_requests_per_minute(std::string_view model, double per_minute) {
  std::lock_guard lock(mu_);
  auto& state = models_[key(model)];
  if (per_minute > 0) {
    state.rpm.emplace(per_minute, clock_.steady());
  } else {
    state.rpm.reset();
  }
  refresh_active();
}

void Behavior::set_tokens_per_minute(std::string_view model, double per_minute) {
  std::lock_guard lock(mu_);
  auto& state = models_[key(model)];
  if (per_minute > 0) {
    state.tpm.emplace(per_minute, clock_.steady());
  } else {
    state.tpm.reset();
  }
  refresh_active();
}

std::optional<Fault> Behavior::draw_fault(std::string_view requested, std::string_view base,
                                          bool streaming) {
  if (!active_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mu_);
  ModelState* own = find(requested, base);
  ModelState* global = nullptr;
  if (auto it = models_.find(std::string_view()); it != models_.end()) global = &it->second;
  for (ModelState* s : {own, global}) {
    if (s == nullptr || s->scheduled.empty()) continue;
    Scheduled& next = s->scheduled.front();
    const Fault fault = next.fault;
    if (is_in_stream(fault.kind) && !streaming) return std::nullopt;
    if (--next.remaining <= 0) s->scheduled.pop_front();
    refresh_active();
    return fault;
  }
  const FaultTable* table = nullptr;
  if (own != nullptr && own->faults) {
    table = &*own->faults;
  } else if (global != nullptr && global->faults) {
    table = &*global->faults;
  }
  if (table == nullptr || table->empty()) return std::nullopt;
  auto picked = table->pick(random_.uniform01());
  if (picked && is_in_stream(picked->kind) && !streaming) return std::nullopt;
  return picked;
}

QuotaVerdict Behavior::take_quota(std::string_view requested, std::string_view base, int tokens) {
  if (!active_.load(std::memory_order_acquire)) return QuotaVerdict::Allowed;
  std::lock_guard lock(mu_);
  const SteadyTime now = clock_.steady();
  ModelState* own = find(requested, base);
  ModelState* global = nullptr;
  if (auto it = models_.find(std::string_view()); it != models_.end()) global = &it->second;
  // Check every bucket first so a refusal takes nothing from any of them.
  for (ModelState* s : {own, global}) {
    if (s == nullptr) continue;
    if (s->rpm && s->rpm->available(now) + 1e-9 < 1.0) return QuotaVerdict::RequestsExceeded;
    if (s->tpm && s->tpm->available(now) + 1e-9 < tokens) return QuotaVerdict::TokensExceeded;
  }
  for (ModelState* s : {own, global}) {
    if (s == nullptr) continue;
    if (s->rpm) s->rpm->try_take(1.0, now);
    if (s->tpm) s->tpm->try_take(tokens, now);
  }
  return QuotaVerdict::Allowed;
}

Duration Behavior::draw_latency(std::string_view requested, std::string_view base,
                                int output_tokens) {
  if (!active_.load(std::memory_order_acquire)) return Duration::zero();
  LatencySpec spec;
  {
    std::lock_guard lock(mu_);
    ModelState* own = find(requested, base);
    if (own != nullptr && own->latency) {
      spec = *own->latency;
    } else if (auto it = models_.find(std::string_view());
               it != models_.end() && it->second.latency) {
      spec = *it->second.latency;
    }
  }
  if (spec.is_zero()) return Duration::zero();
  return spec.sample_total(random_, output_tokens);
}

void Behavior::reset() {
  std::lock_guard lock(mu_);
  const SteadyTime now = clock_.steady();
  for (auto& [name, s] : models_) {
    s.scheduled.clear();
    if (s.rpm) s.rpm.emplace(s.rpm->capacity(), now);
    if (s.tpm) s.tpm.emplace(s.tpm->capacity(), now);
  }
  refresh_active();
}

std::string Behavior::describe_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, s] : models_) {
    nlohmann::json m = nlohmann::json::object();
    if (s.latency) {
      m["latency_ms"] = describe(*s.latency);
    }
    if (s.faults) {
      nlohmann::json f = nlohmann::json::object();
      for (std::size_t i = 0; i < kFaultKindCount; ++i) {
        const auto kind = static_cast<FaultKind>(i);
        if (s.faults->get(kind) > 0) f[describe(s.faults->fault(kind))] = s.faults->get(kind);
      }
      m["faults"] = f;
    }
    if (!s.scheduled.empty()) {
      nlohmann::json q = nlohmann::json::array();
      for (const auto& sch : s.scheduled) {
        q.push_back({{"kind", describe(sch.fault)}, {"remaining", sch.remaining}});
      }
      m["next"] = q;
    }
    if (s.rpm) m["rpm"] = s.rpm->capacity();
    if (s.tpm) m["tpm"] = s.tpm->capacity();
    out[name.empty() ? std::string("*") : name] = m;
  }
  // Shown once changed, so an untouched emulator still reports "{}".
  if (stream_token_ms() != kDefaultStreamTokenMs) out["*"]["stream_token_ms"] = stream_token_ms();
  // Model names can come from the command line, in any bytes.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bedrock::emulator
