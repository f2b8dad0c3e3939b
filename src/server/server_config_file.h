// The [server] table of the content config file, and API keys from the environment. The
// content parser accepts the table without reading it; this reads and checks it.
//
//   [server]
//   host = "127.0.0.1"            # the port is --port's
//   threads = 0                   upstream_threads = 1         busy_poll_us = 50
//   max_body_bytes = 10485760     max_connections = 16384      max_in_flight = 16384
//   header_timeout_seconds = 10   idle_timeout_seconds = 60
//   request_timeout_seconds = 120 drain_grace_seconds = 30     retry_after_seconds = 1
//   access_log = true
//   state_dir = "/var/lib/bedrock-content"   # default: $XDG_STATE_HOME/bedrock-content
//   models = ["fast", "anthropic.claude-3-5-sonnet-20240620-v1:0"]   # allowed; empty: any
//   [server.model_aliases]
//   fast = "anthropic.claude-3-haiku-20240307-v1:0"
//   [[server.api_keys]]
//   id = "team-a"                 sha256 = "<64 hex digits>"   # of the key, never the key
//   max_concurrency = 8           requests_per_minute = 600     # 0: no limit
//   [server.jobs]
//   url = "sqlite:///var/lib/bedrock-content/jobs.db"   # or postgresql://...; default
//                                 # <state_dir>/jobs.db (BEDROCK_CONTENT_JOBS_URL wins)
//   workers = 64                  max_queued = 100000          lease_seconds = 30
//   poll_seconds = 0.2            retention_hours = 168        store_threads = 2
#pragma once

#include <string>
#include <string_view>

#include "bedrock/core/environment.h"
#include "bedrock/core/result.h"
#include "server/server_config.h"

namespace bedrock::server {

// Applies the [server] table of `toml_text` (when present) over `config`. Errors:
// ConfigurationInvalid naming `origin` and the key for a syntax error, an unknown key, a wrong
// type or an out-of-range value.
Status apply_server_table(ServerConfig& config, std::string_view toml_text,
                          std::string_view origin);

// The variable holding comma-separated API keys, hashed at start (ids "env-1", "env-2", ...).
inline constexpr std::string_view kApiKeysVariable = "BEDROCK_CONTENT_SERVER_API_KEYS";
// Keys shorter than this are refused: a short key can be guessed.
inline constexpr std::size_t kMinApiKeyLength = 16;

// Adds the keys in kApiKeysVariable to `config` (and registers them with bedrock::redact).
// Errors: ConfigurationInvalid for a key shorter than kMinApiKeyLength.
Status add_environment_keys(ServerConfig& config, const Environment& env);

}  // namespace bedrock::server
