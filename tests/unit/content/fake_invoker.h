// A scripted runtime::Invoker for content tests: deterministic answers, failures on chosen
// calls or prompts, optional latency on an injected FakeClock, a gate that holds calls
// until N are in flight (to prove concurrency without timing), and a scripted streaming mode
// (the answer in pieces of N bytes, each logged just before it is delivered, optionally
// failing after some pieces). Thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/core/clock.h"
#include "bedrock/runtime/invocation.h"
#include "fakes/fake_clock.h"

namespace bedrock::content::testing {

class FakeInvoker final : public runtime::Invoker {
 public:
  // Answer for a request; default: "S[<first 24 bytes of the user text>]".
  using Responder = std::function<std::string(const runtime::InvokeRequest&)>;

  explicit FakeInvoker(Responder responder = {}) : responder_(std::move(responder)) {}

  // The n-th call (1-based, in arrival order) fails with `error`.
  void fail_call(int n, Error error) {
    std::lock_guard lock(mu_);
    fail_nth_[n] = std::move(error);
  }
  // Calls whose user text contains `marker` fail with `error`, `times` times (-1: always).
  void fail_when_contains(std::string marker, Error error, int times = -1) {
    std::lock_guard lock(mu_);
    fail_marker_.push_back({std::move(marker), std::move(error), times});
  }
  // Each call advances `clock` by `latency` (no real sleeping).
  void set_latency(const FakeClock* clock, std::chrono::milliseconds latency) {
    clock_ = clock;
    latency_ = latency;
  }
  // Each call waits (up to 5 s real time) until `n` calls are in flight at once.
  void gate_until_in_flight(int n) { gate_ = n; }
  // Report token counts: input = bytes / 4 (a stand-in for the model's own count).
  void report_tokens(bool on) { report_tokens_ = on; }
  // invoke_stream delivers the answer as TextDeltas of `bytes` bytes (a multi-byte character may
  // be split), after a ReasoningDelta that callers must not mistake for text. 0 = one piece.
  void stream_in_pieces(std::size_t bytes) { piece_bytes_ = bytes; }
  // Every streamed answer fails after `pieces` TextDeltas with `error`, its partial_output the
  // text delivered until then (what a real client returns for a stream broken mid-way).
  void fail_stream_after(int pieces, Error error) {
    std::lock_guard lock(mu_);
    stream_failure_pieces_ = pieces;
    stream_failure_ = std::move(error);
  }
  // A log shared with the test: "emit:<piece>" is appended just before each piece is delivered,
  // so a test sink appending its own entries shows whether pieces were forwarded as they came.
  void log(std::string entry) {
    std::lock_guard lock(mu_);
    log_.push_back(std::move(entry));
  }
  std::vector<std::string> event_log() const {
    std::lock_guard lock(mu_);
    return log_;
  }
  // Per request in arrival order: whether it came through invoke_stream.
  std::vector<bool> streamed() const {
    std::lock_guard lock(mu_);
    return streamed_;
  }

  Result<runtime::InvokeResult> invoke(const runtime::InvokeRequest& request) override {
    return run(request, false);
  }

  Result<runtime::InvokeResult> invoke_stream(const runtime::InvokeRequest& request,
                                              const runtime::StreamCallback& on_event) override {
    auto out = run(request, true);
    if (!out) return out;
    const std::string& text = out->completion.text;
    on_event(models::ReasoningDelta{0, models::ReasoningPart::Text, "(thinking)"});
    const std::size_t bytes = piece_bytes_.load();
    const std::size_t step = bytes > 0 ? bytes : std::max<std::size_t>(1, text.size());
    std::optional<Error> failure;
    int fail_after = -1;
    {
      std::lock_guard lock(mu_);
      failure = stream_failure_;
      fail_after = stream_failure_pieces_;
    }
    int pieces = 0;
    for (std::size_t pos = 0; pos < text.size(); pos += step, ++pieces) {
      if (failure && pieces == fail_after) {
        Error e = *failure;
        e.partial_output = text.substr(0, pos);
        return tl::unexpected(std::move(e));
      }
      std::string piece = text.substr(pos, step);
      log("emit:" + piece);
      on_event(models::TextDelta{0, std::move(piece)});
    }
    if (failure) {
      Error e = *failure;
      e.partial_output = text;
      return tl::unexpected(std::move(e));
    }
    on_event(models::ContentBlockStop{0});
    on_event(models::MessageStop{out->completion.stop_reason, "end_turn", {}});
    return out;
  }

  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int max_in_flight() const {
    std::lock_guard lock(mu_);
    return max_in_flight_;
  }
  std::vector<runtime::InvokeRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  struct MarkerFailure {
    std::string marker;
    Error error;
    int times;
  };

  Result<runtime::InvokeResult> run(const runtime::InvokeRequest& request, bool streamed) {
    int index;
    {
      std::unique_lock lock(mu_);
      index = ++calls_;
      requests_.push_back(request);
      streamed_.push_back(streamed);
      ++in_flight_;
      max_in_flight_ = std::max(max_in_flight_, in_flight_);
      cv_.notify_all();
      if (gate_ > 0) {
        cv_.wait_for(lock, std::chrono::seconds(5), [&] { return max_in_flight_ >= gate_; });
      }
    }
    if (clock_ != nullptr) clock_->advance(latency_);
    Result<runtime::InvokeResult> out = answer(request, index);
    std::lock_guard lock(mu_);
    --in_flight_;
    return out;
  }

  Result<runtime::InvokeResult> answer(const runtime::InvokeRequest& request, int index) {
    const std::string& user = request.prompt.messages.back().text;
    {
      std::lock_guard lock(mu_);
      if (auto it = fail_nth_.find(index); it != fail_nth_.end()) return tl::unexpected(it->second);
      for (auto& f : fail_marker_) {
        if (f.times != 0 && user.find(f.marker) != std::string::npos) {
          if (f.times > 0) --f.times;
          return tl::unexpected(f.error);
        }
      }
    }
    runtime::InvokeResult r;
    r.completion.text = responder_ ? responder_(request) : "S[" + user.substr(0, 24) + "]";
    r.completion.stop_reason = models::StopReason::EndTurn;
    r.record.model_requested = request.model_id;
    r.record.model_used = request.model_id;
    r.record.request_id = "req-" + std::to_string(index);
    r.record.attempts = 1;
    r.record.outcome = runtime::Outcome::Success;
    if (report_tokens_) {
      r.record.tokens_reported = true;
      r.record.input_tokens = static_cast<int>((request.prompt.system.size() + user.size()) / 4);
      r.record.output_tokens = static_cast<int>(r.completion.text.size() / 4);
    }
    return r;
  }

  Responder responder_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, Error> fail_nth_;
  std::vector<MarkerFailure> fail_marker_;
  std::vector<runtime::InvokeRequest> requests_;
  const FakeClock* clock_ = nullptr;
  std::chrono::milliseconds latency_{0};
  std::atomic<int> gate_{0};
  bool report_tokens_ = false;
  std::atomic<std::size_t> piece_bytes_{0};
  std::optional<Error> stream_failure_;
  int stream_failure_pieces_ = -1;
  std::vector<std::string> log_;
  std::vector<bool> streamed_;
  int calls_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

}  // namespace bedrock::content::testing
