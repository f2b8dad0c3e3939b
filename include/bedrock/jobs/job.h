// A job: one generator call (a content command or a raw invoke) kept durably by a JobStore,
// with its state, lease, progress, result or error. Plain data shared by both store backends
// and the server that runs the jobs.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bedrock::jobs {

using Clock = std::chrono::system_clock;

enum class JobState { Queued, Running, Succeeded, Failed, Cancelled };
std::string_view to_string(JobState state);  // "queued", "running", ...
std::optional<JobState> parse_job_state(std::string_view text);
bool is_finished(JobState state);  // succeeded, failed, cancelled

struct JobSpec {
  std::string
      kind;  // "summarize" | "rephrase" | "expand" | "blog" | "product" | "social" | "invoke"
  std::string input_json;       // the input object as JSON text (same fields as the /api endpoint)
  std::string idempotency_key;  // empty: none. Unique among all jobs kept by the store.
  int priority = 0;             // higher runs first; equal: older first
  std::optional<Clock::time_point> deadline;  // not finished by then: failed DeadlineExceeded
  int max_attempts = 3;                       // lease losses (worker died) before the job fails
};

struct Job {
  std::string id;  // store-made, unique, URL-safe ("job_" + 32 hex)
  JobSpec spec;
  JobState state = JobState::Queued;
  int attempts = 0;                                    // claims so far
  std::int64_t progress_done = 0, progress_total = 0;  // map-reduce chunks
  std::int64_t progress_tokens = 0;  // input + output tokens of the calls so far (estimated)
  std::string result_json;           // succeeded: the answer object (the /api answer's JSON)
  std::string error_code;            // failed: to_string(ErrorCode); cancelled: "Cancelled"
  std::string error_message;         // failed: the user-facing sentence
  std::string records_json;          // JSON array of invocation records (may be empty)
  std::string worker_id;             // running: the lease holder
  Clock::time_point created_at, updated_at;
  std::optional<Clock::time_point> started_at, finished_at, lease_expires_at;
};

struct SubmitResult {
  Job job;
  bool created = true;  // false: a job with the same idempotency key existed; that job is returned
};

struct ListQuery {
  std::optional<JobState> state;  // none: all
  std::size_t limit = 50;         // capped at 1000
  std::string after;              // page cursor: the next_cursor of the previous page ("" = first)
};
struct JobPage {
  std::vector<Job> jobs;    // newest first
  std::string next_cursor;  // "" when this is the last page
};

struct StoreCounts {
  std::int64_t queued = 0, running = 0, succeeded = 0, failed = 0, cancelled = 0;
};

// A running job's progress as the store keeps it: map-reduce chunks and tokens so far.
struct Progress {
  std::int64_t done = 0, total = 0, tokens = 0;
};

// The outcome of a running job, written by JobStore::finish_batch: succeed() or fail() with the
// job's last progress (when it has some) written in the same change.
struct Completion {
  std::string id;
  std::string worker_id;
  bool succeeded = true;
  std::string result_json;    // succeeded
  std::string error_code;     // failed
  std::string error_message;  // failed
  std::string records_json;
  std::optional<Progress> progress;
};

struct StoreOptions {
  std::size_t max_queued = 100'000;  // submit past it: QueueFull
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds operation_timeout{10000};  // every statement; a dead DB fails in time
};

}  // namespace bedrock::jobs
