// ASCII-only case folding for protocol tokens (header names, hex digits, SigV4 canonical
// forms). Unlike std::tolower these never consult the C locale, which both matters for
// correctness (a Turkish locale folds 'I' differently) and keeps the per-call signing path
// free of libc calls per character.
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

inline std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace bedrock
