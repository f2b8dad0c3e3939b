// What only the PostgreSQL backend has: a server restart under a running store, the migration
// lock, and a schema newer than the program.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <thread>

#include "bedrock/jobs/job_store.h"
#include "store_backends.h"

namespace bedrock::jobs {
namespace {

using namespace std::chrono_literals;

JobSpec spec(std::string key) {
  JobSpec s;
  s.kind = "invoke";
  s.input_json = "{}";
  s.idempotency_key = std::move(key);
  return s;
}

class PostgresStore : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = testing::make_backend("postgresql");
    std::string why;
    url_ = backend_->fresh_url(why);
    if (url_.empty()) GTEST_SKIP() << why;
  }
  std::unique_ptr<testing::StoreBackend> backend_;
  std::string url_;
};

// The server restarts mid-run: the next calls reconnect, and nothing committed is lost.
TEST_F(PostgresStore, ARestartedServerIsReconnectedToAndLosesNothing) {
  auto store = open_job_store(url_);
  ASSERT_TRUE(store) << store.error().message;
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto r = (*store)->submit(spec("before-" + std::to_string(i)));
    ASSERT_TRUE(r) << r.error().message;
    ids.push_back(r->job.id);
  }
  auto claimed = (*store)->claim("w1", 5, 60s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 5u);

  const std::string command = std::string(BEDROCK_SOURCE_DIR) + "/scripts/test-postgres restart " +
                              testing::postgres_state_dir();
  ASSERT_EQ(std::system(command.c_str()), 0);

  // Every pooled session died with the server; the store notices and connects again.
  auto counts = (*store)->counts();
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->queued, 15);
  EXPECT_EQ(counts->running, 5);
  for (const Job& job : *claimed) {
    auto done = (*store)->succeed(job.id, "w1", "{}", "");
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_TRUE(*done);
  }
  auto after = (*store)->submit(spec("after"));
  ASSERT_TRUE(after) << after.error().message;
  for (const std::string& id : ids) {
    auto got = (*store)->get(id);
    ASSERT_TRUE(got && got->has_value()) << id;
  }
  EXPECT_EQ((*store)->counts()->succeeded, 5);
}

TEST_F(PostgresStore, TwoStoresOpeningAtOnceMigrateOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto store = open_job_store(url_);
      if (store) ++opened;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), 4);
}

TEST_F(PostgresStore, ASchemaNewerThanTheProgramIsRefused) {
  ASSERT_TRUE(open_job_store(url_));
  PGconn* conn = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK);
  PGresult* r = PQexec(conn, "INSERT INTO schema_migrations VALUES (999, 0)");
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  auto refused = open_job_store(url_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(refused.error().message.find("999"), std::string::npos) << refused.error().message;
}

JobSpec with_priority(std::string key, int priority) {
  JobSpec s = spec(std::move(key));
  s.priority = priority;
  return s;
}

// A submit with free worker slots: up to `max` new jobs start at once for the worker, highest
// priority first; the rest are queued and claimed as usual; the started ones are held like
// claimed ones (renew, succeed by their worker only).
TEST_F(PostgresStore, ASubmitStartsUpToMaxNewJobsForItsWorker) {
  auto store = open_job_store(url_);
  ASSERT_TRUE(store) << store.error().message;
  auto submitted = (*store)->submit_batch_claiming(
      {with_priority("a", 0), with_priority("b", 5), with_priority("c", 0), with_priority("d", 0)},
      "w1", 2, 60s);
  ASSERT_TRUE(submitted) << submitted.error().message;
  ASSERT_EQ(submitted->size(), 4u);
  std::vector<std::string> started, queued;
  for (const SubmitResult& r : *submitted) {
    EXPECT_TRUE(r.created);
    if (r.job.state == JobState::Running) {
      started.push_back(r.job.spec.idempotency_key);
      EXPECT_EQ(r.job.worker_id, "w1");
      EXPECT_EQ(r.job.attempts, 1);
      ASSERT_TRUE(r.job.started_at && r.job.lease_expires_at);
      EXPECT_EQ(*r.job.started_at, r.job.created_at);
      EXPECT_GT(*r.job.lease_expires_at, r.job.created_at + 50s);
    } else {
      EXPECT_EQ(r.job.state, JobState::Queued);
      queued.push_back(r.job.spec.idempotency_key);
    }
  }
  // b (priority 5) first, then a (the older of the priority-0 jobs).
  EXPECT_EQ(started, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(queued, (std::vector<std::string>{"c", "d"}));
  auto counts = (*store)->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->running, 2);
  EXPECT_EQ(counts->queued, 2);

  // Another worker claims the queued ones only; the started ones belong to w1.
  auto claimed = (*store)->claim("w2", 10, 60s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ(claimed->at(0).spec.idempotency_key, "c");
  for (const SubmitResult& r : *submitted) {
    if (r.job.state != JobState::Running) continue;
    EXPECT_FALSE(*(*store)->succeed(r.job.id, "w2", "{}", ""));
    EXPECT_TRUE(*(*store)->renew(r.job.id, "w1", 60s));
    EXPECT_TRUE(*(*store)->succeed(r.job.id, "w1", "{}", ""));
  }
  EXPECT_EQ((*store)->counts()->succeeded, 2);
}

// A queued job of the same or a higher priority would be claimed first: the submit starts
// none that it would pass, and a known key is answered with its job, never started again.
TEST_F(PostgresStore, ASubmitStartsNoJobThatAQueuedJobWouldPrecede) {
  auto store = open_job_store(url_);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->submit(with_priority("waiting", 3)));

  auto same = (*store)->submit_batch_claiming({with_priority("same", 3)}, "w1", 5, 60s);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->front().job.state, JobState::Queued);
  auto lower = (*store)->submit_batch_claiming({with_priority("lower", -1)}, "w1", 5, 60s);
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->front().job.state, JobState::Queued);
  auto higher = (*store)->submit_batch_claiming({with_priority("higher", 4)}, "w1", 5, 60s);
  ASSERT_TRUE(higher);
  EXPECT_EQ(higher->front().job.state, JobState::Running);

  auto again = (*store)->submit_batch_claiming({with_priority("waiting", 9)}, "w1", 5, 60s);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->front().created);
  EXPECT_EQ(again->front().job.state, JobState::Queued);
  EXPECT_EQ(again->front().job.attempts, 0);

  // No slots, no worker: nothing starts.
  auto none = (*store)->submit_batch_claiming({with_priority("top", 1000)}, "w1", 0, 60s);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->front().job.state, JobState::Queued);
  auto nobody = (*store)->submit_batch_claiming({with_priority("top2", 1000)}, "", 5, 60s);
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->front().job.state, JobState::Queued);
  EXPECT_EQ((*store)->counts()->running, 1);
}

}  // namespace
}  // namespace bedrock::jobs
