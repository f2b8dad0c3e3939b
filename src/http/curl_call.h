// Private to the curl transport: the state of one call as curl's callbacks see it (response
// being filled, activity time for the read timeout, cancel/deadline checks).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>

#include "bedrock/http/transport.h"

namespace bedrock::http::detail {

// SinkStopped: the BodySink returned false. FirstByte: no response byte within
// first_byte_timeout of the request leaving.
enum class AbortReason { None, Cancelled, Deadline, ReadTimeout, FirstByte, TooLarge, SinkStopped };

struct CurlCall {
  Response* response = nullptr;
  std::size_t max_body = 0;
  BodySink* sink = nullptr;  // receives the response as it arrives (CallOptions::sink)
  std::chrono::steady_clock::duration read_timeout{};
  // Replaces read_timeout as the silence limit until the response's first byte (<= 0: none).
  std::chrono::steady_clock::duration first_byte_timeout{};
  std::optional<SteadyTime> deadline;
  const std::atomic<bool>* cancelled = nullptr;

  bool connected = false;         // set once curl has a connection (new or reused) for the request
  bool response_started = false;  // a byte of the response has arrived
  // Callbacks only flag that bytes moved; the driving loop stamps last_activity with the
  // clock reading it takes anyway after each curl_multi_perform. A response's headers arrive
  // in about ten callbacks, and reading the clock in each showed in the client profile.
  bool activity = false;
  SteadyTime last_activity{};
  curl_off_t last_upload = 0;
  curl_off_t last_download = 0;
  curl_off_t content_length = -1;  // from the final response's Content-Length header
  // Curl's engine with a sink: the final status (from its status line), whether the sink has
  // had the head, and the body bytes passed to it.
  int status = 0;
  bool head_delivered = false;
  std::size_t body_bytes = 0;
  AbortReason abort = AbortReason::None;

  // Decides whether the call must stop now, remembering why. Stamps pending activity first.
  AbortReason check(SteadyTime now) {
    if (activity) {
      last_activity = now;
      activity = false;
    }
    if (abort != AbortReason::None) return abort;
    if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) {
      abort = AbortReason::Cancelled;
    } else if (deadline && now >= *deadline) {
      abort = AbortReason::Deadline;
    } else if (const auto limit = silence_limit();
               connected && limit.count() > 0 && now - last_activity >= limit) {
      abort = awaiting_first_byte() ? AbortReason::FirstByte : AbortReason::ReadTimeout;
    }
    return abort;
  }

  // Until the first response byte, silence is bounded by first_byte_timeout when it is set;
  // until then (the request going out counts as activity) and afterwards by read_timeout.
  bool awaiting_first_byte() const { return !response_started && first_byte_timeout.count() > 0; }
  std::chrono::steady_clock::duration silence_limit() const {
    return awaiting_first_byte() ? first_byte_timeout : read_timeout;
  }

  // How long the driving loop may sleep in curl_multi_poll before something must be checked.
  int poll_budget_ms(SteadyTime now) const;
};

// How driving a multi handle's one transfer ended: curl's result when it finished, or
// finished == false when call.check() stopped it first (call.abort says why) or
// curl_multi_perform itself failed (code == CURLE_FAILED_INIT).
struct TransferEnd {
  CURLcode code = CURLE_OK;
  bool finished = false;
};

// Runs the transfer already added to `multi` until curl reports it done or `call` must stop,
// sleeping in curl_multi_poll no longer than call.poll_budget_ms() at a time. Both engines
// drive curl this way (rather than curl_easy_perform, which sleeps up to a second), so cancel
// and the read timeout act within one poll slice.
TransferEnd drive(CURLM* multi, CurlCall& call);

// curl callbacks; userdata is the CurlCall.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* userdata);
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* userdata);
int on_progress(void* userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                curl_off_t ulnow);
int on_prereq(void* userdata, char* conn_primary_ip, char* conn_local_ip, int conn_primary_port,
              int conn_local_port);

}  // namespace bedrock::http::detail
