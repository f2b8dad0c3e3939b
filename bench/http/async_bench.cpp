// Figures for docs/http-engine.md: CPU per request of the sync and async transports on
// loopback, and memory per in-flight async exchange. The server is a forked child process
// (one Asio thread, keep-alive, optional delay before each answer), so the parent's CPU time
// and resident memory are the client's alone.
//   bedrock_http_async_bench cpu [--calls N]            sync vs async CPU per request
//   bedrock_http_async_bench memory [--exchanges N] [--delay-ms D]
// Prints one JSON line per figure.
#include <fmt/format.h>
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bedrock/http/async_curl_transport.h"
#include "bedrock/http/curl_transport.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr const char* kBody =
    R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":"Say hello."}]}]})";

// ---- the server (child process) ----

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  ServerConnection(tcp::socket socket, std::chrono::milliseconds delay)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), delay_(delay) {}
  void read_head() {
    asio::async_read_until(socket_, buffer_, "\r\n\r\n",
                           [self = shared_from_this()](auto ec, std::size_t head) {
                             if (!ec) self->read_body(head);
                           });
  }

 private:
  void read_body(std::size_t head_bytes) {
    std::string head(asio::buffers_begin(buffer_.data()),
                     asio::buffers_begin(buffer_.data()) + static_cast<long>(head_bytes));
    buffer_.consume(head_bytes);
    std::size_t length = 0;
    if (auto at = head.find("Content-Length: "); at != std::string::npos) {
      length = std::stoul(head.substr(at + 16));
    }
    const std::size_t have = std::min(length, buffer_.size());
    buffer_.consume(have);
    asio::async_read(socket_, buffer_, asio::transfer_exactly(length - have),
                     [self = shared_from_this(), rest = length - have](auto ec, std::size_t) {
                       if (ec) return;
                       self->buffer_.consume(rest);
                       self->answer();
                     });
  }
  void answer() {
    timer_.expires_after(delay_);
    timer_.async_wait([self = shared_from_this()](auto ec) {
      if (ec) return;
      static const std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 63\r\n\r\n"
          R"({"content":[{"type":"text","text":"Hello!"}],"stop":"end_turn"})";
      asio::async_write(self->socket_, asio::buffer(reply), [self](auto write_ec, std::size_t) {
        if (!write_ec) self->read_head();
      });
    });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::chrono::milliseconds delay_;
  asio::streambuf buffer_;
};

void accept_loop(tcp::acceptor& acceptor, std::chrono::milliseconds delay) {
  acceptor.async_accept([&acceptor, delay](auto ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<ServerConnection>(std::move(socket), delay)->read_head();
    }
    accept_loop(acceptor, delay);
  });
}

// Forks the server; returns its port and pid.
std::pair<unsigned short, pid_t> fork_server(std::chrono::milliseconds delay) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) std::exit(1);
  const pid_t pid = ::fork();
  if (pid == 0) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor.listen(20000);
    const unsigned short port = acceptor.local_endpoint().port();
    if (::write(pipe_fds[1], &port, sizeof port) != sizeof port) std::_Exit(1);
    accept_loop(acceptor, delay);
    io.run();
    std::_Exit(0);
  }
  unsigned short port = 0;
  if (::read(pipe_fds[0], &port, sizeof port) != sizeof port) std::exit(1);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  std::fprintf(stderr, "server pid %d on port %u\n", static_cast<int>(pid), port);
  return {port, pid};
}

// ---- the client (this process) ----

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

bedrock::http::Request request(unsigned short port) {
  bedrock::http::Request r;
  r.url = fmt::format("http://127.0.0.1:{}/model/m/invoke", port);
  r.headers = {{"Content-Type", "application/json"},
               {"Accept", "application/json"},
               {"X-Amz-Date", "20240115T120000Z"},
               {"Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240115/us-east-1/bedrock/aws4_request, "
                "SignedHeaders=accept;content-type;host;x-amz-date, Signature=0123456789abcdef"}};
  r.body = kBody;
  return r;
}

int cpu_figures(int calls) {
  auto [port, pid] = fork_server(std::chrono::milliseconds(0));
  const auto req = request(port);
  {
    bedrock::http::CurlTransport sync;
    for (int i = 0; i < 200; ++i) (void)sync.send(req, {});  // warm
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    int ok = 0;
    for (int i = 0; i < calls; ++i) ok += sync.send(req, {}).has_value() ? 1 : 0;
    const double cpu = cpu_seconds() - cpu0;
    fmt::print(
        R"({{"figure":"sync_sequential","calls":{},"ok":{},"cpu_us_per_call":{:.1f},"wall_us_per_call":{:.1f}}})"
        "\n",
        calls, ok, cpu * 1e6 / calls,
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / calls);
  }
  for (int width : {1, 100}) {
    asio::io_context io;
    // Room for every connection in the pool, so the figure is per request, not per connect.
    bedrock::http::CurlTransportOptions options;
    options.max_idle_handles = 256;
    auto transport = bedrock::http::AsyncCurlTransport::create(io, options);
    int started = 0;
    int finished = 0;
    int ok = 0;
    std::function<void()> launch = [&] {
      if (started >= calls + 200) return;
      ++started;
      transport->start(req, {}, [&](bedrock::Result<bedrock::http::Response> r) {
        ++finished;
        ok += r.has_value() ? 1 : 0;
        launch();
      });
    };
    // The first 200 warm up the pool; the figure counts the rest.
    for (int i = 0; i < width; ++i) launch();
    while (finished < 200) io.run_one();
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    const int ok0 = ok;
    while (finished < calls + 200) io.run_one();
    const double cpu = cpu_seconds() - cpu0;
    fmt::print(
        R"({{"figure":"async_width_{}","calls":{},"ok":{},"cpu_us_per_call":{:.1f},"wall_us_per_call":{:.1f}}})"
        "\n",
        width, calls, ok - ok0, cpu * 1e6 / calls,
        std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / calls);
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  return 0;
}

int memory_figures(int exchanges, int delay_ms) {
  auto [port, pid] = fork_server(std::chrono::milliseconds(delay_ms));
  const auto req = request(port);
  asio::io_context io;
  auto transport = bedrock::http::AsyncCurlTransport::create(io);
  // Warm the allocator and curl's one-time state with one exchange first.
  bool warm = false;
  transport->start(req, {}, [&](auto) { warm = true; });
  while (!warm) io.run_one();
  io.restart();  // running out of work stopped it
  const long before = rss_kib();
  const std::size_t heap_before = mallinfo2().uordblks;
  const double cpu0 = cpu_seconds();
  const auto t0 = Clock::now();
  int finished = 0;
  int ok = 0;
  bedrock::http::CallOptions options;
  options.deadline = t0 + std::chrono::milliseconds(delay_ms) + std::chrono::seconds(30);
  for (int i = 0; i < exchanges; ++i) {
    transport->start(req, options, [&](bedrock::Result<bedrock::http::Response> r) {
      ++finished;
      ok += r.has_value() ? 1 : 0;
      if (!r.has_value() && finished - ok <= 3)
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
    });
  }
  // All requests out and waiting: sample RSS at the peak, half-way through the delay.
  io.run_for(std::chrono::milliseconds(delay_ms / 2));
  const long during = rss_kib();
  const std::size_t heap_during = mallinfo2().uordblks;
  const std::size_t in_flight = transport->in_flight();
  while (finished < exchanges && Clock::now() - t0 < std::chrono::seconds(60)) {
    io.run_one_for(std::chrono::milliseconds(100));
    if (io.stopped()) io.restart();
  }
  const double cpu = cpu_seconds() - cpu0;
  fmt::print(
      R"({{"figure":"async_in_flight","exchanges":{},"ok":{},"in_flight_at_sample":{},"rss_before_kib":{},"rss_in_flight_kib":{},"bytes_per_exchange":{:.0f},"heap_bytes_per_exchange":{:.0f},"wall_s":{:.2f},"cpu_us_per_call":{:.1f}}})"
      "\n",
      exchanges, ok, in_flight, before, during,
      static_cast<double>(during - before) * 1024.0 / exchanges,
      static_cast<double>(heap_during - heap_before) / exchanges,
      std::chrono::duration<double>(Clock::now() - t0).count(), cpu * 1e6 / exchanges);
  transport.reset();
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  return ok == exchanges ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  const std::string mode = argc > 1 ? argv[1] : "cpu";
  int calls = 20000;
  int exchanges = 10000;
  int delay_ms = 3000;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--calls") calls = std::stoi(argv[i + 1]);
    if (flag == "--exchanges") exchanges = std::stoi(argv[i + 1]);
    if (flag == "--delay-ms") delay_ms = std::stoi(argv[i + 1]);
  }
  if (mode == "memory") return memory_figures(exchanges, delay_ms);
  return cpu_figures(calls);
}
