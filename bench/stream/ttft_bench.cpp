// Time to first token for bench/stream/run.sh, against a paced emulator stream: the time from
// the start of a call to the moment the first text of the answer is in the caller's hands.
//   bare - a kept-alive socket writing a prebuilt InvokeModelWithResponseStream request and
//          reading the chunked event stream until the first message holding a text delta is
//          complete (frames split by their length prefix, the chunk's base64 decoded): the floor
//   ours - BedrockClient::invoke_stream, until the first TextDelta reaches the callback
// Modes alternate call by call, so both see the same emulator and the same machine noise.
// Prints one JSON line per mode: {"impl":..,"calls":..,"median_us":..,"p90_us":..}, and the
// median of the per-pair differences ours - bare ("ours-minus-bare").
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bedrock/core/base64.h"
#include "bedrock/credentials/static_provider.h"
#include "bedrock/runtime/bedrock_client.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kModel = "anthropic.claude-3-haiku-20240307-v1:0";

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// A kept-alive plain-HTTP connection reading one chunked event-stream response per call.
class BareStreamReader {
 public:
  BareStreamReader(int port, std::string request) : request_(std::move(request)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::exit(2);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~BareStreamReader() { ::close(fd_); }

  // Sends the request and returns the time until the first text delta; reads the rest of the
  // response so the connection is ready for the next call.
  Clock::duration first_token() {
    const auto start = Clock::now();
    if (::send(fd_, request_.data(), request_.size(), 0) != static_cast<ssize_t>(request_.size())) {
      std::exit(3);
    }
    buffer_.clear();
    std::size_t pos = 0;
    // Head.
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) read_more();
    pos = head_end + 4;
    // Chunked (a paced stream) or Content-Length framed (an emulator that sends it whole).
    std::string_view head(buffer_.data(), head_end);
    const auto length_at = head.find("Content-Length: ");
    std::string body;  // the response body, framing removed
    std::size_t frame = 0;
    std::optional<Clock::duration> first;
    auto scan_frames = [&] {
      while (!first && body.size() - frame >= 4) {
        const auto* p = reinterpret_cast<const unsigned char*>(body.data() + frame);
        const std::size_t total = (std::size_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
        if (body.size() - frame < total) break;
        if (holds_text_delta(std::string_view(body).substr(frame, total))) {
          first = Clock::now() - start;
        }
        frame += total;
      }
    };
    if (length_at != std::string_view::npos) {
      const std::size_t length = std::strtoul(head.data() + length_at + 16, nullptr, 10);
      for (;;) {
        body.assign(buffer_, pos, std::string::npos);
        scan_frames();
        if (body.size() >= length) break;
        read_more();
      }
    } else {
      for (;;) {
        std::size_t line_end;
        while ((line_end = buffer_.find("\r\n", pos)) == std::string::npos) read_more();
        const std::size_t size = std::strtoul(buffer_.c_str() + pos, nullptr, 16);
        while (buffer_.size() < line_end + 2 + size + 2) read_more();
        body.append(buffer_, line_end + 2, size);
        pos = line_end + 2 + size + 2;
        if (size == 0) break;
        scan_frames();
      }
    }
    if (!first) std::exit(4);
    return *first;
  }

 private:
  static bool holds_text_delta(std::string_view message) {
    const auto at = message.find("\"bytes\":\"");
    if (at == std::string_view::npos) return false;
    const auto from = at + 9;
    const auto to = message.find('"', from);
    auto chunk = bedrock::base64_decode(message.substr(from, to - from));
    return chunk && chunk->find("text_delta") != std::string::npos;
  }

  void read_more() {
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) std::exit(5);
    buffer_.append(tmp, static_cast<std::size_t>(n));
  }

  int fd_ = -1;
  std::string request_;
  std::string buffer_;
};

void report(std::string_view impl, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  fmt::print("{{\"impl\":\"{}\",\"calls\":{},\"median_us\":{:.1f},\"p90_us\":{:.1f}}}\n", impl,
             samples.size(), samples[samples.size() / 2], samples[samples.size() * 9 / 10]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} PORT CALLS\n", argv[0]);
    return 1;
  }
  const int port = std::atoi(argv[1]);
  const int calls = std::atoi(argv[2]);
  const std::string body =
      R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"Say hello."}]}]})";

  const std::string request = fmt::format(
      "POST /model/{}/invoke-with-response-stream HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n"
      "Content-Type: application/json\r\nAccept: application/vnd.amazon.eventstream\r\n"
      "Content-Length: {}\r\n\r\n{}",
      kModel, port, body.size(), body);
  BareStreamReader bare(port, request);

  bedrock::runtime::ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = fmt::format("http://127.0.0.1:{}", port);
  options.credentials =
      std::make_shared<bedrock::credentials::StaticCredentialsProvider>(bedrock::auth::Credentials{
          "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "bench"});
  auto client = bedrock::runtime::BedrockClient::create(std::move(options));
  if (!client) {
    fmt::print(stderr, "{}\n", bedrock::describe(client.error()));
    return 1;
  }
  bedrock::runtime::InvokeRequest req;
  req.model_id = std::string(kModel);
  req.prompt = bedrock::models::Prompt::from_user("Say hello.");
  req.params.max_tokens = 64;

  auto ours_first_token = [&]() -> Clock::duration {
    const auto start = Clock::now();
    std::optional<Clock::duration> first;
    auto result = (*client)->invoke_stream(req, [&](const bedrock::models::StreamEvent& e) {
      if (!first && std::holds_alternative<bedrock::models::TextDelta>(e)) {
        first = Clock::now() - start;
      }
    });
    if (!result || !first) {
      fmt::print(stderr, "ours failed: {}\n",
                 result ? "no text delta" : bedrock::describe(result.error()));
      std::exit(6);
    }
    return *first;
  };

  for (int i = 0; i < 5; ++i) {  // warm both connections
    bare.first_token();
    ours_first_token();
  }
  std::vector<double> bare_us, ours_us;
  for (int i = 0; i < calls; ++i) {
    bare_us.push_back(micros(bare.first_token()));
    ours_us.push_back(micros(ours_first_token()));
  }
  // The two modes alternate, so the per-pair difference cancels most of the machine's noise.
  std::vector<double> added;
  for (std::size_t i = 0; i < bare_us.size(); ++i) added.push_back(ours_us[i] - bare_us[i]);
  std::sort(added.begin(), added.end());
  report("bare", bare_us);
  report("ours", ours_us);
  fmt::print(
      "{{\"impl\":\"ours-minus-bare\",\"calls\":{},\"median_us\":{:.1f},\"p90_us\":{:.1f}}}\n",
      added.size(), added[added.size() / 2], added[added.size() * 9 / 10]);
  return 0;
}
