// Routes the server's integration tests add through ServiceOptions::extra_routes: ones that
// call the emulator through Service::upstream() (the pattern route groups follow), and one that
// holds its request unanswered until the test releases it.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "bedrock/net/sse.h"
#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server::testing {

inline bool emulator_built() {
  return std::filesystem::exists(std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator");
}

inline constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

inline runtime::InvokeRequest request_for(const ScopePtr& scope, const std::string& model) {
  runtime::InvokeRequest r;
  r.model_id = model;
  r.prompt = models::Prompt::from_user("Write one short sentence about the sea.");
  r.params.max_tokens = 50;
  r.timeout = scope->time_left();
  return r;
}

inline void add_upstream_routes(Router& router, Service& service) {
  router.add({"POST", "/test/invoke", "test.invoke", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest& request) {
                const std::string model = request.body().empty() ? kHaiku : request.body();
                auto handle = service.upstream().invoke(
                    request_for(scope, model), [scope, handler_thread = std::this_thread::get_id()](
                                                   Result<runtime::InvokeResult> r) {
                      if (!r) {
                        scope->record_failure(r.error());
                        scope->send_error(from_error(r.error()));
                        return;
                      }
                      scope->record(r->record);
                      scope->send_json(
                          200, {{"text", r->completion.text},
                                {"model", r->record.model_used},
                                {"same_thread", std::this_thread::get_id() == handler_thread}});
                    });
                scope->on_deadline([handle] { handle.cancel(); });
              }});
  // test.invoke, except that the route keeps working on the request (holds its scope) for
  // 300 ms after the answer has gone out.
  router.add({"POST", "/test/invoke-then-linger", "test.linger", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest&) {
                service.upstream().invoke(
                    request_for(scope, kHaiku), [scope](Result<runtime::InvokeResult> r) {
                      if (!r) {
                        scope->record_failure(r.error());
                        scope->send_error(from_error(r.error()));
                        return;
                      }
                      scope->record(r->record);
                      scope->send_json(200, {{"text", r->completion.text}});
                      auto timer = std::make_shared<boost::asio::steady_timer>(
                          scope->executor(), std::chrono::milliseconds(300));
                      timer->async_wait([scope, timer](const boost::system::error_code&) {});
                    });
              }});
  router.add({"POST", "/test/stream", "test.stream", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest&) {
                auto stream = std::make_shared<net::ChunkedStream>(scope->stream(net::sse_head()));
                service.upstream().invoke_stream(
                    request_for(scope, kHaiku),
                    [scope, stream](const models::StreamEvent& event) {
                      const auto* delta = std::get_if<models::TextDelta>(&event);
                      if (delta == nullptr) return;
                      std::string frame;
                      net::append_sse_event(frame, delta->text);
                      boost::asio::post(scope->executor(), [stream, frame = std::move(frame)] {
                        stream->write(frame);
                      });
                    },
                    [scope, stream](Result<runtime::InvokeResult> r) {
                      std::string frame;
                      if (r) {
                        scope->record(r->record);
                        net::append_sse_event(frame, "done", "done");
                      } else {
                        scope->record_failure(r.error());
                        net::append_sse_event(frame,
                                              error_body(from_error(r.error()),
                                                         scope->error_style(), scope->request_id()),
                                              "error");
                      }
                      boost::asio::post(scope->executor(), [scope, stream, frame] {
                        stream->write(frame);
                        stream->finish();
                      });
                    });
              }});
}

// GET `path` holds its scope (unanswered) until release() answers every held request 200.
class HeldRequests {
 public:
  void add_route(Router& router, std::string path, ErrorStyle style = ErrorStyle::Content) {
    router.add({"GET", std::move(path), "test.hold", style,
                [this](const ScopePtr& scope, net::HttpRequest&) {
                  std::lock_guard lock(mutex_);
                  held_.push_back(scope);
                }});
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  void release() {
    std::vector<ScopePtr> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& scope : held) scope->send_json(200, {{"released", true}});
  }

 private:
  std::mutex mutex_;
  std::vector<ScopePtr> held_;
};

}  // namespace bedrock::server::testing
