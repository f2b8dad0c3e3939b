// The PostgreSQL backend (libpq): several servers share one queue; claims skip rows another
// claimer holds (FOR UPDATE SKIP LOCKED).
#pragma once

#include <memory>

#include "bedrock/core/result.h"
#include "bedrock/jobs/job_store.h"
#include "store_url.h"

namespace bedrock::jobs {

// Connects (the pool's first connection), applies the schema migrations under an advisory lock
// and returns the store. The URL's password never reaches an error message.
Result<std::unique_ptr<JobStore>> open_postgres_store(const StoreUrl& url,
                                                      const StoreOptions& options);

// The newest schema version this build knows.
int postgres_schema_version();

}  // namespace bedrock::jobs
