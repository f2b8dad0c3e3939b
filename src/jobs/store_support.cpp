#include "store_support.h"

#include <fmt/format.h>

#include <charconv>
#include <random>

namespace bedrock::jobs {

Status validate_spec(const JobSpec& spec) {
  if (spec.kind.empty()) return fail(ErrorCode::Validation, "the job has no kind");
  if (spec.kind.size() > kMaxKindBytes) {
    return fail(ErrorCode::Validation,
                fmt::format("the job kind is longer than {} bytes", kMaxKindBytes));
  }
  if (spec.idempotency_key.size() > kMaxIdempotencyKeyBytes) {
    return fail(ErrorCode::Validation, fmt::format("the idempotency key is longer than {} bytes",
                                                   kMaxIdempotencyKeyBytes));
  }
  if (spec.max_attempts < 1 || spec.max_attempts > kMaxAttemptsLimit) {
    return fail(ErrorCode::Validation,
                fmt::format("max_attempts must be between 1 and {}", kMaxAttemptsLimit));
  }
  return {};
}

std::string new_job_id() {
  // Ids are names, not secrets: a per-thread engine seeded from the OS is unique enough and
  // takes no lock on the submit path.
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  return fmt::format("job_{:016x}{:016x}", engine(), engine());
}

std::int64_t to_micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_micros(std::int64_t us) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(us)));
}

std::string encode_cursor(const Job& last) {
  return fmt::format("{}.{}", to_micros(last.created_at), last.id);
}

Result<Cursor> decode_cursor(std::string_view text) {
  const std::size_t dot = text.find('.');
  Cursor cursor;
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size() || text.size() > 128) {
    return fail(ErrorCode::Validation, "the page cursor is not one this store made");
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + dot, cursor.created_us);
  if (ec != std::errc() || end != text.data() + dot) {
    return fail(ErrorCode::Validation, "the page cursor is not one this store made");
  }
  cursor.id = std::string(text.substr(dot + 1));
  return cursor;
}

void record_count(StoreCounts& counts, std::string_view state, std::int64_t n) {
  const auto parsed = parse_job_state(state);
  if (!parsed) return;
  switch (*parsed) {
    case JobState::Queued:
      counts.queued = n;
      break;
    case JobState::Running:
      counts.running = n;
      break;
    case JobState::Succeeded:
      counts.succeeded = n;
      break;
    case JobState::Failed:
      counts.failed = n;
      break;
    case JobState::Cancelled:
      counts.cancelled = n;
      break;
  }
}

Job make_queued_job(const JobSpec& spec, Clock::time_point now) {
  Job job;
  job.id = new_job_id();
  job.spec = spec;
  job.state = JobState::Queued;
  // Stored at microsecond precision: the returned job equals what get() reads back.
  job.created_at = job.updated_at = from_micros(to_micros(now));
  if (job.spec.deadline) job.spec.deadline = from_micros(to_micros(*job.spec.deadline));
  return job;
}

}  // namespace bedrock::jobs
