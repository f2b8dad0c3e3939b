#include "bedrock/core/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "bedrock/core/credential_scan.h"
#include "bedrock/core/url_redaction.h"

namespace bedrock {
namespace {

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
  return redact_credentials(out);
}

void register_secret(std::string_view secret) {
  if (secret.size() < 8) return;
  std::unique_lock lock(secrets_mu);
  auto& list = secrets();
  if (std::find(list.begin(), list.end(), secret) != list.end()) return;
  // Every credential refresh registers new keys; without a bound a long-running process would
  // grow the list, and the time of every redact(), forever. The oldest are the expired ones.
  if (list.size() >= kMaxRegisteredSecrets) list.erase(list.begin());
  list.emplace_back(secret);
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
