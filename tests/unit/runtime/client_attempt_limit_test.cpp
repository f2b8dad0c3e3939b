// Per-attempt limits: a stalled model leaves the rest of the chain its share of the deadline.
#include <gtest/gtest.h>

#include "bedrock/runtime/bedrock_client.h"
#include "client_test_support.h"

namespace bedrock::runtime {
namespace {

using namespace testing_support;
using std::chrono::milliseconds;

class ClientAttemptLimit : public ::testing::TestWithParam<Driver> {};

InvokeRequest chain_request(std::vector<std::string> fallbacks) {
  InvokeRequest r;
  r.model_id = kHaiku;
  r.prompt = models::Prompt::from_user("hi");
  r.fallbacks = std::move(fallbacks);
  r.timeout = milliseconds(4000);
  return r;
}

// A transport that answers nothing until the attempt's deadline, as a hung upstream does.
bedrock::testing::FakeTransport::Handler stall(Harness& h) {
  return [&h](const http::Request&, const http::CallOptions& o) -> Result<http::Response> {
    h.clock.advance(*o.deadline - h.clock.steady());
    return fail(ErrorCode::DeadlineExceeded, "deadline passed during the transfer");
  };
}

// --timeout 4 with one fallback: the stalled primary gets 2 s, is not retried, and the fallback
// answers; the record names both.
TEST_P(ClientAttemptLimit, StalledPrimaryLeavesTimeForFallback) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stall(h));
  h.transport->push_response(200, llama_body());
  auto r = h.invoke(chain_request({kLlama}));
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.model_used, kLlama);
  ASSERT_EQ(r->record.skipped.size(), 1u);
  EXPECT_EQ(r->record.skipped[0].model_id, kHaiku);
  EXPECT_NE(r->record.skipped[0].reason.find("ModelTimeout"), std::string::npos)
      << r->record.skipped[0].reason;
  ASSERT_EQ(r->record.attempt_log.size(), 2u);
  EXPECT_EQ(r->record.attempt_log[0].error_code, "ModelTimeout");
  EXPECT_EQ(h.elapsed(), milliseconds(2000));
  EXPECT_EQ(h.transport->calls(), 2u);
  const auto options = h.transport->call_options();
  EXPECT_EQ(*options[0].deadline, h.start + milliseconds(2000));
  EXPECT_EQ(*options[1].deadline, h.start + milliseconds(4000));  // the last model: all of it
}

// Three models share the deadline: each stalled one gets a third of what is left when it starts.
TEST_P(ClientAttemptLimit, ShareShrinksWithTheChain) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stall(h));
  h.transport->push_handler(stall(h));
  h.transport->push_response(200, llama_body());
  InvokeRequest req = chain_request({"anthropic.claude-3-sonnet-20240229-v1:0", kLlama});
  req.timeout = milliseconds(6000);
  auto r = h.invoke(req);
  ASSERT_TRUE(r.has_value()) << describe(r.error());
  EXPECT_EQ(r->record.skipped.size(), 2u);
  EXPECT_EQ(h.elapsed(), milliseconds(2000 + 2000));  // 6/3, then 4/2
}

// An explicit attempt_timeout applies even to a single model, and is final for it.
TEST_P(ClientAttemptLimit, ExplicitLimitWithoutFallbacks) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stall(h));
  InvokeRequest req = chain_request({});
  req.attempt_timeout = milliseconds(500);
  auto r = h.invoke(req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::ModelTimeout);
  EXPECT_EQ(h.elapsed(), milliseconds(500));
  EXPECT_EQ(h.transport->calls(), 1u);
}

// Without fallbacks or a set limit the one model has the whole deadline, as before.
TEST_P(ClientAttemptLimit, SingleModelKeepsTheWholeDeadline) {
  Harness h(0.0, config::RetryMode::Standard, std::nullopt, GetParam());
  h.transport->push_handler(stall(h));
  auto r = h.invoke(chain_request({}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(h.elapsed(), milliseconds(4000));
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ClientAttemptLimit,
                         ::testing::Values(Driver::Sync, Driver::Async), driver_name);

}  // namespace
}  // namespace bedrock::runtime
