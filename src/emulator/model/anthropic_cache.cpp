#include "anthropic_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capabilities.h"
#include "prefix_digest.h"
#include "prompt_cache.h"

namespace bedrock::emulator::model::detail {
namespace {

enum class Section { Tools, System, Messages };

struct Mark {
  Section section;
  std::size_t index;    // into the section's list
  std::size_t block;    // into the message's content (messages only)
  const Json* control;  // the cache_control member
};

bool marked(const Json& block) { return block.is_object() && block.contains("cache_control"); }

const Json* array_member(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? &*it : nullptr;
}

std::vector<Mark> find_marks(const Json& body) {
  std::vector<Mark> marks;
  if (const Json* tools = array_member(body, "tools")) {
    for (std::size_t i = 0; i < tools->size(); ++i) {
      if (marked((*tools)[i]))
        marks.push_back({Section::Tools, i, 0, &(*tools)[i]["cache_control"]});
    }
  }
  if (const Json* system = array_member(body, "system")) {
    for (std::size_t i = 0; i < system->size(); ++i) {
      if (marked((*system)[i])) {
        marks.push_back({Section::System, i, 0, &(*system)[i]["cache_control"]});
      }
    }
  }
  if (const Json* messages = array_member(body, "messages")) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const Json* content = array_member((*messages)[i], "content");
      if (content == nullptr) continue;
      for (std::size_t j = 0; j < content->size(); ++j) {
        if (marked((*content)[j])) {
          marks.push_back({Section::Messages, i, j, &(*content)[j]["cache_control"]});
        }
      }
    }
  }
  return marks;
}

// "#/messages/0/content/1", the schema validator's pointer to the marked block.
std::string pointer(const Mark& m) {
  switch (m.section) {
    case Section::Tools:
      return fmt::format("#/tools/{}", m.index);
    case Section::System:
      return fmt::format("#/system/{}", m.index);
    case Section::Messages:
      break;
  }
  return fmt::format("#/messages/{}/content/{}", m.index, m.block);
}

// "messages.0.content.1", Anthropic's own path spelling.
std::string dotted(const Mark& m) {
  switch (m.section) {
    case Section::Tools:
      return fmt::format("tools.{}", m.index);
    case Section::System:
      return fmt::format("system.{}", m.index);
    case Section::Messages:
      break;
  }
  return fmt::format("messages.{}.content.{}", m.index, m.block);
}

bool one_hour(const Json& control) {
  auto ttl = control.find("ttl");
  return ttl != control.end() && ttl->is_string() && *ttl == "1h";
}

std::optional<Error> shape_error(const std::vector<Mark>& marks) {
  SchemaCheck check;
  for (const Mark& m : marks) {
    const std::string path = child(pointer(m), "cache_control");
    if (!check.object(*m.control, path, {"type"}, {"ttl"})) continue;
    check.enumeration(*m.control, path, "type", {"ephemeral"});
    check.enumeration(*m.control, path, "ttl", {"5m", "1h"});
  }
  if (check.ok()) return std::nullopt;
  return check.error();
}

std::optional<Error> order_error(const std::vector<Mark>& marks) {
  bool short_seen = false;
  for (const Mark& m : marks) {
    if (!one_hour(*m.control)) {
      short_seen = true;
    } else if (short_seen) {
      return validation_error(fmt::format(
          "{}.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' "
          "cache_control block. Note that blocks are processed in the following order: `tools`, "
          "`system`, `messages`.",
          dotted(m)));
    }
  }
  return std::nullopt;
}

// The text a block adds to its turn, as parse_anthropic_messages reads it: a text block's text,
// a tool_result's content (a string or text blocks).
std::string block_text(const Json& block) {
  if (!block.is_object()) return {};
  auto type = block.find("type");
  if (type == block.end() || !type->is_string()) return {};
  if (*type == "text") {
    auto text = block.find("text");
    return text != block.end() && text->is_string() ? text->get<std::string>() : std::string();
  }
  if (*type != "tool_result") return {};
  auto content = block.find("content");
  if (content == block.end()) return {};
  if (content->is_string()) return content->get<std::string>();
  std::string out;
  if (!content->is_array()) return out;
  for (const Json& part : *content) {
    if (!part.is_object() || part.value("type", "") != "text") continue;
    auto text = part.find("text");
    if (text == part.end() || !text->is_string() || text->get_ref<const std::string&>().empty()) {
      continue;
    }
    if (!out.empty()) out += "\n";
    out += text->get<std::string>();
  }
  return out;
}

// A block as it keys the prefix: without its cache_control; a bare string as a text block.
Json keyed(const Json& block) {
  if (block.is_string()) return Json{{"type", "text"}, {"text", block}};
  Json copy = block;
  if (copy.is_object()) copy.erase("cache_control");
  return copy;
}

void add_text(std::string& into, const std::string& text) {
  if (text.empty()) return;
  if (!into.empty()) into += "\n";
  into += text;
}

CachePrefix prefix_at(const PrefixDigest& digest, int tokens, const Json& control,
                      const EmulatedRequest& request) {
  CachePrefix prefix;
  prefix.digest = digest.snapshot();
  prefix.tokens = std::min(tokens, request.input_tokens);
  prefix.one_hour = one_hour(control);
  prefix.ttl_seconds = prefix.one_hour ? 3600 : 300;
  return prefix;
}

void digest_prefixes(const ModelInfo& model, const Json& body, EmulatedRequest& request) {
  PrefixDigest digest;
  digest.add("model", model.id);
  if (const Json* tools = array_member(body, "tools")) {
    for (const Json& tool : *tools) {
      digest.add_json("tool", keyed(tool));
      if (marked(tool))
        request.cache_prefixes.push_back(prefix_at(digest, 0, tool["cache_control"], request));
    }
  }
  if (auto system = body.find("system"); system != body.end()) {
    const Json blocks = system->is_array() ? *system : Json::array({*system});
    std::string system_text;
    for (const Json& block : blocks) {
      digest.add_json("system", keyed(block));
      add_text(system_text, block.is_string() ? block.get<std::string>() : block_text(block));
      if (marked(block)) {
        request.cache_prefixes.push_back(
            prefix_at(digest, estimate_tokens(system_text), block["cache_control"], request));
      }
    }
  }
  int tokens = estimate_tokens(request.system_text);
  const Json& messages = body["messages"];
  for (std::size_t i = 0; i < messages.size() && i < request.turns.size(); ++i) {
    const Json& m = messages[i];
    digest.add_json("role", m["role"]);
    const Json& content = m["content"];
    const Json blocks = content.is_array() ? content : Json::array({content});
    std::string turn_text;
    for (const Json& block : blocks) {
      digest.add_json("block", keyed(block));
      add_text(turn_text, block.is_string() ? block.get<std::string>() : block_text(block));
      if (marked(block)) {
        request.cache_prefixes.push_back(prefix_at(digest, tokens + estimate_tokens(turn_text),
                                                   block["cache_control"], request));
      }
    }
    tokens += estimate_tokens(request.turns[i].text);
  }
}

}  // namespace

std::optional<Error> check_cache_control(const ModelInfo& model, const Json& body,
                                         EmulatedRequest& request) {
  const std::vector<Mark> marks = find_marks(body);
  if (marks.empty()) return std::nullopt;
  if (auto error = shape_error(marks)) return error;
  if (!supports(model, Capability::PromptCache)) {
    return validation_error(
        fmt::format("Malformed input request: {}: extraneous key [cache_control] is not "
                    "permitted, please reformat your input and try again.",
                    pointer(marks.front())));
  }
  if (marks.size() > static_cast<std::size_t>(kMaxCachePoints)) {
    // Confirmed as a ValidationException from Bedrock's Claude path in public reports.
    return validation_error(
        fmt::format("A maximum of {} blocks with cache_control may be provided. Found {}.",
                    kMaxCachePoints, marks.size()));
  }
  if (auto error = order_error(marks)) return error;
  digest_prefixes(model, body, request);
  return std::nullopt;
}

}  // namespace bedrock::emulator::model::detail
