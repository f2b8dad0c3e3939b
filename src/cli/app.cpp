#include "app.h"

#include <exception>

#include "bedrock/core/log.h"
#include "cancellation.h"
#include "commands.h"
#include "exit_codes.h"

namespace bedrock::cli {
namespace {

void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.add_option("--region", g.region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  app.add_option("--profile", g.profile, "Profile in ~/.aws/config and ~/.aws/credentials");
  app.add_option("--endpoint-url", g.endpoint_url,
                 "Bedrock Runtime endpoint, e.g. http://127.0.0.1:8080 for bedrock-emulator");
  app.add_option("--config", g.config_path,
                 "Content config file (default: $BEDROCK_CONTENT_CONFIG, "
                 "~/.config/bedrock-content/config.toml)");
  app.add_option("--timeout", g.timeout_seconds,
                 "Seconds allowed per model call, retries included (default: derived from "
                 "max tokens)")
      ->check(CLI::Range(0.001, 86400.0));
  app.add_option("--max-attempts", g.max_attempts, "Attempts per model, first included (default 3)")
      ->check(CLI::Range(1, 100));
  app.add_option("--retry-mode", g.retry_mode, "standard (default) | adaptive | legacy");
  app.add_flag("--no-inference-profiles", g.no_inference_profiles,
               "Send plain model ids as given (default: a model Bedrock serves only through an "
               "inference profile goes to the region's us./eu./apac. profile, then global.)");
  app.add_flag("--json", g.json, "Print the whole result with its invocation records as JSON");
  app.add_flag("--quiet,-q", g.quiet, "No progress or figures on stderr");
  app.add_flag("--verbose,-v", g.verbose, "Log requests, retries and technical error details");
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{
      "bedrock-content: content generation on Amazon Bedrock that does not hang or fail "
      "quietly.\nCredentials and region come from the usual AWS places (environment, "
      "~/.aws, SSO/roles, instance metadata) or AWS_BEARER_TOKEN_BEDROCK.",
      "bedrock-content"};
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(exit_code_help());

  GlobalOptions globals;
  add_global_options(app, globals);
  const auto& cancelled = install_cancellation_handlers();
  Session session(globals, cancelled);
  int exit_code = kExitOk;
  add_model_commands(app, session, exit_code);
  add_tokens_command(app, session, exit_code);
  add_text_commands(app, session, exit_code);
  add_creative_commands(app, session, exit_code);
  add_jobs_commands(app, session, exit_code);
  for (auto* sub : app.get_subcommands({})) sub->fallthrough();

  // Options are parsed before any callback runs, so --verbose applies to the whole command.
  app.parse_complete_callback(
      [&globals] { set_log_level(globals.verbose ? spdlog::level::debug : spdlog::level::warn); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: unexpected failure: %s\n", redact(e.what()).c_str());
    return kExitUnexpected;
  }
  if (exit_code == kExitOk && cancelled.load()) return kExitCancelled;
  return exit_code;
}

}  // namespace bedrock::cli
