#include "server/api/sse_channel.h"

#include <boost/asio/post.hpp>

#include "bedrock/core/log.h"
#include "bedrock/net/sse.h"

namespace bedrock::server::api {
namespace {

std::string frame(std::string_view name, const nlohmann::json& data) {
  std::string out;
  // Model text may hold invalid UTF-8 (a stream cut inside a character): replaced, never thrown.
  net::append_sse_event(out, data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        name);
  return out;
}

}  // namespace

SseChannel::SseChannel(ScopePtr scope) : scope_(std::move(scope)), executor_(scope_->executor()) {}

std::shared_ptr<SseChannel> SseChannel::open(const ScopePtr& scope,
                                             std::function<void()> on_disconnect) {
  auto channel = std::make_shared<SseChannel>(scope);
  channel->stream_ = scope->stream(net::sse_head());
  if (!channel->stream_) return nullptr;
  channel->on_disconnect_ = std::move(on_disconnect);
  std::weak_ptr<SseChannel> weak = channel;
  channel->stream_.on_cancel([weak] {
    if (auto self = weak.lock()) self->disconnect();
  });
  // Clients see the head (and that the request was accepted) before the first model token.
  channel->stream_.flush();
  return channel;
}

void SseChannel::event(std::string_view name, const nlohmann::json& data) {
  if (final_posted_.load()) return;
  boost::asio::post(executor_, [self = shared_from_this(), framed = frame(name, data)]() mutable {
    self->append(std::move(framed), false);
  });
}

void SseChannel::final_event(std::string_view name, const nlohmann::json& data) {
  if (final_posted_.exchange(true)) return;
  boost::asio::post(executor_, [self = shared_from_this(), framed = frame(name, data)]() mutable {
    self->append(std::move(framed), true);
  });
}

bool SseChannel::disconnected() const { return gone_.load(); }

void SseChannel::append(std::string framed, bool last) {
  if (ended_ || last_queued_) return;
  buffer_ += framed;
  last_queued_ = last;
  if (buffer_.size() > kMaxBufferedBytes) {
    logger()->info("request {}: stream client stopped reading; closing", scope_->request_id());
    stream_.close();
    return disconnect();
  }
  pump();
}

void SseChannel::pump() {
  if (ended_ || waiting_) return;
  if (!buffer_.empty()) {
    if (!stream_.write(buffer_)) {
      // Not taken: the client is slow. The buffer waits for the queue to empty (a closed
      // stream never calls back, and its on_cancel has ended us).
      waiting_ = true;
      stream_.on_drained([self = shared_from_this()] {
        self->waiting_ = false;
        self->pump();
      });
      return;
    }
    buffer_.clear();
  }
  if (last_queued_) {
    stream_.finish();
    ended_ = true;
    on_disconnect_ = nullptr;
    // The last chunk is queued in the session, which writes it without us: the request is done.
    scope_.reset();
  }
}

void SseChannel::disconnect() {
  if (ended_) return;
  ended_ = true;
  gone_.store(true);
  buffer_.clear();
  if (auto fn = std::move(on_disconnect_)) {
    try {
      fn();
    } catch (...) {
      logger()->warn("stream disconnect hook failed");
    }
  }
  scope_.reset();
}

}  // namespace bedrock::server::api
