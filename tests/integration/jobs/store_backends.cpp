#include "store_backends.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

namespace bedrock::jobs::testing {

namespace {

std::string random_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device device;
  return std::to_string(device()) + "_" + std::to_string(counter++);
}

class SqliteBackend final : public StoreBackend {
 public:
  ~SqliteBackend() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string fresh_url(std::string&) override {
    if (dir_.empty()) {
      dir_ = std::filesystem::temp_directory_path() / ("bedrock-jobs-test-" + random_suffix());
      std::filesystem::create_directories(dir_);
    }
    return "sqlite://" + (dir_ / ("jobs-" + random_suffix() + ".db")).string();
  }
  std::string name() const override { return "sqlite"; }

 private:
  std::filesystem::path dir_;
};

class PostgresBackend final : public StoreBackend {
 public:
  std::string fresh_url(std::string& why) override {
    const std::string admin = postgres_admin_url();
    if (admin.empty()) {
      why =
          "no test PostgreSQL (BEDROCK_TEST_POSTGRES_STATE unset or the server binaries are "
          "missing)";
      return {};
    }
    const std::string schema = "t_" + random_suffix();
    PGconn* conn = PQconnectdb(admin.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      why = std::string("cannot reach the test PostgreSQL: ") + PQerrorMessage(conn);
      PQfinish(conn);
      return {};
    }
    PGresult* r = PQexec(conn, ("CREATE SCHEMA " + schema).c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    PQfinish(conn);
    if (!ok) {
      why = "CREATE SCHEMA failed";
      return {};
    }
    return admin + "?options=-csearch_path%3D" + schema;
  }
  std::string name() const override { return "postgresql"; }
};

}  // namespace

std::string postgres_state_dir() {
  const char* dir = std::getenv("BEDROCK_TEST_POSTGRES_STATE");
  return dir != nullptr ? dir : "";
}

std::string postgres_admin_url() {
  const std::string dir = postgres_state_dir();
  if (dir.empty()) return {};
  std::ifstream in(dir + "/url");
  std::string url;
  std::getline(in, url);
  return url;
}

std::unique_ptr<StoreBackend> make_backend(const std::string& name) {
  if (name == "postgresql") return std::make_unique<PostgresBackend>();
  return std::make_unique<SqliteBackend>();
}

}  // namespace bedrock::jobs::testing
