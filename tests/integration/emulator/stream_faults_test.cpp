// In-stream faults as a client on the wire sees them, read back by the tests' own
// event-stream reader (tests/fakes/event_stream_reader.h): an exception message after N
// events, a connection closed after N events, a pause or a stall after N events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator_client.h"
#include "stream_client.h"

namespace bedrock::emulator::testing {
namespace {

constexpr const char* kShortConverseBody =
    R"({"messages":[{"role":"user","content":[{"text":"The sky is blue. Grass is green."}]}]})";

ServerOptions fault_options() {
  ServerOptions o;
  o.auth.enabled = false;
  o.stall_timeout = std::chrono::seconds(3);
  return o;
}

// Each exception kind: N events, then one exception message with the lowerCamel member name
// and a JSON message, then a properly ended response; the connection stays usable.
TEST(StreamFaults, ExceptionAfterNEvents) {
  auto emu = start_emulator(fault_options());
  emu->behavior().set_stream_token_ms(5);
  for (FaultKind kind : {FaultKind::StreamThrottling, FaultKind::StreamModelStreamError,
                         FaultKind::StreamValidation, FaultKind::StreamInternalServer,
                         FaultKind::StreamServiceUnavailable, FaultKind::StreamModelTimeout}) {
    SCOPED_TRACE(to_string(kind));
    for (const char* path : {kStreamPath, kConverseStreamPath}) {
      emu->behavior().schedule_faults("", Fault{kind, 2, 0}, 1);
      const TimedStream s =
          stream_call(emu->port(), path, path == kStreamPath ? kClaudeBody : kShortConverseBody);
      ASSERT_TRUE(s.completed);
      EXPECT_EQ(s.status, 200);
      ASSERT_TRUE(s.read.problem.empty()) << s.read.problem;
      ASSERT_EQ(s.read.messages.size(), 3u);
      EXPECT_EQ(s.message_type(0), "event");
      EXPECT_EQ(s.message_type(1), "event");
      const auto& exception = s.read.messages[2];
      EXPECT_EQ(exception.headers.at(":message-type"), "exception");
      EXPECT_EQ(exception.headers.at(":exception-type"), stream_exception_name(kind));
      EXPECT_EQ(exception.headers.at(":content-type"), "application/json");
      const auto payload = nlohmann::json::parse(exception.payload);
      EXPECT_FALSE(payload.at("message").get<std::string>().empty());
      if (kind == FaultKind::StreamModelStreamError) {
        EXPECT_EQ(payload.at("originalStatusCode"), 500);
      }
    }
  }
  EXPECT_EQ(
      emu->counters().count("anthropic.claude-3-haiku-20240307-v1:0", "stream:throttlingException"),
      2u);
}

// stream:drop@N: N whole messages, then the connection closes before the body's end.
TEST(StreamFaults, DropAfterNEvents) {
  auto emu = start_emulator(fault_options());
  emu->behavior().schedule_faults("", Fault{FaultKind::StreamDrop, 3, 0}, 1);
  const TimedStream s = stream_call(emu->port(), kStreamPath, kClaudeBody);
  EXPECT_EQ(s.status, 200);
  EXPECT_TRUE(s.closed_early);
  EXPECT_FALSE(s.completed);
  EXPECT_TRUE(s.read.problem.empty()) << s.read.problem;
  EXPECT_EQ(s.read.messages.size(), 3u);
}

// stream:stall@N/MS: silence for MS after N events, then the rest of the stream.
TEST(StreamFaults, PauseAfterNEventsThenTheRest) {
  auto emu = start_emulator(fault_options());
  emu->behavior().set_stream_token_ms(10);
  const TimedStream whole = stream_call(emu->port(), kStreamPath, kClaudeBody);
  ASSERT_TRUE(whole.completed);
  emu->behavior().schedule_faults("", Fault{FaultKind::StreamStall, 2, 600}, 1);
  const TimedStream s = stream_call(emu->port(), kStreamPath, kClaudeBody);
  ASSERT_TRUE(s.completed);
  ASSERT_TRUE(s.read.problem.empty()) << s.read.problem;
  ASSERT_EQ(s.read.messages.size(), whole.read.messages.size());
  EXPECT_GE(s.message_at[2].count(), 600.0 + 2 * 10.0);
  EXPECT_LT(s.message_at[2].count(), 600.0 + 3000);
}

// stream:stall@N: after N events nothing more, until the client gives up.
TEST(StreamFaults, StallAfterNEventsUntilTheClientGivesUp) {
  auto emu = start_emulator(fault_options());
  emu->behavior().schedule_faults("", Fault{FaultKind::StreamStall, 1, 0}, 1);
  const TimedStream s =
      stream_call(emu->port(), kStreamPath, kClaudeBody, std::chrono::milliseconds(700));
  EXPECT_TRUE(s.timed_out);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.read.messages.size(), 1u);
  // The next stream is whole.
  const TimedStream next = stream_call(emu->port(), kStreamPath, kClaudeBody);
  EXPECT_TRUE(next.completed);
}

// A stream fault set through the admin API strikes the next stream only; a plain call made
// first passes it by.
TEST(StreamFaults, AdminApiSchedulesAStreamFault) {
  auto emu = start_emulator(fault_options());
  const auto admin = *emu->admin_port();
  const Exchange set = send(post(admin, "/admin/faults",
                                 R"({"next":{"kind":"stream:throttlingException@1","count":1}})"));
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_NE(set.body.find("stream:throttlingException@1"), std::string::npos);
  EXPECT_EQ(send(post(emu->port(), kClaudePath, kClaudeBody)).status, 200);
  const TimedStream s = stream_call(emu->port(), kStreamPath, kClaudeBody);
  ASSERT_EQ(s.read.messages.size(), 2u);
  EXPECT_EQ(s.read.messages[1].headers.at(":exception-type"), "throttlingException");
  const TimedStream after = stream_call(emu->port(), kStreamPath, kClaudeBody);
  EXPECT_EQ(after.read.messages.back().headers.at(":message-type"), "event");

  const Exchange pace = send(post(admin, "/admin/latency", R"({"stream_token_ms":7})"));
  ASSERT_EQ(pace.status, 200) << pace.body;
  EXPECT_DOUBLE_EQ(emu->behavior().stream_token_ms(), 7.0);
  EXPECT_EQ(send(post(admin, "/admin/latency", R"({"stream_token_ms":-1})")).status, 400);
  EXPECT_EQ(send(post(admin, "/admin/faults", R"({"faults":{"stream:drop@x":0.1}})")).status, 400);
}

}  // namespace
}  // namespace bedrock::emulator::testing
