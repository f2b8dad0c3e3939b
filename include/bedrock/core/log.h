// Logging on spdlog with a redaction layer: every message passes through redact() before
// it reaches a sink, so secret keys, session tokens, bearer tokens and Authorization headers
// cannot be written to a log even by mistake.
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "bedrock/core/url_redaction.h"  // redact() masks URL credentials with it

namespace bedrock {

// Replaces secrets in free text with "****": Authorization header values (SigV4 and Bearer),
// X-Amz-Security-Token values, aws_secret_access_key / aws_session_token assignments,
// JSON fields SecretAccessKey / SessionToken / Token (also JSON-escaped, as key=value and as
// STS XML elements), the user-info of URLs, bedrock-api-key-* tokens, and any
// string registered with register_secret().
std::string redact(std::string_view text);

// How many registered secrets redact() remembers; registering one more forgets the oldest.
inline constexpr std::size_t kMaxRegisteredSecrets = 256;

// Registers a literal secret (e.g. a loaded secret key) so redact() masks it wherever it
// appears. Thread-safe. Strings shorter than 8 characters are ignored (too many false hits).
// Keeps the latest kMaxRegisteredSecrets distinct secrets.
void register_secret(std::string_view secret);

// The project logger. Thread-safe; its sinks always redact. Default level warn, to stderr.
std::shared_ptr<spdlog::logger> logger();

// Replaces the logger's sinks (tests capture output this way). The redaction stays.
void set_log_sink(spdlog::sink_ptr sink);

void set_log_level(spdlog::level::level_enum level);

}  // namespace bedrock
