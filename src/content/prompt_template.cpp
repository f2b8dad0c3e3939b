#include "bedrock/content/prompt_template.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "bedrock/core/ascii.h"

namespace bedrock::content {

Result<PromptTemplate> PromptTemplate::parse(std::string text, std::vector<std::string> allowed,
                                             std::string origin) {
  PromptTemplate t;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string::npos) {
      t.segments_.push_back({false, text.substr(pos)});
      break;
    }
    if (open > pos) t.segments_.push_back({false, text.substr(pos, open - pos)});
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{}: unclosed '{{{{' at character {}", origin, open));
    }
    const std::string name(
        trim_ascii(std::string_view(text).substr(open + 2, close - open - 2), " \t"));
    if (name.empty()) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("{}: empty placeholder at character {}", origin, open));
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return fail(
          ErrorCode::ConfigurationInvalid,
          fmt::format("{}: unknown placeholder {{{{{}}}}}; this template may use: {}", origin, name,
                      allowed.empty() ? std::string("(none)")
                                      : fmt::format("{}", fmt::join(allowed, ", "))));
    }
    if (std::find(t.used_.begin(), t.used_.end(), name) == t.used_.end()) t.used_.push_back(name);
    t.segments_.push_back({true, name});
    pos = close + 2;
  }
  t.source_ = std::move(text);
  return t;
}

std::string PromptTemplate::render(const TemplateValues& values) const {
  std::string out;
  out.reserve(source_.size() + 256);
  for (const auto& seg : segments_) {
    if (!seg.placeholder) {
      out += seg.text;
      continue;
    }
    auto it = values.find(seg.text);
    if (it != values.end()) out += it->second;
  }
  return out;
}

}  // namespace bedrock::content
