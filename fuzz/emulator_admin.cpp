// The emulator's admin endpoint: raw HTTP/1.1 request bytes through the server's parser
// settings, then AdminApi::handle (JSON bodies that change faults, latency and quotas, and the
// counters/config dumps). Counters are pre-filled with a few records, as a running emulator's
// would be. Properties: handle() never throws or crashes, and every reply is well-formed HTTP.
#include "emulator/admin_api.h"
#include "emulator_support.h"
#include "fakes/fake_clock.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto request = bedrock::fuzz::parse_request(bedrock::fuzz::as_text(data, size));
  if (!request) return 0;
  static const bedrock::FakeClock clock;
  bedrock::emulator::Behavior behavior(clock, 1);
  bedrock::emulator::Counters counters;
  counters.record("anthropic.claude-3-haiku-20240307-v1:0", "invoke", "Success", 12, 30, false);
  counters.record("amazon.nova-micro-v1:0", "converse", "ThrottlingException", 5, 0, true);
  const bedrock::emulator::AdminApi admin(behavior, counters);
  bedrock::emulator::Reply reply = admin.handle(*request);
  bedrock::fuzz::check_reply(reply);
  (void)behavior.describe_json();
  return 0;
}
