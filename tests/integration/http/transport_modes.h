// The ways a request can travel, for tests that must hold for each of them: the sync
// transport's direct path, the sync transport through curl's full HTTP engine (chosen by a
// caller-set Connection header), and, where built, the asynchronous engine.
#pragma once

#include <memory>
#include <string>

#include "bedrock/http/curl_transport.h"

namespace bedrock::http::testing {

enum class Mode { Direct, CurlEngine };

inline std::string mode_name(Mode mode) { return mode == Mode::Direct ? "Direct" : "CurlEngine"; }

// One transport of the chosen kind; send() keeps its connections between calls.
class ModeClient {
 public:
  explicit ModeClient(Mode mode, CurlTransportOptions options = {})
      : mode_(mode), transport_(std::make_unique<CurlTransport>(std::move(options))) {}

  Result<Response> send(Request request, const CallOptions& options) {
    // A caller-set Connection header is framing the direct path leaves to curl's engine.
    if (mode_ == Mode::CurlEngine) request.headers.emplace_back("Connection", "keep-alive");
    return transport_->send(request, options);
  }

 private:
  Mode mode_;
  std::unique_ptr<CurlTransport> transport_;
};

}  // namespace bedrock::http::testing
