#include "sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "store_support.h"

namespace bedrock::jobs {

namespace {

// A lock whose waiters give up at a deadline, made of a mutex and a condition variable rather
// than std::timed_mutex: libstdc++ 12 locks that with pthread_mutex_clocklock, which GCC 12's
// ThreadSanitizer does not intercept, so every unlock was reported as one of an unlocked mutex.
class WriterLock {
 public:
  bool try_lock_for(std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    if (!free_.wait_for(lock, limit, [this] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void unlock() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    free_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable free_;
  bool held_ = false;
};

// Releases a WriterLock taken by try_lock_for when the write ends, however it ends.
struct WriterHold {
  WriterLock& lock;
  ~WriterHold() { lock.unlock(); }
};

// Versioned schema: entry i is migration i + 1. Only ever append; a shipped migration never
// changes, since databases in the field already ran it.
const std::vector<std::string_view> kSqliteMigrations = {
    R"sql(
CREATE TABLE jobs (
  id TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL,
  input_json TEXT NOT NULL,
  idempotency_key TEXT,
  priority INTEGER NOT NULL,
  deadline_us INTEGER,
  max_attempts INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  result_json TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  records_json TEXT NOT NULL DEFAULT '',
  worker_id TEXT NOT NULL DEFAULT '',
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  started_us INTEGER,
  finished_us INTEGER,
  lease_us INTEGER
);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs(idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_claim ON jobs(state, priority DESC, created_us);
CREATE INDEX jobs_leases ON jobs(lease_us) WHERE state = 'running';
CREATE INDEX jobs_deadlines ON jobs(deadline_us)
  WHERE deadline_us IS NOT NULL AND state IN ('queued', 'running');
CREATE INDEX jobs_newest ON jobs(created_us DESC, id DESC);
CREATE INDEX jobs_state_newest ON jobs(state, created_us DESC, id DESC);
CREATE INDEX jobs_finished ON jobs(finished_us) WHERE finished_us IS NOT NULL;
)sql",
    // A running map-reduce job's tokens so far: what a progress bar shows beside its chunks.
    "ALTER TABLE jobs ADD COLUMN progress_tokens INTEGER NOT NULL DEFAULT 0;",
};

struct SqliteConnection {
  sqlite3* db = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements;  // cached by SQL text

  ~SqliteConnection() {
    for (auto& entry : statements) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db);
  }
};

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Error::make(ErrorCode::ServiceUnavailable,
                       fmt::format("the job database stayed locked past the operation timeout "
                                   "while {}: {}",
                                   what, detail));
  }
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL) {
    return Error::make(ErrorCode::ConnectionFailed,
                       fmt::format("the job database failed while {}: {}", what, detail));
  }
  return Error::make(ErrorCode::InternalServer,
                     fmt::format("the job database failed while {}: {}", what, detail));
}

// One cached prepared statement in use: bound, stepped, and reset when it goes out of scope so
// the next user finds it clean.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bind(int i, const std::optional<std::int64_t>& value) {
    return value ? bind(i, *value) : bind_null(i);
  }

  // true: a row is ready; false: done.
  Result<bool> step(std::string_view what) {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return bedrock::fail(sqlite_error(db_, rc, what));
  }
  Status run(std::string_view what) {
    for (;;) {
      auto row = step(what);
      if (!row) return bedrock::fail(row.error());
      if (!*row) return {};
    }
  }
  int changes() const { return sqlite3_changes(db_); }

  std::optional<std::string_view> text(int i) const {
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
  }
  std::optional<std::int64_t> integer(int i) const {
    if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(stmt_, i);
  }

  Result<std::vector<Job>> jobs(std::string_view what) {
    std::vector<Job> out;
    for (;;) {
      auto row = step(what);
      if (!row) return bedrock::fail(row.error());
      if (!*row) return out;
      out.push_back(decode_job(*this));
    }
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

Result<Statement> prepare(SqliteConnection& c, std::string_view sql) {
  auto it = c.statements.find(sql);
  if (it == c.statements.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(c.db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return bedrock::fail(sqlite_error(c.db, rc, "preparing a statement"));
    it = c.statements.emplace(std::string(sql), stmt).first;
  }
  return Statement(c.db, it->second);
}

Status exec(SqliteConnection& c, const char* sql, std::string_view what) {
  char* message = nullptr;
  const int rc = sqlite3_exec(c.db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  Error e = sqlite_error(nullptr, rc, what);
  e.message += ": " + detail;
  return bedrock::fail(std::move(e));
}

std::optional<std::int64_t> deadline_micros(const JobSpec& spec) {
  if (!spec.deadline) return std::nullopt;
  return to_micros(*spec.deadline);
}

// Sorts claimed jobs as the queue hands them out (RETURNING gives no order).
void sort_claimed(std::vector<Job>& jobs) {
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    if (a.spec.priority != b.spec.priority) return a.spec.priority > b.spec.priority;
    return a.created_at < b.created_at;
  });
}

const std::string kSelectJobs = fmt::format("SELECT {} FROM jobs", kJobColumns);

class SqliteStore final : public JobStore {
 public:
  SqliteStore(std::string path, StoreOptions options)
      : path_(std::move(path)),
        options_(options),
        memory_(path_ == ":memory:"),
        // An in-memory database exists once per connection: it gets exactly one.
        max_connections_(memory_ ? 1 : 4) {}

  Status open() {
    auto c = connect();
    if (!c) return bedrock::fail(c.error());
    if (auto migrated = migrate(**c); !migrated) return migrated;
    idle_.push_back(std::move(*c));
    open_connections_ = 1;
    return {};
  }

  std::string_view backend() const override { return "sqlite"; }

  Result<SubmitResult> submit(const JobSpec& spec) override {
    auto batch = submit_batch({spec});
    if (!batch) return bedrock::fail(batch.error());
    return std::move(batch->front());
  }

  Result<std::vector<SubmitResult>> submit_batch(const std::vector<JobSpec>& specs) override {
    for (const JobSpec& spec : specs) {
      if (auto valid = validate_spec(spec); !valid) return bedrock::fail(valid.error());
    }
    return write([&](SqliteConnection& c) -> Result<std::vector<SubmitResult>> {
      std::vector<SubmitResult> out;
      out.reserve(specs.size());
      auto queued = count_queued(c);
      if (!queued) return bedrock::fail(queued.error());
      std::int64_t new_jobs = 0;
      const auto now = Clock::now();
      for (const JobSpec& spec : specs) {
        if (!spec.idempotency_key.empty()) {
          auto existing = by_key(c, spec.idempotency_key);
          if (!existing) return bedrock::fail(existing.error());
          if (*existing) {
            out.push_back(SubmitResult{std::move(**existing), false});
            continue;
          }
        }
        if (*queued + new_jobs + 1 > static_cast<std::int64_t>(options_.max_queued)) {
          return bedrock::fail(ErrorCode::QueueFull,
                               fmt::format("the job queue holds its maximum of {} queued jobs",
                                           options_.max_queued));
        }
        Job job = make_queued_job(spec, now);
        if (auto inserted = insert(c, job); !inserted) return bedrock::fail(inserted.error());
        ++new_jobs;
        out.push_back(SubmitResult{std::move(job), true});
      }
      return out;
    });
  }

  Result<std::optional<Job>> get(std::string_view id) override {
    return read([&](SqliteConnection& c) -> Result<std::optional<Job>> {
      auto st = prepare(c, kSelectJobs + " WHERE id = ?1");
      if (!st) return bedrock::fail(st.error());
      st->bind(1, id);
      auto jobs = st->jobs("reading a job");
      if (!jobs) return bedrock::fail(jobs.error());
      if (jobs->empty()) return std::optional<Job>();
      return std::optional<Job>(std::move(jobs->front()));
    });
  }

  Result<JobPage> list(const ListQuery& query) override {
    std::optional<Cursor> cursor;
    if (!query.after.empty()) {
      auto parsed = decode_cursor(query.after);
      if (!parsed) return bedrock::fail(parsed.error());
      cursor = std::move(*parsed);
    }
    const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, kMaxListLimit);
    return read([&](SqliteConnection& c) -> Result<JobPage> {
      std::string sql = kSelectJobs + " WHERE 1 = 1";
      if (query.state) sql += " AND state = ?1";
      if (cursor) sql += " AND (created_us, id) < (?2, ?3)";
      sql += " ORDER BY created_us DESC, id DESC LIMIT ?4";
      auto st = prepare(c, sql);
      if (!st) return bedrock::fail(st.error());
      if (query.state) st->bind(1, to_string(*query.state));
      if (cursor) st->bind(2, cursor->created_us).bind(3, cursor->id);
      st->bind(4, static_cast<std::int64_t>(limit + 1));
      auto jobs = st->jobs("listing jobs");
      if (!jobs) return bedrock::fail(jobs.error());
      JobPage page;
      page.jobs = std::move(*jobs);
      if (page.jobs.size() > limit) {
        page.jobs.resize(limit);
        page.next_cursor = encode_cursor(page.jobs.back());
      }
      return page;
    });
  }

  Result<StoreCounts> counts() override {
    return read([&](SqliteConnection& c) -> Result<StoreCounts> {
      auto st = prepare(c, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
      if (!st) return bedrock::fail(st.error());
      StoreCounts counts;
      for (;;) {
        auto row = st->step("counting jobs");
        if (!row) return bedrock::fail(row.error());
        if (!*row) return counts;
        record_count(counts, st->text(0).value_or(""), st->integer(1).value_or(0));
      }
    });
  }

  Result<std::vector<Job>> claim(std::string_view worker_id, std::size_t max,
                                 std::chrono::milliseconds lease) override {
    if (worker_id.empty()) return bedrock::fail(ErrorCode::Validation, "a claim needs a worker id");
    max = std::min(max, kMaxClaimBatch);
    if (max == 0) return std::vector<Job>();
    return write([&](SqliteConnection& c) -> Result<std::vector<Job>> {
      const std::int64_t now = to_micros(Clock::now());
      const std::int64_t until = now + lease.count() * 1000;
      if (auto swept = sweep(c, now); !swept) return bedrock::fail(swept.error());
      // Expired leases first (their jobs waited longest), then the queue by priority and age.
      static constexpr std::string_view kTake =
          "UPDATE jobs SET state = 'running', worker_id = ?2, attempts = attempts + 1, "
          "lease_us = ?3, started_us = ?1, updated_us = ?1 WHERE rowid IN (SELECT rowid FROM "
          "jobs WHERE ";
      static const std::string kExpired = fmt::format(
          "{}state = 'running' AND lease_us <= ?1 ORDER BY lease_us LIMIT ?4) "
          "RETURNING {}",
          kTake, kJobColumns);
      static const std::string kQueued = fmt::format(
          "{}state = 'queued' ORDER BY priority DESC, created_us, rowid LIMIT ?4) "
          "RETURNING {}",
          kTake, kJobColumns);
      std::vector<Job> claimed;
      for (const std::string* sql : {&kExpired, &kQueued}) {
        const std::size_t wanted = max - claimed.size();
        if (wanted == 0) break;
        auto st = prepare(c, *sql);
        if (!st) return bedrock::fail(st.error());
        st->bind(1, now)
            .bind(2, worker_id)
            .bind(3, until)
            .bind(4, static_cast<std::int64_t>(wanted));
        auto jobs = st->jobs("claiming jobs");
        if (!jobs) return bedrock::fail(jobs.error());
        sort_claimed(*jobs);
        for (Job& job : *jobs) claimed.push_back(std::move(job));
      }
      return claimed;
    });
  }

  Result<bool> renew(std::string_view id, std::string_view worker_id,
                     std::chrono::milliseconds lease) override {
    const std::int64_t now = to_micros(Clock::now());
    return held_update(
        "UPDATE jobs SET lease_us = ?3, updated_us = ?4 WHERE id = ?1 AND worker_id = ?2 AND "
        "state = 'running'",
        id, worker_id, [&](Statement& st) { st.bind(3, now + lease.count() * 1000).bind(4, now); });
  }

  Result<bool> progress(std::string_view id, std::string_view worker_id, std::int64_t done,
                        std::int64_t total, std::int64_t tokens) override {
    return held_update(
        "UPDATE jobs SET progress_done = ?3, progress_total = ?4, progress_tokens = ?5, "
        "updated_us = ?6 WHERE id = ?1 AND worker_id = ?2 AND state = 'running'",
        id, worker_id, [&](Statement& st) {
          st.bind(3, done).bind(4, total).bind(5, tokens).bind(6, to_micros(Clock::now()));
        });
  }

  Result<bool> succeed(std::string_view id, std::string_view worker_id,
                       std::string_view result_json, std::string_view records_json) override {
    return held_update(
        "UPDATE jobs SET state = 'succeeded', result_json = ?3, records_json = ?4, "
        "finished_us = ?5, updated_us = ?5, lease_us = NULL WHERE id = ?1 AND worker_id = ?2 "
        "AND state = 'running'",
        id, worker_id, [&](Statement& st) {
          st.bind(3, result_json).bind(4, records_json).bind(5, to_micros(Clock::now()));
        });
  }

  Result<bool> fail(std::string_view id, std::string_view worker_id, std::string_view error_code,
                    std::string_view error_message, std::string_view records_json) override {
    return held_update(
        "UPDATE jobs SET state = 'failed', error_code = ?3, error_message = ?4, "
        "records_json = ?5, finished_us = ?6, updated_us = ?6, lease_us = NULL WHERE id = ?1 "
        "AND worker_id = ?2 AND state = 'running'",
        id, worker_id, [&](Statement& st) {
          st.bind(3, error_code)
              .bind(4, error_message)
              .bind(5, records_json)
              .bind(6, to_micros(Clock::now()));
        });
  }

  Result<std::optional<Job>> cancel(std::string_view id) override {
    return write([&](SqliteConnection& c) -> Result<std::optional<Job>> {
      static const std::string kCancel = fmt::format(
          "UPDATE jobs SET state = 'cancelled', error_code = 'Cancelled', error_message = ?2, "
          "finished_us = ?3, updated_us = ?3, lease_us = NULL WHERE id = ?1 AND state IN "
          "('queued', 'running') RETURNING {}",
          kJobColumns);
      auto st = prepare(c, kCancel);
      if (!st) return bedrock::fail(st.error());
      st->bind(1, id).bind(2, kCancelledMessage).bind(3, to_micros(Clock::now()));
      auto jobs = st->jobs("cancelling a job");
      if (!jobs) return bedrock::fail(jobs.error());
      if (!jobs->empty()) return std::optional<Job>(std::move(jobs->front()));
      auto current = prepare(c, kSelectJobs + " WHERE id = ?1");
      if (!current) return bedrock::fail(current.error());
      current->bind(1, id);
      auto found = current->jobs("reading a job");
      if (!found) return bedrock::fail(found.error());
      if (found->empty()) return std::optional<Job>();
      return std::optional<Job>(std::move(found->front()));
    });
  }

  Result<std::int64_t> purge_finished(Clock::time_point before) override {
    return write([&](SqliteConnection& c) -> Result<std::int64_t> {
      auto st = prepare(c, "DELETE FROM jobs WHERE finished_us IS NOT NULL AND finished_us < ?1");
      if (!st) return bedrock::fail(st.error());
      st->bind(1, to_micros(before));
      if (auto ran = st->run("purging finished jobs"); !ran) return bedrock::fail(ran.error());
      return static_cast<std::int64_t>(st->changes());
    });
  }

 private:
  // A pooled connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(SqliteStore& store, std::unique_ptr<SqliteConnection> c)
        : store_(&store), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) store_->release(std::move(c_));
    }
    SqliteConnection& operator*() { return *c_; }

   private:
    SqliteStore* store_;
    std::unique_ptr<SqliteConnection> c_;
  };

  Result<std::unique_ptr<SqliteConnection>> connect() {
    auto c = std::make_unique<SqliteConnection>();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path_.c_str(), &c->db, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = sqlite_error(c->db, rc, fmt::format("opening {}", path_));
      e.code = ErrorCode::ConnectionFailed;
      e.retryable = true;
      return bedrock::fail(std::move(e));
    }
    sqlite3_busy_timeout(c->db, static_cast<int>(options_.operation_timeout.count()));
    // WAL: readers never block the writer. synchronous=NORMAL under WAL syncs at checkpoints,
    // not at every commit: a committed transaction survives the process being killed (the WAL
    // is in the OS page cache, which outlives the process) but the last commits may be lost if
    // the whole machine loses power. That is the durability the crash tests (kill -9) need, at
    // a fraction of FULL's fsync cost per commit.
    const char* setup = memory_ ? "PRAGMA foreign_keys = ON;"
                                : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                  "PRAGMA foreign_keys = ON;";
    if (auto ok = exec(*c, setup, "configuring the connection"); !ok)
      return bedrock::fail(ok.error());
    return c;
  }

  // Applies every migration the database has not run, each in its own IMMEDIATE transaction
  // (which also serialises two processes opening the same file at once).
  Status migrate(SqliteConnection& c) {
    if (auto ok = exec(c,
                       "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                       "KEY, applied_at INTEGER NOT NULL)",
                       "creating schema_migrations");
        !ok) {
      return ok;
    }
    for (std::size_t i = 0; i < kSqliteMigrations.size() + 1; ++i) {
      if (auto ok = exec(c, "BEGIN IMMEDIATE", "starting a migration"); !ok) return ok;
      auto rollback = [&](Error e) {
        exec(c, "ROLLBACK", "rolling back");
        return bedrock::fail(std::move(e));
      };
      std::int64_t version = 0;
      {
        auto st = prepare(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        if (!st) return rollback(st.error());
        auto row = st->step("reading the schema version");
        if (!row) return rollback(row.error());
        version = st->integer(0).value_or(0);
      }
      if (version > static_cast<std::int64_t>(kSqliteMigrations.size())) {
        return rollback(Error::make(
            ErrorCode::ConfigurationInvalid,
            fmt::format("the job database {} has schema version {}, newer than this program's "
                        "{}; upgrade the program",
                        path_, version, kSqliteMigrations.size())));
      }
      if (version == static_cast<std::int64_t>(kSqliteMigrations.size())) {
        return exec(c, "COMMIT", "finishing the migrations");
      }
      const std::string sql(kSqliteMigrations[static_cast<std::size_t>(version)]);
      if (auto ok = exec(c, sql.c_str(), fmt::format("applying migration {}", version + 1)); !ok) {
        return rollback(ok.error());
      }
      auto record =
          prepare(c, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");
      if (!record) return rollback(record.error());
      record->bind(1, version + 1).bind(2, to_micros(Clock::now()));
      if (auto ok = record->run("recording a migration"); !ok) return rollback(ok.error());
      if (auto ok = exec(c, "COMMIT", "committing a migration"); !ok) return rollback(ok.error());
    }
    return {};
  }

  Result<Lease> acquire() {
    std::unique_lock lock(pool_mu_);
    const auto deadline = std::chrono::steady_clock::now() + options_.operation_timeout;
    for (;;) {
      if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(c));
      }
      if (open_connections_ < max_connections_) {
        ++open_connections_;
        lock.unlock();
        auto c = connect();
        if (!c) {
          lock.lock();
          --open_connections_;
          pool_cv_.notify_one();
          return bedrock::fail(c.error());
        }
        return Lease(*this, std::move(*c));
      }
      if (pool_cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
        return bedrock::fail(ErrorCode::ServiceUnavailable,
                             "no job database connection became free within the operation "
                             "timeout");
      }
    }
  }

  void release(std::unique_ptr<SqliteConnection> c) {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(std::move(c));
    pool_cv_.notify_one();
  }

  template <typename F>
  auto read(F&& body) -> decltype(body(std::declval<SqliteConnection&>())) {
    auto lease = acquire();
    if (!lease) return bedrock::fail(lease.error());
    return body(**lease);
  }

  // A write transaction. Writers in this process queue on write_mu_ (SQLite allows one writer
  // at a time anyway, and its busy handler polls with sleeps); other processes wait in
  // BEGIN IMMEDIATE for at most busy_timeout.
  template <typename F>
  auto write(F&& body) -> decltype(body(std::declval<SqliteConnection&>())) {
    if (!write_mu_.try_lock_for(options_.operation_timeout)) {
      return bedrock::fail(ErrorCode::ServiceUnavailable,
                           "the job database stayed busy with other writes past the operation "
                           "timeout");
    }
    WriterHold hold{write_mu_};
    auto lease = acquire();
    if (!lease) return bedrock::fail(lease.error());
    SqliteConnection& c = **lease;
    if (auto ok = exec(c, "BEGIN IMMEDIATE", "starting a transaction"); !ok) {
      return bedrock::fail(ok.error());
    }
    auto result = body(c);
    if (!result) {
      exec(c, "ROLLBACK", "rolling back");
      return result;
    }
    if (auto ok = exec(c, "COMMIT", "committing"); !ok) {
      exec(c, "ROLLBACK", "rolling back");
      return bedrock::fail(ok.error());
    }
    return result;
  }

  // An UPDATE of a running job held by worker_id (?1 = id, ?2 = worker); true when it matched.
  template <typename Bind>
  Result<bool> held_update(std::string_view sql, std::string_view id, std::string_view worker_id,
                           Bind&& bind_rest) {
    return write([&](SqliteConnection& c) -> Result<bool> {
      auto st = prepare(c, sql);
      if (!st) return bedrock::fail(st.error());
      st->bind(1, id).bind(2, worker_id);
      bind_rest(*st);
      if (auto ran = st->run("updating a job"); !ran) return bedrock::fail(ran.error());
      return st->changes() == 1;
    });
  }

  // Finishes what can no longer run: jobs past their deadline, and jobs whose lease expired
  // after their last allowed attempt.
  Status sweep(SqliteConnection& c, std::int64_t now) {
    auto deadline = prepare(c,
                            "UPDATE jobs SET state = 'failed', error_code = 'DeadlineExceeded', "
                            "error_message = ?2, finished_us = ?1, updated_us = ?1, lease_us = "
                            "NULL WHERE deadline_us IS NOT NULL AND state IN ('queued', "
                            "'running') AND deadline_us <= ?1");
    if (!deadline) return bedrock::fail(deadline.error());
    deadline->bind(1, now).bind(2, kDeadlineMessage);
    if (auto ran = deadline->run("failing jobs past their deadline"); !ran) return ran;
    auto exhausted = prepare(c,
                             "UPDATE jobs SET state = 'failed', error_code = ?2, error_message = "
                             "?3, finished_us = ?1, updated_us = ?1, lease_us = NULL WHERE state "
                             "= 'running' AND lease_us <= ?1 AND attempts >= max_attempts");
    if (!exhausted) return bedrock::fail(exhausted.error());
    exhausted->bind(1, now).bind(2, kLeaseExpiredCode).bind(3, kLeaseExpiredMessage);
    return exhausted->run("failing jobs out of attempts");
  }

  Result<std::int64_t> count_queued(SqliteConnection& c) {
    auto st = prepare(c, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'");
    if (!st) return bedrock::fail(st.error());
    auto row = st->step("counting queued jobs");
    if (!row) return bedrock::fail(row.error());
    return st->integer(0).value_or(0);
  }

  Result<std::optional<Job>> by_key(SqliteConnection& c, std::string_view key) {
    auto st = prepare(c, kSelectJobs + " WHERE idempotency_key = ?1");
    if (!st) return bedrock::fail(st.error());
    st->bind(1, key);
    auto jobs = st->jobs("looking up an idempotency key");
    if (!jobs) return bedrock::fail(jobs.error());
    if (jobs->empty()) return std::optional<Job>();
    return std::optional<Job>(std::move(jobs->front()));
  }

  Status insert(SqliteConnection& c, const Job& job) {
    auto st = prepare(c,
                      "INSERT INTO jobs (id, kind, input_json, idempotency_key, priority, "
                      "deadline_us, max_attempts, state, created_us, updated_us) VALUES (?1, ?2, "
                      "?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?8)");
    if (!st) return bedrock::fail(st.error());
    st->bind(1, job.id).bind(2, job.spec.kind).bind(3, job.spec.input_json);
    if (job.spec.idempotency_key.empty()) {
      st->bind_null(4);
    } else {
      st->bind(4, job.spec.idempotency_key);
    }
    st->bind(5, static_cast<std::int64_t>(job.spec.priority))
        .bind(6, deadline_micros(job.spec))
        .bind(7, static_cast<std::int64_t>(job.spec.max_attempts))
        .bind(8, to_micros(job.created_at));
    return st->run("inserting a job");
  }

  const std::string path_;
  const StoreOptions options_;
  const bool memory_;
  const std::size_t max_connections_;
  WriterLock write_mu_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
  std::size_t open_connections_ = 0;
};

}  // namespace

int sqlite_schema_version() { return static_cast<int>(kSqliteMigrations.size()); }

Result<std::unique_ptr<JobStore>> open_sqlite_store(const std::string& path,
                                                    const StoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(path, options);
  if (auto opened = store->open(); !opened) return bedrock::fail(opened.error());
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace bedrock::jobs
