// The job runner's threads together (HTTP handlers, store threads with their one submit flush
// and one result flush at a time, the claimer, the model calls), in-process so that the
// ThreadSanitizer run covers them: concurrent submitters, every job run once and stored.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integration/server/api_test_support.h"

namespace bedrock::server::testing {
namespace {

constexpr const char* kJobModel = "anthropic.claude-3-haiku-20240307-v1:0";

class JobsRunner : public SharedApiHarness<JobsRunner> {
 public:
  static std::vector<std::string> emulator_flags() { return {}; }
};

TEST_F(JobsRunner, ConcurrentSubmittersGetEveryJobRunOnceAndStored) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        nlohmann::json body = {
            {"kind", "invoke"},
            {"input", {{"model", kJobModel}, {"prompt", "Say hi"}, {"max_tokens", 20}}},
            {"idempotency_key", "burst-" + std::to_string(t) + "-" + std::to_string(i)}};
        Answer a = harness_->post("/v1/jobs", body);
        if (a.status != 202 || !a.json.contains("id")) {
          failures[t] = std::to_string(a.status) + " " + a.raw;
          return;
        }
        ids[t].push_back(a.json["id"].get<std::string>());
      }
    });
  }
  for (auto& s : submitters) s.join();
  for (const auto& f : failures) ASSERT_EQ(f, "");

  std::set<std::string> distinct;
  for (const auto& per_thread : ids) distinct.insert(per_thread.begin(), per_thread.end());
  ASSERT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (const std::string& id : distinct) {
    Answer job;
    for (;;) {
      job = harness_->get("/v1/jobs/" + id);
      ASSERT_EQ(job.status, 200u) << job.raw;
      const std::string status = job.json.value("status", "");
      if (status != "queued" && status != "running") break;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << id << " still " << status;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(job.json.value("status", ""), "succeeded") << job.raw;
    EXPECT_EQ(job.json.value("attempts", 0), 1) << job.raw;
    EXPECT_TRUE(job.json.contains("result")) << job.raw;
  }

  // A key submitted again answers the job it made, not a new one.
  nlohmann::json again = {
      {"kind", "invoke"},
      {"input", {{"model", kJobModel}, {"prompt", "Say hi"}, {"max_tokens", 20}}},
      {"idempotency_key", "burst-0-0"}};
  Answer repeat = harness_->post("/v1/jobs", again);
  EXPECT_EQ(repeat.status, 200u) << repeat.raw;
  EXPECT_EQ(repeat.json.value("id", ""), ids[0][0]);
}

}  // namespace
}  // namespace bedrock::server::testing
