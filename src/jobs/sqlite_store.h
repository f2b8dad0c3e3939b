// The SQLite backend: one file in WAL mode (or an in-memory database for tests).
#pragma once

#include <memory>
#include <string>

#include "bedrock/core/result.h"
#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {

// Opens (creating when missing) the database at `path` (":memory:" for a private in-memory
// one) and applies the schema migrations.
Result<std::unique_ptr<JobStore>> open_sqlite_store(const std::string& path,
                                                    const StoreOptions& options);

// The newest schema version this build knows (a database with a higher one is refused).
int sqlite_schema_version();

}  // namespace bedrock::jobs
