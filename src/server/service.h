// bedrock-content-server's service: the shared net::Server, the Router, an AsyncBedrockClient
// per I/O thread (bound to that thread's loop) and one more on an upstream io_context run by its
// own thread(s) (ServerConfig::upstream_threads) for callers off the I/O threads; no thread per
// request. Route groups reach Bedrock through upstream() and
// read the config through the accessors below. Every request goes: route lookup (404/405) ->
// API key (401) -> in-flight cap (503) -> the key's limits (429) -> handler with a
// RequestScope (request_scope.h) -> metrics and access log when the scope ends.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/content/content_config.h"
#include "bedrock/core/result.h"
#include "bedrock/net/responder.h"
#include "bedrock/runtime/async_client.h"
#include "bedrock/runtime/client_options.h"
#include "server/api_keys.h"
#include "server/line_writer.h"
#include "server/router.h"
#include "server/server_config.h"
#include "server/service_metrics.h"

namespace bedrock::server {

class Service;

struct ServiceOptions {
  ServerConfig server;
  runtime::ClientOptions client;  // upstream (runtime::options_from_environment in the app)
  content::ContentConfig content = content::ContentConfig::defaults();
  // Routes added after the built-in ones and the route groups (tests, embedders).
  std::function<void(Router&, Service&)> extra_routes;
};

class Service {
 public:
  // Builds the routes, then the client (so a route group's add_routes must not call
  // upstream()); nothing listens yet. Errors: ConfigurationInvalid (no API keys and a host
  // that is not loopback; bad client options) and those of AsyncBedrockClient::create.
  static Result<std::unique_ptr<Service>> create(ServiceOptions options);
  ~Service();  // stop(0)
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Binds host:port, starts the I/O and upstream threads and the credential check /readyz
  // reports. Errors: ConfigurationInvalid when the address cannot be bound.
  Status start();
  std::uint16_t port() const { return port_; }

  // Drain: /readyz answers 503, the listener closes, in-flight requests (streams included) get
  // up to `grace` to finish, then the rest are closed and every thread is joined. Idempotent.
  void stop(std::chrono::milliseconds grace);
  // `fn` runs once in stop(), after the grace period and before the upstream loop stops, so
  // work still running off the loop (the /api/ map-reduce pool) can cancel its calls and end
  // while upstream() is alive. Add before start(); must not throw.
  void on_stop(std::function<void()> fn) { stop_hooks_.push_back(std::move(fn)); }
  // `fn` runs at the end of a successful start() (the upstream loop runs: background work may
  // call upstream() from then on); on_drain's at the start of stop(), with its grace period,
  // before that period (background work stops taking new work and may use the grace to finish
  // before on_stop). Add before start(); must not throw.
  void on_start(std::function<void()> fn) { start_hooks_.push_back(std::move(fn)); }
  void on_drain(std::function<void(std::chrono::milliseconds grace)> fn) {
    drain_hooks_.push_back(std::move(fn));
  }

  // For route groups. Called on an I/O thread (a handler), it is that thread's own client, bound
  // to the thread's loop: its Done and stream callbacks run on the same thread as the request,
  // with no hand-off between threads on the way to Bedrock and back (the latency of one request
  // is then its syscalls, not thread wake-ups). Called from any other thread (a pool, a job
  // runner), it is the client on upstream_io(), whose callbacks run there. Every client shares
  // one retry quota, limiter and set of options (AsyncBedrockClient::on_loop).
  runtime::AsyncBedrockClient& upstream();
  boost::asio::io_context& upstream_io() { return *upstream_io_; }
  const content::ContentConfig& content_config() const { return options_.content; }
  const ServerConfig& config() const { return options_.server; }
  // An alias from [server].model_aliases resolved to its model; any other name as given.
  std::string resolve_model(std::string_view requested) const;
  // Whether a caller may use `requested` (checked before and after alias resolution): true
  // for every model when [server].models is empty.
  bool model_allowed(std::string_view requested) const;
  // What GET /v1/models lists: [server].models, else the aliases' names; in config order.
  std::vector<std::string> listed_models() const;

  // /readyz: credentials resolved (or a bearer token set), config valid, not draining.
  bool ready() const;
  std::size_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // GET /metrics' text.
  std::string metrics_text() const {
    return metrics_->render(in_flight(), access_log_ ? access_log_->dropped() : 0);
  }

  // Internal: the net handler, and the end of a request's scope.
  void handle(net::HttpRequest& request, net::Responder responder);
  void complete(const RequestScope& scope);

 private:
  explicit Service(ServiceOptions options);
  void check_credentials();
  // The API key and limit checks before a handler runs; an error to send, or none.
  std::optional<HttpError> admit(const Route& route, net::HttpRequest& request,
                                 RequestScope& scope);

  struct Threads;
  ServiceOptions options_;
  Router router_;
  std::unique_ptr<KeyRing> keys_;
  std::shared_ptr<ServiceMetrics> metrics_;
  // Access-log lines go out through their own thread (never blocking a request); null when the
  // access log is off. Outlives threads_ (declared before it): late scopes still log.
  std::unique_ptr<LineWriter> access_log_;
  std::unique_ptr<boost::asio::io_context> upstream_io_;
  std::unique_ptr<runtime::AsyncBedrockClient> client_;
  struct LoopClient {
    boost::asio::io_context* loop;
    std::unique_ptr<runtime::AsyncBedrockClient> client;
  };
  std::vector<LoopClient> loop_clients_;  // one per I/O thread; cleared in stop()
  std::unique_ptr<Threads> threads_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> credentials_ready_{false};
  std::atomic<bool> draining_{false};
  std::uint16_t port_ = 0;
  std::vector<std::function<void()>> stop_hooks_;
  std::vector<std::function<void()>> start_hooks_;
  std::vector<std::function<void(std::chrono::milliseconds)>> drain_hooks_;
  bool started_ = false;  // start hooks ran: drain hooks run in stop()
};

// The routes every service has: GET /healthz, GET /readyz (no key needed), GET /metrics (a
// key needed when keys are configured).
void add_health_routes(Router& router, Service& service);
// health + every route group compiled in (service_routes.cpp).
void add_all_routes(Router& router, Service& service);

}  // namespace bedrock::server
