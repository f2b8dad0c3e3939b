// ASCII-only case folding and trimming for protocol tokens and text (header names, hex
// digits, SigV4 canonical forms, model output lines). Unlike std::tolower these never consult the C
// locale, which both matters for correctness (a Turkish locale folds 'I' differently) and keeps the
// per-call signing path free of libc calls per character.
#pragma once

#include <string>
#include <string_view>

namespace bedrock {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

constexpr bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// `s` without the leading and trailing characters found in `chars` (by default ASCII space,
// tab, CR and LF); empty when `s` is nothing else.
constexpr std::string_view trim_ascii(std::string_view s, std::string_view chars = " \t\r\n") {
  const auto first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

inline std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace bedrock
