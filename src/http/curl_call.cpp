#include "curl_call.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "bedrock/core/ascii.h"

namespace bedrock::http::detail {
namespace {

// Cancellation is a polled flag, so this is also the worst-case cancel latency.
constexpr std::chrono::milliseconds kPollSlice{25};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// "HTTP/1.1 200 OK" -> 200; 0 when there are no three digits after the version.
int status_of(std::string_view status_line) {
  const std::size_t space = status_line.find(' ');
  if (space == std::string_view::npos || status_line.size() < space + 4) return 0;
  int status = 0;
  auto [end, ec] =
      std::from_chars(status_line.data() + space + 1, status_line.data() + space + 4, status);
  return ec == std::errc() && end == status_line.data() + space + 4 ? status : 0;
}

// Hands the final head to the sink; false (with the call's abort reason set) when it refuses.
bool deliver_head(CurlCall& call) {
  call.head_delivered = true;
  if (call.sink->on_head(call.status, call.response->headers)) return true;
  call.abort = AbortReason::SinkStopped;
  return false;
}

}  // namespace

int CurlCall::poll_budget_ms(SteadyTime now) const {
  auto budget = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kPollSlice);
  if (deadline) budget = std::min(budget, *deadline - now);
  if (const auto limit = silence_limit(); connected && limit.count() > 0) {
    budget = std::min(budget, limit - (now - last_activity));
  }
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(budget).count();
  return static_cast<int>(std::clamp<long long>(ms, 1, kPollSlice.count()));
}

TransferEnd drive(CURLM* multi, CurlCall& call) {
  TransferEnd end;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      end.code = CURLE_FAILED_INIT;
      return end;
    }
    if (running == 0) {
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
        if (msg->msg == CURLMSG_DONE) {
          end.code = msg->data.result;
          end.finished = true;
        }
      }
      return end;
    }
    const SteadyTime now = std::chrono::steady_clock::now();
    if (call.check(now) != AbortReason::None) return end;
    curl_multi_poll(multi, nullptr, 0, call.poll_budget_ms(now), nullptr);
  }
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* call = static_cast<CurlCall*>(userdata);
  std::size_t n = size * count;
  call->response_started = true;
  call->activity = true;
  if (call->sink != nullptr) {
    if (call->body_bytes + n > call->max_body) {
      call->abort = AbortReason::TooLarge;
      return CURL_WRITEFUNC_ERROR;
    }
    call->body_bytes += n;
    if (!call->head_delivered && !deliver_head(*call)) return CURL_WRITEFUNC_ERROR;
    if (!call->sink->on_body(std::string_view(data, n))) {
      call->abort = AbortReason::SinkStopped;
      return CURL_WRITEFUNC_ERROR;
    }
    return n;
  }
  std::string& body = call->response->body;
  if (body.size() + n > call->max_body) {
    call->abort = AbortReason::TooLarge;
    return CURL_WRITEFUNC_ERROR;
  }
  if (body.empty() && call->content_length > 0 &&
      static_cast<std::size_t>(call->content_length) <= call->max_body) {
    body.reserve(static_cast<std::size_t>(call->content_length));
  }
  body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* userdata) {
  auto* call = static_cast<CurlCall*>(userdata);
  std::size_t n = size * count;
  call->activity = true;
  call->response_started = true;
  std::string_view line(data, n);
  Headers& headers = call->response->headers;
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 1xx interim response): only the final response's headers count.
    headers.clear();
    headers.reserve(16);  // a Bedrock response carries about ten headers: one allocation
    call->content_length = -1;
    call->status = status_of(line);
    return n;
  }
  if (trim(line).empty()) {
    // The end of a head: the sink hears of the final one before any body byte.
    const bool interim = call->status >= 100 && call->status < 200 && call->status != 101;
    if (call->sink != nullptr && !call->head_delivered && !interim && !deliver_head(*call)) {
      return CURL_WRITEFUNC_ERROR;
    }
    return n;
  }
  if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {
    // Obsolete line folding (RFC 7230 §3.2.4): a continuation of the previous value.
    headers.back().second.push_back(' ');
    headers.back().second += trim(line);
    return n;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view name = trim(line.substr(0, colon));
  std::string_view value = trim(line.substr(colon + 1));
  headers.emplace_back(std::string(name), std::string(value));
  if (iequals_ascii(name, "Content-Length")) {
    curl_off_t length = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec == std::errc() && end == value.data() + value.size()) call->content_length = length;
  }
  return n;
}

// Upload progress counts as activity (a large body going out slowly is not silence). The
// deadline, cancel flag and read timeout are checked by the driving loop between
// curl_multi_perform calls, which never block.
int on_progress(void* userdata, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* call = static_cast<CurlCall*>(userdata);
  if (ulnow != call->last_upload || dlnow != call->last_download) {
    call->last_upload = ulnow;
    call->last_download = dlnow;
    call->activity = true;
    if (dlnow > 0) call->response_started = true;
  }
  return call->abort == AbortReason::None ? 0 : 1;
}

int on_prereq(void* userdata, char*, char*, int, int) {
  auto* call = static_cast<CurlCall*>(userdata);
  call->connected = true;
  call->activity = true;
  return CURL_PREREQFUNC_OK;
}

}  // namespace bedrock::http::detail
