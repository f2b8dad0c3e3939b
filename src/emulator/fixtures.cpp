#include "fixtures.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error_catalog.h"
#include "linear_regex.h"

namespace bedrock::emulator {
namespace {

bool model_matches(std::string_view pattern, std::string_view id) {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return id.substr(0, pattern.size()) == pattern;
  }
  return pattern == id;
}

Result<FixtureRule> parse_rule(const nlohmann::json& j, std::size_t index) {
  auto bad = [index](std::string_view what) {
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("fixture #{}: {}", index, what));
  };
  if (!j.is_object()) return bad("must be an object");
  FixtureRule rule;
  auto get_string = [&j](const char* key, std::string& out) -> bool {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!get_string("model", rule.model) || !get_string("contains", rule.contains) ||
      !get_string("regex", rule.regex_text) || !get_string("response", rule.response)) {
    return bad("model, contains, regex and response must be strings");
  }
  if (!rule.regex_text.empty()) {
    auto compiled = LinearRegex::compile(rule.regex_text);
    if (!compiled) {
      return bad(fmt::format("bad regex '{}': {}", rule.regex_text, compiled.error().message));
    }
    rule.regex = std::make_shared<const LinearRegex>(std::move(*compiled));
  }
  if (auto it = j.find("tool"); it != j.end()) {
    const nlohmann::json* name = &*it;
    if (it->is_object()) {
      const auto n = it->find("name");
      name = n == it->end() ? nullptr : &*n;
      if (const auto input = it->find("input"); input != it->end()) {
        if (!input->is_object()) return bad("tool.input must be an object");
        rule.tool_input = input->dump();
      }
    }
    if (name == nullptr || !name->is_string() || name->get_ref<const std::string&>().empty()) {
      return bad("tool must be a tool name or {\"name\": \"...\", \"input\": {...}}");
    }
    rule.tool_name = name->get<std::string>();
  }
  if (auto it = j.find("error"); it != j.end()) {
    if (!it->is_object() || !it->contains("type") || !(*it)["type"].is_string()) {
      return bad("error must be {\"type\": \"<ExceptionName>\", \"message\": \"...\"}");
    }
    rule.error_type = (*it)["type"].get<std::string>();
    if (status_of_error(rule.error_type) == 0) {
      return bad(fmt::format("unknown error type '{}'", rule.error_type));
    }
    const auto message = it->find("message");
    if (message != it->end() && !message->is_string()) return bad("error.message must be a string");
    rule.error_message = message != it->end() ? message->get<std::string>()
                                              : std::string(default_message(rule.error_type));
  } else if (!j.contains("response") && rule.tool_name.empty()) {
    return bad("needs \"response\", \"tool\" or \"error\"");
  }
  return rule;
}

}  // namespace

Fixtures::Fixtures(std::vector<FixtureRule> rules) : rules_(std::move(rules)) {
  for (const auto& rule : rules_) {
    if (!rule.model.empty() && rule.model.back() != '*') models_.insert(rule.model);
  }
}

Result<Fixtures> Fixtures::parse(std::string_view json_text) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail(ErrorCode::ConfigurationInvalid, "fixtures: invalid JSON");
  const nlohmann::json* list = &doc;
  const nlohmann::json* models = nullptr;
  if (doc.is_object()) {
    if (auto it = doc.find("models"); it != doc.end()) models = &*it;
    auto it = doc.find("fixtures");
    if (it == doc.end()) {
      return fail(ErrorCode::ConfigurationInvalid, "fixtures: expected {\"fixtures\": [...]}");
    }
    list = &*it;
  }
  if (!list->is_array()) return fail(ErrorCode::ConfigurationInvalid, "fixtures: not an array");
  std::vector<FixtureRule> rules;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto rule = parse_rule((*list)[i], i);
    if (!rule) return fail(rule.error());
    rules.push_back(std::move(*rule));
  }
  Fixtures fixtures(std::move(rules));
  if (models != nullptr) {
    if (!models->is_array()) {
      return fail(ErrorCode::ConfigurationInvalid, "fixtures: \"models\" must be an array of ids");
    }
    for (const auto& id : *models) {
      if (!id.is_string() || id.get_ref<const std::string&>().empty()) {
        return fail(ErrorCode::ConfigurationInvalid,
                    "fixtures: \"models\" must be an array of non-empty ids");
      }
      fixtures.add_model(id.get<std::string>());
    }
  }
  return fixtures;
}

Result<Fixtures> Fixtures::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("fixtures: cannot read {}", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str());
  if (!parsed) {
    Error e = parsed.error();
    e.message = fmt::format("{} ({})", e.message, path);
    return fail(std::move(e));
  }
  return parsed;
}

const FixtureRule* Fixtures::match(std::string_view requested_id, std::string_view base_id,
                                   std::string_view prompt) const {
  for (const auto& rule : rules_) {
    if (!rule.model.empty() && !model_matches(rule.model, requested_id) &&
        !model_matches(rule.model, base_id)) {
      continue;
    }
    if (!rule.contains.empty() && prompt.find(rule.contains) == std::string_view::npos) continue;
    if (rule.regex && !rule.regex->search(prompt)) continue;
    return &rule;
  }
  return nullptr;
}

}  // namespace bedrock::emulator
