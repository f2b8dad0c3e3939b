// One listening socket: accepts on the first I/O thread, hands each connection to the next
// thread's session, and pauses accepting at its connection cap.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "bedrock/core/result.h"
#include "bedrock/net/server.h"
#include "io_pool.h"
#include "shared_state.h"

namespace bedrock::net::detail {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(IoPool& pool, Handler handler, SharedState& shared, std::size_t max_connections);

  Result<std::uint16_t> bind(const std::string& host, std::uint16_t port);
  void accept();
  void close();  // stops accepting (posted to the acceptor's thread)
  void on_session_closed();

  std::uint16_t port() const { return port_; }
  std::size_t connections() const { return connections_.load(); }

 private:
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  IoPool& pool_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  Handler handler_;
  SharedState& shared_;
  std::size_t max_connections_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> paused_{false};
  std::uint16_t port_ = 0;
};

}  // namespace bedrock::net::detail
