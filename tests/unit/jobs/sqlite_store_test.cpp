// What only the SQLite backend has: the in-memory store, WAL on disk, the schema version check
// and durability across reopening the file.
#include "jobs/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {
namespace {

using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("bedrock-jobs-unit-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

JobSpec spec() {
  JobSpec s;
  s.kind = "rephrase";
  s.input_json = R"({"text":"x"})";
  return s;
}

std::string query_text(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

void exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(SqliteStore, InMemoryStoreRunsAJobThrough) {
  auto store = open_job_store("sqlite::memory:");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->backend(), "sqlite");
  auto submitted = (*store)->submit(spec());
  ASSERT_TRUE(submitted);
  auto claimed = (*store)->claim("w", 10, 30s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_TRUE(*(*store)->succeed(submitted->job.id, "w", "{}", ""));
  EXPECT_EQ((*(*store)->get(submitted->job.id))->state, JobState::Succeeded);
}

TEST(SqliteStore, AFileStoreUsesWalAndRecordsItsMigrations) {
  TempDir dir;
  const std::string path = dir.file("jobs.db");
  auto store = open_job_store("sqlite://" + path);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->submit(spec()));
  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query_text(path, "SELECT MAX(version) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
  EXPECT_EQ(query_text(path, "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
  store->reset();
  // Reopening applies nothing twice and keeps the job.
  auto reopened = open_job_store("sqlite://" + path);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->counts()->queued, 1);
  EXPECT_EQ(query_text(path, "SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
}

// A database made by the first schema (before progress_tokens) is upgraded in place, its jobs
// kept, their token count starting at 0.
TEST(SqliteStore, AVersionOneDatabaseGainsTheProgressTokens) {
  TempDir dir;
  const std::string path = dir.file("jobs.db");
  std::string id;
  {
    auto store = open_job_store("sqlite://" + path);
    ASSERT_TRUE(store) << store.error().message;
    auto submitted = (*store)->submit(spec());
    ASSERT_TRUE(submitted);
    id = submitted->job.id;
  }
  exec(path, "ALTER TABLE jobs DROP COLUMN progress_tokens");
  exec(path, "DELETE FROM schema_migrations WHERE version > 1");
  auto upgraded = open_job_store("sqlite://" + path);
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  EXPECT_EQ(query_text(path, "SELECT MAX(version) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
  auto claimed = (*upgraded)->claim("w", 1, 30s);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->front().progress_tokens, 0);
  EXPECT_TRUE(*(*upgraded)->progress(id, "w", 1, 3, 420));
  EXPECT_EQ((*(*upgraded)->get(id))->progress_tokens, 420);
}

TEST(SqliteStore, ASchemaNewerThanTheProgramIsRefused) {
  TempDir dir;
  const std::string path = dir.file("jobs.db");
  ASSERT_TRUE(open_job_store("sqlite://" + path));
  exec(path, "INSERT INTO schema_migrations VALUES (999, 0)");
  auto refused = open_job_store("sqlite://" + path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(refused.error().message.find("999"), std::string::npos) << refused.error().message;
}

TEST(SqliteStore, AnUnopenableFileIsAConnectionFailure) {
  auto r = open_job_store("sqlite:///nonexistent-folder-for-bedrock/sub/jobs.db");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed);
}

TEST(SqliteStore, TwoStoresOnOneFileShareTheQueue) {
  TempDir dir;
  const std::string url = "sqlite://" + dir.file("shared.db");
  auto a = open_job_store(url);
  auto b = open_job_store(url);
  ASSERT_TRUE(a && b);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*a)->submit(spec()));
  auto from_a = (*a)->claim("a", 6, 30s);
  auto from_b = (*b)->claim("b", 6, 30s);
  ASSERT_TRUE(from_a && from_b);
  EXPECT_EQ(from_a->size(), 6u);
  EXPECT_EQ(from_b->size(), 4u);
  for (const Job& x : *from_a) {
    for (const Job& y : *from_b) EXPECT_NE(x.id, y.id);
  }
}

}  // namespace
}  // namespace bedrock::jobs
