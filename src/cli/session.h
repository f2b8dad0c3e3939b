// What every command shares: the global options, the lazily built client and content config,
// the metrics of the calls made, and one way of reporting results and errors.
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bedrock/content/content_config.h"
#include "bedrock/content/generation.h"
#include "bedrock/core/result.h"
#include "bedrock/runtime/bedrock_client.h"
#include "bedrock/runtime/metrics.h"
#include "stream_output.h"

namespace bedrock::cli {

struct GlobalOptions {
  std::optional<std::string> region;
  std::optional<std::string> profile;
  std::optional<std::string> endpoint_url;
  std::optional<std::string> config_path;
  std::optional<double> timeout_seconds;
  std::optional<int> max_attempts;
  std::optional<std::string> retry_mode;
  bool no_inference_profiles = false;
  bool json = false;
  bool quiet = false;
  bool verbose = false;
};

class Session {
 public:
  Session(GlobalOptions& options, const std::atomic<bool>& cancelled)
      : options_(options), cancelled_(cancelled) {}

  const GlobalOptions& options() const { return options_; }
  const std::atomic<bool>* cancelled() const { return &cancelled_; }

  // Built on first use from flags, environment and ~/.aws; errors are configuration errors.
  Result<runtime::BedrockClient*> client();
  Result<const content::ContentConfig*> content_config();
  // A generation context on the client and config; map-reduce progress goes to stderr.
  Result<content::GenerationContext> generation_context();
  std::optional<std::chrono::milliseconds> timeout() const;

  // Prints `text` (plain mode) or `json` (--json) on stdout, then the call figures on stderr
  // unless --quiet. Returns kExitOk.
  int finish(const std::string& text, nlohmann::json json);
  // The same after the answer was streamed into `streamed` (when not null): the stream's line
  // is ended instead of printing the text again, then the figures.
  int finish(const std::string& text, nlohmann::json json, AnswerStream* streamed);

  // Prints the user-facing sentence (and the technical detail with --verbose, or the JSON
  // error with --json) and returns the exit code for the error's class.
  int report(const Error& error);
  // The same after part of the answer may have been streamed into `streamed` (when not null):
  // the partial line is ended, stderr says the answer above is incomplete (it is never printed
  // again), and a Ctrl-C during the stream exits 130 whatever error the stop surfaced as.
  int report(const Error& error, AnswerStream* streamed);

  bool stderr_is_terminal() const;
  bool stdout_is_terminal() const;

 private:
  std::string figures_line() const;
  void print_figures() const;  // on stderr unless --quiet

  GlobalOptions& options_;
  const std::atomic<bool>& cancelled_;
  std::shared_ptr<runtime::MetricsAggregator> metrics_ =
      std::make_shared<runtime::MetricsAggregator>();
  std::unique_ptr<runtime::BedrockClient> client_;
  std::optional<content::ContentConfig> config_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace bedrock::cli
