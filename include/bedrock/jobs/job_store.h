// The durable job store (the agreed interface between the store and the server that runs jobs;
// names never change, only additions). Two backends behind open_job_store(): SQLite (one file,
// WAL) and PostgreSQL (several servers share one queue). Semantics: docs/jobs.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "bedrock/jobs/job.h"

namespace bedrock::jobs {

// Thread-safe: every method may be called from any thread at once (one connection per thread or
// a pool inside). Errors: ConfigurationInvalid (bad URL, schema too new), ConnectionFailed
// (database unreachable; the store reconnects on the next call), QueueFull, Validation (bad spec),
// InternalServer.
class JobStore {
 public:
  virtual ~JobStore() = default;
  virtual std::string_view backend() const = 0;  // "sqlite" | "postgresql"

  virtual Result<SubmitResult> submit(const JobSpec& spec) = 0;
  virtual Result<std::vector<SubmitResult>> submit_batch(
      const std::vector<JobSpec>& specs) = 0;  // one transaction
  virtual Result<std::optional<Job>> get(std::string_view id) = 0;
  virtual Result<JobPage> list(const ListQuery& query) = 0;
  virtual Result<StoreCounts> counts() = 0;

  // Up to `max` queued jobs (highest priority, oldest first) become running with a lease held by
  // `worker_id` until now + lease; attempts += 1. Running jobs whose lease expired are claimable
  // again (attempts checked against max_attempts first: over it the job fails with
  // "LeaseExpired"/ a clear message). Jobs past their deadline are failed DeadlineExceeded instead
  // of claimed. PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED.
  virtual Result<std::vector<Job>> claim(std::string_view worker_id, std::size_t max,
                                         std::chrono::milliseconds lease) = 0;
  // Extends the lease. false: the worker no longer holds it (expired and re-claimed, or the job
  // was cancelled) and must stop working on the job (cancel its calls) and not report a result.
  virtual Result<bool> renew(std::string_view id, std::string_view worker_id,
                             std::chrono::milliseconds lease) = 0;
  // A map-reduce job's calls done of total, and the tokens of its calls so far.
  virtual Result<bool> progress(std::string_view id, std::string_view worker_id, std::int64_t done,
                                std::int64_t total, std::int64_t tokens) = 0;
  // Finish a running job held by worker_id. false (and nothing written): lease lost; this is how
  // "the same idempotency key never succeeds twice" holds.
  virtual Result<bool> succeed(std::string_view id, std::string_view worker_id,
                               std::string_view result_json, std::string_view records_json) = 0;
  virtual Result<bool> fail(std::string_view id, std::string_view worker_id,
                            std::string_view error_code, std::string_view error_message,
                            std::string_view records_json) = 0;
  // Several outcomes at once (one transaction where the backend has them): element i says what
  // succeed()/fail() would have said for completions[i] (false: lease lost, nothing written).
  // The default writes them one by one.
  virtual Result<std::vector<bool>> finish_batch(const std::vector<Completion>& completions);
  // Queued or running -> cancelled (a running job's worker sees renew() == false). Returns the
  // job after the change; nullopt when unknown; a finished job is returned unchanged.
  virtual Result<std::optional<Job>> cancel(std::string_view id) = 0;
  // Retention: deletes finished jobs finished before `before`; returns how many.
  virtual Result<std::int64_t> purge_finished(Clock::time_point before) = 0;
};

// "sqlite:///abs/path/jobs.db", "sqlite://relative/path.db", "sqlite::memory:" (tests),
// "postgresql://user:pass@host:port/db?..." (also "postgres://"). Applies the versioned schema
// migrations at open (a table schema_migrations(version, applied_at)). The password never reaches
// an error message or a log.
Result<std::unique_ptr<JobStore>> open_job_store(std::string_view url, StoreOptions options = {});

}  // namespace bedrock::jobs
