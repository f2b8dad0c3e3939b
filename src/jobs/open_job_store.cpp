#include <fmt/format.h>

#include "bedrock/core/url_redaction.h"
#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {

// The backends land in the next commits; until then every URL is refused clearly.
Result<std::unique_ptr<JobStore>> open_job_store(std::string_view url, StoreOptions) {
  return fail(ErrorCode::ConfigurationInvalid,
              fmt::format("no job store backend for the URL {}", redact_url_credentials(url)));
}

}  // namespace bedrock::jobs
