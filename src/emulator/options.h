// Command-line settings of bedrock-emulator and how they become a configured Emulator.
// Kept out of main() so the flag grammar ("[MODEL=]SPEC") is unit-tested.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"
#include "server.h"

namespace bedrock::emulator {

struct CommandLine {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int admin_port = -1;                   // -1: no admin endpoint
  std::string admin_host = "127.0.0.1";  // not inherited from `host`
  std::string admin_token;
  std::size_t max_pending_body_mb = 256;
  std::vector<std::string> credentials;
  std::string credentials_file;
  std::vector<std::string> api_keys;
  bool no_auth = false;
  std::string region;
  int max_clock_skew_s = 300;
  std::vector<std::string> latency;                // [MODEL=]SPEC
  std::vector<std::string> per_token;              // [MODEL=]MS
  double stream_token_ms = kDefaultStreamTokenMs;  // between streamed events; 0: unpaced
  std::vector<std::string> faults;                 // [MODEL=]KIND=P | [MODEL=]KIND=next:N
  std::vector<std::string> rpm;                    // [MODEL=]N
  std::vector<std::string> tpm;                    // [MODEL=]N
  std::string fixtures_file;
  std::vector<std::string> models;  // ids served although Bedrock's table does not know them
  std::string config_file;
  std::uint64_t seed = 0;
  int threads = 0;
  std::size_t max_connections = 16384;
  int idle_timeout_s = 60;
  int stall_timeout_s = 600;
  int drain_timeout_ms = 5000;
  bool verbose = false;
};

// "MODEL=REST" -> {"MODEL", "REST"}; "REST" -> {"", "REST"}. `values_with_equals` says how
// many '=' the value part itself contains (1 for "KIND=P").
struct ModelScoped {
  std::string model;
  std::string value;
};
ModelScoped split_model_scope(std::string_view text, int values_with_equals = 0);

struct BuiltEmulator {
  std::unique_ptr<Emulator> emulator;
};

// Validates every flag and applies latency, faults and quotas. Errors: ConfigurationInvalid
// naming the flag, e.g. "--fault 'Throttling=2': probability must be in [0, 1]". Also
// rejects a configuration that would accept nothing (no --no-auth, no key, no API key).
Result<BuiltEmulator> build_emulator(const CommandLine& cl);

}  // namespace bedrock::emulator
