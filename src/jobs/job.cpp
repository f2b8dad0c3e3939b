#include "bedrock/jobs/job.h"

#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::Queued:
      return "queued";
    case JobState::Running:
      return "running";
    case JobState::Succeeded:
      return "succeeded";
    case JobState::Failed:
      return "failed";
    case JobState::Cancelled:
      return "cancelled";
  }
  return "queued";
}

std::optional<JobState> parse_job_state(std::string_view text) {
  for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                     JobState::Cancelled}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

bool is_finished(JobState state) {
  return state == JobState::Succeeded || state == JobState::Failed || state == JobState::Cancelled;
}

Result<std::vector<bool>> JobStore::finish_batch(const std::vector<Completion>& completions) {
  std::vector<bool> held;
  held.reserve(completions.size());
  for (const Completion& c : completions) {
    if (c.progress) {
      auto p = progress(c.id, c.worker_id, c.progress->done, c.progress->total, c.progress->tokens);
      if (!p) return bedrock::fail(p.error());
    }
    auto written = c.succeeded
                       ? succeed(c.id, c.worker_id, c.result_json, c.records_json)
                       : fail(c.id, c.worker_id, c.error_code, c.error_message, c.records_json);
    if (!written) return bedrock::fail(written.error());
    held.push_back(*written);
  }
  return held;
}

}  // namespace bedrock::jobs
