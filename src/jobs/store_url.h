// The job store URL: which backend, where, and the password to keep out of every message.
// Outside bytes (config file, BEDROCK_CONTENT_JOBS_URL): fuzzed by fuzz/jobs_url.cpp.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/result.h"

namespace bedrock::jobs {

enum class Backend { Sqlite, Postgresql };

struct StoreUrl {
  Backend backend = Backend::Sqlite;
  std::string sqlite_path;   // ":memory:" for "sqlite::memory:"
  std::string postgres_url;  // the URL as given, for libpq
  std::string password;      // percent-decoded; empty when none. Scrubbed from messages.
};

// "sqlite:///abs/path.db", "sqlite://relative/path.db", "sqlite::memory:",
// "postgresql://user:pass@host:port/db?..." or "postgres://...". ConfigurationInvalid otherwise,
// with the URL redacted in the message.
Result<StoreUrl> parse_store_url(std::string_view url);

// `text` with every occurrence of `secret` (raw and percent-encoded forms are the caller's)
// replaced by "****", then URL user-info redacted: what an error message may show.
std::string scrub_secret(std::string_view text, std::string_view secret);

}  // namespace bedrock::jobs
