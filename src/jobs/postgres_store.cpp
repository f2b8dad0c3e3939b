#include "postgres_store.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "bedrock/core/url_redaction.h"
#include "store_support.h"

namespace bedrock::jobs {

namespace {

// Bounded: several servers share one PostgreSQL and its max_connections (100 by default).
constexpr std::size_t kPoolSize = 8;
constexpr std::size_t kRelaxedAtOpen = 3;  // of the pool opened with the store
// How long the pool stays at the size it had when the server refused it another connection.
constexpr std::chrono::seconds kRefusedPoolPause{5};
// pg_advisory_lock key serialising migrations ("bedrock jobs" as a number; any constant works,
// it only has to be the same in every server).
constexpr std::int64_t kMigrationLockKey = 0x6265'6472'6f63'6b6a;

// Versioned schema: entry i is migration i + 1. Only ever append.
const std::vector<std::string_view> kMigrations = {
    R"sql(
CREATE TABLE jobs (
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  input_json TEXT NOT NULL,
  idempotency_key TEXT,
  priority INTEGER NOT NULL,
  deadline_us BIGINT,
  max_attempts INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  progress_done BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  result_json TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  records_json TEXT NOT NULL DEFAULT '',
  worker_id TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  updated_us BIGINT NOT NULL,
  started_us BIGINT,
  finished_us BIGINT,
  lease_us BIGINT
);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs(idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_claim ON jobs(state, priority DESC, created_us, seq);
CREATE INDEX jobs_leases ON jobs(lease_us) WHERE state = 'running';
CREATE INDEX jobs_deadlines ON jobs(deadline_us)
  WHERE deadline_us IS NOT NULL AND state IN ('queued', 'running');
CREATE INDEX jobs_newest ON jobs(created_us DESC, id DESC);
CREATE INDEX jobs_state_newest ON jobs(state, created_us DESC, id DESC);
CREATE INDEX jobs_finished ON jobs(finished_us) WHERE finished_us IS NOT NULL;
)sql",
    // A running map-reduce job's tokens so far: what a progress bar shows beside its chunks.
    "ALTER TABLE jobs ADD COLUMN progress_tokens BIGINT NOT NULL DEFAULT 0;",
    // Claims and the queue bound read only queued jobs. An index on every state took a new
    // entry at each claim and each result (state is in its key); this one takes one per job,
    // at submit, and a claim's scan no longer steps over the entries of running and finished
    // jobs.
    R"sql(
CREATE INDEX jobs_queued ON jobs(priority DESC, created_us, seq) WHERE state = 'queued';
DROP INDEX jobs_claim;
)sql",
};

// How a statement's commit waits. Durable: for its WAL flush (synchronous_commit on, the
// server's default): submits, results, cancels. Relaxed: not (off; PostgreSQL flushes within
// wal_writer_delay): claims, renewals, progress. A PostgreSQL crash can lose the last relaxed
// commits, which only means a job is claimed or runs again (at least once); none of them can
// lose an accepted job or a written result. Reads: either.
enum class Commit { Durable, Relaxed, Either };

using Param = std::optional<std::string>;
using Params = std::vector<Param>;

Param text(std::string_view v) { return std::string(v); }
Param number(std::int64_t v) { return std::to_string(v); }
Param nullable(const std::optional<std::int64_t>& v) { return v ? number(*v) : Param(); }

// One parameter carrying a batch: the text form of a PostgreSQL array ({"a","b",NULL}), read by
// unnest($n::text[]) (or ::bigint[]): a batch is one statement, not a round trip per job.
Param array(const std::vector<Param>& values) {
  std::size_t size = 2;
  for (const Param& v : values) size += (v ? v->size() + 3 : 5);
  std::string out;
  out.reserve(size + size / 16);  // room for some escapes: one allocation, not a doubling series
  out += '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    if (!values[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    std::string_view rest = *values[i];
    for (std::size_t at; (at = rest.find_first_of("\"\\")) != std::string_view::npos;) {
      out.append(rest.substr(0, at)).append(1, '\\').append(1, rest[at]);
      rest.remove_prefix(at + 1);
    }
    out.append(rest);
    out += '"';
  }
  out += '}';
  return out;
}

// A prepared statement's generic plan is costed once, with the table as it was then: prepared
// while the jobs table is new and nearly empty, the claim and the result UPDATE scan the whole
// table on every call (seq scan, hash join) until an ANALYZE (autovacuum, a minute or more
// later) invalidates them; measured, 60-80 buffer reads per job instead of 20. So a session
// prepares its statements again 1, 2, 4, ... 64 s after it opened, then every 64 s: one
// DEALLOCATE round trip each time, and the plans follow the table as it grows. (Custom plans
// on every call instead cost more than they save: planning the claim took 1.4 ms.)
//
// Replanning alone left every fresh server's first second slow: the plans prepared on the empty
// table scan it whole until the first replan (15 ms for one claim of 45 jobs at 4,600 rows,
// against 0.5-1.7 ms by index), so the first 0.75-1 s of a burst ran at 3,400-4,400 jobs/s
// instead of 6,000. A queue table's statistics are always stale in this way, and every
// statement of this store has an index that serves it, so each session also sets
// enable_seqscan = off: the planner then takes the index even on a table it thinks is tiny.
constexpr std::chrono::seconds kFirstReplan{1};
constexpr std::chrono::seconds kLongestReplan{64};

struct Connection {
  PGconn* conn = nullptr;
  std::map<std::string, std::string, std::less<>> prepared;  // SQL -> statement name
  bool broken = false;   // the session is unusable: drop it instead of pooling it
  bool relaxed = false;  // synchronous_commit is off in this session
  std::chrono::seconds replan_every = kFirstReplan;
  std::chrono::steady_clock::time_point replan_at = std::chrono::steady_clock::now() + kFirstReplan;

  ~Connection() { PQfinish(conn); }
};

// A finished result, owned.
class PgResult {
 public:
  explicit PgResult(PGresult* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult() { PQclear(r_); }

  int rows() const { return PQntuples(r_); }
  std::int64_t affected() const {
    std::int64_t n = 0;
    const char* t = PQcmdTuples(r_);
    std::from_chars(t, t + std::strlen(t), n);
    return n;
  }

  // Accessors of one row for decode_job.
  struct Row {
    const PGresult* r;
    int row;
    std::optional<std::string_view> text(int i) const {
      if (PQgetisnull(r, row, i)) return std::nullopt;
      return std::string_view(PQgetvalue(r, row, i),
                              static_cast<std::size_t>(PQgetlength(r, row, i)));
    }
    std::optional<std::int64_t> integer(int i) const {
      auto t = text(i);
      if (!t) return std::nullopt;
      std::int64_t v = 0;
      std::from_chars(t->data(), t->data() + t->size(), v);
      return v;
    }
  };
  Row row(int i) const { return Row{r_, i}; }

  std::vector<Job> jobs() const {
    std::vector<Job> out;
    out.reserve(static_cast<std::size_t>(rows()));
    for (int i = 0; i < rows(); ++i) out.push_back(decode_job(row(i)));
    return out;
  }

 private:
  PGresult* r_;
};

class PostgresStore final : public JobStore {
 public:
  PostgresStore(StoreUrl url, StoreOptions options) : url_(std::move(url)), options_(options) {}

  ~PostgresStore() override = default;

  Status open() {
    auto c = connect();
    if (!c) return bedrock::fail(c.error());
    if (auto ok = migrate(**c); !ok) return ok;
    std::vector<std::unique_ptr<Connection>> opened;
    opened.push_back(std::move(*c));
    // The whole pool is opened now rather than at the first burst: a connection costs a backend
    // start and a round trip or two, and a fresh server's first 100 ms of submissions had
    // waited for them (70 jobs accepted where 600 arrived). Durable connections take submits
    // and results, relaxed ones claims and renewals (the runner's claimer and keeper). Refused
    // for want of slots, the pool stays at what it got for a while (cap_pool_locked); any
    // other failure leaves the rest to be opened when needed.
    bool refused = false;
    for (std::size_t i = 1; i < kPoolSize; ++i) {
      auto more = connect(/*relaxed=*/i >= kPoolSize - kRelaxedAtOpen);
      if (!more) {
        refused = refused_for_slots(more.error());
        break;
      }
      opened.push_back(std::move(*more));
    }
    std::lock_guard lock(pool_mu_);
    open_connections_ = opened.size();
    if (refused) cap_pool_locked();
    for (auto& one : opened) idle_.push_back(std::move(one));
    return {};
  }

  std::string_view backend() const override { return "postgresql"; }

  Result<SubmitResult> submit(const JobSpec& spec) override {
    auto batch = submit_batch({spec});
    if (!batch) return bedrock::fail(batch.error());
    return std::move(batch->front());
  }

  Result<std::vector<SubmitResult>> submit_batch(const std::vector<JobSpec>& specs) override {
    for (const JobSpec& spec : specs) {
      if (auto valid = validate_spec(spec); !valid) return bedrock::fail(valid.error());
    }
    // A submit is retried on a fresh connection only when every job has an idempotency key: a
    // lost COMMIT acknowledgement then finds the jobs instead of doubling them. Success is
    // reported only after COMMIT.
    const bool retry_safe = std::all_of(
        specs.begin(), specs.end(), [](const JobSpec& s) { return !s.idempotency_key.empty(); });
    return with_connection(
        Commit::Durable, retry_safe, [&](Connection& c) -> Result<std::vector<SubmitResult>> {
          // A batch that fits is one INSERT statement, atomic without BEGIN/COMMIT round trips.
          if (fits_far_below_bound(specs.size())) return insert_all(c, specs, Clock::now());
          auto queued = queued_count(c);
          if (!queued) return bedrock::fail(queued.error());
          remember_queued(*queued + static_cast<std::int64_t>(specs.size()));
          if (*queued + static_cast<std::int64_t>(specs.size()) <=
              static_cast<std::int64_t>(options_.max_queued)) {
            return insert_all(c, specs, Clock::now());
          }
          return transaction(
              c, [&]() -> Result<std::vector<SubmitResult>> { return insert_jobs(c, specs); });
        });
  }

  Result<std::optional<Job>> get(std::string_view id) override {
    return with_connection(Commit::Either, true, [&](Connection& c) -> Result<std::optional<Job>> {
      static const std::string kSql = fmt::format("SELECT {} FROM jobs WHERE id = $1", kJobColumns);
      auto r = query(c, kSql, {text(id)});
      if (!r) return bedrock::fail(r.error());
      if (r->rows() == 0) return std::optional<Job>();
      return std::optional<Job>(decode_job(r->row(0)));
    });
  }

  Result<JobPage> list(const ListQuery& q) override {
    std::optional<Cursor> cursor;
    if (!q.after.empty()) {
      auto parsed = decode_cursor(q.after);
      if (!parsed) return bedrock::fail(parsed.error());
      cursor = std::move(*parsed);
    }
    const std::size_t limit = std::clamp<std::size_t>(q.limit, 1, kMaxListLimit);
    return with_connection(Commit::Either, true, [&](Connection& c) -> Result<JobPage> {
      // $1 NULL: every state; $2 NULL: the first page.
      static const std::string kSql = fmt::format(
          "SELECT {} FROM jobs WHERE ($1::text IS NULL OR state = $1) AND ($2::bigint IS NULL "
          "OR (created_us, id) < ($2, $3)) ORDER BY created_us DESC, id DESC LIMIT $4",
          kJobColumns);
      Params params{q.state ? text(to_string(*q.state)) : Param(),
                    cursor ? number(cursor->created_us) : Param(),
                    cursor ? text(cursor->id) : text(""),
                    number(static_cast<std::int64_t>(limit + 1))};
      auto r = query(c, kSql, params);
      if (!r) return bedrock::fail(r.error());
      JobPage page;
      page.jobs = r->jobs();
      if (page.jobs.size() > limit) {
        page.jobs.resize(limit);
        page.next_cursor = encode_cursor(page.jobs.back());
      }
      return page;
    });
  }

  Result<StoreCounts> counts() override {
    return with_connection(Commit::Either, true, [&](Connection& c) -> Result<StoreCounts> {
      auto r = query(c, "SELECT state, COUNT(*) FROM jobs GROUP BY state", {});
      if (!r) return bedrock::fail(r.error());
      StoreCounts counts;
      for (int i = 0; i < r->rows(); ++i) {
        record_count(counts, r->row(i).text(0).value_or(""), r->row(i).integer(1).value_or(0));
      }
      return counts;
    });
  }

  Result<std::vector<Job>> claim(std::string_view worker_id, std::size_t max,
                                 std::chrono::milliseconds lease) override {
    if (worker_id.empty()) return bedrock::fail(ErrorCode::Validation, "a claim needs a worker id");
    max = std::min(max, kMaxClaimBatch);
    if (max == 0) return std::vector<Job>();
    // Retried on a fresh connection: a claim whose answer was lost leaves its jobs running
    // under a lease that expires, after which they are claimed again (at least once).
    return with_connection(Commit::Relaxed, true, [&](Connection& c) -> Result<std::vector<Job>> {
      const std::int64_t now = to_micros(Clock::now());
      const std::int64_t until = now + lease.count() * 1000;
      auto r = query(
          c, claim_sql(),
          {number(now), text(worker_id), number(until), number(static_cast<std::int64_t>(max)),
           text(kDeadlineMessage), text(kLeaseExpiredCode), text(kLeaseExpiredMessage)});
      if (!r) return bedrock::fail(r.error());
      return r->jobs();
    });
  }

  Result<bool> renew(std::string_view id, std::string_view worker_id,
                     std::chrono::milliseconds lease) override {
    const std::int64_t now = to_micros(Clock::now());
    return held_update(
        Commit::Relaxed,
        "UPDATE jobs SET lease_us = $3, updated_us = $4 WHERE id = $1 AND worker_id = $2 AND "
        "state = 'running'",
        {text(id), text(worker_id), number(now + lease.count() * 1000), number(now)});
  }

  Result<bool> progress(std::string_view id, std::string_view worker_id, std::int64_t done,
                        std::int64_t total, std::int64_t tokens) override {
    return held_update(
        Commit::Relaxed,
        "UPDATE jobs SET progress_done = $3, progress_total = $4, progress_tokens = $5, "
        "updated_us = $6 WHERE id = $1 AND worker_id = $2 AND state = 'running'",
        {text(id), text(worker_id), number(done), number(total), number(tokens),
         number(to_micros(Clock::now()))});
  }

  Result<bool> succeed(std::string_view id, std::string_view worker_id,
                       std::string_view result_json, std::string_view records_json) override {
    return held_update(
        Commit::Durable,
        "UPDATE jobs SET state = 'succeeded', result_json = $3, records_json = $4, finished_us = "
        "$5, updated_us = $5, lease_us = NULL WHERE id = $1 AND worker_id = $2 AND state = "
        "'running'",
        {text(id), text(worker_id), text(result_json), text(records_json),
         number(to_micros(Clock::now()))});
  }

  Result<bool> fail(std::string_view id, std::string_view worker_id, std::string_view error_code,
                    std::string_view error_message, std::string_view records_json) override {
    return held_update(
        Commit::Durable,
        "UPDATE jobs SET state = 'failed', error_code = $3, error_message = $4, records_json = "
        "$5, finished_us = $6, updated_us = $6, lease_us = NULL WHERE id = $1 AND worker_id = $2 "
        "AND state = 'running'",
        {text(id), text(worker_id), text(error_code), text(error_message), text(records_json),
         number(to_micros(Clock::now()))});
  }

  Result<std::vector<bool>> finish_batch(const std::vector<Completion>& completions) override {
    if (completions.empty()) return std::vector<bool>();
    // One UPDATE for the whole batch: one commit (one WAL flush) instead of one per job. Rows
    // are locked in id order, so two batches sharing a job (a lease taken over) cannot
    // deadlock.
    std::vector<std::size_t> order(completions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return completions[a].id < completions[b].id; });
    std::vector<Param> ids, workers, states, results, codes, messages, records, done, total, tokens;
    for (std::size_t i : order) {
      const Completion& c = completions[i];
      ids.push_back(text(c.id));
      workers.push_back(text(c.worker_id));
      states.push_back(text(c.succeeded ? "succeeded" : "failed"));
      results.push_back(text(c.succeeded ? c.result_json : ""));
      codes.push_back(text(c.succeeded ? "" : c.error_code));
      messages.push_back(text(c.succeeded ? "" : c.error_message));
      records.push_back(text(c.records_json));
      done.push_back(c.progress ? number(c.progress->done) : Param());
      total.push_back(c.progress ? number(c.progress->total) : Param());
      tokens.push_back(c.progress ? number(c.progress->tokens) : Param());
    }
    static constexpr std::string_view kFinish =
        "UPDATE jobs SET state = c.state, result_json = c.result_json, error_code = c.error_code, "
        "error_message = c.error_message, records_json = c.records_json, progress_done = "
        "COALESCE(c.done, jobs.progress_done), progress_total = COALESCE(c.total, "
        "jobs.progress_total), progress_tokens = COALESCE(c.tokens, jobs.progress_tokens), "
        "finished_us = $11, updated_us = $11, lease_us = NULL FROM unnest($1::text[], $2::text[], "
        "$3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], "
        "$10::bigint[]) AS c(id, worker_id, state, result_json, error_code, error_message, "
        "records_json, done, total, tokens) WHERE jobs.id = c.id AND "
        "jobs.worker_id = c.worker_id AND jobs.state = 'running' RETURNING jobs.id";
    return with_connection(Commit::Durable, true, [&](Connection& c) -> Result<std::vector<bool>> {
      auto r = query(c, kFinish,
                     {array(ids), array(workers), array(states), array(results), array(codes),
                      array(messages), array(records), array(done), array(total), array(tokens),
                      number(to_micros(Clock::now()))});
      if (!r) return bedrock::fail(r.error());
      std::vector<std::string_view> written;
      for (int i = 0; i < r->rows(); ++i) written.push_back(r->row(i).text(0).value_or(""));
      std::sort(written.begin(), written.end());
      std::vector<bool> held(completions.size());
      for (std::size_t i = 0; i < completions.size(); ++i) {
        held[i] =
            std::binary_search(written.begin(), written.end(), std::string_view(completions[i].id));
      }
      return held;
    });
  }

  Result<std::optional<Job>> cancel(std::string_view id) override {
    return with_connection(Commit::Durable, true, [&](Connection& c) -> Result<std::optional<Job>> {
      static const std::string kCancel = fmt::format(
          "UPDATE jobs SET state = 'cancelled', error_code = 'Cancelled', error_message = $2, "
          "finished_us = $3, updated_us = $3, lease_us = NULL WHERE id = $1 AND state IN "
          "('queued', 'running') RETURNING {}",
          kJobColumns);
      auto r =
          query(c, kCancel, {text(id), text(kCancelledMessage), number(to_micros(Clock::now()))});
      if (!r) return bedrock::fail(r.error());
      if (r->rows() > 0) return std::optional<Job>(decode_job(r->row(0)));
      static const std::string kGet = fmt::format("SELECT {} FROM jobs WHERE id = $1", kJobColumns);
      auto current = query(c, kGet, {text(id)});
      if (!current) return bedrock::fail(current.error());
      if (current->rows() == 0) return std::optional<Job>();
      return std::optional<Job>(decode_job(current->row(0)));
    });
  }

  Result<std::int64_t> purge_finished(Clock::time_point before) override {
    return with_connection(Commit::Durable, true, [&](Connection& c) -> Result<std::int64_t> {
      auto r = query(c, "DELETE FROM jobs WHERE finished_us IS NOT NULL AND finished_us < $1",
                     {number(to_micros(before))});
      if (!r) return bedrock::fail(r.error());
      return r->affected();
    });
  }

 private:
  Error error(ErrorCode code, std::string_view message) const {
    return Error::make(code, scrub_secret(message, url_.password));
  }

  // libpq's error text, trimmed and scrubbed of the password.
  Error pg_error(Connection& c, const PGresult* r, std::string_view what) {
    std::string detail = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c.conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state != nullptr ? state : "";
    const std::string message = fmt::format("PostgreSQL failed while {}: {}", what, detail);
    if (PQstatus(c.conn) != CONNECTION_OK) {
      c.broken = true;
      return error(ErrorCode::ConnectionFailed, message);
    }
    if (sqlstate == "57014") return error(ErrorCode::DeadlineExceeded, message);  // timeout
    if (sqlstate.starts_with("08") || sqlstate.starts_with("57P")) {
      c.broken = true;  // connection exception, or the server is shutting down
      return error(ErrorCode::ConnectionFailed, message);
    }
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
      return error(ErrorCode::ServiceUnavailable, message);  // serialization, deadlock, lock
    }
    return error(ErrorCode::InternalServer, message);
  }

  Result<std::unique_ptr<Connection>> connect(bool relaxed = false) {
    // libpq's connect_timeout is whole seconds, at least 2.
    const auto seconds = std::max<std::int64_t>(2, (options_.connect_timeout.count() + 999) / 1000);
    const std::string connect_timeout = std::to_string(seconds);
    // dbname first: its URL expands into the parameters, and later keywords override it. The
    // URL's own "options" (a search_path, say) stay; the timeouts are SET after connecting.
    const char* keywords[] = {"dbname", "connect_timeout", "fallback_application_name",
                              "client_encoding", nullptr};
    const char* values[] = {url_.postgres_url.c_str(), connect_timeout.c_str(), "bedrock-jobs",
                            "UTF8", nullptr};
    auto c = std::make_unique<Connection>();
    c->conn = PQconnectdbParams(keywords, values, 1);
    if (c->conn == nullptr) {
      return bedrock::fail(
          error(ErrorCode::ConnectionFailed, "libpq could not allocate a connection"));
    }
    if (PQstatus(c->conn) != CONNECTION_OK) {
      std::string detail = PQerrorMessage(c->conn);
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
      const bool bad_url = detail.find("invalid") != std::string::npos &&
                           detail.find("connection to server") == std::string::npos;
      return bedrock::fail(
          error(bad_url ? ErrorCode::ConfigurationInvalid : ErrorCode::ConnectionFailed,
                fmt::format("could not connect to the job database {}: {}",
                            redact_url_credentials(url_.postgres_url), detail)));
    }
    // Server notices ("already exists, skipping") would go to stderr; the store logs nothing.
    PQsetNoticeProcessor(
        c->conn, [](void*, const char*) {}, nullptr);
    const auto ms = options_.operation_timeout.count();
    if (auto ok = command(*c,
                          fmt::format("SET statement_timeout = {}; SET lock_timeout = {}; SET "
                                      "enable_seqscan = off{}",
                                      ms, ms, relaxed ? "; SET synchronous_commit = off" : ""),
                          "setting the statement timeout");
        !ok) {
      return bedrock::fail(ok.error());
    }
    c->relaxed = relaxed;
    return c;
  }

  // Waits for the answer of a sent command until the operation deadline; a server that stops
  // answering (paused, network gone) fails in time instead of hanging the caller.
  Result<PgResult> await_result(Connection& c, std::string_view what) {
    const auto deadline = std::chrono::steady_clock::now() + options_.operation_timeout +
                          std::chrono::seconds(1);  // the server's own timeout speaks first
    while (PQflush(c.conn) == 1 || PQisBusy(c.conn)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        c.broken = true;
        return bedrock::fail(
            error(ErrorCode::DeadlineExceeded,
                  fmt::format("PostgreSQL did not answer within the operation timeout "
                              "while {}",
                              what)));
      }
      pollfd fd{PQsocket(c.conn), POLLIN, 0};
      if (PQflush(c.conn) == 1) fd.events |= POLLOUT;
      if (::poll(&fd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
        c.broken = true;
        return bedrock::fail(
            error(ErrorCode::ConnectionFailed, "polling the PostgreSQL socket failed"));
      }
      if (PQconsumeInput(c.conn) == 0) return bedrock::fail(pg_error(c, nullptr, what));
    }
    // One command: one result, then nullptr. Keep the last one (an error wins).
    PGresult* last = nullptr;
    while (PGresult* r = PQgetResult(c.conn)) {
      PQclear(last);
      last = r;
    }
    if (last == nullptr) return bedrock::fail(pg_error(c, nullptr, what));
    PgResult result(last);
    const ExecStatusType status = PQresultStatus(last);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return bedrock::fail(pg_error(c, last, what));
    }
    return result;
  }

  // A parameterised statement, prepared once per connection and cached by its text.
  Result<PgResult> query(Connection& c, std::string_view sql, const Params& params) {
    if (const auto now = std::chrono::steady_clock::now(); now >= c.replan_at) {
      if (!c.prepared.empty()) {
        if (auto ok = command(c, "DEALLOCATE ALL", "dropping the prepared statements"); !ok) {
          return bedrock::fail(ok.error());
        }
        c.prepared.clear();
      }
      c.replan_every = std::min(2 * c.replan_every, kLongestReplan);
      c.replan_at = now + c.replan_every;
    }
    auto it = c.prepared.find(sql);
    if (it == c.prepared.end()) {
      std::string name = fmt::format("s{}", c.prepared.size());
      if (!PQsendPrepare(c.conn, name.c_str(), std::string(sql).c_str(),
                         static_cast<int>(params.size()), nullptr)) {
        return bedrock::fail(pg_error(c, nullptr, "preparing a statement"));
      }
      auto prepared = await_result(c, "preparing a statement");
      if (!prepared) return bedrock::fail(prepared.error());
      it = c.prepared.emplace(std::string(sql), std::move(name)).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
    if (!PQsendQueryPrepared(c.conn, it->second.c_str(), static_cast<int>(values.size()),
                             values.data(), nullptr, nullptr, 0)) {
      return bedrock::fail(pg_error(c, nullptr, "sending a statement"));
    }
    return await_result(c, "running a statement");
  }

  // A plain command (BEGIN, COMMIT, migrations): the simple protocol, several statements at once.
  Status command(Connection& c, std::string_view sql, std::string_view what) {
    if (!PQsendQuery(c.conn, std::string(sql).c_str())) {
      return bedrock::fail(pg_error(c, nullptr, what));
    }
    auto r = await_result(c, what);
    if (!r) return bedrock::fail(r.error());
    return {};
  }

  template <typename F>
  auto transaction(Connection& c, F&& body) -> decltype(body()) {
    if (auto ok = command(c, "BEGIN", "starting a transaction"); !ok)
      return bedrock::fail(ok.error());
    auto result = body();
    if (!result) {
      if (!c.broken) command(c, "ROLLBACK", "rolling back");
      return result;
    }
    if (auto ok = command(c, "COMMIT", "committing"); !ok) return bedrock::fail(ok.error());
    return result;
  }

  Status migrate(Connection& c) {
    // Two servers starting at once: the second waits here (bounded by lock_timeout /
    // statement_timeout) and then finds the migrations applied.
    if (auto ok = command(c, fmt::format("SELECT pg_advisory_lock({})", kMigrationLockKey),
                          "taking the migration lock");
        !ok) {
      return ok;
    }
    auto applied = apply_migrations(c);
    if (!c.broken) {
      command(c, fmt::format("SELECT pg_advisory_unlock({})", kMigrationLockKey),
              "releasing the migration lock");
    }
    return applied;
  }

  Status apply_migrations(Connection& c) {
    if (auto ok = command(c,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                          "KEY, applied_at BIGINT NOT NULL)",
                          "creating schema_migrations");
        !ok) {
      return ok;
    }
    auto r = query(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    if (!r) return bedrock::fail(r.error());
    const std::int64_t version = r->row(0).integer(0).value_or(0);
    if (version > static_cast<std::int64_t>(kMigrations.size())) {
      return bedrock::fail(
          error(ErrorCode::ConfigurationInvalid,
                fmt::format("the job database has schema version {}, newer than this "
                            "program's {}; upgrade the program",
                            version, kMigrations.size())));
    }
    for (auto v = static_cast<std::size_t>(version); v < kMigrations.size(); ++v) {
      auto ok = transaction(c, [&]() -> Status {
        if (auto applied = command(c, kMigrations[v], fmt::format("applying migration {}", v + 1));
            !applied) {
          return applied;
        }
        auto recorded =
            query(c, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                  {number(static_cast<std::int64_t>(v + 1)), number(to_micros(Clock::now()))});
        if (!recorded) return bedrock::fail(recorded.error());
        return {};
      });
      if (!ok) return ok;
    }
    return {};
  }

  // A pooled connection checked for life first: a server restart closes idle sessions, and a
  // dead one is dropped here, before a statement is sent on it.
  // A connection already in the wanted commit mode is taken first; then, while the pool has
  // room, a new one opened in that mode: switching an idle one would cost a SET round trip,
  // and under load the switches went back and forth (one in every six statements was a SET).
  Result<std::unique_ptr<Connection>> acquire(Commit commit) {
    std::unique_lock lock(pool_mu_);
    const auto deadline = std::chrono::steady_clock::now() + options_.operation_timeout;
    const bool relaxed = commit == Commit::Relaxed;
    for (;;) {
      const std::size_t cap = pool_limit_locked();
      while (!idle_.empty()) {
        auto pick = std::prev(idle_.end());
        if (commit != Commit::Either) {
          auto same = std::find_if(idle_.rbegin(), idle_.rend(),
                                   [&](const auto& c) { return c->relaxed == relaxed; });
          if (same != idle_.rend()) {
            pick = std::prev(same.base());
          } else if (open_connections_ < cap) {
            break;
          }
        }
        auto c = std::move(*pick);
        idle_.erase(pick);
        if (PQconsumeInput(c->conn) != 0 && PQstatus(c->conn) == CONNECTION_OK &&
            PQtransactionStatus(c->conn) == PQTRANS_IDLE) {
          return c;
        }
        --open_connections_;  // dead: dropped (closed as it goes out of scope)
      }
      if (open_connections_ < cap) {
        ++open_connections_;
        lock.unlock();
        auto c = connect(relaxed);
        if (c) return c;
        lock.lock();
        --open_connections_;
        pool_cv_.notify_one();
        // Refused for want of connection slots while others are open: wait for one of those.
        // Any other failure (the database is away) the caller hears at once.
        if (open_connections_ == 0 || !refused_for_slots(c.error())) return c;
        cap_pool_locked();
        continue;
      }
      if (pool_cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_connections_ >= pool_limit_locked()) {
        return bedrock::fail(
            error(ErrorCode::ServiceUnavailable,
                  "no PostgreSQL connection became free within the operation timeout"));
      }
    }
  }

  void release(std::unique_ptr<Connection> c) {
    std::lock_guard lock(pool_mu_);
    if (c->broken || PQstatus(c->conn) != CONNECTION_OK ||
        PQtransactionStatus(c->conn) != PQTRANS_IDLE) {
      --open_connections_;
      c.reset();
    } else {
      idle_.push_back(std::move(c));
    }
    pool_cv_.notify_one();
  }

  // PostgreSQL refuses a connection over max_connections ("sorry, too many clients already")
  // or over a role's or a database's CONNECTION LIMIT ("too many connections for ..."), all
  // SQLSTATE 53300, which libpq reports only in the message.
  static bool refused_for_slots(const Error& e) {
    return e.message.find("too many clients") != std::string::npos ||
           e.message.find("too many connections") != std::string::npos;
  }

  std::size_t pool_limit_locked() const {
    return std::chrono::steady_clock::now() < capped_until_ ? pool_cap_ : kPoolSize;
  }

  void cap_pool_locked() {
    pool_cap_ = std::max<std::size_t>(open_connections_, 1);
    capped_until_ = std::chrono::steady_clock::now() + kRefusedPoolPause;
  }

  void drop_idle() {
    std::vector<std::unique_ptr<Connection>> dropped;
    {
      std::lock_guard lock(pool_mu_);
      open_connections_ -= idle_.size();
      dropped.swap(idle_);
    }
    pool_cv_.notify_all();
  }

  // Runs `body` on a pooled connection. A connection that breaks under it is dropped; when the
  // operation is safe to repeat it runs once more on a fresh connection (the server restarted).
  template <typename F>
  auto with_connection(Commit commit, bool retry_safe, F&& body)
      -> decltype(body(std::declval<Connection&>())) {
    for (int attempt = 0;; ++attempt) {
      auto c = acquire(commit);
      if (!c) return bedrock::fail(c.error());
      const bool relaxed = commit == Commit::Relaxed;
      if (commit != Commit::Either && (*c)->relaxed != relaxed) {
        if (auto set = command(
                **c, relaxed ? "SET synchronous_commit = off" : "SET synchronous_commit = DEFAULT",
                "setting the commit mode");
            !set) {
          const bool broke = (*c)->broken;
          release(std::move(*c));
          if (broke) drop_idle();
          if (broke && retry_safe && attempt == 0) continue;
          return bedrock::fail(set.error());
        }
        (*c)->relaxed = relaxed;
      }
      auto result = body(**c);
      const bool broke = (*c)->broken;
      release(std::move(*c));
      // A connection that broke most likely went with a server restart, which ended every
      // session: the idle ones are dropped too, so the retry runs on a fresh connection (an
      // idle one that was closed does not always look closed until a statement is sent on it).
      if (broke) drop_idle();
      if (result || !broke || !retry_safe || attempt > 0) return result;
    }
  }

  Result<bool> held_update(Commit commit, std::string_view sql, const Params& params) {
    return with_connection(commit, true, [&](Connection& c) -> Result<bool> {
      auto r = query(c, sql, params);
      if (!r) return bedrock::fail(r.error());
      return r->affected() == 1;
    });
  }

  // A claim in one statement (one round trip, one transaction): the two sweeps, then expired
  // leases, then queued jobs up to the rest of the batch. The four parts touch disjoint rows
  // (deadline passed / out of attempts / attempts left / queued), every candidate row is locked
  // with SKIP LOCKED, so concurrent claimers never get the same job and never wait for each
  // other. $1 now, $2 worker, $3 lease end, $4 max, $5..$7 the sweeps' messages.
  //
  // Each part updates `id = ANY(ARRAY(SELECT ...))`, not `id IN (SELECT ...)`: the planner
  // cannot know how many ids a LIMIT of parameters lets through, and with IN it may join them
  // to a sequential scan of the whole table (seen: a hash semi join reading all 70,000 rows,
  // 157 ms, to claim 30). An array is looked up id by id in the primary key whatever the plan.
  static const std::string& claim_sql() {
    static const std::string sql = [] {
      constexpr std::string_view kTake =
          "UPDATE jobs SET state = 'running', worker_id = $2, attempts = attempts + 1, "
          "lease_us = $3, started_us = $1, updated_us = $1 WHERE id = ANY(ARRAY(SELECT id FROM "
          "jobs WHERE ";
      return fmt::format(
          "WITH deadline AS (UPDATE jobs SET state = 'failed', error_code = 'DeadlineExceeded', "
          "error_message = $5, finished_us = $1, updated_us = $1, lease_us = NULL WHERE id = "
          "ANY(ARRAY(SELECT id FROM jobs WHERE deadline_us IS NOT NULL AND state IN ('queued', "
          "'running') AND deadline_us <= $1 FOR UPDATE SKIP LOCKED)) RETURNING 1), "
          "exhausted AS (UPDATE jobs SET state = 'failed', error_code = $6, error_message = $7, "
          "finished_us = $1, updated_us = $1, lease_us = NULL WHERE id = ANY(ARRAY(SELECT id "
          "FROM jobs WHERE state = 'running' AND lease_us <= $1 AND attempts >= max_attempts AND "
          "(deadline_us IS NULL OR deadline_us > $1) FOR UPDATE SKIP LOCKED)) RETURNING 1), "
          "expired AS ({0}state = 'running' AND lease_us <= $1 AND attempts < max_attempts AND "
          "(deadline_us IS NULL OR deadline_us > $1) ORDER BY lease_us LIMIT $4 FOR UPDATE "
          "SKIP LOCKED)) RETURNING {1}, seq), "
          "queued AS ({0}state = 'queued' AND (deadline_us IS NULL OR deadline_us > $1) ORDER "
          "BY priority DESC, created_us, seq LIMIT GREATEST($4 - (SELECT COUNT(*) FROM "
          "expired), 0) FOR UPDATE SKIP LOCKED)) RETURNING {1}, seq) "
          "SELECT *, 0 AS part FROM expired UNION ALL SELECT *, 1 AS part FROM queued "
          "ORDER BY part, priority DESC, created_us, seq",
          kTake, kJobColumns);
    }();
    return sql;
  }

  // Counting the queued jobs costs a scan of the whole backlog, for every submit batch. Far
  // below the bound a recent count, plus what this store submitted since, is enough: under half
  // of the bound a count younger than 100 ms, under a quarter one younger than a second (other
  // servers would have to queue half, or three quarters, of the bound within that time to
  // overshoot). Near the bound every batch counts afresh.
  bool fits_far_below_bound(std::size_t batch) {
    std::lock_guard lock(count_mu_);
    const auto age = std::chrono::steady_clock::now() - counted_at_;
    const auto after = queued_estimate_ + static_cast<std::int64_t>(batch);
    const auto bound = static_cast<std::int64_t>(options_.max_queued);
    const bool fresh =
        after <= bound / 4 ? age < std::chrono::seconds(1) : age < std::chrono::milliseconds(100);
    if (!fresh || after > bound / 2) return false;
    queued_estimate_ = after;
    return true;
  }
  void remember_queued(std::int64_t queued) {
    std::lock_guard lock(count_mu_);
    queued_estimate_ = queued;
    counted_at_ = std::chrono::steady_clock::now();
  }

  Result<std::int64_t> queued_count(Connection& c) {
    auto r = query(c, "SELECT COUNT(*) FROM jobs WHERE state = 'queued'", {});
    if (!r) return bedrock::fail(r.error());
    return r->row(0).integer(0).value_or(0);
  }

  // A batch that may fill the queue part-way, in a transaction: job by job, so an existing key
  // is still answered when the queue is full.
  Result<std::vector<SubmitResult>> insert_jobs(Connection& c, const std::vector<JobSpec>& specs) {
    static const std::string kByKey =
        fmt::format("SELECT {} FROM jobs WHERE idempotency_key = $1", kJobColumns);
    static const std::string kInsert = fmt::format(
        "INSERT INTO jobs (id, kind, input_json, idempotency_key, priority, deadline_us, "
        "max_attempts, state, created_us, updated_us) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "'queued', $8, $8) ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO "
        "NOTHING RETURNING {}",
        kJobColumns);
    auto queued = queued_count(c);
    if (!queued) return bedrock::fail(queued.error());
    const std::int64_t already = *queued;
    const auto now = Clock::now();
    std::int64_t added = 0;
    std::vector<SubmitResult> out;
    out.reserve(specs.size());
    for (const JobSpec& spec : specs) {
      // The key is looked up first only when the queue is full (an existing job is still
      // answered then); otherwise the insert itself finds it, saving a round trip per job.
      if (already + added + 1 > static_cast<std::int64_t>(options_.max_queued)) {
        if (!spec.idempotency_key.empty()) {
          auto existing = query(c, kByKey, {text(spec.idempotency_key)});
          if (!existing) return bedrock::fail(existing.error());
          if (existing->rows() > 0) {
            out.push_back(SubmitResult{decode_job(existing->row(0)), false});
            continue;
          }
        }
        return bedrock::fail(
            ErrorCode::QueueFull,
            fmt::format("the job queue holds its maximum of {} queued jobs", options_.max_queued));
      }
      Job job = make_queued_job(spec, now);
      auto inserted =
          query(c, kInsert,
                {text(job.id), text(spec.kind), text(spec.input_json),
                 spec.idempotency_key.empty() ? Param() : text(spec.idempotency_key),
                 number(spec.priority),
                 nullable(spec.deadline ? std::optional<std::int64_t>(to_micros(*spec.deadline))
                                        : std::nullopt),
                 number(spec.max_attempts), number(to_micros(job.created_at))});
      if (!inserted) return bedrock::fail(inserted.error());
      if (inserted->rows() == 0) {
        // The key exists (or another submitter inserted it and committed while we waited).
        auto existing = query(c, kByKey, {text(spec.idempotency_key)});
        if (!existing) return bedrock::fail(existing.error());
        if (existing->rows() == 0) {
          return bedrock::fail(ErrorCode::InternalServer,
                               "a job with this idempotency key vanished while submitting");
        }
        out.push_back(SubmitResult{decode_job(existing->row(0)), false});
        continue;
      }
      ++added;
      out.push_back(SubmitResult{decode_job(inserted->row(0)), true});
    }
    return out;
  }

  // Every job of a batch that fits the queue bound: one multi-row INSERT (rows in batch order,
  // so `seq` keeps it), then one SELECT for the keys that existed already.
  Result<std::vector<SubmitResult>> insert_all(Connection& c, const std::vector<JobSpec>& specs,
                                               Clock::time_point now) {
    // Only the ids come back: a created job is the one built here (make_queued_job keeps the
    // store's precision), so its input need not travel back and be decoded again.
    static constexpr std::string_view kInsert =
        "INSERT INTO jobs (id, kind, input_json, idempotency_key, priority, deadline_us, "
        "max_attempts, state, created_us, updated_us) SELECT id, kind, input_json, key, "
        "priority, deadline_us, max_attempts, 'queued', $8, $8 FROM unnest($1::text[], "
        "$2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::integer[]) WITH "
        "ORDINALITY AS s(id, kind, input_json, key, priority, deadline_us, max_attempts, n) "
        "ORDER BY n ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
        "RETURNING id";
    static const std::string kByKeys =
        fmt::format("SELECT {} FROM jobs WHERE idempotency_key = ANY($1::text[])", kJobColumns);
    std::vector<Job> jobs;
    jobs.reserve(specs.size());
    std::vector<Param> ids, kinds, inputs, keys, priorities, deadlines, attempts;
    for (const JobSpec& spec : specs) {
      jobs.push_back(make_queued_job(spec, now));
      ids.push_back(text(jobs.back().id));
      kinds.push_back(text(spec.kind));
      inputs.push_back(text(spec.input_json));
      keys.push_back(spec.idempotency_key.empty() ? Param() : text(spec.idempotency_key));
      priorities.push_back(number(spec.priority));
      deadlines.push_back(spec.deadline ? number(to_micros(*spec.deadline)) : Param());
      attempts.push_back(number(spec.max_attempts));
    }
    auto inserted = query(c, kInsert,
                          {array(ids), array(kinds), array(inputs), array(keys), array(priorities),
                           array(deadlines), array(attempts), number(to_micros(now))});
    if (!inserted) return bedrock::fail(inserted.error());
    std::vector<std::string_view> created;  // ids, sorted
    created.reserve(static_cast<std::size_t>(inserted->rows()));
    for (int i = 0; i < inserted->rows(); ++i) {
      created.push_back(inserted->row(i).text(0).value_or(""));
    }
    std::sort(created.begin(), created.end());
    const auto was_created = [&](const Job& job) {
      return std::binary_search(created.begin(), created.end(), std::string_view(job.id));
    };
    std::map<std::string, Job, std::less<>> existing;  // by idempotency key
    if (created.size() < specs.size()) {
      std::vector<Param> missing;
      for (std::size_t i = 0; i < specs.size(); ++i) {
        if (!was_created(jobs[i])) missing.push_back(keys[i]);
      }
      auto found = query(c, kByKeys, {array(missing)});
      if (!found) return bedrock::fail(found.error());
      for (Job& job : found->jobs()) {
        std::string key = job.spec.idempotency_key;
        existing.emplace(std::move(key), std::move(job));
      }
    }
    std::vector<SubmitResult> out;
    out.reserve(specs.size());
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (was_created(jobs[i])) {
        out.push_back(SubmitResult{std::move(jobs[i]), true});
        continue;
      }
      auto it = existing.find(specs[i].idempotency_key);
      if (specs[i].idempotency_key.empty() || it == existing.end()) {
        return bedrock::fail(ErrorCode::InternalServer,
                             "a job with this idempotency key vanished while submitting");
      }
      out.push_back(SubmitResult{it->second, false});
    }
    return out;
  }

  const StoreUrl url_;
  const StoreOptions options_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_connections_ = 0;
  // A connection refused while others are open (max_connections, a role's CONNECTION LIMIT):
  // the pool stops growing at what it has for a while, and callers share those (switching an
  // idle one's commit mode) instead of failing.
  std::size_t pool_cap_ = kPoolSize;
  std::chrono::steady_clock::time_point capped_until_{};
  std::mutex count_mu_;
  std::int64_t queued_estimate_ = 0;  // queued jobs when last counted, plus submits since
  std::chrono::steady_clock::time_point counted_at_{};
};

}  // namespace

int postgres_schema_version() { return static_cast<int>(kMigrations.size()); }

Result<std::unique_ptr<JobStore>> open_postgres_store(const StoreUrl& url,
                                                      const StoreOptions& options) {
  auto store = std::make_unique<PostgresStore>(url, options);
  if (auto opened = store->open(); !opened) return bedrock::fail(opened.error());
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace bedrock::jobs
