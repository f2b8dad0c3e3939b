// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials): text a user
// or a tool wrote. Both conventions are parsed; a parse that succeeds must answer lookups of
// every profile and key it reports.
#include "bedrock/config/profile_file.h"

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  for (bool is_config : {true, false}) {
    auto files = bedrock::config::parse_shared_file(text, "fuzz", is_config);
    if (!files) continue;
    for (const auto& [profile, values] : files->profiles) {
      for (const auto& [key, value] : values) {
        const auto got = files->get(profile, key);
        FUZZ_CHECK(got.has_value() && *got == value);
        (void)files->origin(profile, key);
      }
    }
  }
  return 0;
}
