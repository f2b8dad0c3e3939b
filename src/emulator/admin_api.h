// The admin endpoint (its own port): change latency, faults and quotas at run time, read the
// counters, reset. JSON in, JSON out; documented in the README and `--help`.
//
//   GET  /admin/health                      {"status":"ok"}
//   GET  /admin/counters                    Counters::to_json()
//   GET  /admin/config                      Behavior::describe_json()
//   POST /admin/reset                       counters zeroed, scheduled faults dropped, quota
//                                           buckets refilled
//   POST /admin/faults   {"model"?: id, "clear"?: bool,
//                         "faults"?: {"ThrottlingException": 0.5, "drop": 0.1,
//                                     "stream:throttlingException@3": 0.1},
//                         "next"?: {"kind": "stream:stall@2/1500", "count": 3} | [..]}
//   POST /admin/latency  {"model"?: id, "latency_ms": 250 | "100-400" | "200:900",
//                         "per_token_ms"?: 2.5, "stream_token_ms"?: 15 (global only)}
//   POST /admin/quotas   {"model"?: id, "rpm"?: N, "tpm"?: N}       (0 removes a quota)
// "model" absent or "*" = the global setting.
#pragma once

#include <string_view>

#include "bedrock/core/result.h"
#include "behavior.h"
#include "counters.h"
#include "service.h"

namespace bedrock::emulator {

class AdminApi {
 public:
  AdminApi(Behavior& behavior, Counters& counters) : behavior_(behavior), counters_(counters) {}
  Reply handle(const HttpRequest& request) const;

 private:
  Behavior& behavior_;
  Counters& counters_;
};

// Applies a config file: {"faults": <body or [bodies]>, "latency": ..., "quotas": ...} with
// the same bodies as the admin endpoints. Errors: ConfigurationInvalid.
Status apply_config_json(Behavior& behavior, std::string_view json_text);

}  // namespace bedrock::emulator
