// What both backends share: spec validation, job ids, the time and cursor encodings, the
// column list and the one row decoder, so SQLite and PostgreSQL cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bedrock/core/result.h"
#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {

inline constexpr std::size_t kMaxListLimit = 1000;
inline constexpr std::size_t kMaxKindBytes = 64;
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 256;
inline constexpr int kMaxAttemptsLimit = 100;
// A claim takes at most this many jobs at once (one transaction).
inline constexpr std::size_t kMaxClaimBatch = 1000;

// The columns every SELECT and RETURNING names, in the order decode_job reads them.
inline constexpr std::string_view kJobColumns =
    "id, kind, input_json, idempotency_key, priority, deadline_us, max_attempts, state, "
    "attempts, progress_done, progress_total, result_json, error_code, error_message, "
    "records_json, worker_id, created_us, updated_us, started_us, finished_us, lease_us, "
    "progress_tokens";

// Messages the store writes into jobs it finishes itself.
inline constexpr std::string_view kDeadlineMessage = "The job did not finish before its deadline.";
inline constexpr std::string_view kLeaseExpiredCode = "LeaseExpired";
inline constexpr std::string_view kLeaseExpiredMessage =
    "The job's worker stopped renewing its lease on every allowed attempt.";
inline constexpr std::string_view kCancelledMessage = "The job was cancelled.";

// Validation error when the spec cannot be stored.
Status validate_spec(const JobSpec& spec);

// "job_" + 32 lowercase hex digits from a per-thread random engine.
std::string new_job_id();

std::int64_t to_micros(Clock::time_point t);
Clock::time_point from_micros(std::int64_t us);

// The page cursor "<created_us>.<id>" of the last job of a page, and its parse.
struct Cursor {
  std::int64_t created_us = 0;
  std::string id;
};
std::string encode_cursor(const Job& last);
Result<Cursor> decode_cursor(std::string_view text);

// A row of kJobColumns, read through a backend's accessors:
// row.text(i) -> std::optional<std::string_view> (nullopt for NULL),
// row.integer(i) -> std::optional<std::int64_t>.
template <typename Row>
Job decode_job(const Row& row) {
  auto text = [&](int i) { return std::string(row.text(i).value_or("")); };
  auto integer = [&](int i) { return row.integer(i).value_or(0); };
  auto time = [&](int i) -> std::optional<Clock::time_point> {
    auto v = row.integer(i);
    if (!v) return std::nullopt;
    return from_micros(*v);
  };
  Job job;
  job.id = text(0);
  job.spec.kind = text(1);
  job.spec.input_json = text(2);
  job.spec.idempotency_key = text(3);
  job.spec.priority = static_cast<int>(integer(4));
  job.spec.deadline = time(5);
  job.spec.max_attempts = static_cast<int>(integer(6));
  job.state = parse_job_state(text(7)).value_or(JobState::Failed);
  job.attempts = static_cast<int>(integer(8));
  job.progress_done = integer(9);
  job.progress_total = integer(10);
  job.result_json = text(11);
  job.error_code = text(12);
  job.error_message = text(13);
  job.records_json = text(14);
  job.worker_id = text(15);
  job.created_at = from_micros(integer(16));
  job.updated_at = from_micros(integer(17));
  job.started_at = time(18);
  job.finished_at = time(19);
  job.lease_expires_at = time(20);
  job.progress_tokens = integer(21);
  return job;
}

// One row of "SELECT state, COUNT(*) ... GROUP BY state" into `counts` (an unknown state is
// skipped).
void record_count(StoreCounts& counts, std::string_view state, std::int64_t n);

// A new queued job for `spec` at `now`.
Job make_queued_job(const JobSpec& spec, Clock::time_point now);

}  // namespace bedrock::jobs
