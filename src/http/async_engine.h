// Private to AsyncCurlTransport: the loop-side machinery every exchange shares. curl multi
// handles driven by curl_multi_socket_action from Asio (curl's socket and timer callbacks become
// async_waits and a steady_timer); the TCP sockets curl opens are Asio sockets the engine owns
// (CURLOPT_OPENSOCKETFUNCTION/CLOSESOCKETFUNCTION), so an exchange waits on the same object
// once curl has connected. Also the per-origin LIFO pool of idle connections. Loop thread only.
//
// Why several multis rather than one: libcurl 7.88's curl_easy_send/recv find a CONNECT_ONLY
// handle's connection by walking its multi's whole connection cache (Curl_getconnectinfo), so
// with every connection in one multi each read cost O(connections in flight): 10,000 exchanges
// took 26 s of CPU instead of about one. A multi holds at most kConnectionsPerMulti connections
// (a multi costs a few KiB, shared by that many connections); all are driven the same way.
#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bedrock/http/curl_transport.h"
#include "direct_connection.h"

namespace bedrock::http::detail {

class AsyncCurlExchange;
class AsyncEngine;

// One curl multi handle, its timer, and how many connections it holds.
struct CurlShard {
  CurlShard(AsyncEngine& owner, boost::asio::io_context& io, CURLM* handle)
      : engine(&owner), multi(handle), timer(io) {}
  AsyncEngine* engine;
  CURLM* multi;
  boost::asio::steady_timer timer;
  std::size_t connections = 0;
};

// A socket curl uses. Owned ones are the TCP connections curl opened through the engine; a
// foreign one (curl's resolver wake-up pipe) is only watched, never closed by us.
struct AsyncSocket {
  explicit AsyncSocket(boost::asio::io_context& io) : socket(io) {}
  boost::asio::ip::tcp::socket socket;
  std::optional<boost::asio::posix::stream_descriptor> foreign;
  CurlShard* shard = nullptr;  // the multi that polls it
  int curl_wants = 0;  // CURL_POLL_IN/OUT bits curl asked for; 0 once curl no longer polls it
  bool curl_read_pending = false;
  bool curl_write_pending = false;
  bool closed = false;
  // Set only when registering the connected socket afresh failed (the reactor refused it):
  // the descriptor is then ours to close, not `socket`'s, and every wait on it fails.
  int unregistered_fd = -1;

  // Waits until readable (`read`) or writable; the handler gets operation_aborted on close.
  void wait(bool read, std::function<void(const boost::system::error_code&)> handler);
  // Closes the connection's descriptor, whoever holds it.
  void close(boost::system::error_code& ec);
};

// Told when curl has finished opening a connection (CURLE_OK or why it failed).
class ConnectListener {
 public:
  virtual void on_connected(CURLcode code) = 0;

 protected:
  ~ConnectListener() = default;
};

// One CONNECT_ONLY easy handle and the connection it holds. Destroying it closes the connection.
class AsyncConnection {
 public:
  AsyncConnection(CurlShard* shard, CURL* easy) : shard_(shard), easy_(easy) {}
  ~AsyncConnection();
  AsyncConnection(const AsyncConnection&) = delete;
  AsyncConnection& operator=(const AsyncConnection&) = delete;

  CURL* easy() const { return easy_; }
  bool detached() const { return easy_ == nullptr; }
  // Moves bytes through curl (TLS, tunnels) or, once detached, straight through the socket;
  // curl's codes either way (CURLE_AGAIN when it would block).
  CURLcode send(const char* data, std::size_t size, std::size_t* sent);
  CURLcode recv(char* data, std::size_t size, std::size_t* received);
  std::string origin;                   // "scheme://host[:port]"
  std::string origin_url;               // origin + "/", what curl connects to
  std::shared_ptr<AsyncSocket> socket;  // set once connected
  ConnectListener* listener = nullptr;  // while connecting
  bool holds_connect_slot = false;      // counted in the engine's connects in progress
  bool in_multi = false;
  char error[CURL_ERROR_SIZE] = {};

 private:
  friend class AsyncEngine;
  CurlShard* shard_;
  CURL* easy_;
};

class AsyncEngine : public std::enable_shared_from_this<AsyncEngine> {
 public:
  static std::shared_ptr<AsyncEngine> create(boost::asio::io_context& io,
                                             CurlTransportOptions options);
  ~AsyncEngine();
  AsyncEngine(const AsyncEngine&) = delete;
  AsyncEngine& operator=(const AsyncEngine&) = delete;

  boost::asio::io_context& io() { return io_; }
  const CurlTransportOptions& options() const { return options_; }
  bool shut_down() const { return shut_down_; }

  // A kept-alive connection to `origin`, most recently used first, or nullptr.
  std::unique_ptr<AsyncConnection> take_idle(const std::string& origin);
  // Pools a connection that may carry another request (or closes it when the pool is full).
  void give_back(std::unique_ptr<AsyncConnection> connection);
  std::size_t idle_connections() const { return idle_total_; }

  // Whether a new connect may start now. At most kMaxConnecting run at once: each holds curl's
  // full per-handle state (~12 KiB) until it is open, and a burst of 10,000 starts would
  // otherwise leave that much freed-but-resident heap behind.
  bool may_connect() const;
  // Runs `start` once a connect slot is free (in arrival order), unless it was dropped.
  void wait_to_connect(std::weak_ptr<AsyncCurlExchange> exchange);
  // A connect ended (opened, failed or abandoned): the next waiting exchange may start.
  void release_connect_slot();
  // Starts opening a connection for `target`; `listener` hears the outcome from the loop (never
  // inside this call). Null (with `error` filled) when curl refuses to start.
  std::unique_ptr<AsyncConnection> open(const DirectTarget& target, long connect_ms,
                                        long backstop_ms, ConnectListener* listener,
                                        std::string& error);
  // A plain-http connection needs nothing more from curl once it is open: curl's handle and
  // connection state (about 12 KiB) are freed and the socket is kept, owned by `connection`.
  void detach(AsyncConnection& connection);
  // The socket behind a connected handle's CURLINFO_ACTIVESOCKET, or null.
  std::shared_ptr<AsyncSocket> socket_for(curl_socket_t fd) const;

  // Exchanges in flight are held here until they complete.
  void add_live(std::shared_ptr<AsyncCurlExchange> exchange);
  void remove_live(AsyncCurlExchange* exchange);
  std::size_t in_flight() const { return live_.size(); }

  // Ends every exchange in flight with Cancelled, closes every connection and stops driving
  // curl.
  void shutdown();

 private:
  AsyncEngine(boost::asio::io_context& io, CurlTransportOptions options);
  CurlShard* shard_with_room();
  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* shard, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* shard);
  static curl_socket_t on_open(void* engine, curlsocktype purpose, curl_sockaddr* address);
  static int on_close(void* engine, curl_socket_t fd);
  void watch(curl_socket_t fd, const std::shared_ptr<AsyncSocket>& socket);
  void act(CurlShard& shard, curl_socket_t fd, int mask);
  void start_waiting_connects();
  void finish_connects(CurlShard& shard);

  boost::asio::io_context& io_;
  const CurlTransportOptions options_;
  std::vector<std::unique_ptr<CurlShard>> shards_;
  std::unordered_map<curl_socket_t, std::shared_ptr<AsyncSocket>> sockets_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<AsyncConnection>>> idle_;
  std::size_t idle_total_ = 0;
  curl_socket_t detaching_ = CURL_SOCKET_BAD;
  std::size_t connecting_ = 0;
  bool pump_posted_ = false;
  // Exchanges waiting for a connect slot; bounded by the exchanges in flight.
  std::deque<std::weak_ptr<AsyncCurlExchange>>
      waiting_to_connect_;  // on_close leaves this one open
  std::unordered_map<AsyncCurlExchange*, std::shared_ptr<AsyncCurlExchange>> live_;
  bool shut_down_ = false;
};

}  // namespace bedrock::http::detail
