// The JobStore contract, run against every backend (SQLite file, PostgreSQL): the same
// semantics whichever store the server is configured with.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bedrock/jobs/job_store.h"
#include "store_backends.h"

namespace bedrock::jobs {
namespace {

using namespace std::chrono_literals;
using testing::make_backend;
using testing::StoreBackend;

JobSpec spec(std::string key = "", int priority = 0) {
  JobSpec s;
  s.kind = "summarize";
  s.input_json = R"({"text":"hello"})";
  s.idempotency_key = std::move(key);
  s.priority = priority;
  return s;
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = make_backend(GetParam());
    std::string why;
    url_ = backend_->fresh_url(why);
    if (url_.empty()) GTEST_SKIP() << why;
    store_ = open(StoreOptions{});
  }

  std::unique_ptr<JobStore> open(StoreOptions options) {
    options.operation_timeout = 10s;
    auto store = open_job_store(url_, options);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  Job submitted(const JobSpec& s) {
    auto r = store_->submit(s);
    EXPECT_TRUE(r) << r.error().message;
    return r->job;
  }

  Job fetched(const std::string& id) {
    auto r = store_->get(id);
    EXPECT_TRUE(r && r->has_value());
    return **r;
  }

  std::unique_ptr<StoreBackend> backend_;
  std::string url_;
  std::unique_ptr<JobStore> store_;
};

TEST_P(StoreContract, SubmitStoresTheJobAsQueued) {
  JobSpec s = spec("key-1", 5);
  s.deadline = Clock::now() + 1h;
  s.max_attempts = 4;
  auto r = store_->submit(s);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(store_->backend(), GetParam());
  const Job& job = r->job;
  EXPECT_EQ(job.id.size(), 36u);
  EXPECT_TRUE(job.id.starts_with("job_"));
  const Job got = fetched(job.id);
  EXPECT_EQ(got.state, JobState::Queued);
  EXPECT_EQ(got.spec.kind, "summarize");
  EXPECT_EQ(got.spec.input_json, R"({"text":"hello"})");
  EXPECT_EQ(got.spec.idempotency_key, "key-1");
  EXPECT_EQ(got.spec.priority, 5);
  EXPECT_EQ(got.spec.max_attempts, 4);
  ASSERT_TRUE(got.spec.deadline);
  EXPECT_EQ(got.spec.deadline, job.spec.deadline);
  EXPECT_EQ(got.created_at, job.created_at);
  EXPECT_EQ(got.attempts, 0);
  EXPECT_FALSE(got.started_at);
  EXPECT_FALSE(got.lease_expires_at);
  auto missing = store_->get("job_00000000000000000000000000000000");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StoreContract, AnInvalidSpecIsRefused) {
  JobSpec s = spec();
  s.kind.clear();
  auto r = store_->submit(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  s = spec();
  s.max_attempts = 0;
  EXPECT_EQ(store_->submit(s).error().code, ErrorCode::Validation);
}

TEST_P(StoreContract, AnExistingIdempotencyKeyReturnsTheExistingJob) {
  const Job first = submitted(spec("same"));
  auto again = store_->submit(spec("same", 9));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->job.id, first.id);
  EXPECT_EQ(again->job.spec.priority, 0) << "the existing job, not the new spec";
  auto counts = store_->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->queued, 1);
}

TEST_P(StoreContract, ConcurrentSubmittersOfOneKeyCreateOneJob) {
  constexpr int kThreads = 6, kKeys = 20;
  std::mutex mu;
  std::map<std::string, std::set<std::string>> ids_by_key;
  std::map<std::string, int> created_by_key;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < kKeys; ++k) {
        const std::string key = "k" + std::to_string(k);
        auto r = store_->submit(spec(key));
        if (!r) {
          ++errors;
          continue;
        }
        std::lock_guard lock(mu);
        ids_by_key[key].insert(r->job.id);
        created_by_key[key] += r->created ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(ids_by_key.size(), static_cast<std::size_t>(kKeys));
  for (const auto& [key, ids] : ids_by_key) {
    EXPECT_EQ(ids.size(), 1u) << key;
    EXPECT_EQ(created_by_key[key], 1) << key;
  }
  EXPECT_EQ(store_->counts()->queued, kKeys);
}

TEST_P(StoreContract, SubmittingPastTheBoundIsQueueFull) {
  StoreOptions options;
  options.max_queued = 3;
  auto bounded = open(options);
  ASSERT_TRUE(bounded);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(bounded->submit(spec("q" + std::to_string(i))));
  auto refused = bounded->submit(spec("q3"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::QueueFull);
  EXPECT_EQ(to_string(refused.error().code), "QueueFull");
  EXPECT_FALSE(refused.error().retryable);
  // An existing key is answered even when full: nothing new is queued.
  auto existing = bounded->submit(spec("q1"));
  ASSERT_TRUE(existing);
  EXPECT_FALSE(existing->created);
  // A batch that does not fit is refused whole.
  auto batch = bounded->submit_batch({spec(), spec()});
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::QueueFull);
  EXPECT_EQ(bounded->counts()->queued, 3);
  // Claiming makes room.
  ASSERT_EQ(bounded->claim("w", 1, 10s)->size(), 1u);
  EXPECT_TRUE(bounded->submit(spec("q3")));
}

TEST_P(StoreContract, SubmitBatchStoresEveryJobAndDeduplicatesKeys) {
  auto r = store_->submit_batch({spec("a"), spec(), spec("a"), spec("b")});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_TRUE((*r)[0].created);
  EXPECT_TRUE((*r)[1].created);
  EXPECT_FALSE((*r)[2].created);
  EXPECT_EQ((*r)[2].job.id, (*r)[0].job.id);
  EXPECT_TRUE((*r)[3].created);
  EXPECT_EQ(store_->counts()->queued, 3);
  JobSpec bad = spec();
  bad.kind.clear();
  auto refused = store_->submit_batch({spec("c"), bad});
  ASSERT_FALSE(refused);
  EXPECT_EQ(store_->counts()->queued, 3) << "nothing of a refused batch is stored";
}

TEST_P(StoreContract, ClaimTakesHighestPriorityThenOldest) {
  const Job low = submitted(spec("", 0));
  std::this_thread::sleep_for(2ms);
  const Job high_old = submitted(spec("", 5));
  std::this_thread::sleep_for(2ms);
  const Job high_new = submitted(spec("", 5));
  auto claimed = store_->claim("w1", 2, 30s);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, high_old.id);
  EXPECT_EQ((*claimed)[1].id, high_new.id);
  auto rest = store_->claim("w2", 10, 30s);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().id, low.id);
  EXPECT_TRUE(store_->claim("w3", 10, 30s)->empty());
}

TEST_P(StoreContract, ARunningJobSucceedsOnceForItsLeaseHolder) {
  const Job job = submitted(spec());
  const auto before = Clock::now();
  auto claimed = store_->claim("w1", 1, 30s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  const Job& running = claimed->front();
  EXPECT_EQ(running.state, JobState::Running);
  EXPECT_EQ(running.worker_id, "w1");
  EXPECT_EQ(running.attempts, 1);
  ASSERT_TRUE(running.lease_expires_at);
  EXPECT_GT(*running.lease_expires_at, before + 25s);
  EXPECT_TRUE(running.started_at);

  EXPECT_FALSE(*store_->succeed(job.id, "someone-else", "{}", "[]"));
  EXPECT_TRUE(*store_->renew(job.id, "w1", 60s));
  EXPECT_GT(*fetched(job.id).lease_expires_at, before + 55s);
  EXPECT_EQ(fetched(job.id).progress_tokens, 0);
  EXPECT_TRUE(*store_->progress(job.id, "w1", 2, 5, 12'345'678'901));
  EXPECT_EQ(fetched(job.id).progress_done, 2);
  EXPECT_EQ(fetched(job.id).progress_total, 5);
  EXPECT_EQ(fetched(job.id).progress_tokens, 12'345'678'901);
  EXPECT_TRUE(*store_->succeed(job.id, "w1", R"({"summary":"hi"})", R"([{"model":"m"}])"));
  const Job done = fetched(job.id);
  EXPECT_EQ(done.state, JobState::Succeeded);
  EXPECT_EQ(done.result_json, R"({"summary":"hi"})");
  EXPECT_EQ(done.records_json, R"([{"model":"m"}])");
  EXPECT_TRUE(done.finished_at);
  EXPECT_FALSE(done.lease_expires_at);
  EXPECT_FALSE(*store_->succeed(job.id, "w1", "{}", "[]")) << "never succeeds twice";
  EXPECT_FALSE(*store_->renew(job.id, "w1", 30s));
  EXPECT_FALSE(*store_->fail(job.id, "w1", "Throttling", "late", ""));
  EXPECT_TRUE(is_finished(done.state));
}

TEST_P(StoreContract, FailStoresTheTypedError) {
  const Job job = submitted(spec());
  ASSERT_EQ(store_->claim("w1", 1, 30s)->size(), 1u);
  EXPECT_TRUE(*store_->fail(job.id, "w1", "Throttling", "Bedrock is throttling.", "[1]"));
  const Job failed = fetched(job.id);
  EXPECT_EQ(failed.state, JobState::Failed);
  EXPECT_EQ(failed.error_code, "Throttling");
  EXPECT_EQ(failed.error_message, "Bedrock is throttling.");
  EXPECT_EQ(failed.records_json, "[1]");
}

TEST_P(StoreContract, FinishBatchWritesEachHeldOutcomeOnce) {
  const Job a = submitted(spec("fa"));
  const Job b = submitted(spec("fb"));
  const Job c = submitted(spec("fc"));
  ASSERT_EQ(store_->claim("w1", 3, 30s)->size(), 3u);
  ASSERT_TRUE(store_->cancel(c.id));
  // Text a batch carries as an array element: quotes, backslashes, braces, commas, NULL-like.
  const std::string tricky = R"({"text":"a \"quoted\" \\ {x,y} NULL, é"})";
  Completion ok{a.id, "w1", true, tricky, "", "", R"([{"model":"m"}])", Progress{3, 4, 1200}};
  Completion failed{b.id,   "w1",        false, "", "Throttling", "Bedrock is \"busy\", {1}",
                    "NULL", std::nullopt};
  Completion cancelled{c.id, "w1", true, "{}", "", "", "", std::nullopt};
  Completion stranger{a.id, "w2", true, "{}", "", "", "", std::nullopt};
  auto written = store_->finish_batch({ok, failed, cancelled});
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, (std::vector<bool>{true, true, false}));
  const Job done = fetched(a.id);
  EXPECT_EQ(done.state, JobState::Succeeded);
  EXPECT_EQ(done.result_json, tricky);
  EXPECT_EQ(done.records_json, R"([{"model":"m"}])");
  EXPECT_EQ(done.progress_done, 3);
  EXPECT_EQ(done.progress_total, 4);
  EXPECT_EQ(done.progress_tokens, 1200);
  EXPECT_TRUE(done.finished_at);
  EXPECT_FALSE(done.lease_expires_at);
  const Job refused = fetched(b.id);
  EXPECT_EQ(refused.state, JobState::Failed);
  EXPECT_EQ(refused.error_code, "Throttling");
  EXPECT_EQ(refused.error_message, R"(Bedrock is "busy", {1})");
  EXPECT_EQ(refused.records_json, "NULL");
  EXPECT_EQ(fetched(c.id).state, JobState::Cancelled);
  auto again = store_->finish_batch({ok, failed, stranger});
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (std::vector<bool>{false, false, false})) << "never finishes twice";
  EXPECT_TRUE(store_->finish_batch({})->empty());
}

TEST_P(StoreContract, OneClaimTakesExpiredLeasesFirstThenQueuedJobs) {
  const Job first = submitted(spec("", 0));
  ASSERT_EQ(store_->claim("w1", 1, 50ms)->size(), 1u);
  const Job high = submitted(spec("", 5));
  const Job low = submitted(spec("", 1));
  std::this_thread::sleep_for(150ms);
  auto claimed = store_->claim("w2", 2, 30s);
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, first.id);
  EXPECT_EQ((*claimed)[0].attempts, 2);
  EXPECT_EQ((*claimed)[1].id, high.id);
  auto rest = store_->claim("w3", 5, 30s);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().id, low.id);
}

TEST_P(StoreContract, SubmitBatchKeepsOrderAndTextExactly) {
  std::vector<JobSpec> specs;
  for (int i = 0; i < 50; ++i) {
    JobSpec s = spec(i % 2 ? "k" + std::to_string(i) : "");
    s.input_json = R"({"text":"line\n \"q\" \\ {a,b} NULL )" + std::to_string(i) + "\"}";
    s.priority = i % 3;
    if (i == 7) s.deadline = Clock::now() + 1h;
    specs.push_back(s);
  }
  auto r = store_->submit_batch(specs);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    EXPECT_TRUE((*r)[i].created);
    const Job stored = fetched((*r)[i].job.id);
    EXPECT_EQ(stored.spec.input_json, specs[i].input_json);
    EXPECT_EQ(stored.spec.idempotency_key, specs[i].idempotency_key);
    EXPECT_EQ(stored.spec.priority, specs[i].priority);
    EXPECT_EQ(stored.spec.deadline.has_value(), i == 7);
  }
  // Equal priority and time: claimed in submission order.
  auto claimed = store_->claim("w1", 50, 30s);
  ASSERT_TRUE(claimed);
  std::vector<std::string> zeros;
  for (const Job& j : *claimed) {
    if (j.spec.priority == 0) zeros.push_back(j.id);
  }
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < specs.size(); i += 3) expected.push_back((*r)[i].job.id);
  EXPECT_EQ(zeros, expected);
}

TEST_P(StoreContract, AnExpiredLeaseIsClaimedAgainAndTheOldHolderLosesIt) {
  const Job job = submitted(spec());
  // A lease long enough that a loaded machine (sanitizers, two test processes on two cores)
  // still asks again well inside it.
  const auto leased_at = std::chrono::steady_clock::now();
  ASSERT_EQ(store_->claim("w1", 1, 1000ms)->size(), 1u);
  if (std::chrono::steady_clock::now() - leased_at < 500ms) {
    EXPECT_TRUE(store_->claim("w2", 1, 30s)->empty()) << "the lease still holds";
  }
  std::this_thread::sleep_until(leased_at + 1200ms);
  auto again = store_->claim("w2", 1, 30s);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().id, job.id);
  EXPECT_EQ(again->front().attempts, 2);
  EXPECT_EQ(again->front().worker_id, "w2");
  EXPECT_FALSE(*store_->renew(job.id, "w1", 30s));
  EXPECT_FALSE(*store_->progress(job.id, "w1", 1, 1, 1));
  EXPECT_FALSE(*store_->succeed(job.id, "w1", "{}", "[]"));
  EXPECT_TRUE(*store_->succeed(job.id, "w2", R"({"ok":true})", ""));
  EXPECT_EQ(fetched(job.id).result_json, R"({"ok":true})");
}

TEST_P(StoreContract, AJobOutOfAttemptsFailsInsteadOfRunningAgain) {
  JobSpec s = spec();
  s.max_attempts = 1;
  const Job job = submitted(s);
  ASSERT_EQ(store_->claim("w1", 1, 50ms)->size(), 1u);
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(store_->claim("w2", 1, 30s)->empty());
  const Job failed = fetched(job.id);
  EXPECT_EQ(failed.state, JobState::Failed);
  EXPECT_EQ(failed.error_code, "LeaseExpired");
  EXPECT_FALSE(failed.error_message.empty());
  EXPECT_EQ(failed.attempts, 1);
}

TEST_P(StoreContract, AJobPastItsDeadlineFailsInsteadOfBeingClaimed) {
  JobSpec s = spec();
  s.deadline = Clock::now() + 50ms;
  const Job late = submitted(s);
  const Job fine = submitted(spec());
  std::this_thread::sleep_for(150ms);
  auto claimed = store_->claim("w1", 10, 30s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->front().id, fine.id);
  const Job failed = fetched(late.id);
  EXPECT_EQ(failed.state, JobState::Failed);
  EXPECT_EQ(failed.error_code, "DeadlineExceeded");
  EXPECT_TRUE(failed.finished_at);
}

TEST_P(StoreContract, CancelStopsQueuedAndRunningJobs) {
  const Job queued = submitted(spec());
  auto cancelled = store_->cancel(queued.id);
  ASSERT_TRUE(cancelled && cancelled->has_value());
  EXPECT_EQ((*cancelled)->state, JobState::Cancelled);
  EXPECT_EQ((*cancelled)->error_code, "Cancelled");
  EXPECT_TRUE(store_->claim("w1", 1, 30s)->empty()) << "a cancelled job is never claimed";

  const Job running = submitted(spec());
  ASSERT_EQ(store_->claim("w1", 1, 30s)->size(), 1u);
  ASSERT_TRUE(store_->cancel(running.id));
  EXPECT_FALSE(*store_->renew(running.id, "w1", 30s)) << "the worker learns of the cancel";
  EXPECT_FALSE(*store_->succeed(running.id, "w1", "{}", ""));
  EXPECT_EQ(fetched(running.id).state, JobState::Cancelled);

  const Job done = submitted(spec());
  ASSERT_EQ(store_->claim("w1", 1, 30s)->size(), 1u);
  ASSERT_TRUE(*store_->succeed(done.id, "w1", "{}", ""));
  auto unchanged = store_->cancel(done.id);
  ASSERT_TRUE(unchanged && unchanged->has_value());
  EXPECT_EQ((*unchanged)->state, JobState::Succeeded);

  auto unknown = store_->cancel("job_ffffffffffffffffffffffffffffffff");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(StoreContract, ListPagesNewestFirstWithoutRepeats) {
  std::vector<std::string> ids;
  for (int i = 0; i < 25; ++i) {
    ids.push_back(submitted(spec()).id);
    if (i % 5 == 0) std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(store_->claim("w", 3, 30s)->size(), 3u);
  std::vector<Job> seen;
  ListQuery q;
  q.limit = 10;
  for (int page = 0; page < 5; ++page) {
    auto r = store_->list(q);
    ASSERT_TRUE(r) << r.error().message;
    for (Job& job : r->jobs) seen.push_back(std::move(job));
    if (r->next_cursor.empty()) break;
    q.after = r->next_cursor;
  }
  ASSERT_EQ(seen.size(), 25u);
  std::set<std::string> unique;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    unique.insert(seen[i].id);
    if (i > 0) {
      EXPECT_GE(seen[i - 1].created_at, seen[i].created_at);
    }
  }
  EXPECT_EQ(unique.size(), 25u);
  EXPECT_EQ(unique, std::set<std::string>(ids.begin(), ids.end()));

  ListQuery running;
  running.state = JobState::Running;
  auto r = store_->list(running);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->jobs.size(), 3u);
  EXPECT_TRUE(r->next_cursor.empty());
  for (const Job& job : r->jobs) EXPECT_EQ(job.state, JobState::Running);

  ListQuery bad;
  bad.after = "not-a-cursor";
  auto refused = store_->list(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Validation);
}

TEST_P(StoreContract, CountsEveryState) {
  for (int i = 0; i < 5; ++i) submitted(spec());
  auto claimed = store_->claim("w", 4, 30s);
  ASSERT_EQ(claimed->size(), 4u);
  ASSERT_TRUE(*store_->succeed((*claimed)[0].id, "w", "{}", ""));
  ASSERT_TRUE(*store_->fail((*claimed)[1].id, "w", "Throttling", "x", ""));
  ASSERT_TRUE(store_->cancel((*claimed)[2].id));
  auto counts = store_->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->queued, 1);
  EXPECT_EQ(counts->running, 1);
  EXPECT_EQ(counts->succeeded, 1);
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->cancelled, 1);
}

TEST_P(StoreContract, PurgeDeletesOnlyJobsFinishedBeforeTheCutoff) {
  const Job old_done = submitted(spec("purged-key"));
  ASSERT_EQ(store_->claim("w", 1, 30s)->size(), 1u);
  ASSERT_TRUE(*store_->succeed(old_done.id, "w", "{}", ""));
  std::this_thread::sleep_for(5ms);
  const auto cutoff = Clock::now();
  std::this_thread::sleep_for(5ms);
  const Job new_done = submitted(spec());
  ASSERT_EQ(store_->claim("w", 1, 30s)->size(), 1u);
  ASSERT_TRUE(*store_->succeed(new_done.id, "w", "{}", ""));
  const Job queued = submitted(spec());
  auto purged = store_->purge_finished(cutoff);
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(store_->get(old_done.id)->has_value());
  EXPECT_TRUE(store_->get(new_done.id)->has_value());
  EXPECT_TRUE(store_->get(queued.id)->has_value());
  // A purged job's idempotency key is free again.
  EXPECT_TRUE(store_->submit(spec("purged-key"))->created);
}

TEST_P(StoreContract, ConcurrentClaimersNeverShareAJob) {
  constexpr int kJobs = 2000, kThreads = 4;
  std::vector<JobSpec> specs(kJobs, spec());
  for (int i = 0; i < kJobs; i += 500) {
    auto r = store_->submit_batch(std::vector<JobSpec>(specs.begin() + i, specs.begin() + i + 500));
    ASSERT_TRUE(r) << r.error().message;
  }
  std::mutex mu;
  std::map<std::string, int> claims;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string worker = "w" + std::to_string(t);
      for (int round = 0; round < 1000; ++round) {
        auto r = store_->claim(worker, 25, 60s);
        if (!r) {
          ++errors;
          continue;
        }
        if (r->empty()) return;
        for (const Job& job : *r) {
          if (!*store_->succeed(job.id, worker, "{}", "")) ++errors;
          std::lock_guard lock(mu);
          ++claims[job.id];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claims.size(), static_cast<std::size_t>(kJobs));
  for (const auto& [id, n] : claims) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(store_->counts()->succeeded, kJobs);
}

TEST_P(StoreContract, ReopeningKeepsJobsAndAppliesNoMigrationTwice) {
  const Job job = submitted(spec("kept"));
  store_.reset();
  auto reopened = open(StoreOptions{});
  ASSERT_TRUE(reopened);
  auto got = reopened->get(job.id);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->spec.idempotency_key, "kept");
  auto again = open(StoreOptions{});
  ASSERT_TRUE(again) << "a third open over the same schema is fine too";
}

std::string backend_name(const ::testing::TestParamInfo<std::string>& backend) {
  return backend.param;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values("sqlite", "postgresql"),
                         backend_name);

}  // namespace
}  // namespace bedrock::jobs
