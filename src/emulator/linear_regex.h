// Fixture regular expressions matched in time linear in the prompt, with no recursion on the
// prompt (issue 11): std::regex recursed once per character and overflowed an I/O thread's
// stack on a long prompt. A Thompson NFA simulated a character at a time (a Pike VM without
// captures), which is all a fixture needs: whether the pattern occurs in the prompt.
//
// Syntax (ECMAScript's, the common part): literals, '.', [...] and [^...] with ranges,
// \d \w \s \D \W \S, escaped punctuation, \n \r \t \f \v, ^ and $ (whole-prompt anchors),
// groups (...) and (?:...), '|', and * + ? {m} {m,} {m,n} (a trailing '?' is accepted: lazy
// and greedy find the same occurrences). Backreferences, lookarounds, \b and \B are refused at
// load, as is a pattern that would compile to more than kMaxProgram instructions.
#pragma once

#include <bitset>
#include <string_view>
#include <vector>

#include "bedrock/core/result.h"

namespace bedrock::emulator {

class LinearRegex {
 public:
  static constexpr std::size_t kMaxProgram = 20000;

  // Errors: ConfigurationInvalid naming what is wrong or unsupported.
  static Result<LinearRegex> compile(std::string_view pattern);

  // Whether the pattern matches somewhere in `text`. O(text.size() * program size) time,
  // O(program size) memory; thread-safe (const).
  bool search(std::string_view text) const;

  struct Inst {
    enum class Op { Byte, Set, Split, Jump, Match, Begin, End } op;
    int arg = 0;   // Byte: the byte; Set: index into sets_
    int next = 0;  // Split: first branch (preferred); Jump: target
    int alt = 0;   // Split: second branch
  };

 private:
  std::vector<Inst> program_;
  std::vector<std::bitset<256>> sets_;
};

}  // namespace bedrock::emulator
