#include "jobs/store_url.h"

#include <gtest/gtest.h>

#include "bedrock/jobs/job_store.h"

namespace bedrock::jobs {
namespace {

TEST(StoreUrl, SqliteForms) {
  auto abs = parse_store_url("sqlite:///var/lib/bedrock/jobs.db");
  ASSERT_TRUE(abs);
  EXPECT_EQ(abs->backend, Backend::Sqlite);
  EXPECT_EQ(abs->sqlite_path, "/var/lib/bedrock/jobs.db");
  auto rel = parse_store_url("sqlite://state/jobs.db");
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->sqlite_path, "state/jobs.db");
  auto memory = parse_store_url("sqlite::memory:");
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->sqlite_path, ":memory:");
}

TEST(StoreUrl, PostgresFormsKeepTheUrlAndFindThePassword) {
  auto pg = parse_store_url("postgresql://jobs:p%40ss@db.local:5433/bedrock?sslmode=disable");
  ASSERT_TRUE(pg);
  EXPECT_EQ(pg->backend, Backend::Postgresql);
  EXPECT_EQ(pg->postgres_url, "postgresql://jobs:p%40ss@db.local:5433/bedrock?sslmode=disable");
  EXPECT_EQ(pg->password, "p@ss");
  auto short_scheme = parse_store_url("postgres://jobs@db/bedrock");
  ASSERT_TRUE(short_scheme);
  EXPECT_EQ(short_scheme->backend, Backend::Postgresql);
  EXPECT_EQ(short_scheme->password, "");
}

TEST(StoreUrl, UnusableUrlsAreConfigurationErrorsWithoutThePassword) {
  for (std::string_view bad : {"", "sqlite://", "sqlite:///tmp/", "sqlite:///a.db?mode=ro",
                               "mysql://user:hunter2@host/db", "jobs.db", "sqlite:///a\nb.db"}) {
    auto r = parse_store_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(parse_store_url(std::string(5000, 'x')));
}

TEST(StoreUrl, ScrubRemovesTheSecretAndUrlCredentials) {
  EXPECT_EQ(scrub_secret("failed for hunter2 at postgresql://u:hunter2@h/db", "hunter2"),
            "failed for **** at postgresql://****@h/db");
  EXPECT_EQ(scrub_secret("nothing secret", ""), "nothing secret");
}

// A PostgreSQL URL with a password whose server cannot be reached: the error names the problem
// and never the password.
TEST(StoreUrl, AnUnreachablePostgresErrorNeverShowsThePassword) {
  StoreOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  // Port 1 on loopback: nothing listens there, the connect is refused at once.
  auto r = open_job_store("postgresql://jobs:Sup3r-Secret-pw@127.0.0.1:1/bedrock", options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::ConnectionFailed);
  EXPECT_EQ(r.error().message.find("Sup3r-Secret-pw"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace bedrock::jobs
