// What clients really sent: requests per model, operation and outcome, token totals, and how
// many requests were SDK retries (amz-sdk-request attempt > 1). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace bedrock::emulator {

class Counters {
 public:
  // `outcome` is "Success", an exception name, or "drop" / "truncate" / "stall".
  void record(std::string_view model, std::string_view operation, std::string_view outcome,
              int input_tokens, int output_tokens, bool retry);
  void reset();

  std::uint64_t total() const;
  std::uint64_t count(std::string_view model, std::string_view outcome) const;

  // {"total":N,"retries":R,"models":{"<id>":{"requests":n,"retries":r,"input_tokens":i,
  //  "output_tokens":o,"operations":{"invoke":n},"outcomes":{"Success":n,...}}}}
  std::string to_json() const;

 private:
  struct PerModel {
    std::uint64_t requests = 0;
    std::uint64_t retries = 0;
    std::uint64_t input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::map<std::string, std::uint64_t, std::less<>> operations;
    std::map<std::string, std::uint64_t, std::less<>> outcomes;
  };
  mutable std::mutex mu_;
  std::uint64_t total_ = 0;
  std::uint64_t retries_ = 0;
  std::map<std::string, PerModel, std::less<>> models_;
};

}  // namespace bedrock::emulator
