// bedrock-emulator: a local Amazon Bedrock Runtime for tests and development.
#include <signal.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bedrock/core/log.h"
#include "emulator/admin_api.h"
#include "emulator/options.h"
#include "emulator/server.h"

namespace {

// 10,000 concurrent requests need 10,000 descriptors; the default soft limit is often 1024.
void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bedrock::emulator;
  CommandLine cl;
  CLI::App app{
      "bedrock-emulator: a local Amazon Bedrock Runtime (InvokeModel, Converse, their streaming "
      "forms, CountTokens) "
      "with SigV4/API-key auth, deterministic answers, fixtures, latency, quotas and fault "
      "injection. See the README for the admin API."};
  app.add_option("--port", cl.port, "Port to listen on (0 picks a free port)")->required();
  app.add_option("--host", cl.host, "Address to listen on")->capture_default_str();
  app.add_option("--admin-port", cl.admin_port,
                 "Port of the admin endpoint (counters, run-time faults/latency/quotas); 0 "
                 "picks a free port; omitted: no admin endpoint");
  app.add_option("--admin-host", cl.admin_host,
                 "Address of the admin endpoint; not inherited from --host, so --host 0.0.0.0 "
                 "keeps the admin API on loopback unless this is set too")
      ->capture_default_str();
  app.add_option("--admin-token", cl.admin_token,
                 "Require 'Authorization: Bearer TOKEN' on every admin request (16+ characters; "
                 "401 otherwise). Set it whenever --admin-host is not loopback");
  app.add_option("--credentials", cl.credentials,
                 "Accepted SigV4 key pair ACCESS_KEY:SECRET_KEY[:SESSION_TOKEN] (repeatable)");
  app.add_option("--credentials-file", cl.credentials_file,
                 "File with one ACCESS_KEY:SECRET_KEY[:SESSION_TOKEN] per line");
  app.add_option("--api-key", cl.api_keys, "Accepted Bedrock API key (Bearer token; repeatable)");
  app.add_flag("--no-auth", cl.no_auth, "Accept every request without checking credentials");
  app.add_option("--region", cl.region, "Only accept signatures scoped to this region");
  app.add_option("--max-clock-skew", cl.max_clock_skew_s,
                 "Seconds X-Amz-Date may differ from the clock (AWS: 300)")
      ->capture_default_str();
  app.add_option("--latency-ms", cl.latency,
                 "[MODEL=]N fixed, LOW-HIGH uniform, or MEDIAN:P99 log-normal time to first "
                 "byte (repeatable; without MODEL= it is the global default)");
  app.add_option("--per-token-ms", cl.per_token,
                 "[MODEL=]MS extra latency per output token of a non-streamed answer "
                 "(repeatable)");
  app.add_option("--stream-token-ms", cl.stream_token_ms,
                 "MS between the events of a streamed answer (each a few words); its first "
                 "event comes after --latency-ms. 0 sends a stream all at once")
      ->capture_default_str();
  app.add_option("--fault", cl.faults,
                 "[MODEL=]KIND=PROBABILITY or [MODEL=]KIND=next:N (repeatable). KIND: "
                 "ThrottlingException, ServiceUnavailableException, InternalServerException, "
                 "ModelTimeoutException, ModelNotReadyException, ModelErrorException, "
                 "ServiceQuotaExceededException, drop (close before responding), truncate "
                 "(close mid-body), stall (never respond). Inside streams only, after N events "
                 "(@N, default 1): stream:throttlingException@N, "
                 "stream:modelStreamErrorException@N, stream:validationException@N, "
                 "stream:internalServerException@N, stream:serviceUnavailableException@N, "
                 "stream:modelTimeoutException@N (an exception event, then the end), "
                 "stream:drop@N (connection closed), stream:stall@N[/MS] (silence for MS "
                 "milliseconds, or until the client gives up). Example: "
                 "--fault stream:stall@3/2000=next:1");
  app.add_option("--rpm", cl.rpm, "[MODEL=]N requests-per-minute quota (repeatable)");
  app.add_option("--tpm", cl.tpm, "[MODEL=]N tokens-per-minute quota (repeatable)");
  app.add_option("--fixtures", cl.fixtures_file,
                 "JSON file of canned answers (see README). A fixture's \"regex\" is matched "
                 "in linear time (ECMAScript without backreferences, lookarounds or \\b)");
  app.add_option("--model", cl.models,
                 "Serve this plain model id although Bedrock's table does not know it (or, for a "
                 "model Bedrock serves only through inference profiles, serve it on demand) "
                 "(repeatable)");
  app.add_option("--config", cl.config_file,
                 "JSON file {\"faults\":..,\"latency\":..,\"quotas\":..} (admin API bodies)");
  app.add_option("--seed", cl.seed, "Seed for fault and latency draws (0: random)");
  app.add_option("--threads", cl.threads, "I/O threads (0: one per core)")->capture_default_str();
  app.add_option("--max-connections", cl.max_connections,
                 "Open connections at which accepting pauses until one closes")
      ->capture_default_str();
  app.add_option("--idle-timeout", cl.idle_timeout_s,
                 "Seconds a connection may wait for (or send) a request")
      ->capture_default_str();
  app.add_option("--stall-timeout", cl.stall_timeout_s,
                 "Longest a 'stall' fault holds a connection, in seconds")
      ->capture_default_str();
  app.add_option("--drain-timeout", cl.drain_timeout_ms,
                 "On SIGTERM/SIGINT, milliseconds to let in-flight requests finish")
      ->capture_default_str();
  app.add_option("--max-pending-body-mb", cl.max_pending_body_mb,
                 "MiB of request bodies read at once over all connections (bodies are read "
                 "before authentication); beyond it a request is answered 503 unread")
      ->capture_default_str();
  app.add_flag("--verbose", cl.verbose, "Log each connection problem to stderr");
  CLI11_PARSE(app, argc, argv);

  auto built = build_emulator(cl);
  if (!built) {
    std::cerr << "bedrock-emulator: " << built.error().message << "\n";
    return 2;
  }
  if (cl.verbose) bedrock::set_log_level(spdlog::level::info);
  raise_fd_limit();

  // Block the signals before any thread starts, so only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  Emulator& emulator = *built->emulator;
  if (auto st = emulator.start(); !st) {
    std::cerr << "bedrock-emulator: " << st.error().message << "\n";
    return 2;
  }
  std::cout << "bedrock-emulator listening on http://" << cl.host << ":" << emulator.port();
  if (auto admin = emulator.admin_port()) {
    std::cout << " (admin http://" << cl.admin_host << ":" << *admin << ")";
  }
  std::cout << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "bedrock-emulator: signal " << received << ", draining\n";
  emulator.stop(std::chrono::milliseconds(cl.drain_timeout_ms));
  return 0;
}
