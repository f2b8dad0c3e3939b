// What the /api/ integration suites share: bedrock-emulator as a child process (with its admin
// API), an in-process bedrock-content-server Service on a loopback port reaching it, and a
// blocking client that posts JSON and reads the answer, whole or as server-sent events.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integration/net/raw_client.h"
#include "integration/runtime/emulator_process.h"
#include "server/service.h"

namespace bedrock::server::testing {

// One server-sent event.
struct SseEvent {
  std::string name;
  nlohmann::json data;
};

// The events in a text/event-stream body (complete events only).
std::vector<SseEvent> parse_events(std::string_view body);

struct Answer {
  unsigned status = 0;
  std::string content_type;
  std::string request_id;  // x-request-id
  std::string raw;         // bytes as received
  nlohmann::json json;     // the body, when it is JSON
  std::vector<SseEvent> events;
  bool complete = false;  // a whole HTTP response arrived (the last chunk of a stream included)
};

class ApiHarness {
 public:
  // `emulator_flags` go to bedrock-emulator (an admin port is always opened).
  explicit ApiHarness(std::vector<std::string> emulator_flags = {},
                      std::chrono::milliseconds request_timeout = std::chrono::seconds(60));
  ~ApiHarness();

  std::uint16_t port() const { return service_->port(); }
  Service& service() { return *service_; }

  // POST `body` to `path` and read the whole answer (bounded by `limit`).
  Answer post(std::string_view path, const nlohmann::json& body,
              std::chrono::milliseconds limit = std::chrono::seconds(30));
  // GET `path` and read the whole answer.
  Answer get(std::string_view path, std::chrono::milliseconds limit = std::chrono::seconds(30));
  // POST to the emulator's admin API; returns the status.
  unsigned admin(std::string_view path, const nlohmann::json& body);
  nlohmann::json admin_counters();

 private:
  Answer exchange(const std::string& request, std::chrono::milliseconds limit);

  bedrock::testing::EmulatorProcess emulator_;
  std::unique_ptr<Service> service_;
};

bool binaries_built();

// One emulator and server for a whole suite, started before its first test; every test is
// skipped when the binaries are not built. `Suite` (the derived fixture) gives the emulator's
// flags through a static `emulator_flags()`.
template <typename Suite>
class SharedApiHarness : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (binaries_built()) harness_ = new ApiHarness(Suite::emulator_flags());
  }
  static void TearDownTestSuite() {
    delete harness_;
    harness_ = nullptr;
  }
  void SetUp() override {
    if (harness_ == nullptr) GTEST_SKIP() << "bedrock-emulator not built";
  }
  static inline ApiHarness* harness_ = nullptr;
};

}  // namespace bedrock::server::testing

#define REQUIRE_EMULATOR()                         \
  if (!bedrock::server::testing::binaries_built()) \
  GTEST_SKIP() << "bedrock-emulator not built in " << BEDROCK_BIN_DIR
