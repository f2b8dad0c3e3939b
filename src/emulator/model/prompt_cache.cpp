#include "prompt_cache.h"

#include <fmt/format.h>

#include <vector>

#include "capabilities.h"
#include "prefix_digest.h"

namespace bedrock::emulator::model::detail {
namespace {

enum class Section { Tools, System, Messages };

struct Point {
  Section section;
  std::size_t index;  // into the section's list
  std::size_t block;  // into the message's content (messages only)
  const Json* value;  // the cachePoint member
};

bool is_cache_point(const Json& block) { return block.is_object() && block.contains("cachePoint"); }

// Cache points in prompt order: tools, then system, then each message's content.
std::vector<Point> find_points(const Json& doc) {
  std::vector<Point> points;
  if (auto config = doc.find("toolConfig"); config != doc.end() && config->is_object()) {
    if (auto tools = config->find("tools"); tools != config->end() && tools->is_array()) {
      for (std::size_t i = 0; i < tools->size(); ++i) {
        if (is_cache_point((*tools)[i])) {
          points.push_back({Section::Tools, i, 0, &(*tools)[i]["cachePoint"]});
        }
      }
    }
  }
  if (auto system = doc.find("system"); system != doc.end() && system->is_array()) {
    for (std::size_t i = 0; i < system->size(); ++i) {
      if (is_cache_point((*system)[i])) {
        points.push_back({Section::System, i, 0, &(*system)[i]["cachePoint"]});
      }
    }
  }
  if (auto messages = doc.find("messages"); messages != doc.end() && messages->is_array()) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json& m = (*messages)[i];
      if (!m.is_object() || !m.contains("content") || !m["content"].is_array()) continue;
      for (std::size_t j = 0; j < m["content"].size(); ++j) {
        if (is_cache_point(m["content"][j])) {
          points.push_back({Section::Messages, i, j, &m["content"][j]["cachePoint"]});
        }
      }
    }
  }
  return points;
}

std::string coral_path(const Point& p) {
  switch (p.section) {
    case Section::Tools:
      return fmt::format("toolConfig.tools.{}.member.cachePoint", p.index + 1);
    case Section::System:
      return fmt::format("system.{}.member.cachePoint", p.index + 1);
    case Section::Messages:
      break;
  }
  return fmt::format("messages.{}.member.content.{}.member.cachePoint", p.index + 1, p.block + 1);
}

std::string pointer(const Point& p) {
  switch (p.section) {
    case Section::Tools:
      return fmt::format("#/toolConfig/tools/{}", p.index);
    case Section::System:
      return fmt::format("#/system/{}", p.index);
    case Section::Messages:
      break;
  }
  return fmt::format("#/messages/{}/content/{}", p.index, p.block);
}

Error coral_error(const std::string& value, const std::string& path, std::string_view rule) {
  return validation_error(fmt::format(
      "1 validation error detected: Value {} at '{}' failed to satisfy constraint: Member must {}",
      value, path, rule));
}

// The service model's CachePointBlock: type (required, enum [default]), ttl (enum [5m, 1h]).
std::optional<Error> shape_error(const Point& p) {
  const Json& v = *p.value;
  const std::string path = coral_path(p);
  if (!v.is_object()) {
    return coral_error(fmt::format("'{}'", shown(v)), path, "be of type structure");
  }
  auto type = v.find("type");
  if (type == v.end() || type->is_null()) return coral_error("null", path + ".type", "not be null");
  if (!type->is_string() || *type != "default") {
    return coral_error(fmt::format("'{}'", shown(*type)), path + ".type",
                       "satisfy enum value set: [default]");
  }
  if (auto ttl = v.find("ttl"); ttl != v.end() && !ttl->is_null()) {
    if (!ttl->is_string() || (*ttl != "5m" && *ttl != "1h")) {
      return coral_error(fmt::format("'{}'", shown(*ttl)), path + ".ttl",
                         "satisfy enum value set: [5m, 1h]");
    }
  }
  return std::nullopt;
}

// The text a block adds to its turn, as the Converse parser reads it (text, or a tool
// result's text parts).
std::string block_text(const Json& block) {
  if (!block.is_object()) return {};
  if (auto text = block.find("text"); text != block.end() && text->is_string()) {
    return text->get<std::string>();
  }
  std::string out;
  if (auto result = block.find("toolResult"); result != block.end() && result->is_object()) {
    if (auto content = result->find("content"); content != result->end() && content->is_array()) {
      for (const auto& part : *content) {
        if (part.is_object() && part.contains("text") && part["text"].is_string()) {
          out += part["text"].get<std::string>();
        }
      }
    }
  }
  return out;
}

CachePrefix prefix_at(const PrefixDigest& digest, int tokens, const Json& point,
                      const EmulatedRequest& request) {
  CachePrefix prefix;
  prefix.digest = digest.snapshot();
  prefix.tokens = std::min(tokens, request.input_tokens);
  prefix.one_hour = point.is_object() && point.value("ttl", "") == "1h";
  prefix.ttl_seconds = prefix.one_hour ? 3600 : 300;
  return prefix;
}

void digest_prefixes(const ModelInfo& model, const Json& doc, EmulatedRequest& request) {
  PrefixDigest digest;
  digest.add("model", model.id);
  if (auto config = doc.find("toolConfig"); config != doc.end() && config->is_object()) {
    if (auto tools = config->find("tools"); tools != config->end() && tools->is_array()) {
      for (const auto& tool : *tools) {
        if (is_cache_point(tool)) {
          request.cache_prefixes.push_back(prefix_at(digest, 0, tool["cachePoint"], request));
        } else {
          digest.add_json("tool", tool);
        }
      }
    }
  }
  std::string system_text;
  int tokens = 0;
  if (auto system = doc.find("system"); system != doc.end() && system->is_array()) {
    for (const auto& block : *system) {
      if (is_cache_point(block)) {
        request.cache_prefixes.push_back(
            prefix_at(digest, estimate_tokens(system_text), block["cachePoint"], request));
        continue;
      }
      digest.add_json("system", block);
      const std::string text = block_text(block);
      if (text.empty()) continue;
      if (!system_text.empty()) system_text += "\n";
      system_text += text;
    }
  }
  tokens = estimate_tokens(system_text);
  const Json& messages = doc["messages"];
  for (std::size_t i = 0; i < messages.size() && i < request.turns.size(); ++i) {
    const Json& m = messages[i];
    digest.add_json("role", m["role"]);
    std::string turn_text;
    for (const auto& block : m["content"]) {
      if (is_cache_point(block)) {
        request.cache_prefixes.push_back(
            prefix_at(digest, tokens + estimate_tokens(turn_text), block["cachePoint"], request));
        continue;
      }
      digest.add_json("block", block);
      const std::string text = block_text(block);
      if (text.empty()) continue;
      if (!turn_text.empty()) turn_text += "\n";
      turn_text += text;
    }
    tokens += estimate_tokens(request.turns[i].text);
  }
}

}  // namespace

std::optional<Error> check_cache_points(const ModelInfo& model, const Json& doc,
                                        EmulatedRequest& request) {
  const std::vector<Point> points = find_points(doc);
  if (points.empty()) return std::nullopt;
  for (const Point& p : points) {
    if (auto error = shape_error(p)) return error;
  }
  if (!supports(model, Capability::PromptCache)) {
    // Confirmed: this wording for a message's cache point (a public report of Nova Pro on
    // Bedrock, "#/messages/6/content/0"). Best guess: that messages are named before system
    // and tools (the same report had both a system and a message cache point), and the
    // "#/system/N" and "#/toolConfig/tools/N" pointers.
    const Point* first = &points.front();
    for (const Point& p : points) {
      if (p.section == Section::Messages) {
        first = &p;
        break;
      }
      if (p.section == Section::System && first->section == Section::Tools) first = &p;
    }
    return validation_error(
        fmt::format("Malformed input request: {}: extraneous key [cachePoint] is not permitted, "
                    "please reformat your input and try again.",
                    pointer(*first)));
  }
  if (points.size() > static_cast<std::size_t>(kMaxCachePoints)) {
    // Best guess: Anthropic's own wording for too many cache_control blocks, as Bedrock relays
    // the model's errors; the limit itself is Bedrock's documented four checkpoints.
    return validation_error(
        fmt::format("A maximum of {} blocks with cache_control may be provided. Found {}.",
                    kMaxCachePoints, points.size()));
  }
  digest_prefixes(model, doc, request);
  return std::nullopt;
}

}  // namespace bedrock::emulator::model::detail
