#include "bedrock/http/async_curl_transport.h"

#include <curl/curl.h>

#include <boost/asio/post.hpp>
#include <new>

#include "async_engine.h"
#include "async_exchange.h"
#include "curl_setup.h"

namespace bedrock::http {

std::shared_ptr<AsyncCurlTransport> AsyncCurlTransport::create(boost::asio::io_context& io,
                                                               CurlTransportOptions options) {
  detail::global_init_once();
  auto engine = detail::AsyncEngine::create(io, std::move(options));
  if (!engine) throw std::bad_alloc();  // curl could not allocate its multi handle
  return std::shared_ptr<AsyncCurlTransport>(new AsyncCurlTransport(std::move(engine)));
}

AsyncCurlTransport::AsyncCurlTransport(std::shared_ptr<detail::AsyncEngine> engine)
    : engine_(std::move(engine)) {}

AsyncCurlTransport::~AsyncCurlTransport() { engine_->shutdown(); }

std::shared_ptr<AsyncExchange> AsyncCurlTransport::start(Request request, CallOptions options,
                                                         Completion done) {
  auto exchange = std::make_shared<detail::AsyncCurlExchange>(engine_, std::move(request), options,
                                                              std::move(done));
  engine_->add_live(exchange);
  exchange->begin();
  return exchange;
}

const CurlTransportOptions& AsyncCurlTransport::options() const { return engine_->options(); }

std::size_t AsyncCurlTransport::idle_connections() const { return engine_->idle_connections(); }

std::size_t AsyncCurlTransport::in_flight() const { return engine_->in_flight(); }

}  // namespace bedrock::http
