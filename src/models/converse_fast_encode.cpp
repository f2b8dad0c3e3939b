#include "converse_fast_encode.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bedrock/core/json_text.h"

namespace bedrock::models::detail {
namespace {

bool plain_message(const Message& m, bool cache) {
  return m.tool_uses.empty() && m.tool_results.empty() && m.reasoning.empty() && m.images.empty() &&
         m.documents.empty() && !(cache && m.cache_point);
}

// Doubles are rare in a body (temperature, top_p) and their exact spelling is nlohmann's
// shortest round-trip form ("1.0" for integral values), so nlohmann prints them.
void append_double(std::string& out, double value) { out += nlohmann::json(value).dump(); }

}  // namespace

bool converse_plain_shape(const Prompt& prompt, const InferenceParams& params,
                          const ConverseOptions& options, bool cache) {
  if (!options.empty() || prompt.output_schema || !prompt.tools.tools.empty() ||
      prompt.tools.choice != ToolChoice::Unset || params.top_k || params.reasoning_budget_tokens ||
      (cache && prompt.system_cache_point)) {
    return false;
  }
  return std::all_of(prompt.messages.begin(), prompt.messages.end(),
                     [cache](const Message& m) { return plain_message(m, cache); });
}

std::string encode_converse_plain(const Prompt& prompt, const InferenceParams& params) {
  std::size_t size = 96 + prompt.system.size() + prompt.messages.size() * 40;
  for (const Message& m : prompt.messages) size += m.text.size();
  for (const std::string& s : params.stop_sequences) size += s.size() + 3;
  std::string body;
  body.reserve(size + size / 16);  // room for a few escapes
  body += R"({"messages":[)";
  for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
    const Message& m = prompt.messages[i];
    if (i > 0) body += ',';
    body += m.role == Role::User ? R"({"role":"user","content":[{"text":)"
                                 : R"({"role":"assistant","content":[{"text":)";
    append_json_string(body, m.text);
    body += "}]}";
  }
  body += ']';
  if (!prompt.system.empty()) {
    body += R"(,"system":[{"text":)";
    append_json_string(body, prompt.system);
    body += "}]";
  }
  const bool config =
      params.max_tokens || params.temperature || params.top_p || !params.stop_sequences.empty();
  if (config) {
    body += R"(,"inferenceConfig":{)";
    bool first = true;
    const auto key = [&](std::string_view name) {
      if (!first) body += ',';
      first = false;
      body += '"';
      body += name;
      body += "\":";
    };
    if (params.max_tokens) {
      key("maxTokens");
      append_json_number(body, *params.max_tokens);
    }
    if (params.temperature) {
      key("temperature");
      append_double(body, *params.temperature);
    }
    if (params.top_p) {
      key("topP");
      append_double(body, *params.top_p);
    }
    if (!params.stop_sequences.empty()) {
      key("stopSequences");
      body += '[';
      for (std::size_t i = 0; i < params.stop_sequences.size(); ++i) {
        if (i > 0) body += ',';
        append_json_string(body, params.stop_sequences[i]);
      }
      body += ']';
    }
    body += '}';
  }
  body += '}';
  return body;
}

}  // namespace bedrock::models::detail
