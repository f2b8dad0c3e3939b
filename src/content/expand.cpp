#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bedrock/content/generator_steps.h"
#include "bedrock/core/ascii.h"

namespace bedrock::content {
namespace {

// Removes a leading list marker: "-", "*", "+", "•", "1.", "1)".
std::string_view strip_marker(std::string_view line) {
  if (line.rfind("\xE2\x80\xA2", 0) == 0) return trim_ascii(line.substr(3));  // •
  if (!line.empty() && (line[0] == '-' || line[0] == '*' || line[0] == '+')) {
    return trim_ascii(line.substr(1));
  }
  std::size_t d = 0;
  while (d < line.size() && d < 4 && line[d] >= '0' && line[d] <= '9') ++d;
  if (d > 0 && d < line.size() && (line[d] == '.' || line[d] == ')'))
    return trim_ascii(line.substr(d + 1));
  return line;
}

}  // namespace

ExpandInput ExpandInput::from_text(std::string_view text) {
  ExpandInput in;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    const std::string_view line = trim_ascii(raw);
    if (line.empty()) continue;
    const bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    const std::string_view item = strip_marker(line);
    if (indented && item == line && !in.bullets.empty()) {
      in.bullets.back() += " ";
      in.bullets.back() += line;
    } else if (!item.empty()) {
      in.bullets.emplace_back(item);
    }
  }
  return in;
}

std::string Expanded::text() const { return fmt::format("{}", fmt::join(paragraphs, "\n\n")); }

Result<TaskCall> expand_call(const ExpandInput& input) {
  if (input.bullets.empty()) return fail(ErrorCode::Validation, "no bullet points to expand");
  if (input.bullets.size() > 100) {
    return fail(ErrorCode::Validation,
                fmt::format("{} bullet points; at most 100 per call", input.bullets.size()));
  }
  std::string bullets;
  for (const auto& b : input.bullets) bullets += "- " + b + "\n";
  TaskCall call{Task::Expand, "user", {}, false};
  call.values["bullets"] = bullets;
  call.values["count"] = std::to_string(input.bullets.size());
  call.attachments = input.attachments;
  return call;
}

Expanded finish_expand(const ExpandInput& input, CallOutput out) {
  Expanded e;
  // Paragraphs are separated by blank lines; single newlines stay inside a paragraph.
  std::string current;
  std::size_t pos = 0;
  const std::string& t = out.text;
  while (pos <= t.size()) {
    std::size_t nl = t.find('\n', pos);
    if (nl == std::string::npos) nl = t.size();
    const std::string_view line = trim_ascii(std::string_view(t).substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) {
      if (!current.empty()) e.paragraphs.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty()) current += ' ';
    current += line;
  }
  if (!current.empty()) e.paragraphs.push_back(std::move(current));
  e.one_per_bullet = e.paragraphs.size() == input.bullets.size();
  e.record = std::move(out.record);
  return e;
}

Result<Expanded> expand(const GenerationContext& ctx, const ExpandInput& input) {
  auto call = expand_call(input);
  if (!call) return fail(call.error());
  auto out = call_task(ctx, *call);
  if (!out) return fail(out.error());
  return finish_expand(input, std::move(*out));
}

}  // namespace bedrock::content
