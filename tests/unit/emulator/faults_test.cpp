#include "emulator/faults.h"

#include <gtest/gtest.h>

#include <map>

#include "bedrock/models/service_errors.h"
#include "emulator/behavior.h"
#include "fakes/fake_clock.h"

namespace bedrock::emulator {
namespace {

// Every kind round-trips through its name; short and lower-case spellings are accepted.
TEST(FaultKind, NamesRoundTrip) {
  for (std::size_t i = 0; i < kFaultKindCount; ++i) {
    const auto kind = static_cast<FaultKind>(i);
    EXPECT_EQ(fault_kind_from_string(to_string(kind)), kind);
  }
  EXPECT_EQ(fault_kind_from_string("throttling"), FaultKind::Throttling);
  EXPECT_EQ(fault_kind_from_string("DROP"), FaultKind::Drop);
  EXPECT_FALSE(fault_kind_from_string("Nope"));
  EXPECT_TRUE(is_error_response(FaultKind::ModelTimeout));
  EXPECT_FALSE(is_error_response(FaultKind::Stall));
}

// --fault KIND=P and KIND=next:N parse; bad probabilities and counts are rejected.
// Every error fault is spelled as a row of the shared exception table, so it answers with that
// row's status and message; the connection faults are not exceptions.
TEST(FaultKind, ErrorKindsAreRowsOfTheExceptionTable) {
  for (std::size_t i = 0; i < kFaultKindCount; ++i) {
    const auto kind = static_cast<FaultKind>(i);
    const auto* row = models::find_service_exception(to_string(kind));
    EXPECT_EQ(row != nullptr, is_error_response(kind)) << to_string(kind);
  }
}

TEST(ParseFault, ProbabilityAndNext) {
  auto p = parse_fault("ThrottlingException=0.25");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->fault.kind, FaultKind::Throttling);
  EXPECT_DOUBLE_EQ(p->probability, 0.25);
  EXPECT_EQ(p->next_count, 0);
  auto n = parse_fault("ModelNotReadyException=next:3");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->fault.kind, FaultKind::ModelNotReady);
  EXPECT_EQ(n->next_count, 3);
  for (const char* bad : {"Throttling", "Throttling=1.5", "Throttling=-0.1", "Bogus=0.1",
                          "drop=next:0", "drop=next:x", "stall=abc"}) {
    EXPECT_FALSE(parse_fault(bad)) << bad;
  }
}

// Every in-stream exception kind names a stream event member of the shared exception table
// (docs/wire-protocol.md §2.4), and only the stream kinds are in-stream.
TEST(FaultKind, StreamExceptionsAreStreamMembersOfTheExceptionTable) {
  int exceptions = 0;
  for (std::size_t i = 0; i < kFaultKindCount; ++i) {
    const auto kind = static_cast<FaultKind>(i);
    EXPECT_EQ(is_in_stream(kind), to_string(kind).substr(0, 7) == "stream:") << to_string(kind);
    const std::string_view member = stream_exception_name(kind);
    if (member.empty()) continue;
    ++exceptions;
    EXPECT_TRUE(is_in_stream(kind));
    EXPECT_NE(models::find_service_exception_event(member), nullptr) << member;
  }
  EXPECT_EQ(exceptions, 6);
  EXPECT_EQ(stream_exception_name(FaultKind::StreamModelStreamError), "modelStreamErrorException");
  EXPECT_TRUE(stream_exception_name(FaultKind::StreamDrop).empty());
  EXPECT_TRUE(stream_exception_name(FaultKind::Throttling).empty());
}

// Stream kinds take "@N" (events before the fault) and the stall also "/MS"; the spelling
// round-trips through describe().
TEST(ParseFaultSpec, StreamParameters) {
  auto plain = parse_fault_spec("stream:throttling");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->kind, FaultKind::StreamThrottling);
  EXPECT_EQ(plain->after_events, 1);
  auto drop = parse_fault_spec("stream:drop@0");
  ASSERT_TRUE(drop);
  EXPECT_EQ(drop->kind, FaultKind::StreamDrop);
  EXPECT_EQ(drop->after_events, 0);
  auto stall = parse_fault_spec("stream:stall@4/1500");
  ASSERT_TRUE(stall);
  EXPECT_EQ(stall->after_events, 4);
  EXPECT_EQ(stall->stall_ms, 1500);
  EXPECT_EQ(describe(*stall), "stream:stall@4/1500");
  EXPECT_EQ(describe(*drop), "stream:drop@0");
  EXPECT_EQ(describe(Fault{FaultKind::Drop}), "drop");
  auto again = parse_fault_spec(describe(*stall));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *stall);
  for (const char* bad :
       {"stream:nope@1", "drop@1", "ThrottlingException@2", "stream:drop@-1", "stream:drop@x",
        "stream:drop@1/5", "stream:stall@1/", "stream:stall@1/-3", "stream:stall@99999999999"}) {
    EXPECT_FALSE(parse_fault_spec(bad)) << bad;
  }
  auto arg = parse_fault("stream:modelStreamErrorException@3=next:2");
  ASSERT_TRUE(arg);
  EXPECT_EQ(arg->fault.kind, FaultKind::StreamModelStreamError);
  EXPECT_EQ(arg->fault.after_events, 3);
  EXPECT_EQ(arg->next_count, 2);
}

// In-stream faults are drawn for streaming calls only; a scheduled one waits for the next
// stream instead of being used up by plain calls.
TEST(Behavior, StreamFaultsPassPlainCallsBy) {
  FakeClock clock;
  Behavior b(clock, 1);
  b.schedule_faults("", Fault{FaultKind::StreamDrop, 2, 0}, 1);
  EXPECT_FALSE(b.draw_fault("m", "m", false));
  auto drawn = b.draw_fault("m", "m", true);
  ASSERT_TRUE(drawn);
  EXPECT_EQ(*drawn, (Fault{FaultKind::StreamDrop, 2, 0}));
  EXPECT_FALSE(b.draw_fault("m", "m", true));
  ASSERT_TRUE(b.set_fault("", Fault{FaultKind::StreamStall, 1, 250}, 1.0));
  EXPECT_FALSE(b.draw_fault("m", "m", false));
  EXPECT_EQ(b.draw_fault("m", "m", true), (Fault{FaultKind::StreamStall, 1, 250}));
}

// A table whose probabilities exceed 1 in total is refused and left unchanged.
TEST(FaultTable, RejectsTotalAboveOne) {
  FaultTable t;
  ASSERT_TRUE(t.set(FaultKind::Throttling, 0.6));
  EXPECT_FALSE(t.set(FaultKind::Drop, 0.5));
  EXPECT_DOUBLE_EQ(t.get(FaultKind::Drop), 0);
  ASSERT_TRUE(t.set(FaultKind::Throttling, 0.4));
  EXPECT_TRUE(t.set(FaultKind::Drop, 0.5));
}

// pick() walks the cumulative distribution; probability 1 always fires.
TEST(FaultTable, PickFollowsCumulative) {
  FaultTable t;
  ASSERT_TRUE(t.set(FaultKind::Throttling, 0.2));
  ASSERT_TRUE(t.set(FaultKind::InternalServer, 0.3));
  EXPECT_EQ(t.pick(0.1), FaultKind::Throttling);
  EXPECT_EQ(t.pick(0.45), FaultKind::InternalServer);
  EXPECT_FALSE(t.pick(0.6));
  FaultTable always;
  ASSERT_TRUE(always.set(FaultKind::Stall, 1.0));
  EXPECT_EQ(always.pick(0.999999999), FaultKind::Stall);
}

// With a seed, the observed frequencies match the configured probabilities and the sequence
// is reproducible.
TEST(Behavior, SeededFaultFrequenciesAndReproducible) {
  FakeClock clock;
  auto run = [&clock](std::uint64_t seed) {
    Behavior b(clock, seed);
    EXPECT_TRUE(b.set_fault("", FaultKind::Throttling, 0.3));
    EXPECT_TRUE(b.set_fault("", FaultKind::Drop, 0.1));
    std::vector<int> seq;
    for (int i = 0; i < 20000; ++i) {
      auto f = b.draw_fault("m", "m");
      seq.push_back(f ? static_cast<int>(f->kind) : -1);
    }
    return seq;
  };
  const auto a = run(99);
  EXPECT_EQ(a, run(99));
  std::map<int, int> counts;
  for (int v : a) ++counts[v];
  EXPECT_NEAR(counts[static_cast<int>(FaultKind::Throttling)] / 20000.0, 0.3, 0.015);
  EXPECT_NEAR(counts[static_cast<int>(FaultKind::Drop)] / 20000.0, 0.1, 0.01);
}

}  // namespace
}  // namespace bedrock::emulator
