#include "direct_connection.h"

#include <poll.h>

#include <charconv>
#include <chrono>

#include "bedrock/core/ascii.h"
#include "bedrock/http/transport_stats.h"
#include "bedrock/http/url.h"
#include "curl_errors.h"
#include "curl_setup.h"

namespace bedrock::http::detail {
namespace {

using std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 16 * 1024;
// Bodies up to this size are copied behind the head so the request leaves in one send().
constexpr std::size_t kInlineBodyBytes = 64 * 1024;

bool is_framing_header(std::string_view name) {
  return iequals_ascii(name, "Content-Length") || iequals_ascii(name, "Transfer-Encoding") ||
         iequals_ascii(name, "Expect") || iequals_ascii(name, "Connection") ||
         iequals_ascii(name, "Upgrade");
}

bool method_carries_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

std::optional<DirectTarget> direct_target(const Request& request) {
  if (request.method == "HEAD" || request.method == "CONNECT") return std::nullopt;
  for (const auto& header : request.headers) {
    if (is_framing_header(header.first)) return std::nullopt;
  }
  const std::string_view url = request.url;
  const auto parts = split_url(url);
  if (!parts) return std::nullopt;
  const bool https = iequals_ascii(parts->scheme, "https");
  if (!https && !iequals_ascii(parts->scheme, "http")) return std::nullopt;
  if (parts->target.empty() || parts->target.front() == '?') {
    return std::nullopt;  // no path: rare enough to leave to curl, which inserts the "/"
  }

  DirectTarget t;
  t.https = https;
  t.origin = url.substr(
      0, static_cast<std::size_t>(parts->authority.data() - url.data()) + parts->authority.size());
  t.host_port = parts->port == (https ? "443" : "80") ? parts->host : parts->authority;
  t.target = parts->target;
  return t;
}

void write_request_head(const Request& request, const DirectTarget& target,
                        std::string_view default_user_agent, std::string& out) {
  bool has_host = false;
  bool has_user_agent = false;
  // One allocation for the whole head instead of one per doubling (a signed Bedrock request's
  // head is 600-odd bytes: five reallocations from empty).
  std::size_t size = request.method.size() + target.target.size() + target.host_port.size() +
                     default_user_agent.size() + 80;
  for (const auto& [name, value] : request.headers) size += name.size() + value.size() + 4;
  out.reserve(out.size() + size);
  out.append(request.method).append(" ").append(target.target).append(" HTTP/1.1\r\n");
  for (const auto& [name, value] : request.headers) {
    has_host = has_host || iequals_ascii(name, "Host");
    has_user_agent = has_user_agent || iequals_ascii(name, "User-Agent");
    out.append(name).append(": ").append(value).append("\r\n");
  }
  if (!has_host) out.append("Host: ").append(target.host_port).append("\r\n");
  if (!has_user_agent && !default_user_agent.empty()) {
    out.append("User-Agent: ").append(default_user_agent).append("\r\n");
  }
  if (!request.body.empty() || method_carries_body(request.method)) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, request.body.size());
    (void)ec;  // 24 digits hold any size_t
    out.append("Content-Length: ").append(digits, end).append("\r\n");
  }
  out.append("\r\n");
}

// How one attempt on a connection ended: CURLE_OK with the response, an abort reason the
// driving loop decided, or the CURLcode curl's own engine would have reported for the same
// failure (so both paths produce the same errors).
struct DirectConnection::Outcome {
  CURLcode code = CURLE_OK;
  std::string detail;
  std::size_t response_bytes = 0;  // bytes of the response received on this connection
  std::size_t body_bytes = 0;      // body bytes among them (stored or passed to the sink)
  long status = 0;
  long long content_length = -1;
  bool keep_alive = false;
  bool answered_early = false;  // sending stopped because the server had an answer ready
};

std::unique_ptr<DirectConnection> DirectConnection::create(const CurlTransportOptions& options) {
  CURL* easy = nullptr;
  CURLM* multi = nullptr;
  if (!new_easy_and_multi(easy, multi)) return nullptr;
  return std::unique_ptr<DirectConnection>(new DirectConnection(options, easy, multi));
}

DirectConnection::DirectConnection(const CurlTransportOptions& options, CURL* easy, CURLM* multi)
    : options_(options), easy_(easy), multi_(multi), reader_(kReadChunk) {
  apply_connection_options(easy_, options_, error_);
  curl_easy_setopt(easy_, CURLOPT_CONNECT_ONLY, 1L);
}

DirectConnection::~DirectConnection() {
  close();
  curl_easy_cleanup(easy_);
  curl_multi_cleanup(multi_);
}

void DirectConnection::close() {
  // Removing a CONNECT_ONLY handle from its multi closes the connection it holds.
  if (added_) curl_multi_remove_handle(multi_, easy_);
  added_ = false;
  socket_ = CURL_SOCKET_BAD;
  origin_.clear();
}

short DirectConnection::wait_for(short events, CurlCall& call) {
  const SteadyTime now = steady_clock::now();
  if (call.check(now) != AbortReason::None) return -1;
  pollfd p{socket_, events, 0};
  ::poll(&p, 1, call.poll_budget_ms(now));
  return p.revents;
}

DirectConnection::Outcome DirectConnection::connect(const DirectTarget& target, CurlCall& call,
                                                    long connect_ms, long backstop_ms) {
  close();
  origin_url_.assign(target.origin).append("/");
  curl_easy_setopt(easy_, CURLOPT_URL, origin_url_.c_str());
  // With a proxy, curl opens a CONNECT tunnel to the origin and runs TLS through it (verified
  // end to end); no_proxy exceptions are curl's to apply. Only https reaches this path with one.
  curl_easy_setopt(easy_, CURLOPT_PROXY, target.https ? options_.https_proxy.c_str() : "");
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, backstop_ms);
  error_[0] = '\0';
  Outcome out;
  if (curl_multi_add_handle(multi_, easy_) != CURLM_OK) {
    out.code = CURLE_FAILED_INIT;
    out.detail = "curl_multi_add_handle failed";
    return out;
  }
  added_ = true;
  const TransferEnd end = drive(multi_, call);
  out.code = end.finished || end.code != CURLE_OK ? end.code : CURLE_ABORTED_BY_CALLBACK;
  if (out.code == CURLE_OK) {
    curl_easy_getinfo(easy_, CURLINFO_ACTIVESOCKET, &socket_);
    if (socket_ == CURL_SOCKET_BAD) {
      out.code = CURLE_COULDNT_CONNECT;
      out.detail = "connected, but curl reported no socket";
    }
  }
  if (out.code != CURLE_OK) {
    if (out.detail.empty()) out.detail = error_;
    close();
    return out;
  }
  origin_.assign(target.origin);
  return out;
}

DirectConnection::Outcome DirectConnection::send_all(std::string_view bytes, CurlCall& call) {
  Outcome out;
  while (!bytes.empty()) {
    std::size_t sent = 0;
    error_[0] = '\0';
    const CURLcode code = curl_easy_send(easy_, bytes.data(), bytes.size(), &sent);
    if (code == CURLE_OK) {
      bytes.remove_prefix(sent);
      call.activity = true;
    } else if (code == CURLE_AGAIN) {
      const short ready = wait_for(POLLOUT | POLLIN, call);
      if (ready < 0) {
        out.code = CURLE_ABORTED_BY_CALLBACK;
        return out;
      }
      if ((ready & (POLLIN | POLLHUP | POLLERR)) != 0 && (ready & POLLOUT) == 0) {
        // The server stopped reading and has something to say: an early answer to a request
        // it refuses (413, 403), or the close of a connection it no longer wants.
        out.answered_early = true;
        return out;
      }
    } else {
      out.code = CURLE_SEND_ERROR;
      out.detail = error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(code);
      return out;
    }
  }
  return out;
}

DirectConnection::Outcome DirectConnection::exchange(const Request& request, CurlCall& call,
                                                     Response& response) {
  const bool inline_body = request.body.size() <= kInlineBodyBytes;
  const std::size_t head_size = head_.size();
  if (inline_body) head_.append(request.body);
  Outcome sent = send_all(head_, call);
  head_.resize(head_size);  // a resend after a stale connection appends the body again
  if (sent.code == CURLE_OK && !sent.answered_early && !inline_body) {
    sent = send_all(request.body, call);
  }
  if (sent.code == CURLE_ABORTED_BY_CALLBACK) return sent;
  // A server may answer before taking the whole request (a 413 for a large body) and hang up:
  // its answer is read, as curl's engine does, before the send is called a failure.
  Outcome got = receive(call, response);
  if (got.code != CURLE_OK && sent.code != CURLE_OK && got.response_bytes == 0) return sent;
  if (got.code == CURLE_OK && (sent.code != CURLE_OK || sent.answered_early)) {
    got.keep_alive = false;  // the rest of the request is still in the way
  }
  return got;
}

DirectConnection::Outcome DirectConnection::receive(CurlCall& call, Response& response) {
  Outcome out;
  reader_.start(call.max_body, call.sink);
  // Ends the exchange unfinished, keeping what error messages report: status, announced
  // length, and the body bytes that did arrive.
  auto stop = [&](CURLcode code, std::string detail = {}) {
    out.code = code;
    out.detail = std::move(detail);
    out.status = reader_.status();
    out.content_length = reader_.content_length();
    out.body_bytes = reader_.body_bytes();
    out.response_bytes = reader_.response_bytes();
    return out;
  };
  auto failed = [&] {
    if (reader_.abort() != AbortReason::None) call.abort = reader_.abort();
    return stop(reader_.code(), reader_.detail());
  };
  for (;;) {
    auto space = reader_.prepare();
    std::size_t received = 0;
    error_[0] = '\0';
    const CURLcode code = curl_easy_recv(easy_, space.data(), space.size(), &received);
    if (code == CURLE_AGAIN) {
      if (wait_for(POLLIN, call) < 0) return stop(CURLE_ABORTED_BY_CALLBACK);
      continue;
    }
    if (code != CURLE_OK) {
      return stop(CURLE_RECV_ERROR,
                  error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(code));
    }
    if (received == 0) {
      if (reader_.end_of_stream() == ResponseReader::Step::Failed) return failed();
      break;
    }
    reader_.commit(received);
    call.activity = true;
    call.response_started = true;
    // Checked after every read too, so a server streaming without pause still meets the
    // deadline and the cancel flag.
    if (call.check(steady_clock::now()) != AbortReason::None) {
      return stop(CURLE_ABORTED_BY_CALLBACK);
    }
    const ResponseReader::Step step = reader_.parse();
    if (step == ResponseReader::Step::Failed) return failed();
    if (step == ResponseReader::Step::Done) break;
  }
  out.response_bytes = reader_.response_bytes();
  out.keep_alive = reader_.keep_alive();
  response = reader_.take_response();
  out.status = response.status;
  return out;
}

Result<Response> DirectConnection::perform(const Request& request, const DirectTarget& target,
                                           const CallOptions& options, SteadyTime start,
                                           long connect_ms, long backstop_ms) {
  head_.clear();
  write_request_head(request, target, options_.user_agent, head_);

  CurlCall call;
  call.max_body = options_.max_response_bytes;
  call.read_timeout = options.read_timeout;
  call.first_byte_timeout = options.first_byte_timeout;
  call.deadline = options.deadline;
  call.cancelled = options.cancelled;
  call.sink = options.sink;
  call.last_activity = start;

  // The error for an attempt that ended in `out`, in the classic path's words.
  auto failure = [&](const Outcome& out, bool connected, std::size_t body_received) {
    const SteadyTime end = steady_clock::now();
    FailedTransfer failed;
    failed.code = out.code;
    failed.abort = call.abort;
    failed.curl_detail = out.detail;
    failed.origin = target.origin;
    failed.connected = connected;
    failed.deadline_passed = options.deadline && end >= *options.deadline;
    failed.status = out.status;
    failed.body_received = static_cast<long long>(body_received);
    failed.content_length = out.content_length;
    failed.max_body = static_cast<long long>(options_.max_response_bytes);
    failed.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count();
    failed.read_timeout_ms = options.read_timeout.count();
    failed.first_byte_timeout_ms = options.first_byte_timeout.count();
    failed.connect_timeout_ms = connect_ms;
    return fail(to_error(failed));
  };

  for (;;) {
    const bool reused = added_ && origin_ == target.origin;
    if (!reused) {
      Outcome connected = connect(target, call, connect_ms, backstop_ms);
      if (connected.code != CURLE_OK) return failure(connected, false, 0);
    }
    call.connected = true;
    call.activity = true;  // the read timeout counts from the moment the request can leave

    Response response;
    Outcome out = exchange(request, call, response);
    if (out.code == CURLE_OK) {
      if (!out.keep_alive) close();
      return response;
    }
    close();
    // A kept-alive connection the server has since closed answers nothing at all: the request
    // never reached a live server, so it goes again on a fresh connection (once: a new
    // connection is not "reused").
    const bool nothing_came_back = out.response_bytes == 0 && call.abort == AbortReason::None &&
                                   (out.code == CURLE_GOT_NOTHING || out.code == CURLE_SEND_ERROR ||
                                    out.code == CURLE_RECV_ERROR);
    if (reused && nothing_came_back) {
      count_stale_connection_resend();
      continue;
    }
    return failure(out, true, out.body_bytes);
  }
}

}  // namespace bedrock::http::detail
