// The bedrock-content-server binary: first line, health over the real socket, the upstream
// chain from the environment (AWS_ENDPOINT_URL_BEDROCK_RUNTIME at the emulator), exit codes.
#include <gtest/gtest.h>

#include <filesystem>

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
