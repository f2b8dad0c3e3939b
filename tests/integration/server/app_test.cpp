// The bedrock-content-server binary: first line, health over the real socket, the upstream
// chain from the environment (AWS_ENDPOINT_URL_BEDROCK_RUNTIME at the emulator), exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "integration/runtime/emulator_process.h"
#include "server_client.h"
#include "server_process.h"

namespace bedrock::server {
namespace {

using testing::call;
using testing::hermetic_env;
using testing::ServerProcess;

bool built() {
  const std::string dir = BEDROCK_BIN_DIR;
  return std::filesystem::exists(dir + "/bedrock-content-server") &&
         std::filesystem::exists(dir + "/bedrock-emulator");
}

// --port 0: the first stdout line says where it listens; it serves; SIGTERM exits 0.
TEST(ServerApp, FirstLineHealthAndSigtermExit0) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  bedrock::testing::EmulatorProcess emulator(
      {"--credentials", "AKIDEMULATOR:emulator/secret/key/0123456789abcdef"});
  ServerProcess server({"--port", "0"}, hermetic_env(emulator.url()));
  EXPECT_EQ(server.first_line().rfind("bedrock-content-server listening on http://127.0.0.1:", 0),
            0u)
      << server.first_line();
  EXPECT_EQ(call(server.port(), "GET", "/healthz").status, 200u);
  unsigned ready = 0;
  for (int i = 0; i < 100 && ready != 200; ++i) {
    ready = call(server.port(), "GET", "/readyz").status;
    if (ready != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(ready, 200u);
  EXPECT_EQ(server.stop(SIGTERM, std::chrono::seconds(10)), 0);
  EXPECT_NE(server.stderr_text().find("no API keys configured: listening on loopback only"),
            std::string::npos)
      << server.stderr_text();
}

// Keys from the environment: the access log has one JSON line per request with the key's id,
// and neither the key nor a wrong key a client sent appears anywhere on stderr.
TEST(ServerApp, AccessLogLinesNeverHoldKeys) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  const std::string key = "env-secret-key-0123456789";
  const std::string wrong = "wrong-secret-key-0123456789";
  auto env = hermetic_env("http://127.0.0.1:9");
  env.push_back("BEDROCK_CONTENT_SERVER_API_KEYS=" + key);
  ServerProcess server({"--port", "0"}, env);
  EXPECT_EQ(call(server.port(), "GET", "/metrics", {}, {{"Authorization", "Bearer " + key}}).status,
            200u);
  EXPECT_EQ(
      call(server.port(), "GET", "/metrics", {}, {{"Authorization", "Bearer " + wrong}}).status,
      401u);
  EXPECT_EQ(server.stop(SIGTERM, std::chrono::seconds(10)), 0);
  const std::string err = server.stderr_text();
  EXPECT_NE(err.find("1 API key configured"), std::string::npos) << err;
  EXPECT_EQ(err.find(key), std::string::npos);
  EXPECT_EQ(err.find(wrong), std::string::npos);
  int lines = 0;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_EQ(j["route"], "metrics");
    EXPECT_FALSE(j["request_id"].get<std::string>().empty());
    if (j["status"] == 200) {
      EXPECT_EQ(j["key_id"], "env-1");
    }
    ++lines;
  }
  EXPECT_EQ(lines, 2) << err;
}

// A stderr nobody reads (a stalled log shipper) fills its pipe after about 200 access-log
// lines; the server still answers every request and exits 0 on SIGTERM, the lines it could
// not write counted on /metrics rather than holding up requests.
TEST(ServerApp, AStalledStderrHoldsUpNoRequest) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  bedrock::testing::EmulatorProcess emulator(
      {"--credentials", "AKIDEMULATOR:emulator/secret/key/0123456789abcdef"});
  ServerProcess server({"--port", "0"}, hermetic_env(emulator.url()), true, true);
  const std::string body = R"({"model":"anthropic.claude-3-haiku-20240307-v1:0","max_tokens":16,)"
                           R"("messages":[{"role":"user","content":"hi"}]})";
  for (int i = 0; i < 600; ++i) {
    ASSERT_EQ(call(server.port(), "POST", "/v1/chat/completions", body,
                   {{"Content-Type", "application/json"}}, std::chrono::milliseconds(5000))
                  .status,
              200u)
        << "request " << i;
  }
  const auto metrics = call(server.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("bedrock_server_access_log_dropped_lines_total "), std::string::npos);
  EXPECT_EQ(server.stop(SIGTERM, std::chrono::seconds(10)), 0);
}

// Bad flags exit 2 like bad config.
TEST(ServerApp, MissingPortExits2) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  ServerProcess server({}, hermetic_env("http://127.0.0.1:9"), /*expect_port=*/false);
  EXPECT_EQ(server.stop(0, std::chrono::seconds(10)), 2);
  EXPECT_NE(server.stderr_text().find("--port"), std::string::npos);
}

// A bad [server] key in the config file stops the start with exit 2 naming the key.
TEST(ServerApp, BadServerTableExits2) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  char path[] = "/tmp/bedrock-content-server-config-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string text = "[server]\nmax_in_flight = \"many\"\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  ServerProcess server({"--port", "0", "--config", path}, hermetic_env("http://127.0.0.1:9"),
                       /*expect_port=*/false);
  EXPECT_EQ(server.stop(0, std::chrono::seconds(10)), 2);
  EXPECT_NE(server.stderr_text().find("server.max_in_flight"), std::string::npos)
      << server.stderr_text();
  unlink(path);
}

// A non-loopback --host without API keys is refused at start with exit 2 and a clear reason.
TEST(ServerApp, NonLoopbackHostWithoutKeysExits2) {
  if (!built()) GTEST_SKIP() << "binaries not built";
  ServerProcess server({"--port", "0", "--host", "0.0.0.0"}, hermetic_env("http://127.0.0.1:9"),
                       /*expect_port=*/false);
  EXPECT_EQ(server.stop(0, std::chrono::seconds(10)), 2);
  EXPECT_NE(server.stderr_text().find("loopback"), std::string::npos) << server.stderr_text();
}

}  // namespace
}  // namespace bedrock::server
