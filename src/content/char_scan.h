// The character classifier shared by the estimator and the chunker, so both count the same
// tokens. Private to the content layer; everything is inline because it runs once per byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "bedrock/content/token_estimator.h"

namespace bedrock::content::detail {

enum class CharClass : std::uint8_t {
  AsciiLetter,
  LatinExt,
  Digit,
  Punct,
  Space,
  Newline,
  GreekCyrillic,
  Semitic,
  Brahmic,
  Cjk,
  Symbol,
};

inline constexpr std::array<CharClass, 128> make_ascii_table() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    CharClass k = CharClass::Punct;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      k = CharClass::AsciiLetter;
    } else if (c >= '0' && c <= '9') {
      k = CharClass::Digit;
    } else if (c == '\n') {
      k = CharClass::Newline;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      k = CharClass::Space;
    }
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}

inline constexpr std::array<CharClass, 128> kAsciiClass = make_ascii_table();

inline CharClass classify(char32_t cp) {
  if (cp < 0x80) return kAsciiClass[cp];
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return CharClass::Punct;
  if (cp <= 0x24F) return CharClass::LatinExt;
  if (cp >= 0x370 && cp <= 0x52F) return CharClass::GreekCyrillic;
  if (cp >= 0x530 && cp <= 0x8FF) return CharClass::Semitic;
  if (cp >= 0x900 && cp <= 0x1FFF) return CharClass::Brahmic;
  if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
      (cp >= 0x20000 && cp <= 0x3FFFF)) {
    return CharClass::Cjk;
  }
  return CharClass::Symbol;
}

// Cost in milli-tokens of a character of class `cls` following one of class `prev`.
inline int char_cost(const EstimatorProfile& p, CharClass cls, CharClass prev) {
  switch (cls) {
    case CharClass::AsciiLetter:
    case CharClass::LatinExt: {
      const int base = cls == CharClass::AsciiLetter ? p.ascii_letter : p.latin_ext;
      const bool continues = prev == CharClass::AsciiLetter || prev == CharClass::LatinExt;
      return continues ? base : base + p.word_start;
    }
    case CharClass::Digit:
      return p.digit;
    case CharClass::Punct:
      return p.punct;
    case CharClass::Space:
      return (prev == CharClass::Space || prev == CharClass::Newline) ? p.space_extra : 0;
    case CharClass::Newline:
      return p.newline;
    case CharClass::GreekCyrillic:
      return p.greek_cyrillic + (prev == cls ? 0 : p.script_word_start);
    case CharClass::Semitic:
      return p.semitic + (prev == cls ? 0 : p.script_word_start);
    case CharClass::Brahmic:
      return p.brahmic + (prev == cls ? 0 : p.script_word_start);
    case CharClass::Cjk:
      return p.cjk;
    case CharClass::Symbol:
      return p.symbol;
  }
  return p.symbol;
}

// The class a text is assumed to follow: a fresh text starts like a text after a space.
inline constexpr CharClass kStartClass = CharClass::Space;

// Round milli-tokens up to whole tokens.
inline int milli_to_tokens(long long milli) { return static_cast<int>((milli + 999) / 1000); }

}  // namespace bedrock::content::detail
