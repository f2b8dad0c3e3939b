#include "converse_fast_decode.h"

#include <simdjson.h>

#include <cstdint>
#include <limits>

#include "bedrock/models/stream.h"
#include "stream_support.h"

namespace bedrock::models::detail {
namespace {

using simdjson::SUCCESS;

// A token count as the full reader's optional_count() takes it: a non-negative integer that
// fits an int; anything else is not a count.
std::optional<int> count_of(simdjson::dom::element value) {
  int64_t n = 0;
  if (value.get_int64().get(n) != SUCCESS) return std::nullopt;
  if (n < 0 || n > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(n);
}

// The message's text blocks, in order; false for any other kind of block or field.
bool read_message(simdjson::dom::element message, Completion& out) {
  simdjson::dom::object fields;
  if (message.get_object().get(fields) != SUCCESS) return false;
  simdjson::dom::array content;
  int content_seen = 0;
  for (auto field : fields) {
    if (field.key == "content") {
      if (field.value.get_array().get(content) != SUCCESS) return false;
      ++content_seen;
    } else if (field.key != "role") {
      return false;
    }
  }
  if (content_seen != 1) return false;  // absent (the full reader's error) or duplicated
  for (simdjson::dom::element block : content) {
    simdjson::dom::object one;
    if (block.get_object().get(one) != SUCCESS || one.size() != 1) return false;
    auto only = *one.begin();
    std::string_view text;
    if (only.key != "text" || only.value.get_string().get(text) != SUCCESS) return false;
    out.text += text;
  }
  return true;
}

bool read_usage(simdjson::dom::element usage, Completion& out) {
  simdjson::dom::object counts;
  if (usage.get_object().get(counts) != SUCCESS) return false;
  UsageUpdate update;
  for (auto field : counts) {
    // Each key once: with duplicates the full reader's last-wins is the answer.
    std::optional<int>* slot = nullptr;
    if (field.key == "inputTokens") {
      slot = &update.input_tokens;
    } else if (field.key == "outputTokens") {
      slot = &update.output_tokens;
    } else if (field.key == "cacheReadInputTokens") {
      slot = &update.cache_read_input_tokens;
    } else if (field.key == "cacheWriteInputTokens") {
      slot = &update.cache_write_input_tokens;
    } else if (field.key != "totalTokens") {
      return false;  // cacheDetails, the *Count spellings, anything new
    }
    if (slot == nullptr) continue;
    if (slot->has_value()) return false;
    *slot = count_of(field.value);
    if (!slot->has_value()) return false;  // not a count: let the full reader decide
  }
  out.usage = token_usage(update);
  return true;
}

}  // namespace

std::optional<Completion> decode_converse_fast(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get_object().get(root) != SUCCESS) {
    return std::nullopt;
  }
  Completion out;
  bool has_output = false;
  bool has_stop = false;
  bool has_usage = false;
  for (auto field : root) {
    if (field.key == "output") {
      simdjson::dom::object output;
      if (has_output || field.value.get_object().get(output) != SUCCESS || output.size() != 1) {
        return std::nullopt;
      }
      auto message = *output.begin();
      if (message.key != "message" || !read_message(message.value, out)) return std::nullopt;
      has_output = true;
    } else if (field.key == "stopReason") {
      std::string_view stop;
      if (has_stop || field.value.get_string().get(stop) != SUCCESS) return std::nullopt;
      out.raw_stop_reason = stop;
      has_stop = true;
    } else if (field.key == "usage") {
      if (has_usage || !read_usage(field.value, out)) return std::nullopt;
      has_usage = true;
    } else if (field.key != "metrics") {
      return std::nullopt;  // trace, additionalModelResponseFields, performanceConfig, ...
    }
  }
  if (!has_output) return std::nullopt;
  out.stop_reason = converse_stop(out.raw_stop_reason);
  return out;
}

}  // namespace bedrock::models::detail
