// bedrock-content-server: the content API and an OpenAI-compatible endpoint over HTTP.
// Exit status: 0 after a drain on SIGTERM/SIGINT; 2 for bad flags or configuration, or an
// address that cannot be bound.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bedrock/content/content_config.h"
#include "bedrock/core/environment.h"
#include "bedrock/runtime/client_options.h"
#include "server/server_config_file.h"
#include "server/service.h"

namespace {

// Flags given on the command line; each wins over the [server] table.
struct Flags {
  int port = -1;
  std::optional<std::string> host;
  std::optional<std::string> config_path;
  std::optional<int> threads;
  std::optional<int> upstream_threads;
  std::optional<int> busy_poll_us;
  std::optional<std::size_t> max_body_bytes;
  std::optional<std::size_t> max_connections;
  std::optional<std::size_t> max_in_flight;
  std::optional<double> header_timeout;
  std::optional<double> idle_timeout;
  std::optional<double> request_timeout;
  std::optional<double> drain_grace;
  bool no_access_log = false;
  std::optional<std::string> state_dir;
  std::optional<std::string> jobs_url;
  std::optional<int> jobs_workers;
};

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

void apply(const Flags& f, bedrock::server::ServerConfig& c) {
  c.port = static_cast<std::uint16_t>(f.port);
  if (f.host) c.host = *f.host;
  if (f.threads) c.threads = *f.threads;
  if (f.upstream_threads) c.upstream_threads = *f.upstream_threads;
  if (f.busy_poll_us) c.busy_poll = std::chrono::microseconds(*f.busy_poll_us);
  if (f.max_body_bytes) c.max_body_bytes = *f.max_body_bytes;
  if (f.max_connections) c.max_connections = *f.max_connections;
  if (f.max_in_flight) c.max_in_flight = *f.max_in_flight;
  if (f.header_timeout) c.header_timeout = ms(*f.header_timeout);
  if (f.idle_timeout) c.idle_timeout = ms(*f.idle_timeout);
  if (f.request_timeout) c.request_timeout = ms(*f.request_timeout);
  if (f.drain_grace) c.drain_grace = ms(*f.drain_grace);
  if (f.no_access_log) c.access_log = false;
  if (f.state_dir) c.state_dir = *f.state_dir;
  if (f.jobs_url) c.jobs.url = *f.jobs_url;
  if (f.jobs_workers) c.jobs.workers = *f.jobs_workers;
}

// The job store's URL: --jobs-url, else BEDROCK_CONTENT_JOBS_URL, else [server.jobs].url, else
// a SQLite file in the state directory (--state-dir, [server].state_dir, $XDG_STATE_HOME/
// bedrock-content, ~/.local/state/bedrock-content, ./.bedrock-content), created if missing.
std::optional<std::string> resolve_jobs_url(const Flags& f, bedrock::server::ServerConfig& c,
                                            const bedrock::Environment& env) {
  if (f.jobs_url) return std::nullopt;
  if (auto url = env.get("BEDROCK_CONTENT_JOBS_URL"); url && !url->empty()) {
    c.jobs.url = *url;
    return std::nullopt;
  }
  if (!c.jobs.url.empty()) return std::nullopt;
  std::filesystem::path dir;
  if (!c.state_dir.empty()) {
    dir = c.state_dir;
  } else if (auto xdg = env.get("XDG_STATE_HOME"); xdg && !xdg->empty()) {
    dir = std::filesystem::path(*xdg) / "bedrock-content";
  } else if (auto home = env.get("HOME"); home && !home->empty()) {
    dir = std::filesystem::path(*home) / ".local" / "state" / "bedrock-content";
  } else {
    dir = ".bedrock-content";
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create the state directory " + dir.string() + ": " + ec.message();
  c.jobs.url = "sqlite://" + std::filesystem::absolute(dir / "jobs.db").string();
  return std::nullopt;
}

int refuse(const std::string& message) {
  std::cerr << "bedrock-content-server: " << message << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bedrock;
  Flags f;
  CLI::App app{
      "bedrock-content-server: the content API (/api/*) and an OpenAI-compatible endpoint "
      "(/v1/chat/completions) in front of Amazon Bedrock. See the README."};
  app.add_option("--port", f.port, "Port to listen on (0 picks a free port)")
      ->required()
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", f.host,
                 "Address to listen on (default 127.0.0.1; a non-loopback address needs API "
                 "keys)");
  app.add_option("--config", f.config_path,
                 "TOML config file (the content tasks and the [server] table); default: "
                 "$BEDROCK_CONTENT_CONFIG or ~/.config/bedrock-content/config.toml");
  app.add_option("--threads", f.threads, "I/O threads (0: one per core)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--upstream-threads", f.upstream_threads,
                 "Threads running the upstream loop (default 1)")
      ->check(CLI::Range(1, 64));
  app.add_option("--busy-poll-us", f.busy_poll_us,
                 "Most microseconds an idle I/O thread polls before sleeping; the window adapts "
                 "to how soon events come (default 50; 0: sleep at once)")
      ->check(CLI::Range(0, 10000));
  app.add_option("--max-body-bytes", f.max_body_bytes, "Largest request body (413 beyond)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  app.add_option("--max-connections", f.max_connections,
                 "Open connections at which accepting pauses")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--max-in-flight", f.max_in_flight,
                 "Requests handled at once (503 with Retry-After beyond)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--header-timeout", f.header_timeout,
                 "Seconds a client has to send a request's head")
      ->check(CLI::Range(0.05, 3600.0));
  app.add_option("--idle-timeout", f.idle_timeout, "Seconds a keep-alive connection may idle")
      ->check(CLI::Range(0.05, 3600.0));
  app.add_option("--request-timeout", f.request_timeout, "Seconds a request may take (504 beyond)")
      ->check(CLI::Range(0.05, 3600.0));
  app.add_option("--drain-grace", f.drain_grace,
                 "On SIGTERM/SIGINT, seconds in-flight requests get to finish")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--no-access-log", f.no_access_log, "No JSON access-log lines on stderr");
  app.add_option("--state-dir", f.state_dir,
                 "Directory of the server's state (the default job store, jobs.db); default "
                 "$XDG_STATE_HOME/bedrock-content or ~/.local/state/bedrock-content");
  app.add_option("--jobs-url", f.jobs_url,
                 "Job store: sqlite:///path/jobs.db or postgresql://... (default "
                 "$BEDROCK_CONTENT_JOBS_URL, [server.jobs].url, <state dir>/jobs.db)");
  app.add_option("--jobs-workers", f.jobs_workers, "Jobs running at once in this server")
      ->check(CLI::Range(1, 100000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  const Environment& env = system_environment();
  server::ServiceOptions options;
  auto path = content::find_content_config(f.config_path, env);
  if (!path) return refuse(path.error().message);
  if (*path) {
    auto content = content::load_content_config(**path);
    if (!content) return refuse(content.error().message);
    options.content = std::move(*content);
    std::ifstream in(**path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (auto s = server::apply_server_table(options.server, text.str(), (*path)->string()); !s) {
      return refuse(s.error().message);
    }
  }
  if (auto s = server::add_environment_keys(options.server, env); !s) {
    return refuse(s.error().message);
  }
  apply(f, options.server);
  if (auto problem = resolve_jobs_url(f, options.server, env)) return refuse(*problem);
  auto client = runtime::options_from_environment(config::ClientOverrides{}, env);
  if (!client) return refuse(client.error().message);
  options.client = std::move(*client);

  // Block the signals before any thread starts, so only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  const std::size_t keys = options.server.api_keys.size();
  const std::string host = options.server.host;
  auto service = server::Service::create(std::move(options));
  if (!service) return refuse(service.error().message);
  if (auto started = (*service)->start(); !started) return refuse(started.error().message);
  std::cout << "bedrock-content-server listening on http://" << host << ":" << (*service)->port()
            << std::endl;
  // One insertion, so one write: access-log lines from the I/O threads may already be
  // arriving on stderr, and a line written in pieces would be cut by them.
  const std::string key_notice =
      keys == 0 ? std::string(
                      "bedrock-content-server: no API keys configured: listening on "
                      "loopback only, no key required\n")
                : "bedrock-content-server: " + std::to_string(keys) + " API key" +
                      (keys == 1 ? "" : "s") + " configured\n";
  std::cerr << key_notice;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "bedrock-content-server: signal " + std::to_string(received) + ", draining\n";
  (*service)->stop((*service)->config().drain_grace);
  return 0;
}
