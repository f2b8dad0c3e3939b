// The job store URL (config file, BEDROCK_CONTENT_JOBS_URL). Properties: a URL is accepted or
// refused as ConfigurationInvalid, never anything else; a password found in it never appears in
// the refusal or in a scrubbed message.
#include "fuzz_check.h"
#include "jobs/store_url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  auto url = bedrock::jobs::parse_store_url(text);
  if (!url) {
    FUZZ_CHECK(url.error().code == bedrock::ErrorCode::ConfigurationInvalid);
    return 0;
  }
  if (url->backend == bedrock::jobs::Backend::Sqlite) {
    FUZZ_CHECK(!url->sqlite_path.empty());
  } else {
    FUZZ_CHECK(url->postgres_url == text);
    if (url->password.size() >= 4) {
      const std::string scrubbed = bedrock::jobs::scrub_secret(text, url->password);
      FUZZ_CHECK(scrubbed.find(url->password) == std::string::npos);
    }
  }
  return 0;
}
