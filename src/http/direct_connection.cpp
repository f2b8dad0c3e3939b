#include "direct_connection.h"

#include <poll.h>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <charconv>
#include <chrono>
#include <limits>

#include "bedrock/core/ascii.h"
#include "bedrock/http/transport_stats.h"
#include "bedrock/http/url.h"
#include "curl_errors.h"
#include "curl_setup.h"

namespace bedrock::http::detail {
namespace beast_http = boost::beast::http;

namespace {

using std::chrono::steady_clock;

// curl's own limit on a response head; Bedrock's are well under 2 KiB.
constexpr std::size_t kMaxHeadBytes = 100 * 1024;
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

using Parser = beast_http::response_parser<beast_http::string_body>;

void prepare(Parser& parser, std::size_t max_body) {
  parser.header_limit(static_cast<std::uint32_t>(kMaxHeadBytes));
  // Our max_response_bytes, not Beast's default (8 MiB for responses). It must be set: the
  // string body reserves the announced Content-Length as soon as the head is parsed, so a peer
  // announcing 99999999999 bytes would otherwise make us allocate that much (bad_alloc). Beast
  // refuses a larger announcement with error::body_limit. (Boost 1.74 misreads boost::none,
  // "no limit", as zero, so a limit of 0 means "none" here.)
  parser.body_limit(max_body > 0 ? static_cast<std::uint64_t>(max_body)
                                 : std::numeric_limits<std::uint64_t>::max());
  // Not eager until the head is done: Boost 1.74's eager put() carries on into the body after
  // finish_header() reported body_limit, and reserves the announced length anyway. receive()
  // turns eagerness on once the head has passed the check.
  parser.eager(false);
}

// Whether the response announces or has already received more body than `max_body`.
bool over_limit(const Parser& parser, std::size_t max_body) {
  if (!parser.is_header_done()) return false;
  if (auto length = parser.content_length(); length && *length > max_body) return true;
  return parser.get().body().size() > max_body;
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
    : options_(options), easy_(easy), multi_(multi) {
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
  std::optional<Parser> parser(std::in_place);
  prepare(*parser, call.max_body);
  boost::beast::flat_buffer& buffer = read_buffer_;
  buffer.clear();
  boost::beast::error_code ec;
  // Ends the exchange unfinished, keeping what error messages report: status, announced
  // length, and the body bytes that did arrive.
  auto stop = [&](CURLcode code, std::string detail = {}) {
    out.code = code;
    out.detail = std::move(detail);
    if (parser->is_header_done()) {
      out.status = static_cast<long>(parser->get().result_int());
      if (auto length = parser->content_length()) {
        out.content_length = static_cast<long long>(*length);
      }
    }
    response.body = std::move(parser->get().body());
    return out;
  };
  for (;;) {
    auto space = buffer.prepare(kReadChunk);
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
      // The peer closed. A response framed by the close itself ends here; any other is cut.
      if (out.response_bytes == 0) return stop(CURLE_GOT_NOTHING, "Empty reply from server");
      if (parser->is_header_done()) {
        parser->put_eof(ec);
        if (!ec) break;
      }
      return stop(parser->is_header_done() ? CURLE_PARTIAL_FILE : CURLE_RECV_ERROR,
                  "connection closed before the response was complete");
    }
    buffer.commit(received);
    out.response_bytes += received;
    call.activity = true;
    // Checked after every read too, so a server streaming without pause still meets the
    // deadline and the cancel flag.
    if (call.check(steady_clock::now()) != AbortReason::None) {
      return stop(CURLE_ABORTED_BY_CALLBACK);
    }
    bool done = false;
    while (buffer.size() > 0) {
      const std::size_t used = parser->put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == beast_http::error::need_more) {
        ec = {};
        break;
      }
      if (ec == beast_http::error::body_limit) {
        call.abort = AbortReason::TooLarge;
        return stop(CURLE_ABORTED_BY_CALLBACK);
      }
      if (ec) return stop(CURLE_WEIRD_SERVER_REPLY, "malformed HTTP response: " + ec.message());
      if (parser->is_header_done()) parser->eager(true);
      if (over_limit(*parser, call.max_body)) {
        call.abort = AbortReason::TooLarge;
        return stop(CURLE_ABORTED_BY_CALLBACK);
      }
      if (parser->is_done()) {
        const unsigned status = parser->get().result_int();
        if (status >= 100 && status < 200 && status != 101) {
          // An interim response (100 Continue, 103 Early Hints): the final one follows.
          parser.emplace();
          prepare(*parser, call.max_body);
          continue;
        }
        done = true;
        break;
      }
      if (used == 0) break;
    }
    if (done) break;
  }
  auto& message = parser->get();
  // Beast reads any three digits; curl's own engine refuses a status below 100 ("Unsupported
  // response code"), and so must this path (found by fuzz/http_response: "099").
  if (message.result_int() < 100) {
    return stop(CURLE_WEIRD_SERVER_REPLY,
                "malformed HTTP response: status " + std::to_string(message.result_int()));
  }
  out.status = static_cast<long>(message.result_int());
  // Bytes after the response on an HTTP/1.1 connection mean the framing is not what we think:
  // never reuse such a connection.
  out.keep_alive = parser->keep_alive() && buffer.size() == 0;
  response.status = static_cast<int>(message.result_int());
  response.headers.clear();
  response.headers.reserve(16);
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
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
  call.deadline = options.deadline;
  call.cancelled = options.cancelled;
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
    return failure(out, true, response.body.size());
  }
}

}  // namespace bedrock::http::detail
