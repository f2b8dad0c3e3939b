// bedrock-content-server: the content API and an OpenAI-compatible endpoint over HTTP.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "bedrock/content/content_config.h"
#include "bedrock/core/environment.h"
#include "bedrock/runtime/client_options.h"
#include "server/service.h"

int main(int argc, char** argv) {
  using namespace bedrock;
  server::ServerConfig flags;
  std::optional<std::string> config_path;
  int port = -1;
  CLI::App app{
      "bedrock-content-server: the content API (/api/*) and an OpenAI-compatible endpoint "
      "(/v1/chat/completions) in front of Amazon Bedrock. See the README."};
  app.add_option("--port", port, "Port to listen on (0 picks a free port)")
      ->required()
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", flags.host, "Address to listen on")->capture_default_str();
  app.add_option("--config", config_path,
                 "TOML config file (the content tasks and the [server] table); default: "
                 "$BEDROCK_CONTENT_CONFIG or ~/.config/bedrock-content/config.toml");
  app.add_option("--threads", flags.threads, "I/O threads (0: one per core)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  flags.port = static_cast<std::uint16_t>(port);

  const Environment& env = system_environment();
  auto content = content::resolve_content_config(config_path, env);
  if (!content) {
    std::cerr << "bedrock-content-server: " << content.error().message << "\n";
    return 2;
  }
  auto client = runtime::options_from_environment(config::ClientOverrides{}, env);
  if (!client) {
    std::cerr << "bedrock-content-server: " << client.error().message << "\n";
    return 2;
  }
  server::ServiceOptions options;
  options.server = flags;
  options.client = std::move(*client);
  options.content = std::move(*content);

  // Block the signals before any thread starts, so only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  auto service = server::Service::create(std::move(options));
  if (!service) {
    std::cerr << "bedrock-content-server: " << service.error().message << "\n";
    return 2;
  }
  if (auto started = (*service)->start(); !started) {
    std::cerr << "bedrock-content-server: " << started.error().message << "\n";
    return 2;
  }
  std::cout << "bedrock-content-server listening on http://" << flags.host << ":"
            << (*service)->port() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "bedrock-content-server: signal " << received << ", draining\n";
  (*service)->stop((*service)->config().drain_grace);
  return 0;
}
