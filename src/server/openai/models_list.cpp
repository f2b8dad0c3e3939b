#include "models_list.h"

#include "bedrock/core/json_text.h"

namespace bedrock::server::openai {

std::string_view model_provider(std::string_view id) {
  // An ARN's resource ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-...").
  if (const auto slash = id.rfind('/'); slash != std::string_view::npos) id = id.substr(slash + 1);
  const auto dot = id.find('.');
  if (dot == std::string_view::npos) return {};
  std::string_view first = id.substr(0, dot);
  // Geography prefixes of inference profiles come before the provider.
  for (std::string_view geo : {"us", "eu", "apac", "global", "us-gov", "ca", "jp", "au"}) {
    if (first == geo) {
      const std::string_view rest = id.substr(dot + 1);
      const auto next = rest.find('.');
      return next == std::string_view::npos ? std::string_view() : rest.substr(0, next);
    }
  }
  return first;
}

std::string models_list_json(const std::vector<std::string>& names,
                             const std::vector<std::string>& resolved, std::int64_t created) {
  std::string out = R"({"object":"list","data":[)";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ",";
    out += R"({"id":)";
    append_json_string(out, names[i]);
    out += R"(,"object":"model","created":)";
    out += std::to_string(created);
    out += R"(,"owned_by":)";
    std::string_view owner = model_provider(i < resolved.size() ? resolved[i] : names[i]);
    append_json_string(out, owner.empty() ? "bedrock" : owner);
    out += "}";
  }
  out += "]}";
  return out;
}

}  // namespace bedrock::server::openai
