#include "bedrock/config/profile_file.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "bedrock/core/ascii.h"
#include "bedrock/core/log.h"

// The grammar mirrors Python's configparser.RawConfigParser with botocore's settings, because
// that is what the AWS CLI reads (botocore configloader.raw_config_parse / build_profile_map):
//   - '#' or ';' as the first non-blank character makes a comment line;
//   - "[header]" starts a section; the header is everything between '[' and the last ']';
//   - "key = value" or "key : value" (first delimiter wins); keys are lower-cased
//     (configparser's optionxform), values trimmed;
//   - a line indented deeper than its option line continues that option's value; a value
//     that starts with a newline is a nested sub-section ("s3 =\n  key = value") whose keys
//     keep their case, flattened here as "s3.key";
//   - a duplicate section or a duplicate key within one section is an error (strict mode).
// One deliberate extension: " #" / "\t#" starts an inline comment in a value, as the other
// AWS SDKs (Java, Go, Rust) accept; configparser would keep it as part of the value.

namespace bedrock::config {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) { return trim_ascii(s, " \t\f\v\r\n"); }

std::string_view strip_inline_comment(std::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if (value[i] == '#' && is_blank(value[i - 1])) return trim(value.substr(0, i));
  }
  return value;
}

// Splits a section header the way shlex.split does for the two forms botocore accepts:
// "profile NAME" and "profile \"NAME WITH SPACES\"". Returns the NAME part, or nullopt when
// the header is not exactly two words (botocore silently ignores such sections).
std::optional<std::string> second_word(std::string_view header) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (char c : header) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        current.push_back(c);
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (in_word) words.push_back(std::move(current));
      current.clear();
      in_word = false;
    } else {
      current.push_back(c);
      in_word = true;
    }
  }
  if (quote != 0) return std::nullopt;  // shlex raises "No closing quotation"
  if (in_word) words.push_back(std::move(current));
  if (words.size() != 2) return std::nullopt;
  return words[1];
}

struct RawOption {
  std::string key;
  std::vector<std::string> lines;  // first line, then continuation lines
  std::vector<int> line_numbers;   // one per entry of `lines`
};

struct RawSection {
  std::string header;
  std::vector<RawOption> options;
};

tl::unexpected<Error> malformed(std::string_view file, int line, std::string_view what) {
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}:{}: {}", file, line, what));
}

Result<std::vector<RawSection>> parse_ini(std::string_view text, std::string_view file) {
  std::vector<RawSection> sections;
  RawOption* current_option = nullptr;
  size_t option_indent = 0;
  int line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    std::string_view content = trim(line);
    if (content.empty()) {
      // configparser keeps blank lines inside a multi-line value; they vanish when the
      // value is trimmed or split, so skipping them here gives the same result.
      continue;
    }
    if (content.front() == '#' || content.front() == ';') continue;

    size_t indent = line.find_first_not_of(" \t\f\v");
    if (current_option != nullptr && indent > option_indent) {
      current_option->lines.emplace_back(content);
      current_option->line_numbers.push_back(line_number);
      continue;
    }

    if (content.front() == '[') {
      size_t close = content.rfind(']');
      if (close == std::string_view::npos || close < 2) {
        return malformed(file, line_number, "malformed section header");
      }
      std::string header(content.substr(1, close - 1));
      for (const auto& s : sections) {
        if (s.header == header) {
          return malformed(file, line_number, fmt::format("duplicate section [{}]", header));
        }
      }
      sections.push_back(RawSection{std::move(header), {}});
      current_option = nullptr;
      option_indent = indent;
      continue;
    }

    if (sections.empty()) {
      return malformed(file, line_number, "key outside of any [section]");
    }
    size_t delim = content.find_first_of("=:");
    if (delim == std::string_view::npos) {
      return malformed(file, line_number, "expected 'key = value'");
    }
    std::string key = to_lower_ascii(trim(content.substr(0, delim)));
    if (key.empty()) return malformed(file, line_number, "empty key");
    RawSection& section = sections.back();
    for (const auto& o : section.options) {
      if (o.key == key) {
        return malformed(file, line_number,
                         fmt::format("duplicate key '{}' in [{}]", key, section.header));
      }
    }
    std::string_view value = strip_inline_comment(trim(content.substr(delim + 1)));
    section.options.push_back(RawOption{std::move(key), {std::string(value)}, {line_number}});
    current_option = &section.options.back();
    option_indent = indent;
  }
  return sections;
}

struct FlatSection {
  ProfileValues values;
  ProfileValues origins;  // key -> "file:line"
};

// Converts one section's options into flat values; nested sub-sections become "sub.key".
Result<FlatSection> flatten(const RawSection& section, std::string_view file) {
  FlatSection flat;
  ProfileValues& values = flat.values;
  auto origin = [&](int line) { return fmt::format("{}:{}", file, line); };
  for (const auto& option : section.options) {
    if (option.lines.front().empty() && option.lines.size() > 1) {
      for (size_t i = 1; i < option.lines.size(); ++i) {
        std::string_view sub = option.lines[i];
        size_t eq = sub.find('=');
        if (eq == std::string_view::npos) {
          return malformed(
              file, option.line_numbers[i],
              fmt::format("nested value under '{}' lacks '=': \"{}\"", option.key, sub));
        }
        std::string sub_key(trim(sub.substr(0, eq)));
        std::string sub_value(strip_inline_comment(trim(sub.substr(eq + 1))));
        flat.origins[option.key + "." + sub_key] = origin(option.line_numbers[i]);
        values[option.key + "." + sub_key] = std::move(sub_value);
      }
      continue;
    }
    std::string joined = option.lines.front();
    for (size_t i = 1; i < option.lines.size(); ++i) joined += "\n" + option.lines[i];
    values[option.key] = std::move(joined);
    flat.origins[option.key] = origin(option.line_numbers.front());
  }
  return flat;
}

void merge_into(ProfileValues& target, const ProfileValues& source) {
  for (const auto& [k, v] : source) target[k] = v;
}

std::string expand_home(const std::string& path, const Environment& env) {
  if (path.empty() || path.front() != '~') return path;
  if (path.size() > 1 && path[1] != '/') return path;  // ~user is not supported
  auto home = env.non_empty("HOME");
  if (!home) return path;
  return *home + path.substr(1);
}

// Missing or unreadable files are "no configuration", as in botocore (ConfigNotFound is
// swallowed and configparser skips files it cannot open).
std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

std::optional<std::string> locate(const Environment& env, std::string_view variable,
                                  std::string_view default_leaf) {
  if (auto explicit_path = env.non_empty(variable)) return expand_home(*explicit_path, env);
  auto home = env.non_empty("HOME");
  if (!home) return std::nullopt;
  return fmt::format("{}/.aws/{}", *home, default_leaf);
}

}  // namespace

std::optional<std::string> SharedFiles::get(std::string_view profile_name,
                                            std::string_view key) const {
  const ProfileValues* values = profile(profile_name);
  if (values == nullptr) return std::nullopt;
  auto it = values->find(key);
  if (it == values->end()) return std::nullopt;
  return it->second;
}

std::string SharedFiles::origin(std::string_view profile_name, std::string_view key) const {
  auto it = profile_origins.find(profile_name);
  if (it == profile_origins.end()) return "";
  auto found = it->second.find(key);
  return found == it->second.end() ? "" : found->second;
}

Result<SharedFiles> parse_shared_file(std::string_view text, std::string_view file_name,
                                      bool is_config_file) {
  auto sections = parse_ini(text, file_name);
  if (!sections) return fail(sections.error());
  SharedFiles out;
  for (const auto& section : *sections) {
    auto flat = flatten(section, file_name);
    if (!flat) return fail(flat.error());
    auto add_profile = [&](const std::string& name) {
      merge_into(out.profiles[name], flat->values);
      merge_into(out.profile_origins[name], flat->origins);
    };
    if (!is_config_file) {
      add_profile(section.header);
      continue;
    }
    // botocore build_profile_map: prefix match on "profile"/"services", then shlex split
    // into exactly two words; "default" is the one bare profile name; anything else
    // (sso-session, plugins, ...) is not a profile.
    std::string_view header = section.header;
    if (header.rfind("profile", 0) == 0) {
      if (auto name = second_word(header)) add_profile(*name);
    } else if (header.rfind("services", 0) == 0) {
      if (auto name = second_word(header)) {
        merge_into(out.services[*name], flat->values);
        merge_into(out.service_origins[*name], flat->origins);
      }
    } else if (header == "default") {
      add_profile("default");
    }
  }
  return out;
}

Result<SharedFiles> load_shared_files(const Environment& env) {
  SharedFiles merged;
  if (auto path = locate(env, "AWS_CONFIG_FILE", "config")) {
    if (auto text = read_file(*path)) {
      auto parsed = parse_shared_file(*text, *path, /*is_config_file=*/true);
      if (!parsed) return fail(parsed.error());
      merged = std::move(*parsed);
    }
  }
  if (auto path = locate(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")) {
    if (auto text = read_file(*path)) {
      auto parsed = parse_shared_file(*text, *path, /*is_config_file=*/false);
      if (!parsed) return fail(parsed.error());
      // Credentials-file values win for the same profile and key (botocore Session.full_config).
      for (const auto& [name, values] : parsed->profiles) merge_into(merged.profiles[name], values);
      for (const auto& [name, origins] : parsed->profile_origins) {
        merge_into(merged.profile_origins[name], origins);
      }
    }
  }
  return merged;
}

std::string selected_profile(const Environment& env, std::optional<std::string> explicit_profile) {
  if (explicit_profile && !explicit_profile->empty()) return *explicit_profile;
  if (auto p = env.non_empty("AWS_DEFAULT_PROFILE")) return *p;
  if (auto p = env.non_empty("AWS_PROFILE")) return *p;
  return "default";
}

}  // namespace bedrock::config
