// Pure construction of Bedrock Runtime HTTP requests (docs/wire-protocol.md §1.2-§1.4): the URL
// with the model id as one percent-encoded path segment, and the optional Bedrock headers. Signing
// and the SDK retry headers are added per attempt by the call loop.
#pragma once

#include <string>
#include <string_view>

#include "bedrock/http/transport.h"

namespace bedrock::runtime {

// RFC 3986 encoding where only A-Z a-z 0-9 - . _ ~ stay literal, upper-case hex, as botocore
// renders a non-greedy URI label: ':' -> %3A, and an ARN's '/' -> %2F so it stays one segment.
std::string encode_path_segment(std::string_view value);

// "https://bedrock-runtime.us-east-1.amazonaws.com" (aws partition; cn-* regions use
// amazonaws.com.cn), as the endpoint rules resolve it without FIPS or dual-stack.
std::string default_endpoint(std::string_view region);

// endpoint + "/model/" + encode_path_segment(model_id) + "/" + operation. A trailing '/' on
// the endpoint is tolerated.
std::string operation_url(std::string_view endpoint, std::string_view model_id,
                          std::string_view operation);

struct BedrockHeaders {
  std::string guardrail_id;
  std::string guardrail_version;
  std::string trace;  // ENABLED | DISABLED | ENABLED_FULL
  bool latency_optimized = false;
  bool invoke_model = true;  // InvokeModel carries Accept and the X-Amzn-Bedrock-* headers
};

// POST with Content-Type: application/json (and Accept for InvokeModel), plus the optional
// headers for InvokeModel (Converse carries them in the body instead).
http::Request build_request(std::string url, std::string body, const BedrockHeaders& headers,
                            std::string_view user_agent);

}  // namespace bedrock::runtime
