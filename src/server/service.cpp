#include "server/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bedrock/core/log.h"
#include "bedrock/net/server.h"
#include "server/access_log.h"
#include "server/request_id.h"
#include "server/request_scope.h"

namespace bedrock::server {

namespace {

net::ServerOptions net_options(const ServerConfig& c) {
  net::ServerOptions n;
  n.threads = c.threads;
  n.busy_poll = c.busy_poll;
  n.max_body_bytes = c.max_body_bytes;
  n.header_timeout = c.header_timeout;
  n.idle_timeout = c.idle_timeout;
  // The server's own refusals in our error shape (no route is known yet, so the Content style).
  n.refusal = [max_body = c.max_body_bytes, retry = c.retry_after](net::Refusal kind) {
    HttpError e;
    switch (kind) {
      case net::Refusal::BodyTooLarge:
        e = payload_too_large(max_body);
        break;
      case net::Refusal::HeadersTooLarge:
        e.status = 431;
        e.code = "HeadersTooLarge";
        e.message = "The request headers are larger than the limit.";
        break;
      case net::Refusal::Busy:
        e = overloaded(retry);
        break;
      case net::Refusal::Unanswered:
        e = internal_error();
        break;
    }
    return error_response(e, ErrorStyle::Content, request_id_for({}));
  };
  return n;
}

std::string_view header(const net::HttpRequest& request, std::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

}  // namespace

struct Service::Threads {
  explicit Threads(const ServerConfig& c) : server(net_options(c)) {}
  net::Server server;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::vector<std::thread> upstream;
  std::thread credentials;
  std::mutex mutex;  // stopping, with `wake`
  std::condition_variable wake;
  bool stopping = false;
  bool stopped = false;
};

Service::Service(ServiceOptions options)
    : options_(std::move(options)), upstream_io_(std::make_unique<boost::asio::io_context>()) {}

Service::~Service() {
  stop(std::chrono::milliseconds(0));
  threads_.reset();  // the net server, while everything a late scope ending touches is alive
}

Result<std::unique_ptr<Service>> Service::create(ServiceOptions options) {
  const ServerConfig& c = options.server;
  if (c.api_keys.empty() && !is_loopback_host(c.host)) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("--host {} is not a loopback address, and no API keys are configured: "
                            "without keys the server listens on 127.0.0.1 only (set keys in "
                            "[server].api_keys or BEDROCK_CONTENT_SERVER_API_KEYS)",
                            c.host));
  }
  if (c.upstream_threads < 1) {
    return fail(ErrorCode::ConfigurationInvalid, "upstream_threads must be at least 1");
  }
  std::unique_ptr<Service> s(new Service(std::move(options)));
  try {
    add_all_routes(s->router_, *s);
    if (s->options_.extra_routes) s->options_.extra_routes(s->router_, *s);
  } catch (const std::exception& e) {
    return fail(ErrorCode::ConfigurationInvalid, e.what());
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s->router_.size(); ++i) names.push_back(s->router_.at(i).name);
  s->metrics_ = std::make_shared<ServiceMetrics>(std::move(names));
  if (s->options_.server.access_log)
    s->access_log_ = std::make_unique<LineWriter>(LineWriter::Options{});
  s->keys_ = std::make_unique<KeyRing>(s->options_.server.api_keys);
  runtime::ClientOptions client_options = s->options_.client;
  client_options.sink = client_options.sink
                            ? std::make_shared<runtime::FanOutSink>(
                                  std::vector<std::shared_ptr<runtime::InvocationSink>>{
                                      client_options.sink, s->metrics_})
                            : std::static_pointer_cast<runtime::InvocationSink>(s->metrics_);
  auto client = runtime::AsyncBedrockClient::create(*s->upstream_io_, std::move(client_options));
  if (!client) return fail(client.error());
  s->client_ = std::move(*client);
  s->threads_ = std::make_unique<Threads>(s->options_.server);
  for (boost::asio::io_context* loop : s->threads_->server.io_contexts()) {
    auto local = s->client_->on_loop(*loop);
    if (!local) return fail(local.error());
    s->loop_clients_.push_back({loop, std::move(*local)});
  }
  return s;
}

Status Service::start() {
  Threads& t = *threads_;
  auto port = t.server.listen(
      options_.server.host, options_.server.port,
      [this](net::HttpRequest& request, net::Responder responder) {
        handle(request, std::move(responder));
      },
      options_.server.max_connections);
  if (!port) return fail(port.error());
  port_ = *port;
  t.guard =
      std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          upstream_io_->get_executor());
  for (int i = 0; i < options_.server.upstream_threads; ++i) {
    t.upstream.emplace_back([io = upstream_io_.get()] {
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          logger()->error("upstream loop: {}", e.what());
        }
      }
    });
  }
  if (options_.client.bearer_token || !options_.client.credentials) {
    credentials_ready_.store(true);
  } else {
    t.credentials = std::thread([this] { check_credentials(); });
  }
  t.server.start();
  for (auto& hook : start_hooks_) hook();
  started_ = true;
  return {};
}

// Resolves the upstream credentials once (so /readyz means a call can be signed), retrying
// every few seconds until it works or the service stops.
void Service::check_credentials() {
  Threads& t = *threads_;
  for (;;) {
    auto got = options_.client.credentials->get_before(std::chrono::steady_clock::now() +
                                                       std::chrono::seconds(10));
    if (got) {
      credentials_ready_.store(true);
      return;
    }
    logger()->warn("upstream credentials not resolved yet: {}", describe(got.error()));
    std::unique_lock lock(t.mutex);
    if (t.wake.wait_for(lock, std::chrono::seconds(5), [&] { return t.stopping; })) return;
  }
}

void Service::stop(std::chrono::milliseconds grace) {
  if (!threads_) return;
  Threads& t = *threads_;
  {
    std::lock_guard lock(t.mutex);
    if (t.stopped) return;
    t.stopped = true;
    t.stopping = true;
  }
  t.wake.notify_all();
  draining_.store(true);
  if (started_) {
    for (auto& hook : drain_hooks_) hook(grace);
  }
  t.server.stop(grace);
  for (auto& hook : stop_hooks_) hook();
  // Calls still running after the grace period are dropped with their loop; scopes they held
  // end here (their connections are closed already).
  upstream_io_->stop();
  for (auto& th : t.upstream) th.join();
  t.upstream.clear();
  if (t.credentials.joinable()) t.credentials.join();
  t.guard.reset();
  // Before the net server's loops go (with threads_): a client's connections are sockets on them.
  loop_clients_.clear();
  client_.reset();
  upstream_io_.reset();
}

runtime::AsyncBedrockClient& Service::upstream() {
  for (const LoopClient& local : loop_clients_) {
    if (local.loop->get_executor().running_in_this_thread()) return *local.client;
  }
  return *client_;
}

bool Service::ready() const {
  return credentials_ready_.load(std::memory_order_relaxed) &&
         !draining_.load(std::memory_order_relaxed);
}

std::string Service::resolve_model(std::string_view requested) const {
  auto it = options_.server.model_aliases.find(requested);
  return it == options_.server.model_aliases.end() ? std::string(requested) : it->second;
}

bool Service::model_allowed(std::string_view requested) const {
  const auto& allowed = options_.server.allowed_models;
  if (allowed.empty()) return true;
  const std::string resolved = resolve_model(requested);
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& m) {
    return m == requested || m == resolved || resolve_model(m) == resolved;
  });
}

std::vector<std::string> Service::listed_models() const {
  if (!options_.server.allowed_models.empty()) return options_.server.allowed_models;
  std::vector<std::string> names;
  for (const auto& [alias, model] : options_.server.model_aliases) names.push_back(alias);
  return names;
}

void Service::handle(net::HttpRequest& request, net::Responder responder) {
  const auto started = RequestScope::Clock::now();
  std::string id = request_id_for(header(request, "x-request-id"));
  const std::string_view method(request.method_string().data(), request.method_string().size());
  const std::string_view target(request.target().data(), request.target().size());
  RouteMatch match = router_.match(method, target);
  in_flight_.fetch_add(1, std::memory_order_relaxed);
  if (!match.route) {
    auto scope = std::make_shared<RequestScope>(
        *this, std::move(id), std::string(method), router_.size(), "unmatched",
        style_for_path(target.substr(0, target.find('?'))), started, started, std::move(responder));
    scope->send_error(*match.error);
    return;
  }
  const Route& route = *match.route;
  auto scope = std::make_shared<RequestScope>(
      *this, std::move(id), std::string(method), match.index, route.name, route.style, started,
      started + options_.server.request_timeout, std::move(responder));
  if (auto refused = admit(route, request, *scope)) {
    scope->send_error(*refused);
    return;
  }
  scope->arm_deadline(scope);
  try {
    route.handler(scope, request);
  } catch (const std::exception& e) {
    logger()->error("request {} on {}: handler threw: {}", scope->request_id(), route.name,
                    e.what());
    scope->send_error(internal_error());
  }
}

std::optional<HttpError> Service::admit(const Route& route, net::HttpRequest& request,
                                        RequestScope& scope) {
  if (route.open) return std::nullopt;
  std::size_t key = KeyRing::npos;
  if (!keys_->empty()) {
    const std::string_view presented = presented_key(request);
    if (presented.empty()) {
      return unauthorized(
          "An API key is required: send it as 'Authorization: Bearer <key>' or 'x-api-key'.");
    }
    key = keys_->find(presented);
    if (key == KeyRing::npos) return unauthorized("The API key is not valid.");
  }
  // in_flight_ counts this request already.
  if (in_flight_.load(std::memory_order_relaxed) > options_.server.max_in_flight) {
    return overloaded(options_.server.retry_after);
  }
  if (key != KeyRing::npos) {
    if (auto limited = keys_->admit(key, scope.started())) return limited;
    scope.set_key(key, keys_->key(key).id);
  }
  return std::nullopt;
}

void Service::complete(const RequestScope& scope) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  if (scope.key_index() != KeyRing::npos) keys_->release(scope.key_index());
  const auto total = RequestScope::Clock::now() - scope.started();
  const UpstreamSummary upstream = scope.upstream();
  // Our own time: everything but the waits for Bedrock (request_scope.h, upstream_wait), so
  // encoding, signing and decoding count; a connection's queue and Bedrock's answer do not.
  // It ends where a whole answer is handed to the connection, as the upstream wait begins
  // where the upstream request is: a write's own time is the network's (on loopback the
  // kernel runs the peer's receive and wakes it inside the writer's system call).
  std::optional<std::chrono::nanoseconds> overhead;
  if (upstream.calls > 0 && upstream.failures == 0) {
    const auto until = scope.handed_over().value_or(scope.started() + total);
    overhead = std::max<std::chrono::nanoseconds>(
        std::chrono::nanoseconds(0), (until - scope.started()) - upstream.upstream_wait);
  }
  // A scope whose answer was never taken is answered by its destructor before this runs.
  const unsigned status = scope.status() != 0 ? scope.status() : 500;
  metrics_->request_done(scope.route_index(), status, total, overhead);
  if (!access_log_) return;
  AccessEntry entry;
  entry.finished = std::chrono::system_clock::now();
  entry.request_id = scope.request_id();
  entry.method = scope.method();
  entry.route = scope.route();
  entry.status = status;
  entry.key_id = scope.key_id();
  entry.latency = total;
  entry.upstream = upstream;
  access_log_->append(access_log_line(entry));
}

}  // namespace bedrock::server
