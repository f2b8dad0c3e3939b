#include "bedrock/core/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <regex>
#include <shared_mutex>
#include <vector>

#include "bedrock/core/url_redaction.h"

namespace bedrock {
namespace {

struct Rule {
  std::regex pattern;
  const char* replacement;
  // Lower-case substrings of which at least one must occur for the pattern to match. Checking
  // them first keeps the common case (text with no secret-like words) free of regex work,
  // which matters because the emulator redacts every prompt it answers.
  std::vector<std::string_view> triggers;
};

const std::vector<Rule>& rules() {
  using std::regex_constants::ECMAScript;
  using std::regex_constants::icase;
  static const std::vector<Rule> kRules = {
      // Authorization header in any rendering ("Authorization: ...", "authorization=...").
      {std::regex(R"((authorization"?\s*[:=]\s*"?)[^"\r\n]*)", ECMAScript | icase),
       "$1****",
       {"authorization"}},
      {std::regex(R"((x-amz-security-token"?\s*[:=]\s*"?)[^"\s,;&]+)", ECMAScript | icase),
       "$1****",
       {"x-amz-security-token"}},
      {std::regex(R"((x-amz-signature=)[0-9a-f]+)", ECMAScript | icase),
       "$1****",
       {"x-amz-signature="}},
      {std::regex(R"((aws_secret_access_key|aws_session_token|aws_security_token)(\s*[=:]\s*)\S+)",
                  ECMAScript | icase),
       "$1$2****",
       {"aws_se"}},
      {std::regex(
           R"re(("(?:SecretAccessKey|SessionToken|Token|secret_access_key|session_token|aws_secret_access_key|AccessToken|api_key|apiKey)"\s*:\s*")[^"]*")re",
           ECMAScript | icase),
       "$1****\"",
       {"key\"", "token\""}},
      // The same fields JSON-escaped inside another string (an error detail quoting a helper's
      // output): \"SecretAccessKey\": \"...\".
      {std::regex(
           R"re((\\"(?:SecretAccessKey|SessionToken|Token|AccessToken)\\"\s*:\s*\\")[^"\\]*)re",
           ECMAScript | icase),
       "$1****",
       {"key\\\"", "token\\\""}},
      // Query-string and form renderings (STS, presigned URLs, a helper's "key=value" output).
      {std::regex(R"(((?:SecretAccessKey|SessionToken|SecurityToken)\s*=\s*)[^\s&,;"']+)",
                  ECMAScript | icase),
       "$1****",
       {"secretaccesskey", "sessiontoken", "securitytoken"}},
      // STS's XML answer.
      {std::regex(R"((<(?:\w+:)?(?:SecretAccessKey|SessionToken)>)[^<]*)", ECMAScript | icase),
       "$1****",
       {"secretaccesskey>", "sessiontoken>"}},
      {std::regex(R"(bedrock-api-key-[A-Za-z0-9+/=_\-]+)"),
       "bedrock-api-key-****",
       {"bedrock-api-key-"}},
      {std::regex(R"((Bearer\s+)[^\s"]+)", ECMAScript | icase), "$1****", {"bearer"}},
  };
  return kRules;
}

std::shared_mutex secrets_mu;
std::vector<std::string>& secrets() {
  static std::vector<std::string> registered;
  return registered;
}

// Formats nothing itself: it rewrites the payload and hands the message to the real sink,
// so the redaction cannot be bypassed by a pattern or level change.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}
  void set_inner(spdlog::sink_ptr inner) {
    std::lock_guard lock(mutex_);
    inner_ = std::move(inner);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string clean = redact(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
    copy.thread_id = msg.thread_id;
    inner_->log(copy);
  }
  void flush_() override { inner_->flush(); }

 private:
  spdlog::sink_ptr inner_;
};

std::shared_ptr<RedactingSink>& redacting_sink() {
  static auto sink =
      std::make_shared<RedactingSink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  return sink;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out = redact_url_credentials(text);
  {
    std::shared_lock lock(secrets_mu);
    for (const auto& secret : secrets()) {
      for (size_t pos = out.find(secret); pos != std::string::npos;
           pos = out.find(secret, pos + 4)) {
        out.replace(pos, secret.size(), "****");
      }
    }
  }
  std::string lower(out);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& rule : rules()) {
    bool triggered = std::any_of(rule.triggers.begin(), rule.triggers.end(),
                                 [&](auto t) { return lower.find(t) != std::string::npos; });
    if (triggered) out = std::regex_replace(out, rule.pattern, rule.replacement);
  }
  return out;
}

void register_secret(std::string_view secret) {
  if (secret.size() < 8) return;
  std::unique_lock lock(secrets_mu);
  auto& list = secrets();
  if (std::find(list.begin(), list.end(), secret) == list.end()) list.emplace_back(secret);
}

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto l = std::make_shared<spdlog::logger>("bedrock", redacting_sink());
    l->set_level(spdlog::level::warn);
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    return l;
  }();
  return instance;
}

void set_log_sink(spdlog::sink_ptr sink) {
  logger();  // make sure the logger holds the redacting sink
  redacting_sink()->set_inner(std::move(sink));
}

void set_log_level(spdlog::level::level_enum level) { logger()->set_level(level); }

}  // namespace bedrock
