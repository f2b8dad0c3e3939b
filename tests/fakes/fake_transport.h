// A scripted Transport for unit tests: each send() pops the next scripted outcome (a response
// or an error) and records the request it was given. Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "bedrock/http/transport.h"

namespace bedrock::testing {

class FakeTransport final : public http::Transport {
 public:
  using Handler =
      std::function<Result<http::Response>(const http::Request&, const http::CallOptions&)>;

  void push_response(int status, std::string body, http::Headers headers = {}) {
    std::lock_guard lock(mu_);
    script_.push_back(
        [=](const http::Request&, const http::CallOptions&) -> Result<http::Response> {
          return http::Response{status, headers, body};
        });
  }
  void push_error(ErrorCode code, std::string message = "injected") {
    std::lock_guard lock(mu_);
    script_.push_back(
        [=](const http::Request&, const http::CallOptions&) -> Result<http::Response> {
          return fail(code, message);
        });
  }
  void push_handler(Handler handler) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(handler));
  }
  // Used when the script is empty; by default an empty script is a test bug.
  void set_default(Handler handler) {
    std::lock_guard lock(mu_);
    default_ = std::move(handler);
  }

  Result<http::Response> send(const http::Request& request,
                              const http::CallOptions& options) override {
    Handler next;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      options_.push_back(options);
      if (!script_.empty()) {
        next = std::move(script_.front());
        script_.pop_front();
      } else {
        next = default_;
      }
    }
    if (!next) return fail(ErrorCode::ConnectionFailed, "FakeTransport: script exhausted");
    return next(request, options);
  }

  std::vector<http::Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<http::CallOptions> call_options() const {
    std::lock_guard lock(mu_);
    return options_;
  }
  size_t calls() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

 private:
  mutable std::mutex mu_;
  std::deque<Handler> script_;
  Handler default_;
  std::vector<http::Request> requests_;
  std::vector<http::CallOptions> options_;
};

}  // namespace bedrock::testing
