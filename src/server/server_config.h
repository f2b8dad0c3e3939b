// The service's own settings: flags over the [server] table of the content config file over
// these defaults. Every limit here is enforced by the service (see service.h).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bedrock::server {

// One accepted API key. Only the SHA-256 of the key is kept.
struct ApiKey {
  std::string id;                          // for logs and metrics; never the key
  std::array<unsigned char, 32> sha256{};  // of the key's UTF-8 bytes
  int max_concurrency = 0;                 // requests in flight at once; 0: no limit
  int requests_per_minute = 0;             // 0: no limit
};

// Durable background jobs ([server.jobs]; src/server/jobs/).
struct JobsConfig {
  // The job store: "sqlite:///abs/jobs.db", "postgresql://...". Empty: an in-memory SQLite
  // store (the library's default, for tests); the server binary defaults to
  // <state dir>/jobs.db (BEDROCK_CONTENT_JOBS_URL or [server.jobs].url win).
  std::string url;
  int workers = 64;  // jobs running at once in this server (each is mostly waiting on the model)
  std::size_t max_queued = 100'000;                                // submit past it: 503 QueueFull
  std::chrono::milliseconds lease{std::chrono::seconds(30)};       // renewed every lease / 3
  std::chrono::milliseconds poll{std::chrono::milliseconds(200)};  // for other servers' jobs
  std::chrono::seconds retention{std::chrono::hours(24 * 7)};      // finished jobs kept
  // Threads making the blocking store calls (never the I/O threads). 0: 2 for SQLite (one
  // writer at a time anyway), 6 for PostgreSQL (each call mostly waits on the network; with
  // the claimer and the keeper they fill the store's 8 connections).
  int store_threads = 0;
  std::size_t max_pending = 10'000;  // store calls waiting for those threads; then 503
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int threads = 0;           // I/O threads; 0: one per core
  int upstream_threads = 1;  // threads running the upstream loop (curl multi + timers)
  // net::ServerOptions::busy_poll: the longest an idle I/O thread polls before it sleeps. On by
  // default: the window adapts, so an idle server, or one whose quiet spells outlast this,
  // never polls, while one whose next event (the upstream's answer, a keep-alive client's next
  // request) keeps coming within it saves the thread's wake-up.
  std::chrono::microseconds busy_poll{50};
  std::size_t max_body_bytes = 10u << 20;
  std::size_t max_connections = 16384;
  std::size_t max_in_flight = 16384;  // requests being handled; then 503 + Retry-After
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};      // keep-alive idle
  std::chrono::milliseconds request_timeout{std::chrono::seconds(120)};  // per request; 504
  std::chrono::milliseconds drain_grace{std::chrono::seconds(30)};
  std::chrono::seconds retry_after{1};  // Retry-After of 429 (upstream) and 503 answers
  // Names callers may use for models ("fast" -> "anthropic.claude-3-haiku-20240307-v1:0").
  std::map<std::string, std::string, std::less<>> model_aliases;
  // The models callers may name (ids, profiles, ARNs, or aliases); empty: any model.
  std::vector<std::string> allowed_models;
  std::vector<ApiKey> api_keys;  // empty: no key needed, loopback only
  bool access_log = true;        // JSON lines on stderr
  std::string state_dir;         // where the default job store lives (the binary sets it)
  JobsConfig jobs;
};

// Whether `host` is a loopback address (127.0.0.0/8, ::1, "localhost").
bool is_loopback_host(const std::string& host);

}  // namespace bedrock::server
