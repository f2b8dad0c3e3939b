// The emulator's request authentication (SigV4 verification and bearer API keys): raw request
// bytes through the server's parser settings, then AuthVerifier::verify with a configured key
// pair and API key, at a fixed clock. Property: a refusal always names the AWS exception and
// carries a message.
#include "emulator/auth_verifier.h"

#include "emulator_support.h"
#include "fakes/fake_clock.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bedrock::FakeClock clock;
  static const bedrock::emulator::AuthVerifier verifier(
      [] {
        bedrock::emulator::AuthSettings s;
        s.credentials.push_back({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""});
        s.credentials.push_back({"ASIATEMP", "temporarysecretkey0123456789", "SESSIONTOKEN"});
        s.api_keys.push_back("fuzz-api-key");
        s.region = "us-east-1";
        return s;
      }(),
      clock);
  auto request = bedrock::fuzz::parse_request(bedrock::fuzz::as_text(data, size));
  if (!request) return 0;
  if (auto failure = verifier.verify(*request)) {
    FUZZ_CHECK(!failure->error_type.empty());
    FUZZ_CHECK(!failure->message.empty());
  }
  return 0;
}
