// A started bedrock::net::Server on a free loopback port, for the net layer's tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bedrock/net/server.h"

namespace bedrock::net::testing {

struct RunningServer {
  std::unique_ptr<Server> server;
  std::uint16_t port = 0;
};

inline RunningServer serve(ServerOptions options, Handler handler,
                           std::size_t max_connections = 16384) {
  options.threads = options.threads == 0 ? 2 : options.threads;
  RunningServer running{std::make_unique<Server>(std::move(options)), 0};
  auto port = running.server->listen("127.0.0.1", 0, std::move(handler), max_connections);
  EXPECT_TRUE(port.has_value());
  if (port) running.port = *port;
  running.server->start();
  return running;
}

inline HttpResponse text_response(std::string body) {
  HttpResponse response{boost::beast::http::status::ok, 11};
  response.set(boost::beast::http::field::content_type, "text/plain");
  response.body() = std::move(body);
  return response;
}

}  // namespace bedrock::net::testing
