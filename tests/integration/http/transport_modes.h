// The ways a request can travel, for tests that must hold for each of them: the sync
// transport's direct path, the sync transport through curl's full HTTP engine (chosen by a
// caller-set Connection header), and the asynchronous engine (run to completion here on the
// test's thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "bedrock/http/async_curl_transport.h"
#include "bedrock/http/curl_transport.h"

namespace bedrock::http::testing {

enum class Mode { Direct, CurlEngine, Async };

inline std::string mode_name(Mode mode) {
  switch (mode) {
    case Mode::Direct:
      return "Direct";
    case Mode::CurlEngine:
      return "CurlEngine";
    case Mode::Async:
      return "Async";
  }
  return "?";
}

// One transport of the chosen kind; send() keeps its connections between calls.
class ModeClient {
 public:
  explicit ModeClient(Mode mode, CurlTransportOptions options = {}) : mode_(mode) {
    if (mode == Mode::Async) {
      async_ = AsyncCurlTransport::create(io_, std::move(options));
    } else {
      sync_ = std::make_unique<CurlTransport>(std::move(options));
    }
  }

  Result<Response> send(Request request, const CallOptions& options) {
    if (mode_ == Mode::CurlEngine) {
      // A caller-set Connection header is framing the direct path leaves to curl's engine.
      request.headers.emplace_back("Connection", "keep-alive");
    }
    if (mode_ != Mode::Async) return sync_->send(request, options);
    std::optional<Result<Response>> result;
    async_->start(std::move(request), options, [&](Result<Response> r) { result = std::move(r); });
    // Bounded: every test's exchange ends well within this.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    io_.restart();
    while (!result && std::chrono::steady_clock::now() < give_up) {
      io_.run_one_for(std::chrono::milliseconds(100));
      if (io_.stopped()) io_.restart();
    }
    if (!result) return fail(ErrorCode::Unknown, "test harness: the async exchange never ended");
    return std::move(*result);
  }

  AsyncCurlTransport* async() { return async_.get(); }
  boost::asio::io_context& io() { return io_; }

 private:
  Mode mode_;
  boost::asio::io_context io_;
  std::unique_ptr<CurlTransport> sync_;
  std::shared_ptr<AsyncCurlTransport> async_;
};

}  // namespace bedrock::http::testing
