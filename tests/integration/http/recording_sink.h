// A BodySink for tests: records the head and every body piece, can refuse at a chosen point,
// and lets another thread wait (with a deadline) until the first body byte has arrived.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "bedrock/http/transport.h"

namespace bedrock::http::testing {

class RecordingSink final : public BodySink {
 public:
  bool refuse_head = false;
  std::size_t refuse_after_pieces = static_cast<std::size_t>(-1);  // refuses piece N+1

  bool on_head(int status, const Headers& headers) override {
    std::lock_guard lock(mu_);
    status_ = status;
    headers_ = headers;
    ++heads_;
    return !refuse_head;
  }

  bool on_body(std::string_view bytes) override {
    std::lock_guard lock(mu_);
    if (heads_ == 0) body_before_head_ = true;
    if (pieces_.size() >= refuse_after_pieces) return false;
    pieces_.emplace_back(bytes);
    cv_.notify_all();
    return true;
  }

  // Whether a body byte arrived within `timeout`.
  bool wait_for_body(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return !pieces_.empty(); });
  }

  int status() const {
    std::lock_guard lock(mu_);
    return status_;
  }
  int heads() const {
    std::lock_guard lock(mu_);
    return heads_;
  }
  bool body_before_head() const {
    std::lock_guard lock(mu_);
    return body_before_head_;
  }
  std::vector<std::string> pieces() const {
    std::lock_guard lock(mu_);
    return pieces_;
  }
  std::string body() const {
    std::lock_guard lock(mu_);
    std::string all;
    for (const auto& p : pieces_) all += p;
    return all;
  }
  Headers headers() const {
    std::lock_guard lock(mu_);
    return headers_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int status_ = 0;
  int heads_ = 0;
  bool body_before_head_ = false;
  Headers headers_;
  std::vector<std::string> pieces_;
};

}  // namespace bedrock::http::testing
