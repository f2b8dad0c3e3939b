// Routes that call Bedrock through Service::upstream() against the real emulator: a JSON
// answer from the upstream loop, a stream written on the connection's executor, and an
// upstream failure mapped to its status. Also the pattern route authors copy.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <filesystem>

#include "bedrock/net/sse.h"
#include "integration/runtime/emulator_process.h"
#include "server/request_scope.h"
#include "server_client.h"

namespace bedrock::server {
namespace {

using bedrock::testing::EmulatorProcess;
using testing::call;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

bool emulator_built() {
  return std::filesystem::exists(std::string(BEDROCK_BIN_DIR) + "/bedrock-emulator");
}

runtime::InvokeRequest request_for(const ScopePtr& scope, const std::string& model) {
  runtime::InvokeRequest r;
  r.model_id = model;
  r.prompt = models::Prompt::from_user("Write one short sentence about the sea.");
  r.params.max_tokens = 50;
  r.timeout = scope->time_left();
  return r;
}

void add_upstream_routes(Router& router, Service& service) {
  router.add({"POST", "/test/invoke", "test.invoke", ErrorStyle::Content,
              [&service](const ScopePtr& scope, net::HttpRequest& request) {
                const std::string model = request.body().empty() ? kHaiku : request.body();
                auto handle = service.upstream().invoke(
                    request_for(scope, model), [scope](Result<runtime::InvokeResult> r) {
                      if (!r) {
                        scope->record_failure(r.error());
                        scope->send_error(from_error(r.error()));
                        return;
                      }
                      scope->record(r->record);
                      scope->send_json(
                          200, {{"text", r->completion.text}, {"model", r->record.model_used}});
                    });
                scope->on_deadline([handle] { handle.cancel(); });
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

struct Fixture {
  Fixture() : emulator({"--credentials", "AKIDEMULATOR:emulator/secret/key/0123456789abcdef"}) {
    auto options = testing::loopback_options(emulator.url());
    options.extra_routes = add_upstream_routes;
    service = testing::start_service(std::move(options));
  }
  EmulatorProcess emulator;
  std::unique_ptr<Service> service;
};

// A handler's upstream call completes on the upstream loop and answers from there.
TEST(ServerUpstream, InvokeAnswersFromTheUpstreamLoop) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/invoke", "");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.json()["text"].get<std::string>().empty());
  EXPECT_EQ(r.json()["model"], kHaiku);
}

// An upstream refusal (an unknown model) maps through from_error, never to a 500.
TEST(ServerUpstream, UpstreamFailureMapsToItsStatus) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/invoke", "no-such.model-v1:0",
                {{"Content-Type", "text/plain"}});
  EXPECT_GE(r.status, 400u);
  EXPECT_LT(r.status, 500u) << r.body;
  EXPECT_FALSE(r.json()["code"].get<std::string>().empty());
}

// A stream written on the connection's executor from upstream callbacks arrives whole.
TEST(ServerUpstream, StreamFromUpstreamCallbacks) {
  if (!emulator_built()) GTEST_SKIP() << "bedrock-emulator not built";
  Fixture f;
  ASSERT_TRUE(f.service);
  auto r = call(f.service->port(), "POST", "/test/stream", "");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  EXPECT_NE(r.body.find("data: "), std::string::npos);
  EXPECT_NE(r.body.find("event: done"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace bedrock::server
