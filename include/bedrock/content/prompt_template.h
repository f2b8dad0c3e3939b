// Prompt templates with {{placeholder}} slots. Parsing checks every placeholder against the
// set the task provides, so a typo in a user's config file fails at load time, not as a
// strange prompt at run time.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::content {

using TemplateValues = std::map<std::string, std::string, std::less<>>;

// Immutable after parse; thread-safe to render concurrently.
class PromptTemplate {
 public:
  PromptTemplate() = default;

  // `origin` names where the text came from ("config.toml: summarize.templates.user") and is
  // quoted in errors. Errors: ConfigurationInvalid for an unknown placeholder (the message lists
  // the allowed ones), an unclosed "{{", or an empty placeholder name. Whitespace inside the
  // braces is ignored: {{ text }} == {{text}}.
  static Result<PromptTemplate> parse(std::string text, std::vector<std::string> allowed,
                                      std::string origin);

  // Substitutes every placeholder; one without a value renders as the empty string.
  std::string render(const TemplateValues& values) const;

  const std::string& source() const { return source_; }
  const std::vector<std::string>& placeholders() const { return used_; }
  bool empty() const { return source_.empty(); }

 private:
  struct Segment {
    bool placeholder = false;
    std::string text;  // literal text, or the placeholder name
  };
  std::string source_;
  std::vector<Segment> segments_;
  std::vector<std::string> used_;
};

}  // namespace bedrock::content
