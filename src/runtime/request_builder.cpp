#include "request_builder.h"

namespace bedrock::runtime {

std::string encode_path_segment(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() + 16);
  for (unsigned char c : value) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

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
  url.append(encode_path_segment(model_id));
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
