#include "response_reader.h"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <limits>
#include <optional>
#include <utility>

namespace bedrock::http::detail {
namespace beast_http = boost::beast::http;

namespace {

// curl's own limit on a response head; Bedrock's are well under 2 KiB.
constexpr std::size_t kMaxHeadBytes = 100 * 1024;
// With no size limit, an announced length is trusted this far for reserving memory.
constexpr std::uint64_t kMaxReserve = 64u * 1024 * 1024;

}  // namespace

// A Beast body that stores the bytes or hands them to a BodySink as the parser produces them
// (chunked framing already removed), counting them either way.
struct ReaderBody {
  struct value_type {
    std::string text;
    BodySink* sink = nullptr;
    std::size_t max_body = 0;
    std::size_t received = 0;
    bool refused = false;  // the sink said stop
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(beast_http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      // Beast has already refused an announced length above the body limit.
      if (body_.sink == nullptr && length && *length <= kMaxReserve) {
        body_.text.reserve(static_cast<std::size_t>(*length));
      }
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t taken = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers); ++it) {
        const boost::asio::const_buffer piece(*it);
        const std::string_view bytes(static_cast<const char*>(piece.data()), piece.size());
        if (bytes.empty()) continue;
        body_.received += bytes.size();
        taken += bytes.size();
        if (body_.sink == nullptr) {
          body_.text.append(bytes);
        } else if (!body_.sink->on_body(bytes)) {
          body_.refused = true;
          ec = boost::asio::error::operation_aborted;
          return taken;
        }
      }
      return taken;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

// Outside the anonymous namespace: ResponseReader::State, declared in a header, holds one.
using ResponseParser = beast_http::response_parser<ReaderBody>;

struct ResponseReader::State {
  std::optional<ResponseParser> parser;
  BodySink* sink = nullptr;
  std::size_t max_body = 0;
  bool head_seen = false;  // head_done() ran for the current parser
  Response response;

  void reset_parser() {
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(kMaxHeadBytes));
    // Our max_response_bytes, not Beast's default (8 MiB for responses). Beast refuses a larger
    // announcement with error::body_limit, and counts chunked and close-framed bodies against
    // it too. (Boost 1.74 misreads boost::none, "no limit", as zero, so a limit of 0 means
    // "none" here.)
    parser->body_limit(max_body > 0 ? static_cast<std::uint64_t>(max_body)
                                    : std::numeric_limits<std::uint64_t>::max());
    // Not eager until the head is done: Boost 1.74's eager put() carries on into the body after
    // finish_header() reported body_limit. head_done() turns eagerness on once the head has
    // passed the checks (and the sink has seen it, before any body byte).
    parser->eager(false);
    auto& body = parser->get().body();
    body.sink = sink;
    body.max_body = max_body;
    head_seen = false;
  }

  // Whether the response announces or has already received more body than the limit.
  bool over_limit() const {
    if (max_body == 0 || !parser->is_header_done()) return false;
    if (auto length = parser->content_length(); length && *length > max_body) return true;
    return parser->get().body().received > max_body;
  }
};

ResponseReader::ResponseReader(std::size_t read_chunk) : read_chunk_(read_chunk) {}

ResponseReader::~ResponseReader() = default;

void ResponseReader::start(std::size_t max_body, BodySink* sink) {
  if (!state_) state_ = std::make_unique<State>();  // not before a response is due
  state_->sink = sink;
  state_->max_body = max_body;
  state_->response = Response{};
  state_->reset_parser();
  buffer_.clear();
  response_bytes_ = 0;
  keep_alive_ = false;
  code_ = CURLE_OK;
  detail_.clear();
  abort_ = AbortReason::None;
}

boost::asio::mutable_buffer ResponseReader::prepare() { return buffer_.prepare(read_chunk_); }

void ResponseReader::commit(std::size_t received) {
  buffer_.commit(received);
  response_bytes_ += received;
}

void ResponseReader::release_buffer() {
  if (buffer_.size() == 0) buffer_.shrink_to_fit();
}

std::size_t ResponseReader::body_bytes() const {
  return state_ && state_->parser ? state_->parser->get().body().received : 0;
}

long ResponseReader::status() const {
  if (!state_ || !state_->parser) return 0;
  const ResponseParser& parser = *state_->parser;
  return parser.is_header_done() ? static_cast<long>(parser.get().result_int()) : 0;
}

long long ResponseReader::content_length() const {
  if (!state_ || !state_->parser) return -1;
  const ResponseParser& parser = *state_->parser;
  if (!parser.is_header_done()) return -1;
  auto length = parser.content_length();
  return length ? static_cast<long long>(*length) : -1;
}

ResponseReader::Step ResponseReader::fail(CURLcode code, std::string detail, AbortReason abort) {
  code_ = code;
  detail_ = std::move(detail);
  abort_ = abort;
  return Step::Failed;
}

ResponseReader::Step ResponseReader::head_done() {
  State& s = *state_;
  s.head_seen = true;
  s.parser->eager(true);
  if (s.over_limit()) return fail(CURLE_ABORTED_BY_CALLBACK, {}, AbortReason::TooLarge);
  const unsigned status = s.parser->get().result_int();
  if (status >= 100 && status < 200 && status != 101) return Step::NeedMore;  // interim
  // Beast reads any three digits; curl's own engine refuses a status below 100 ("Unsupported
  // response code"), and so must this path (found by fuzz/http_response: "099").
  if (status < 100) {
    return fail(CURLE_WEIRD_SERVER_REPLY,
                "malformed HTTP response: status " + std::to_string(status));
  }
  s.response.status = static_cast<int>(status);
  s.response.headers.clear();
  s.response.headers.reserve(16);
  for (const auto& field : s.parser->get()) {
    s.response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  if (s.sink != nullptr && !s.sink->on_head(s.response.status, s.response.headers)) {
    return fail(CURLE_ABORTED_BY_CALLBACK, {}, AbortReason::SinkStopped);
  }
  return Step::NeedMore;
}

ResponseReader::Step ResponseReader::finish() {
  // Bytes after the response on an HTTP/1.1 connection mean the framing is not what we think:
  // never reuse such a connection.
  keep_alive_ = state_->parser->keep_alive() && buffer_.size() == 0;
  return Step::Done;
}

ResponseReader::Step ResponseReader::parse() {
  State& s = *state_;
  boost::beast::error_code ec;
  while (buffer_.size() > 0) {
    const std::size_t used = s.parser->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == beast_http::error::need_more) break;
    if (s.parser->get().body().refused) {
      return fail(CURLE_ABORTED_BY_CALLBACK, {}, AbortReason::SinkStopped);
    }
    if (ec == beast_http::error::body_limit) {
      return fail(CURLE_ABORTED_BY_CALLBACK, {}, AbortReason::TooLarge);
    }
    if (ec) return fail(CURLE_WEIRD_SERVER_REPLY, "malformed HTTP response: " + ec.message());
    if (s.parser->is_header_done() && !s.head_seen) {
      if (head_done() == Step::Failed) return Step::Failed;
    }
    if (s.over_limit()) return fail(CURLE_ABORTED_BY_CALLBACK, {}, AbortReason::TooLarge);
    if (s.parser->is_done()) {
      const unsigned status = s.parser->get().result_int();
      if (status >= 100 && status < 200 && status != 101) {
        // An interim response (100 Continue, 103 Early Hints): the final one follows.
        s.reset_parser();
        continue;
      }
      return finish();
    }
    if (used == 0) break;
  }
  return Step::NeedMore;
}

ResponseReader::Step ResponseReader::end_of_stream() {
  // A response framed by the close itself ends here; any other is cut.
  if (response_bytes_ == 0) return fail(CURLE_GOT_NOTHING, "Empty reply from server");
  ResponseParser& parser = *state_->parser;
  if (parser.is_header_done()) {
    boost::beast::error_code ec;
    parser.put_eof(ec);
    if (!ec) return finish();
  }
  return fail(parser.is_header_done() ? CURLE_PARTIAL_FILE : CURLE_RECV_ERROR,
              "connection closed before the response was complete");
}

Response ResponseReader::take_response() {
  Response response = std::move(state_->response);
  response.body = std::move(state_->parser->get().body().text);
  return response;
}

}  // namespace bedrock::http::detail
