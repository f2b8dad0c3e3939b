#include "bedrock/core/credential_scan.h"

#include <array>
#include <optional>

namespace bedrock {
namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// ECMAScript's \s for char in the "C" locale.
bool is_regex_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_hex(char c) {
  const char l = lower_ascii(c);
  return (c >= '0' && c <= '9') || (l >= 'a' && l <= 'f');
}

bool is_api_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=' || c == '_' || c == '-';
}

// Where the kept prefix ends (the replacement starts) and where the match ends.
struct Match {
  std::size_t value_begin;
  std::size_t end;
};

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && is_regex_space(s[i])) ++i;
  return i;
}

// `"?\s*[:=]\s*"?` after a header name; the position after it, if present.
std::optional<std::size_t> header_separator(std::string_view s, std::size_t i) {
  if (i < s.size() && s[i] == '"') ++i;
  i = skip_spaces(s, i);
  if (i >= s.size() || (s[i] != ':' && s[i] != '=')) return std::nullopt;
  i = skip_spaces(s, i + 1);
  if (i < s.size() && s[i] == '"') ++i;
  return i;
}

template <typename Pred>
std::size_t skip_while(std::string_view s, std::size_t i, Pred pred) {
  while (i < s.size() && pred(s[i])) ++i;
  return i;
}

// Each rule: a keyword (lower case) whose occurrences are the only places a match can start,
// and a scan from the occurrence. Matches do not overlap; after one, the search resumes at
// its end, as std::regex_replace does.
struct Rule {
  std::string_view keyword;
  bool ignore_case;
  std::optional<Match> (*at)(std::string_view s, std::size_t pos);
  std::string_view replacement;  // replaces [value_begin, end)
};

std::optional<Match> authorization(std::string_view s, std::size_t pos) {
  auto v = header_separator(s, pos + 13);
  if (!v) return std::nullopt;
  return Match{*v, skip_while(s, *v, [](char c) { return c != '"' && c != '\r' && c != '\n'; })};
}

std::optional<Match> security_token(std::string_view s, std::size_t pos) {
  auto v = header_separator(s, pos + 20);
  if (!v) return std::nullopt;
  const std::size_t end = skip_while(s, *v, [](char c) {
    return c != '"' && c != ',' && c != ';' && c != '&' && !is_regex_space(c);
  });
  if (end == *v) return std::nullopt;
  return Match{*v, end};
}

std::optional<Match> signature(std::string_view s, std::size_t pos) {
  const std::size_t v = pos + 16;
  const std::size_t end = skip_while(s, v, is_hex);
  if (end == v) return std::nullopt;
  return Match{v, end};
}

bool has_at(std::string_view s, std::size_t pos, std::string_view lower_word) {
  if (pos > s.size() || s.size() - pos < lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    if (lower_ascii(s[pos + i]) != lower_word[i]) return false;
  }
  return true;
}

std::optional<Match> aws_assignment(std::string_view s, std::size_t pos) {
  std::size_t i = pos;
  bool named = false;
  for (std::string_view name :
       {"aws_secret_access_key", "aws_session_token", "aws_security_token"}) {
    if (has_at(s, pos, name)) {
      i += name.size();
      named = true;
      break;
    }
  }
  if (!named) return std::nullopt;
  i = skip_spaces(s, i);
  if (i >= s.size() || (s[i] != '=' && s[i] != ':')) return std::nullopt;
  const std::size_t v = skip_spaces(s, i + 1);
  const std::size_t end = skip_while(s, v, [](char c) { return !is_regex_space(c); });
  if (end == v) return std::nullopt;
  return Match{v, end};
}

std::optional<Match> json_secret_field(std::string_view s, std::size_t pos) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "secretaccesskey",   "sessiontoken",  "token",
      "secret_access_key", "session_token", "aws_secret_access_key",
      "accesstoken",       "api_key",       "apikey"};
  std::size_t i = pos + 1;
  bool named = false;
  for (std::string_view name : kNames) {
    if (has_at(s, i, name) && i + name.size() < s.size() && s[i + name.size()] == '"') {
      i += name.size() + 1;
      named = true;
      break;
    }
  }
  if (!named) return std::nullopt;
  i = skip_spaces(s, i);
  if (i >= s.size() || s[i] != ':') return std::nullopt;
  i = skip_spaces(s, i + 1);
  if (i >= s.size() || s[i] != '"') return std::nullopt;
  const std::size_t v = i + 1;
  const std::size_t close = s.find('"', v);
  if (close == std::string_view::npos) return std::nullopt;
  return Match{v, close + 1};
}

// One of `lower_names` at `pos` immediately followed by `after`; the position after both.
template <std::size_t N>
std::optional<std::size_t> name_then(std::string_view s, std::size_t pos,
                                     const std::array<std::string_view, N>& lower_names,
                                     std::string_view after) {
  for (std::string_view name : lower_names) {
    if (has_at(s, pos, name) && s.substr(pos + name.size()).starts_with(after)) {
      return pos + name.size() + after.size();
    }
  }
  return std::nullopt;
}

// The JSON fields again, JSON-escaped inside another string: \"Token\": \"value.
std::optional<Match> escaped_json_secret_field(std::string_view s, std::size_t pos) {
  static constexpr std::array<std::string_view, 4> kNames = {"secretaccesskey", "sessiontoken",
                                                             "token", "accesstoken"};
  auto i = name_then(s, pos + 2, kNames, "\\\"");
  if (!i) return std::nullopt;
  std::size_t j = skip_spaces(s, *i);
  if (j >= s.size() || s[j] != ':') return std::nullopt;
  j = skip_spaces(s, j + 1);
  if (!s.substr(j).starts_with("\\\"")) return std::nullopt;
  const std::size_t v = j + 2;
  return Match{v, skip_while(s, v, [](char c) { return c != '"' && c != '\\'; })};
}

// Query-string and form renderings: SecretAccessKey=value (STS, presigned URLs, key=value).
std::optional<Match> key_value_secret(std::string_view s, std::size_t pos) {
  static constexpr std::array<std::string_view, 3> kNames = {"secretaccesskey", "sessiontoken",
                                                             "securitytoken"};
  auto i = name_then(s, pos, kNames, "");
  if (!i) return std::nullopt;
  std::size_t j = skip_spaces(s, *i);
  if (j >= s.size() || s[j] != '=') return std::nullopt;
  const std::size_t v = skip_spaces(s, j + 1);
  const std::size_t end = skip_while(s, v, [](char c) {
    return !is_regex_space(c) && c != '&' && c != ',' && c != ';' && c != '"' && c != '\'';
  });
  if (end == v) return std::nullopt;
  return Match{v, end};
}

bool is_word(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// STS's XML answer: <SecretAccessKey>value, also with a namespace prefix (<sts:SessionToken>).
std::optional<Match> xml_secret_element(std::string_view s, std::size_t pos) {
  static constexpr std::array<std::string_view, 2> kNames = {"secretaccesskey", "sessiontoken"};
  const std::size_t word_end = skip_while(s, pos + 1, is_word);
  std::optional<std::size_t> v;
  if (word_end > pos + 1 && word_end < s.size() && s[word_end] == ':') {
    v = name_then(s, word_end + 1, kNames, ">");
  }
  if (!v) v = name_then(s, pos + 1, kNames, ">");
  if (!v) return std::nullopt;
  return Match{*v, skip_while(s, *v, [](char c) { return c != '<'; })};
}

std::optional<Match> api_key(std::string_view s, std::size_t pos) {
  const std::size_t v = pos + 16;
  const std::size_t end = skip_while(s, v, is_api_key_char);
  if (end == v) return std::nullopt;
  return Match{v, end};
}

std::optional<Match> bearer(std::string_view s, std::size_t pos) {
  const std::size_t after = pos + 6;
  const std::size_t v = skip_spaces(s, after);
  if (v == after) return std::nullopt;
  const std::size_t end = skip_while(s, v, [](char c) { return c != '"' && !is_regex_space(c); });
  if (end == v) return std::nullopt;
  return Match{v, end};
}

constexpr std::array<Rule, 10> kRules = {{
    {"authorization", true, authorization, "****"},
    {"x-amz-security-token", true, security_token, "****"},
    {"x-amz-signature=", true, signature, "****"},
    {"aws_se", true, aws_assignment, "****"},
    {"\"", false, json_secret_field, "****\""},
    {"\\\"", false, escaped_json_secret_field, "****"},
    {"se", true, key_value_secret, "****"},
    {"<", false, xml_secret_element, "****"},
    {"bedrock-api-key-", false, api_key, "****"},
    {"bearer", true, bearer, "****"},
}};

std::string apply(const Rule& rule, std::string text) {
  std::string lowered;
  std::string_view haystack = text;
  if (rule.ignore_case) {
    lowered = text;
    for (char& c : lowered) c = lower_ascii(c);
    haystack = lowered;
  }
  std::size_t pos = haystack.find(rule.keyword);
  if (pos == std::string_view::npos) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  while (pos != std::string_view::npos) {
    auto m = rule.at(text, pos);
    if (!m) {
      pos = haystack.find(rule.keyword, pos + 1);
      continue;
    }
    out.append(text, copied, m->value_begin - copied).append(rule.replacement);
    copied = m->end;
    pos = haystack.find(rule.keyword, m->end);
  }
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace

std::string redact_credentials(std::string_view text) {
  std::string out(text);
  for (const Rule& rule : kRules) out = apply(rule, std::move(out));
  return out;
}

}  // namespace bedrock
