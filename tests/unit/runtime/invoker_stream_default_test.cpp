#include <gtest/gtest.h>

#include <variant>

#include "bedrock/runtime/invocation.h"

namespace bedrock::runtime {
namespace {

class OnePieceInvoker final : public Invoker {
 public:
  Result<InvokeResult> invoke(const InvokeRequest&) override {
    InvokeResult r;
    r.completion.text = "whole answer";
    r.completion.reasoning = "thought";
    r.completion.stop_reason = models::StopReason::EndTurn;
    r.completion.raw_stop_reason = "end_turn";
    r.completion.usage = {7, 3, true};
    return r;
  }
};

class FailingInvoker final : public Invoker {
 public:
  Result<InvokeResult> invoke(const InvokeRequest&) override {
    return fail(ErrorCode::Throttling, "slow down");
  }
};

// An invoker that cannot stream still gives the event sequence of a one-chunk stream, and the
// events fold back into the completion invoke() returned.
TEST(InvokerStreamDefault, EmitsTheWholeAnswerAsOneStream) {
  OnePieceInvoker invoker;
  models::StreamAccumulator acc;
  std::vector<std::size_t> kinds;
  auto result = invoker.invoke_stream({}, [&](const models::StreamEvent& e) {
    kinds.push_back(e.index());
    acc.add(e);
  });
  ASSERT_TRUE(result) << describe(result.error());
  auto folded = acc.finish();
  ASSERT_TRUE(folded);
  EXPECT_EQ(folded->text, "whole answer");
  EXPECT_EQ(folded->reasoning, "thought");
  EXPECT_EQ(folded->stop_reason, models::StopReason::EndTurn);
  EXPECT_EQ(folded->usage.input_tokens, 7);
  EXPECT_EQ(folded->usage.output_tokens, 3);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.back(), models::StreamEvent(models::UsageUpdate{}).index());
}

// A failure reaches the caller before any event: nothing was streamed.
TEST(InvokerStreamDefault, FailureEmitsNoEvents) {
  FailingInvoker invoker;
  int events = 0;
  auto result = invoker.invoke_stream({}, [&](const models::StreamEvent&) { ++events; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Throttling);
  EXPECT_EQ(events, 0);
}

}  // namespace
}  // namespace bedrock::runtime
