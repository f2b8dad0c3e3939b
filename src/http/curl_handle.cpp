#include "curl_handle.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "bedrock/core/ascii.h"
#include "curl_call.h"
#include "curl_errors.h"
#include "curl_setup.h"

namespace bedrock::http::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

long long ms_between(SteadyTime from, SteadyTime to) {
  return std::chrono::duration_cast<milliseconds>(to - from).count();
}

}  // namespace

std::unique_ptr<CurlHandle> CurlHandle::create(const CurlTransportOptions& options) {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  if (!new_easy_and_multi(easy, multi)) return nullptr;
  return std::unique_ptr<CurlHandle>(new CurlHandle(options, easy, multi));
}

CurlHandle::CurlHandle(const CurlTransportOptions& options, CURL* easy, CURLM* multi)
    : options_(options), easy_(easy), multi_(multi) {
  // Options that never change between calls are set once per handle.
  apply_connection_options(easy_, options_, error_);
  curl_easy_setopt(easy_, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  if (!options_.user_agent.empty()) {
    curl_easy_setopt(easy_, CURLOPT_USERAGENT, options_.user_agent.c_str());
  }
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy_, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(easy_, CURLOPT_PREREQFUNCTION, &on_prereq);
  curl_easy_setopt(easy_, CURLOPT_NOPROGRESS, 0L);
}

CurlHandle::~CurlHandle() {
  curl_easy_cleanup(easy_);
  curl_multi_cleanup(multi_);
}

void CurlHandle::set_headers(const Request& request) {
  header_text_.clear();
  header_offsets_.clear();
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    has_content_type = has_content_type || iequals_ascii(name, "Content-Type");
    header_offsets_.push_back(header_text_.size());
    header_text_ += name;
    // curl drops "Name:" entirely; "Name;" is its spelling of a header with an empty value.
    if (value.empty()) {
      header_text_ += ';';
    } else {
      header_text_ += ": ";
      header_text_ += value;
    }
    header_text_.push_back('\0');
  }
  // No "Expect: 100-continue" round trip before large bodies, and no invented Content-Type.
  header_offsets_.push_back(header_text_.size());
  header_text_.append("Expect:", 8);
  if (!has_content_type) {
    header_offsets_.push_back(header_text_.size());
    header_text_.append("Content-Type:", 14);
  }
  header_nodes_.resize(header_offsets_.size());
  for (std::size_t i = 0; i < header_nodes_.size(); ++i) {
    header_nodes_[i].data = header_text_.data() + header_offsets_[i];
    header_nodes_[i].next = i + 1 < header_nodes_.size() ? &header_nodes_[i + 1] : nullptr;
  }
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, header_nodes_.data());
}

void CurlHandle::set_method(const Request& request) {
  const std::string& method = request.method;
  if (method == "GET" || (method != "POST" && method != "PUT" && method != "PATCH" &&
                          method != "HEAD" && request.body.empty())) {
    curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(easy_, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(easy_, CURLOPT_POST, 1L);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, request.body.data());
  }
  bool standard = method == "GET" || method == "POST" || method == "HEAD";
  curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, standard ? nullptr : method.c_str());
}

const std::string& CurlHandle::proxy_for(const std::string& url) const {
  return url.rfind("https://", 0) == 0 ? options_.https_proxy : options_.http_proxy;
}

void CurlHandle::set_proxy(const std::string& url) {
  const std::string& wanted = proxy_for(url);
  if (proxy_ == &wanted) return;
  curl_easy_setopt(easy_, CURLOPT_PROXY, wanted.c_str());
  proxy_ = &wanted;
}

Result<Response> CurlHandle::perform(const Request& request, const CallOptions& options) {
  const SteadyTime start = steady_clock::now();
  const std::string_view origin = origin_of(request.url);
  if (options.cancelled != nullptr && options.cancelled->load()) {
    return fail(ErrorCode::Cancelled, fmt::format("{}: cancelled before sending", origin));
  }
  long long remaining_ms = -1;
  if (options.deadline) {
    remaining_ms = std::chrono::ceil<milliseconds>(*options.deadline - start).count();
    if (remaining_ms <= 0) {
      return fail(ErrorCode::DeadlineExceeded,
                  fmt::format("{}: deadline already passed; request not sent", origin));
    }
  }
  if (auto ok = check_request_headers(request); !ok) return fail(std::move(ok.error()));

  long long connect_ms = std::max<long long>(1, options.connect_timeout.count());
  // curl's own timers run at millisecond granularity from its own start and can fire a hair
  // early; the driving loop enforces the deadline exactly, so curl's copy only backs it up.
  const long long backstop_ms = remaining_ms > 0 ? remaining_ms + kCurlTimerSlackMs : 0;
  if (remaining_ms > 0) connect_ms = std::min(connect_ms, backstop_ms);

  // A plain-http request through a proxy needs curl's engine (the proxy gets an absolute-form
  // request line); an https one reaches its server through a CONNECT tunnel that curl opens,
  // so it can take the direct path like an unproxied request.
  if (auto target = direct_target(request);
      target && (target->https || proxy_for(request.url).empty())) {
    if (!direct_) direct_ = DirectConnection::create(options_);
    if (!direct_) return fail(ErrorCode::Unknown, "curl could not allocate a handle");
    return direct_->perform(request, *target, options, start, static_cast<long>(connect_ms),
                            static_cast<long>(backstop_ms));
  }
  set_headers(request);

  Response response;
  CurlCall call;
  call.response = &response;
  call.max_body = options_.max_response_bytes;
  call.read_timeout = options.read_timeout;
  call.first_byte_timeout = options.first_byte_timeout;
  call.deadline = options.deadline;
  call.cancelled = options.cancelled;
  call.sink = options.sink;
  call.last_activity = start;

  curl_easy_setopt(easy_, CURLOPT_URL, request.url.c_str());
  set_method(request);
  set_proxy(request.url);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms));
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(backstop_ms));
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &call);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &call);
  curl_easy_setopt(easy_, CURLOPT_XFERINFODATA, &call);
  curl_easy_setopt(easy_, CURLOPT_PREREQDATA, &call);
  error_[0] = '\0';

  if (curl_multi_add_handle(multi_, easy_) != CURLM_OK) {
    return fail(ErrorCode::Unknown, fmt::format("{}: curl_multi_add_handle failed", origin));
  }
  const auto [code, finished] = drive(multi_, call);
  // Removing an unfinished transfer closes its connection, so a half-read response can never
  // be mistaken for the next call's.
  curl_multi_remove_handle(multi_, easy_);
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, nullptr);

  if (finished && code == CURLE_OK && call.abort == AbortReason::None) {
    long status = 0;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  const SteadyTime end = steady_clock::now();
  FailedTransfer failed;
  failed.code = finished ? code : CURLE_ABORTED_BY_CALLBACK;
  failed.abort = call.abort;
  if (failed.code == CURLE_ABORTED_BY_CALLBACK && failed.abort == AbortReason::None) {
    failed.code = CURLE_FAILED_INIT;  // curl_multi_perform itself failed
  }
  failed.curl_detail = error_;
  failed.origin = origin;
  failed.connected = call.connected;
  failed.deadline_passed = options.deadline && end >= *options.deadline;
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  failed.status = status;
  failed.body_received =
      static_cast<long long>(call.sink != nullptr ? call.body_bytes : response.body.size());
  failed.content_length = call.content_length;
  failed.max_body = static_cast<long long>(options_.max_response_bytes);
  failed.elapsed_ms = ms_between(start, end);
  failed.read_timeout_ms = options.read_timeout.count();
  failed.first_byte_timeout_ms = options.first_byte_timeout.count();
  failed.connect_timeout_ms = connect_ms;
  return fail(to_error(failed));
}

}  // namespace bedrock::http::detail
