// The emulator's whole request handling: raw HTTP/1.1 request bytes through the server's
// parser settings, then Service::handle (authentication, routing, the model families'
// validators, fixtures, quotas, answer and reply rendering). The first byte picks the set-up:
// bit 0 set = authentication on (SigV4 key pair and an API key "fuzz-api-key"), else --no-auth,
// so both the refusal paths and everything behind them are reached.
// Properties: handle() never throws or crashes, and every reply is well-formed HTTP.
#include "emulator/auth_verifier.h"
#include "emulator/behavior.h"
#include "emulator/counters.h"
#include "emulator/fixtures.h"
#include "emulator_support.h"
#include "fakes/fake_clock.h"

namespace {

using namespace bedrock::emulator;

const bedrock::FakeClock& fuzz_clock() {
  static const bedrock::FakeClock clock;  // 2024-01-15T12:00:00Z, as the tests sign
  return clock;
}

const AuthVerifier& verifier(bool enabled) {
  static const AuthVerifier on(
      [] {
        AuthSettings s;
        s.credentials.push_back({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""});
        s.api_keys.push_back("fuzz-api-key");
        return s;
      }(),
      fuzz_clock());
  static const AuthVerifier off(
      [] {
        AuthSettings s;
        s.enabled = false;
        return s;
      }(),
      fuzz_clock());
  return enabled ? on : off;
}

const Fixtures& fixtures() {
  static const Fixtures loaded = [] {
    auto parsed = Fixtures::parse(R"({"fixtures": [
      {"model": "anthropic.*", "contains": "weather", "response": "Sunny, 21 degrees."},
      {"model": "amazon.*", "regex": "^Translate .* to French", "response": "Bonjour."},
      {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}}]})");
    FUZZ_CHECK(parsed.has_value());
    return std::move(*parsed);
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto request = bedrock::fuzz::parse_request(bedrock::fuzz::as_text(data + 1, size - 1));
  if (!request) return 0;
  // Fresh run-time state per input, so a crash never depends on the inputs before it.
  Behavior behavior(fuzz_clock(), 1);
  Counters counters;
  PromptCacheStore prompt_cache;
  const Service service(verifier((data[0] & 1) != 0), fixtures(), behavior, counters, prompt_cache,
                        fuzz_clock());
  Reply reply = service.handle(*request);
  bedrock::fuzz::check_reply(reply);
  (void)counters.to_json();
  return 0;
}
