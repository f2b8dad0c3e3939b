#include "bedrock/jobs/job_store.h"
#include "postgres_store.h"
#include "sqlite_store.h"
#include "store_url.h"

namespace bedrock::jobs {

Result<std::unique_ptr<JobStore>> open_job_store(std::string_view url, StoreOptions options) {
  auto parsed = parse_store_url(url);
  if (!parsed) return fail(parsed.error());
  if (parsed->backend == Backend::Sqlite) return open_sqlite_store(parsed->sqlite_path, options);
  return open_postgres_store(*parsed, options);
}

}  // namespace bedrock::jobs
