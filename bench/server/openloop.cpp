// Open-loop HTTP/1.1 load generator for bench/server/run. wrk keeps N requests in flight and so
// slows down with the server it measures; a latency "at 5,000 requests/s" needs arrivals at a
// fixed rate whatever the server does (wrk2's model; wrk2 is not packaged on Debian 12).
// Latency counts from the moment a request was due, not from when a connection was free to
// send it, so a server that falls behind is charged for the queue it causes (no coordinated
// omission). One thread, epoll, keep-alive connections with one request in flight on each.
//
// usage: bench_server_openloop HOST PORT REQUEST_FILE RATE SECONDS [--connections N]
//        [--warmup S] [--ttft KEY]
//   REQUEST_FILE  the raw request bytes, sent as they are (the run script signs and frames it)
//   --ttft KEY    also time the first non-empty string value of the JSON key KEY in the body
//                 (a text delta: `"content"` for OpenAI SSE, `"text"` for the Bedrock event
//                 stream)
// Prints one JSON object on stdout; exit 0 once the run ends, 2 on bad arguments or no server.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "http_response_parser.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host;
  int port = 0;
  std::string request;
  double rate = 0;
  double seconds = 0;
  int connections = 32;
  double warmup = 1;
  std::string ttft_marker;
};

struct Connection {
  int fd = -1;
  bool busy = false;
  bool ttft_seen = false;
  std::size_t sent = 0;
  std::size_t scanned = 0;
  Clock::time_point due;
  std::string in;
  bench::HttpResponseParser parser;
};

struct Stats {
  std::vector<std::uint32_t> latency_us;
  std::vector<std::uint32_t> ttft_us;
  long due = 0;  // arrivals in the recorded window, whether sent, queued at the end or dropped
  long sent = 0;
  long completed = 0;
  long non2xx = 0;
  long errors = 0;
  long dropped = 0;
};

// Arrivals wait here while every connection is busy; past this many the generator is the
// bottleneck or the server has stopped answering, and further arrivals are counted as dropped.
constexpr std::size_t kMaxQueued = 200000;
// Requests still unanswered this long after the last arrival are counted as errors.
constexpr auto kDrain = std::chrono::seconds(2);

int open_connection(const Options& o) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(o.port));
  if (::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

std::uint32_t micros_since(Clock::time_point from, Clock::time_point to) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
  return static_cast<std::uint32_t>(std::clamp<long long>(us, 0, UINT32_MAX));
}

class Generator {
 public:
  explicit Generator(Options o)
      : o_(std::move(o)), conns_(static_cast<std::size_t>(o_.connections)) {}

  bool start() {
    epoll_ = ::epoll_create1(0);
    if (epoll_ < 0) return false;
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      if (!connect(i)) return false;
    }
    return true;
  }

  void run() {
    auto begin = Clock::now();
    record_from_ = begin + to_duration(o_.warmup);
    auto end = record_from_ + to_duration(o_.seconds);
    auto interval = to_duration(1.0 / o_.rate);
    auto next_due = begin;
    std::vector<epoll_event> events(conns_.size());
    for (;;) {
      auto now = Clock::now();
      for (; next_due <= now && next_due < end; next_due += interval) {
        if (next_due >= record_from_) ++stats_.due;
        if (queue_.size() < kMaxQueued) {
          queue_.push_back(next_due);
        } else if (next_due >= record_from_) {
          ++stats_.dropped;
        }
      }
      dispatch();
      bool arriving = next_due < end;
      if (!arriving && (in_flight() == 0 || now > end + kDrain)) break;
      auto wait = arriving ? std::max(next_due - now, Clock::duration::zero())
                           : Clock::duration(std::chrono::milliseconds(1));
      timespec ts{0,
                  std::min<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count(),
                                 1'000'000)};
      int n = ::epoll_pwait2(epoll_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
      for (int k = 0; k < n; ++k) on_event(events[static_cast<std::size_t>(k)]);
    }
    for (auto& c : conns_) {
      if (c.busy && c.due >= record_from_) ++stats_.errors;
    }
  }

  const Stats& stats() const { return stats_; }

 private:
  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  long in_flight() const {
    return std::count_if(conns_.begin(), conns_.end(), [](const Connection& c) { return c.busy; });
  }

  bool connect(std::size_t i) {
    Connection& c = conns_[i];
    if (c.fd >= 0) ::close(c.fd);
    c = Connection{};
    c.fd = open_connection(o_);
    if (c.fd < 0) return false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    return ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) == 0;
  }

  void dispatch() {
    for (std::size_t i = 0; i < conns_.size() && !queue_.empty(); ++i) {
      Connection& c = conns_[i];
      if (c.busy || c.fd < 0) continue;
      c.busy = true;
      c.due = queue_.front();
      queue_.pop_front();
      if (c.due >= record_from_) ++stats_.sent;
      send_more(i);
    }
  }

  void send_more(std::size_t i) {
    Connection& c = conns_[i];
    while (c.sent < o_.request.size()) {
      ssize_t n =
          ::send(c.fd, o_.request.data() + c.sent, o_.request.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u64 = i;
        ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
        return;
      }
      fail(i);
      return;
    }
  }

  void on_event(const epoll_event& ev) {
    std::size_t i = ev.data.u64;
    Connection& c = conns_[i];
    if (c.fd < 0) return;
    if ((ev.events & EPOLLOUT) && c.busy && c.sent < o_.request.size()) {
      epoll_event in{};
      in.events = EPOLLIN;
      in.data.u64 = i;
      ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &in);
      send_more(i);
    }
    if (!(ev.events & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
    char buf[16384];
    for (;;) {
      ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        if (!c.busy) return fail(i);  // bytes nobody asked for
        if (!on_bytes(i)) return;
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return fail(i);  // closed or broken: reconnect, and the request in flight failed
    }
  }

  // Returns false once the connection was replaced (its state must not be touched further).
  bool on_bytes(std::size_t i) {
    Connection& c = conns_[i];
    auto now = Clock::now();
    bool recorded = c.due >= record_from_;
    if (!o_.ttft_marker.empty() && !c.ttft_seen) scan_ttft(c, now, recorded);
    auto state = c.parser.parse(c.in);
    if (state == bench::HttpResponseParser::State::Incomplete) return true;
    if (state == bench::HttpResponseParser::State::Invalid) {
      fail(i);
      return false;
    }
    if (recorded) {
      ++stats_.completed;
      if (c.parser.status() < 200 || c.parser.status() > 299) ++stats_.non2xx;
      stats_.latency_us.push_back(micros_since(c.due, now));
    }
    bool close_after = c.parser.close_after() || c.in.size() > c.parser.size();
    if (close_after) {
      if (!connect(i)) c.fd = -1;
      return false;
    }
    c.in.clear();
    c.parser.reset();
    c.busy = false;
    c.sent = 0;
    c.scanned = 0;
    c.ttft_seen = false;
    dispatch();
    return true;
  }

  // The first token is the first `KEY : "X` in the body (any spaces around the colon) whose
  // X is not the closing quote: a non-empty text delta, not a role-only or empty chunk.
  void scan_ttft(Connection& c, Clock::time_point now, bool recorded) {
    const std::string& key = o_.ttft_marker;
    std::size_t from = c.scanned > key.size() + 16 ? c.scanned - key.size() - 16 : 0;
    for (std::size_t at = c.in.find(key, from); at != std::string::npos;
         at = c.in.find(key, at + 1)) {
      std::size_t k = at + key.size();
      auto skip_spaces = [&] {
        while (k < c.in.size() && (c.in[k] == ' ' || c.in[k] == '\t')) ++k;
      };
      skip_spaces();
      if (k < c.in.size() && c.in[k] != ':') continue;
      ++k;
      skip_spaces();
      if (k + 1 >= c.in.size()) {
        c.scanned = at;  // the bytes that decide have not arrived; look here again
        return;
      }
      if (c.in[k] == '"' && c.in[k + 1] != '"') {
        c.ttft_seen = true;
        if (recorded) stats_.ttft_us.push_back(micros_since(c.due, now));
        return;
      }
    }
    c.scanned = c.in.size();
  }

  void fail(std::size_t i) {
    Connection& c = conns_[i];
    if (c.busy && c.due >= record_from_) ++stats_.errors;
    if (!connect(i)) conns_[i].fd = -1;
  }

  Options o_;
  std::vector<Connection> conns_;
  std::deque<Clock::time_point> queue_;
  Clock::time_point record_from_;
  Stats stats_;
  int epoll_ = -1;
};

void print_percentiles(const char* name, std::vector<std::uint32_t> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) -> unsigned {
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size())));
    return v[std::min(k, v.size() - 1)];
  };
  double mean = 0;
  for (auto x : v) mean += x;
  if (!v.empty()) mean /= static_cast<double>(v.size());
  std::printf(
      ",\"%s\":{\"n\":%zu,\"mean\":%.1f,\"p50\":%u,\"p90\":%u,\"p99\":%u,\"p999\":%u,\"max\":%u}",
      name, v.size(), mean, at(0.5), at(0.9), at(0.99), at(0.999), v.empty() ? 0 : v.back());
}

bool parse_args(int argc, char** argv, Options& o) {
  if (argc < 6) return false;
  o.host = argv[1];
  o.port = std::atoi(argv[2]);
  std::ifstream f(argv[3], std::ios::binary);
  o.request.assign(std::istreambuf_iterator<char>(f), {});
  o.rate = std::atof(argv[4]);
  o.seconds = std::atof(argv[5]);
  for (int k = 6; k + 1 < argc; k += 2) {
    std::string_view flag = argv[k];
    if (flag == "--connections") {
      o.connections = std::atoi(argv[k + 1]);
    } else if (flag == "--warmup") {
      o.warmup = std::atof(argv[k + 1]);
    } else if (flag == "--ttft") {
      o.ttft_marker = argv[k + 1];
    } else {
      return false;
    }
  }
  return (argc - 6) % 2 == 0 && o.port > 0 && !o.request.empty() && o.rate > 0 && o.rate <= 1e6 &&
         o.seconds > 0 && o.seconds <= 3600 && o.connections > 0 && o.connections <= 10000 &&
         o.warmup >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s HOST PORT REQUEST_FILE RATE SECONDS [--connections N] [--warmup S] "
                 "[--ttft KEY]\n",
                 argv[0]);
    return 2;
  }
  Generator g(o);
  if (!g.start()) {
    std::fprintf(stderr, "openloop: cannot connect to %s:%d\n", o.host.c_str(), o.port);
    return 2;
  }
  g.run();
  const Stats& s = g.stats();
  std::printf(
      "{\"rate\":%.0f,\"seconds\":%.1f,\"connections\":%d,\"due\":%ld,\"sent\":%ld,\"completed\":%"
      "ld,"
      "\"non2xx\":%ld,\"errors\":%ld,\"dropped\":%ld",
      o.rate, o.seconds, o.connections, s.due, s.sent, s.completed, s.non2xx, s.errors, s.dropped);
  print_percentiles("latency_us", s.latency_us);
  if (!o.ttft_marker.empty()) print_percentiles("ttft_us", s.ttft_us);
  std::printf("}\n");
  return 0;
}
