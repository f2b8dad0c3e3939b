// The emulator's run-time behaviour, globally and per model: latency, injected faults
// (probabilities and "fail the next N"), and requests/tokens-per-minute quotas. Set at
// start-up from flags or a config file and changed at run time through the admin endpoint.
//
// Thread-safe: one mutex guards the state; request paths take it once per decision and skip
// it entirely while nothing is configured (the no-latency throughput path).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "bedrock/core/clock.h"
#include "bedrock/core/random.h"
#include "faults.h"
#include "latency.h"
#include "token_bucket.h"

namespace bedrock::emulator {

// Reproducible randomness for --seed: a mt19937_64 behind a mutex.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  double uniform01() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

enum class QuotaVerdict { Allowed, RequestsExceeded, TokensExceeded };

// Default time between streamed events: a few words per event at the pace of a fast model, so
// time to first token and tokens per second measured against the emulator mean something.
inline constexpr double kDefaultStreamTokenMs = 15;

// The model key "" (or "*") means "every model without its own setting".
class Behavior {
 public:
  Behavior(const Clock& clock, std::uint64_t seed);

  void set_latency(std::string_view model, LatencySpec spec);
  // Errors: ConfigurationInvalid when the model's probabilities would add up to more than 1.
  Status set_fault(std::string_view model, const Fault& fault, double probability);
  Status set_fault(std::string_view model, FaultKind kind, double probability) {
    return set_fault(model, Fault{kind}, probability);
  }
  void clear_faults(std::string_view model);
  // The next `count` requests for `model` ("" = any model) fail with `kind`, in FIFO order
  // with earlier schedules; they take precedence over probabilities.
  void schedule_faults(std::string_view model, const Fault& fault, int count);
  void schedule_faults(std::string_view model, FaultKind kind, int count) {
    schedule_faults(model, Fault{kind}, count);
  }
  // Time between the events of a streamed answer (global); 0 sends them all at once.
  void set_stream_token_ms(double ms);
  double stream_token_ms() const { return stream_token_ms_.load(std::memory_order_relaxed); }
  Duration stream_gap() const;
  // per_minute <= 0 removes the quota. A new value starts with a full bucket.
  void set_requests_per_minute(std::string_view model, double per_minute);
  void set_tokens_per_minute(std::string_view model, double per_minute);

  // Per request. `requested` is the model id as sent, `base` without ARN/geo prefix; a
  // per-model setting for either wins over the global one. A stream kind is drawn only for a
  // `streaming` call: a scheduled one waits at the head of its queue for the next stream.
  std::optional<Fault> draw_fault(std::string_view requested, std::string_view base,
                                  bool streaming = false);
  // Takes one request and `tokens` tokens from the model's buckets (both or neither).
  QuotaVerdict take_quota(std::string_view requested, std::string_view base, int tokens);
  Duration draw_latency(std::string_view requested, std::string_view base, int output_tokens);

  // Drops scheduled faults and refills every bucket; probabilities, latency and limits stay.
  void reset();
  // Current settings as JSON text (for GET /admin/config).
  std::string describe_json() const;

 private:
  struct Scheduled {
    Fault fault;
    int remaining;
  };
  struct ModelState {
    std::optional<LatencySpec> latency;
    std::optional<FaultTable> faults;
    std::deque<Scheduled> scheduled;
    std::optional<TokenBucket> rpm;
    std::optional<TokenBucket> tpm;
  };
  using StateMap = std::map<std::string, ModelState, std::less<>>;

  static std::string key(std::string_view model);
  ModelState* find(std::string_view requested, std::string_view base);
  void refresh_active();

  const Clock& clock_;
  SeededRandom random_;
  mutable std::mutex mu_;
  StateMap models_;  // "" holds the global settings
  std::atomic<bool> active_{false};
  std::atomic<double> stream_token_ms_{kDefaultStreamTokenMs};
};

}  // namespace bedrock::emulator
