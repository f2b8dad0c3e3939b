#include "server.h"

#include <fmt/format.h>

#include <random>

#include "admin_api.h"
#include "bedrock/net/server.h"
#include "reply_runner.h"
#include "request_boundary.h"
#include "service.h"

namespace bedrock::emulator {

namespace {

std::uint64_t effective_seed(std::uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

// The shared server's limits, with its own refusals answered in the AWS JSON error shape a
// Bedrock client expects (make_error_response is the one place errors become responses).
net::ServerOptions net_options(const ServerOptions& options) {
  net::ServerOptions n;
  n.threads = options.threads;
  n.max_body_bytes = options.max_body_bytes;
  n.max_pending_body_bytes = options.max_pending_body_bytes;
  n.header_timeout = options.idle_timeout;  // one limit to read a request, as before
  n.idle_timeout = options.idle_timeout;
  n.refusal = [max_body = options.max_body_bytes](net::Refusal kind) {
    switch (kind) {
      case net::Refusal::BodyTooLarge:
        return make_error_response(
            "ValidationException",
            fmt::format("Request body exceeds the maximum of {} bytes.", max_body),
            new_request_id());
      case net::Refusal::Busy:
        return make_error_response("ServiceUnavailableException",
                                   "Too many request bytes are being received; retry later.",
                                   new_request_id());
      case net::Refusal::HeadersTooLarge:
        return make_error_response("ValidationException",
                                   "Request headers exceed the maximum size.", new_request_id());
      case net::Refusal::Unanswered:
        break;
    }
    return make_error_response("InternalFailure",
                               "The request processing has failed because of an unknown error.",
                               new_request_id());
  };
  return n;
}

}  // namespace

struct Emulator::Impl {
  Impl(ServerOptions opts, const Clock& c)
      : options(std::move(opts)),
        clock(c),
        auth(options.auth, clock),
        behavior(clock, effective_seed(options.seed)),
        service(auth, options.fixtures, behavior, counters, prompt_cache, clock),
        admin(behavior, counters),
        server(net_options(options)) {}

  ServerOptions options;
  const Clock& clock;
  AuthVerifier auth;
  Behavior behavior;
  Counters counters;
  PromptCacheStore prompt_cache;
  Service service;
  AdminApi admin;
  net::Server server;
  std::uint16_t port = 0;
  std::optional<std::uint16_t> admin_port;
  bool started = false;
};

Emulator::Emulator(ServerOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

Emulator::~Emulator() { stop(std::chrono::milliseconds(0)); }

Behavior& Emulator::behavior() { return impl_->behavior; }
Counters& Emulator::counters() { return impl_->counters; }

Status Emulator::start() {
  Impl& d = *impl_;
  if (d.started) return {};
  const Duration stall = d.options.stall_timeout;
  auto data_plane =
      data_plane_boundary([svc = &d.service](const HttpRequest& r) { return svc->handle(r); });
  auto port = d.server.listen(
      d.options.host, d.options.port,
      [data_plane = std::move(data_plane), stall](HttpRequest& request, net::Responder responder) {
        run_reply(data_plane(request), std::move(responder), stall);
      },
      d.options.max_connections);
  if (!port) return fail(port.error());
  d.port = *port;
  if (d.options.admin_port) {
    auto admin = admin_boundary([api = &d.admin](const HttpRequest& r) { return api->handle(r); },
                                d.options.admin_token);
    // The admin port keeps its own small limit so it stays reachable under full load.
    auto bound = d.server.listen(
        d.options.admin_host, *d.options.admin_port,
        [admin = std::move(admin), stall](HttpRequest& request, net::Responder responder) {
          run_reply(admin(request), std::move(responder), stall);
        },
        1024);
    if (!bound) return fail(bound.error());
    d.admin_port = *bound;
  }
  d.server.start();
  d.started = true;
  return {};
}

std::uint16_t Emulator::port() const { return impl_->port; }

std::optional<std::uint16_t> Emulator::admin_port() const { return impl_->admin_port; }

std::size_t Emulator::open_connections() const { return impl_->server.open_connections(); }

void Emulator::stop(std::chrono::milliseconds drain) { impl_->server.stop(drain); }

}  // namespace bedrock::emulator
