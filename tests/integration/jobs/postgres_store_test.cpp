// What only the PostgreSQL backend has: a server restart under a running store, the migration
// lock, and a schema newer than the program.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bedrock/jobs/job_store.h"
#include "store_backends.h"

namespace bedrock::jobs {
namespace {

using namespace std::chrono_literals;

JobSpec pg_spec(std::string key) {
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
    auto r = (*store)->submit(pg_spec("before-" + std::to_string(i)));
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
  auto after = (*store)->submit(pg_spec("after"));
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

// A session prepares its statements again 1 s, then 2 s later (DEALLOCATE ALL, so that plans
// follow the table as it grows): every call before, between and after still runs.
TEST_F(PostgresStore, CallsRunOnAfterTheStatementsArePreparedAgain) {
  auto store = open_job_store(url_);
  ASSERT_TRUE(store) << store.error().message;
  std::vector<std::string> ids;
  for (int step = 0; step < 3; ++step) {
    auto submitted = (*store)->submit(spec("replan-" + std::to_string(step)));
    ASSERT_TRUE(submitted) << step << ": " << submitted.error().message;
    auto claimed = (*store)->claim("w1", 5, 60s);
    ASSERT_TRUE(claimed) << step << ": " << claimed.error().message;
    ASSERT_EQ(claimed->size(), 1u) << step;
    auto done = (*store)->finish_batch(
        {Completion{claimed->front().id, "w1", true, "{}", "", "", "", std::nullopt}});
    ASSERT_TRUE(done) << step << ": " << done.error().message;
    EXPECT_TRUE(done->front()) << step;
    ids.push_back(submitted->job.id);
    if (step < 2) std::this_thread::sleep_for(step == 0 ? 1100ms : 2100ms);
  }
  for (const std::string& id : ids) {
    auto got = (*store)->get(id);
    ASSERT_TRUE(got && got->has_value()) << id;
    EXPECT_EQ((*got)->state, JobState::Succeeded) << id;
  }
}

long long other_client_backends(PGconn* conn) {
  PGresult* r = PQexec(conn,
                       "SELECT COUNT(*) FROM pg_stat_activity WHERE backend_type = 'client "
                       "backend' AND pid <> pg_backend_pid()");
  const long long n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
  PQclear(r);
  return n;
}

// Tests take turns on one server (RESOURCE_LOCK), but the backends of a store closed a moment ago
// exit after it; waits (at most 5 s) until they have, so that counts and statistics are whole.
bool wait_until_alone(PGconn* conn) {
  for (int tries = 0; tries < 100; ++tries) {
    if (other_client_backends(conn) == 0) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// The count of whole-table scans of `jobs` once every backend has reported (a backend flushes
// its statistics as it exits). The statistics are read in a fresh snapshot.
long long jobs_seq_scans(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    PQfinish(conn);
    return -1;
  }
  long long scans = -1;
  wait_until_alone(conn);  // a backend flushes its statistics as it exits
  PQclear(PQexec(conn, "SELECT pg_stat_clear_snapshot()"));
  PGresult* r = PQexec(conn,
                       "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'jobs' AND "
                       "schemaname = current_schema()");  // each test has a schema of its own
  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
    scans = std::atoll(PQgetvalue(r, 0, 0));
  PQclear(r);
  PQfinish(conn);
  return scans;
}

// On a new, small table PostgreSQL prefers reading the whole table to an index, and a prepared
// statement keeps the plan it got then: a fresh server's claims scanned a growing table in its
// first second (15 ms a claim). Every call of the store takes an index instead.
TEST_F(PostgresStore, NoCallScansTheWholeJobsTable) {
  ASSERT_TRUE(open_job_store(url_));  // migrations (CREATE INDEX reads the table) done and gone
  const long long before = jobs_seq_scans(url_);
  ASSERT_GE(before, 0);
  {
    auto store = open_job_store(url_);
    ASSERT_TRUE(store) << store.error().message;
    std::vector<JobSpec> batch;
    for (int i = 0; i < 20; ++i) batch.push_back(pg_spec("scan-" + std::to_string(i)));
    ASSERT_TRUE((*store)->submit_batch(batch));
    auto one = (*store)->submit(pg_spec("scan-one"));
    ASSERT_TRUE(one) << one.error().message;
    // Six rounds: a prepared statement gets its generic plan from the sixth call on.
    for (int round = 0; round < 6; ++round) {
      auto claimed = (*store)->claim("w1", 3, 60s);
      ASSERT_TRUE(claimed) << claimed.error().message;
      ASSERT_EQ(claimed->size(), 3u) << round;
      const Job& job = claimed->front();
      ASSERT_TRUE((*store)->renew(job.id, "w1", 60s));
      ASSERT_TRUE((*store)->progress(job.id, "w1", 1, 2, 10));
      ASSERT_TRUE((*store)->succeed(job.id, "w1", "{}", "[]"));
      ASSERT_TRUE((*store)->fail((*claimed)[1].id, "w1", "Throttling", "slow down", "[]"));
      ASSERT_TRUE((*store)->finish_batch(
          {Completion{(*claimed)[2].id, "w1", true, "{}", "", "", "", std::nullopt}}));
      ASSERT_TRUE((*store)->get(job.id));
      ASSERT_TRUE((*store)->list(ListQuery{}));
      ASSERT_TRUE((*store)->list(ListQuery{JobState::Queued, 5, ""}));
      ASSERT_TRUE((*store)->counts());
    }
    ASSERT_TRUE((*store)->cancel(one->job.id));
    ASSERT_TRUE((*store)->purge_finished(Clock::now() - 1h));
  }
  EXPECT_EQ(jobs_seq_scans(url_), before);
}

// A fresh server's first burst must not wait for backends to start: the store opens its whole
// pool (8 connections) before it is handed out.
TEST_F(PostgresStore, OpeningTheStoreOpensItsWholePool) {
  PGconn* conn = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK);
  ASSERT_TRUE(wait_until_alone(conn));
  {
    auto store = open_job_store(url_);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(other_client_backends(conn), 8);
  }
  PQfinish(conn);
}

// A server that allows this role fewer connections than the pool holds: the store opens with
// what it gets, and a call wanting the other commit mode shares one of those instead of failing.
TEST_F(PostgresStore, AStoreOpensWithFewerConnectionsThanItsPoolWhenNoMoreAreAllowed) {
  const std::string marker = "search_path%3D";
  const auto at = url_.find(marker);
  ASSERT_NE(at, std::string::npos) << url_;
  const std::string schema = url_.substr(at + marker.size());
  const std::string role = "limited_" + schema;
  PGconn* conn = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK);
  for (const std::string& sql : {"CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 3",
                                 "GRANT ALL ON SCHEMA " + schema + " TO " + role}) {
    PGresult* r = PQexec(conn, sql.c_str());
    ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  ASSERT_TRUE(wait_until_alone(conn));
  std::string limited_url = url_;
  const auto user_end = limited_url.find('@');
  ASSERT_NE(user_end, std::string::npos);
  limited_url.replace(std::string_view("postgresql://").size(),
                      user_end - std::string_view("postgresql://").size(), role);
  {
    auto store = open_job_store(limited_url);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(other_client_backends(conn), 3);
    auto submitted = (*store)->submit(pg_spec("limited"));
    ASSERT_TRUE(submitted) << submitted.error().message;
    auto claimed = (*store)->claim("w1", 5, 60s);
    ASSERT_TRUE(claimed) << claimed.error().message;
    ASSERT_EQ(claimed->size(), 1u);
    auto done = (*store)->succeed(claimed->front().id, "w1", "{}", "[]");
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_TRUE(*done);
  }
  PQfinish(conn);
}

}  // namespace
}  // namespace bedrock::jobs
