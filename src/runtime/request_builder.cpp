#include "request_builder.h"

#include "bedrock/core/percent_encoding.h"

namespace bedrock::runtime {

std::string encode_path_segment(std::string_view value) { return percent_encoded(value); }

std::string default_endpoint(std::string_view region) {
  const bool china = region.substr(0, 3) == "cn-";
  return "https://bedrock-runtime." + std::string(region) +
         (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

std::string operation_url(std::string_view endpoint, std::string_view model_id,
                          std::string_view operation) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  std::string url;
  url.reserve(endpoint.size() + model_id.size() * 2 + 24);
  url.append(endpoint);
  url.append("/model/");
  append_percent_encoded(url, model_id, /*keep_slash=*/false);
  url.push_back('/');
  url.append(operation);
  return url;
}

http::Request build_request(std::string url, std::string body, const BedrockHeaders& h,
                            std::string_view user_agent) {
  http::Request r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers.reserve(10);
  r.headers.emplace_back("Content-Type", "application/json");
  if (h.invoke_model) {
    r.headers.emplace_back("Accept", "application/json");
    if (!h.trace.empty()) r.headers.emplace_back("X-Amzn-Bedrock-Trace", h.trace);
    if (!h.guardrail_id.empty()) {
      r.headers.emplace_back("X-Amzn-Bedrock-GuardrailIdentifier", h.guardrail_id);
      r.headers.emplace_back("X-Amzn-Bedrock-GuardrailVersion", h.guardrail_version);
    }
    if (h.latency_optimized) {
      r.headers.emplace_back("X-Amzn-Bedrock-PerformanceConfig-Latency", "optimized");
    }
  }
  if (!user_agent.empty()) r.headers.emplace_back("User-Agent", std::string(user_agent));
  return r;
}

}  // namespace bedrock::runtime
