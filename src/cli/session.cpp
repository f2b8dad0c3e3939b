#include "session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "bedrock/content/model_limits.h"
#include "bedrock/core/environment.h"
#include "bedrock/core/log.h"
#include "exit_codes.h"
#include "record_json.h"

namespace bedrock::cli {

std::optional<std::chrono::milliseconds> Session::timeout() const {
  if (!options_.timeout_seconds) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(*options_.timeout_seconds * 1000.0));
}

Result<runtime::BedrockClient*> Session::client() {
  if (client_) return client_.get();
  config::ClientOverrides overrides;
  overrides.region = options_.region;
  overrides.profile = options_.profile;
  overrides.endpoint_url = options_.endpoint_url;
  overrides.max_attempts = options_.max_attempts;
  if (options_.retry_mode) {
    auto mode = config::parse_retry_mode(*options_.retry_mode);
    if (!mode) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("--retry-mode: {}", mode.error().message));
    }
    overrides.retry_mode = *mode;
  }
  auto resolved = runtime::options_from_environment(overrides, system_environment());
  if (!resolved) return fail(resolved.error());
  resolved->sink = metrics_;
  if (auto t = timeout()) resolved->timeout = *t;
  if (options_.no_inference_profiles) resolved->inference_profiles = false;
  auto created = runtime::BedrockClient::create(std::move(*resolved));
  if (!created) return fail(created.error());
  client_ = std::move(*created);
  return client_.get();
}

Result<const content::ContentConfig*> Session::content_config() {
  if (!config_) {
    auto loaded = content::resolve_content_config(options_.config_path, system_environment());
    if (!loaded) return fail(loaded.error());
    config_ = std::move(*loaded);
    if (auto t = timeout()) config_->timeout = *t;
  }
  return &*config_;
}

Result<content::GenerationContext> Session::generation_context() {
  auto config = content_config();
  if (!config) return fail(config.error());
  auto c = client();
  if (!c) return fail(c.error());
  content::GenerationContext ctx;
  ctx.invoker = *c;
  ctx.config = *config;
  ctx.limits = content::registry_limits();
  ctx.cancelled = &cancelled_;
  return ctx;
}

bool Session::stderr_is_terminal() const { return ::isatty(STDERR_FILENO) == 1; }

bool Session::stdout_is_terminal() const { return ::isatty(STDOUT_FILENO) == 1; }

std::string Session::figures_line() const {
  auto total = metrics_->total();
  if (total.calls == 0) return {};
  std::vector<std::string> models;
  for (const auto& [model, stats] : metrics_->snapshot()) {
    if (stats.successes > 0) models.push_back(model);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return fmt::format(
      "{} call{}, {} attempt{}, {} input + {} output tokens, ${:.4f}, p50 {:.0f} ms, {:.2f} s "
      "total{}",
      total.calls, total.calls == 1 ? "" : "s", total.attempts, total.attempts == 1 ? "" : "s",
      total.input_tokens, total.output_tokens, total.cost_usd,
      static_cast<double>(total.p50.count()) / 1000.0, seconds,
      models.empty() ? "" : fmt::format(" ({})", fmt::join(models, ", ")));
}

void Session::print_figures() const {
  if (options_.quiet) return;
  std::string figures = figures_line();
  if (!figures.empty()) std::fprintf(stderr, "%s\n", figures.c_str());
}

int Session::finish(const std::string& text, nlohmann::json json) {
  if (options_.json) {
    // Model ids, error messages and bodies in the document came from outside: invalid UTF-8 is
    // replaced (U+FFFD) rather than making dump() throw and the command fail.
    std::string out = json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fprintf(stdout, "%s\n", out.c_str());
  } else {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (text.empty() || text.back() != '\n') std::fputc('\n', stdout);
  }
  std::fflush(stdout);
  print_figures();
  return kExitOk;
}

int Session::finish(const std::string& text, nlohmann::json json, AnswerStream* streamed) {
  if (streamed == nullptr) return finish(text, std::move(json));
  streamed->end();
  print_figures();
  return kExitOk;
}

int Session::report(const Error& error, AnswerStream* streamed) {
  if (streamed == nullptr) return report(error);
  const bool interrupted = cancelled_.load();
  if (streamed->answer_bytes() > 0) {
    streamed->end();
    std::fprintf(stderr, "%s: the answer above is incomplete (stopped after %zu bytes)\n",
                 interrupted ? "cancelled" : "note", streamed->answer_bytes());
  }
  const int code = report(error);
  return interrupted ? kExitCancelled : code;
}

int Session::report(const Error& error) {
  logger()->debug("command failed: {}", describe(error));
  if (options_.json) {
    nlohmann::json out = {{"error", to_json(error)}};
    std::fprintf(stdout, "%s\n",
                 out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  }
  std::fprintf(stderr, "error: %s\n", redact(user_message(error)).c_str());
  if (options_.verbose || error.code == ErrorCode::Validation ||
      error.code == ErrorCode::ConfigurationInvalid || error.code == ErrorCode::InputTooLong ||
      error.code == ErrorCode::CredentialsNotFound) {
    // Input and setup problems are only fixable with the detail, so show it without --verbose.
    std::fprintf(stderr, "detail: %s\n", redact(describe(error)).c_str());
  }
  return exit_code_for(error.code);
}

}  // namespace bedrock::cli
