// A scripted AsyncTransport for unit tests, on a real io_context: each exchange completes in a
// later loop turn (never inside start()), and cancel() ends it with Cancelled. By default an
// exchange runs the next outcome of a FakeTransport script (so sync and async tests share
// scripts); push_stall() and push_stream() script exchanges that only an event loop can play:
// one that never answers until cancelled, and one that feeds its BodySink piece by piece, one
// loop turn per piece. Loop thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "bedrock/http/async_transport.h"
#include "tests/fakes/fake_transport.h"

namespace bedrock::testing {

class FakeAsyncTransport final : public http::AsyncTransport {
 public:
  FakeAsyncTransport(boost::asio::io_context& io, std::shared_ptr<FakeTransport> script)
      : io_(io), script_(std::move(script)) {}

  // The next exchange answers nothing until it is cancelled.
  void push_stall() { behaviours_.push_back(Behaviour{true, 0, {}, {}}); }
  // The next exchange streams `pieces` into its sink (status and headers first), one per turn.
  void push_stream(int status, http::Headers headers, std::vector<std::string> pieces) {
    behaviours_.push_back(Behaviour{false, status, std::move(headers), std::move(pieces)});
  }

  std::shared_ptr<http::AsyncExchange> start(http::Request request, http::CallOptions options,
                                             Completion done) override {
    auto ex = std::make_shared<Exchange>(io_, std::move(done));
    ++started_;
    if (!behaviours_.empty()) {
      Behaviour b = std::move(behaviours_.front());
      behaviours_.pop_front();
      if (b.stall) return ex;
      boost::asio::post(io_, [ex, b = std::move(b), sink = options.sink] {
        feed(ex, std::make_shared<Behaviour>(b), sink, 0);
      });
      return ex;
    }
    boost::asio::post(io_, [ex, script = script_, request = std::move(request), options] {
      if (ex->finished) return;
      ex->complete(script->send(request, options));
    });
    return ex;
  }

  int started() const { return started_; }

 private:
  struct Behaviour {
    bool stall = false;
    int status = 0;
    http::Headers headers;
    std::vector<std::string> pieces;
  };

  struct Exchange final : http::AsyncExchange {
    Exchange(boost::asio::io_context& loop, Completion completion)
        : io(loop), done(std::move(completion)) {}
    void cancel() override {
      if (finished) return;
      finished = true;
      boost::asio::post(io, [d = std::move(done)] {
        d(fail(ErrorCode::Cancelled, "FakeAsyncTransport: cancelled"));
      });
    }
    void complete(Result<http::Response> r) {
      finished = true;
      done(std::move(r));
    }
    boost::asio::io_context& io;
    Completion done;
    bool finished = false;
  };

  static void feed(const std::shared_ptr<Exchange>& ex, const std::shared_ptr<Behaviour>& b,
                   http::BodySink* sink, std::size_t at) {
    if (ex->finished) return;
    if (sink == nullptr) {
      std::string body;
      for (const auto& p : b->pieces) body += p;
      return ex->complete(http::Response{b->status, b->headers, std::move(body)});
    }
    if (at == 0 && !sink->on_head(b->status, b->headers)) {
      return ex->complete(fail(ErrorCode::Cancelled, "aborted by the sink"));
    }
    if (at == b->pieces.size()) return ex->complete(http::Response{b->status, b->headers, ""});
    if (!sink->on_body(b->pieces[at])) {
      return ex->complete(fail(ErrorCode::Cancelled, "aborted by the sink"));
    }
    boost::asio::post(ex->io, [ex, b, sink, at] { feed(ex, b, sink, at + 1); });
  }

  boost::asio::io_context& io_;
  std::shared_ptr<FakeTransport> script_;
  std::deque<Behaviour> behaviours_;
  int started_ = 0;
};

}  // namespace bedrock::testing
