#include "server/jobs/job_json.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace bedrock::server::jobs {

using bedrock::jobs::Job;

std::string rfc3339(bedrock::jobs::Clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc, ms.count() % 1000);
}

nlohmann::json job_json(const Job& job, bool with_records) {
  nlohmann::json j = {{"id", job.id},
                      {"kind", job.spec.kind},
                      {"status", std::string(bedrock::jobs::to_string(job.state))},
                      {"priority", job.spec.priority},
                      {"attempts", job.attempts},
                      {"progress",
                       {{"done", job.progress_done},
                        {"total", job.progress_total},
                        {"tokens", job.progress_tokens}}},
                      {"created_at", rfc3339(job.created_at)}};
  if (!job.spec.idempotency_key.empty()) j["idempotency_key"] = job.spec.idempotency_key;
  if (job.started_at) {
    j["started_at"] = rfc3339(*job.started_at);
    // The server's own clock: a browser's clock may be off by more than the job has run.
    const auto end = job.finished_at.value_or(bedrock::jobs::Clock::now());
    j["progress"]["elapsed_ms"] = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(end - *job.started_at).count());
  }
  if (job.finished_at) j["finished_at"] = rfc3339(*job.finished_at);
  if (job.spec.deadline) j["deadline"] = rfc3339(*job.spec.deadline);
  if (job.state == bedrock::jobs::JobState::Succeeded) {
    j["result"] = nlohmann::json::parse(job.result_json, nullptr, false);
  }
  if (job.state == bedrock::jobs::JobState::Failed ||
      job.state == bedrock::jobs::JobState::Cancelled) {
    j["error"] = {{"code", job.error_code.empty() ? "Cancelled" : job.error_code},
                  {"message", job.error_message}};
  }
  if (with_records) {
    auto records = nlohmann::json::parse(job.records_json, nullptr, false);
    j["records"] = records.is_array() ? records : nlohmann::json::array();
  }
  return j;
}

std::string records_json(const std::vector<runtime::InvocationRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records) {
    out.push_back({{"request_id", r.request_id},
                   {"model_requested", r.model_requested},
                   {"model_used", r.model_used},
                   {"attempts", r.attempts},
                   {"input_tokens", r.input_tokens},
                   {"output_tokens", r.output_tokens},
                   {"latency_ms", static_cast<double>(r.latency.count()) / 1000.0},
                   {"cost_usd", r.cost_usd}});
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bedrock::server::jobs
