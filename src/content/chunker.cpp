#include "bedrock/content/chunker.h"

#include <fmt/format.h>

#include <algorithm>

#include "bedrock/core/utf8.h"
#include "char_scan.h"

namespace bedrock::content {
namespace {

using detail::CharClass;

struct Boundary {
  std::size_t pos = 0;
  long long cum = 0;  // milli-tokens of [chunk begin, pos)
};

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

bool is_space(CharClass c) { return c == CharClass::Space || c == CharClass::Newline; }

bool is_sentence_terminator(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 /* … */ || cp == 0x3002 /* 。 */ ||
         cp == 0xFF01 /* ！ */ || cp == 0xFF1F /* ？ */ || cp == 0x0964 /* Devanagari danda */ ||
         cp == 0x061F /* Arabic question mark */;
}

// Closing marks that may follow a terminator without ending the sentence state: ." .) .»
bool is_closer(char32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
         cp == 0x00BB || cp == 0x300D || cp == 0x300F;
}

bool is_cjk_terminator(char32_t cp) { return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F; }

// Code points that attach to the one before (combining marks, joiners, variation selectors,
// emoji modifiers, tags): cutting before one would split what the reader sees as one character.
bool extends_previous(char32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x200D ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
         (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
         (cp >= 0xE0100 && cp <= 0xE01EF);
}

bool is_regional_indicator(char32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

std::size_t previous_start(const unsigned char* s, std::size_t pos) {
  do {
    --pos;
  } while (pos > 0 && (s[pos] & 0xC0) == 0x80);
  return pos;
}

char32_t cp_at(const unsigned char* s, std::size_t pos) {
  // Only called on text already validated by the forward scan.
  return decode_utf8_at(s, pos + 4, pos).cp;
}

// The last position <= i, and >= min_cut, where a cut does not split a grapheme cluster; i itself
// when none is found within a few code points.
std::size_t grapheme_cut(const unsigned char* s, std::size_t i, std::size_t min_cut) {
  constexpr int kLookBack = 32;
  std::size_t pos = i;
  for (int k = 0; k < kLookBack && pos > min_cut && pos > 0; ++k) {
    const char32_t cur = cp_at(s, pos);
    const std::size_t prev_pos = previous_start(s, pos);
    const char32_t prev = cp_at(s, prev_pos);
    bool ok = !extends_previous(cur) && prev != 0x200D;
    if (ok && is_regional_indicator(cur)) {
      // Flags are pairs of regional indicators: cut only after an even run.
      int run = 0;
      std::size_t q = pos;
      while (q > 0 && run < 64) {
        const std::size_t before = previous_start(s, q);
        if (!is_regional_indicator(cp_at(s, before))) break;
        ++run;
        q = before;
      }
      ok = run % 2 == 0;
    }
    if (ok) return pos;
    pos = prev_pos;
  }
  return i;
}

// Milli-tokens of [begin, end), exactly as the forward scan counts them.
long long cost_of(const unsigned char* s, std::size_t begin, std::size_t end,
                  const EstimatorProfile& p) {
  long long cum = 0;
  CharClass prev = detail::kStartClass;
  for (std::size_t i = begin; i < end;) {
    const Utf8Char d = decode_utf8_at(s, end, i);
    const CharClass cls = d.valid ? detail::classify(d.cp) : CharClass::Symbol;
    cum += detail::char_cost(p, cls, prev);
    prev = cls;
    i += d.len;
  }
  return cum;
}

struct ScanResult {
  std::size_t cut = 0;
  long long cum = 0;  // milli-tokens of [begin, cut)
  CutKind kind = CutKind::End;
};

// Scans the text once, chunk after chunk. A chunk that starts at a word boundary of the previous
// one (its overlap, or its cut) continues from where the previous scan stopped, because costs
// are additive at word boundaries: nothing is scanned twice. Only a chunk that starts after a
// cut inside a word is rescanned from its start.
class ChunkScanner {
 public:
  ChunkScanner(const unsigned char* s, std::size_t n, const EstimatorProfile& p)
      : s_(s), n_(n), p_(p) {}

  // Scans from the current position until the budget is spent and picks the chunk's end, at
  // or after `min_cut` (so a chunk always reaches past the previous one's end).
  Result<ScanResult> next(long long budget, std::size_t min_cut) {
    while (i_ < n_) {
      char32_t cp;
      CharClass cls;
      std::size_t len;
      if (s_[i_] < 0x80) {
        cp = s_[i_];
        cls = detail::kAsciiClass[cp];
        len = 1;
      } else {
        const Utf8Char d = decode_utf8_at(s_, n_, i_);
        if (!d.valid) {
          return fail(ErrorCode::Validation,
                      fmt::format("text is not valid UTF-8 at byte offset {}", i_));
        }
        cp = d.cp;
        cls = detail::classify(cp);
        len = d.len;
      }
      const bool space = is_space(cls);
      if (!space && i_ > begin_ && (words_.empty() || words_.back().pos != i_)) {
        if (in_space_) {
          words_.push_back({i_, cum_});
          if (newlines_ >= 2) {
            para_ = {i_, cum_};
          } else if (after_terminator_) {
            sentence_ = {i_, cum_};
          }
        } else if (prev_cjk_ || cls == CharClass::Cjk) {
          // CJK text has no spaces: every character is a word, and 。！？ end sentences.
          words_.push_back({i_, cum_});
          if (prev_cjk_terminator_) sentence_ = {i_, cum_};
        }
      }
      const long long cost = detail::char_cost(p_, cls, prev_);
      if (cum_ + cost > budget) return choose_cut(budget, min_cut);
      cum_ += cost;
      prev_ = cls;
      if (space) {
        if (!in_space_) newlines_ = 0;
        in_space_ = true;
        if (cls == CharClass::Newline) ++newlines_;
      } else {
        in_space_ = false;
        after_terminator_ = is_sentence_terminator(cp) || (after_terminator_ && is_closer(cp));
      }
      prev_cjk_ = !space && cls == CharClass::Cjk;
      prev_cjk_terminator_ = is_cjk_terminator(cp);
      i_ += len;
    }
    return ScanResult{n_, cum_, CutKind::End};
  }

  const std::vector<Boundary>& words() const { return words_; }

  // Starts the next chunk at `begin`, a recorded word boundary (or the previous cut, when it was
  // one) whose cost from the current chunk's start is `base`.
  void continue_from(std::size_t begin, long long base) {
    begin_ = begin;
    cum_ -= base;
    auto first = std::upper_bound(words_.begin(), words_.end(), begin,
                                  [](std::size_t pos, const Boundary& b) { return pos < b.pos; });
    words_.erase(words_.begin(), first);
    for (auto& w : words_) w.cum -= base;
    for (Boundary* b : {&para_, &sentence_}) {
      if (b->pos == kNone || b->pos <= begin) {
        *b = {kNone, 0};
      } else {
        b->cum -= base;
      }
    }
  }

  // Starts the next chunk at `begin` from scratch (after a cut inside a word).
  void restart_at(std::size_t begin) {
    begin_ = i_ = begin;
    cum_ = 0;
    prev_ = detail::kStartClass;
    in_space_ = after_terminator_ = prev_cjk_ = prev_cjk_terminator_ = false;
    newlines_ = 0;
    words_.clear();
    para_ = sentence_ = {kNone, 0};
  }

 private:
  ScanResult choose_cut(long long budget, std::size_t min_cut) const {
    auto usable = [&](const Boundary& b) { return b.pos != kNone && b.pos >= min_cut; };
    if (usable(para_) && para_.cum * 2 >= budget) {
      return {para_.pos, para_.cum, CutKind::Paragraph};
    }
    if (usable(sentence_) && sentence_.cum * 2 >= budget) {
      return {sentence_.pos, sentence_.cum, CutKind::Sentence};
    }
    if (!words_.empty() && words_.back().pos >= min_cut) {
      return {words_.back().pos, words_.back().cum, CutKind::Word};
    }
    // One word longer than the budget: cut between code points, at a grapheme boundary when
    // there is one past min_cut. Rare, so found by looking back rather than tracked.
    const std::size_t cut = grapheme_cut(s_, i_, min_cut);
    return {cut, cut == i_ ? cum_ : cost_of(s_, begin_, cut, p_), CutKind::CodePoint};
  }

  const unsigned char* s_;
  std::size_t n_;
  const EstimatorProfile& p_;
  std::size_t begin_ = 0;
  std::size_t i_ = 0;
  long long cum_ = 0;  // milli-tokens of [begin_, i_)
  CharClass prev_ = detail::kStartClass;
  bool in_space_ = false;
  int newlines_ = 0;
  bool after_terminator_ = false;  // last non-space character ended a sentence
  bool prev_cjk_ = false;
  bool prev_cjk_terminator_ = false;
  std::vector<Boundary> words_;  // word starts in (begin_, i_], ascending
  Boundary para_{kNone, 0};
  Boundary sentence_{kNone, 0};
};

}  // namespace

std::string_view to_string(CutKind kind) {
  switch (kind) {
    case CutKind::Paragraph:
      return "paragraph";
    case CutKind::Sentence:
      return "sentence";
    case CutKind::Word:
      return "word";
    case CutKind::CodePoint:
      return "code point";
    case CutKind::End:
      return "end";
  }
  return "end";
}

Result<ChunkPlan> plan_chunks(std::string_view text, const TokenEstimator& estimator,
                              const ChunkOptions& options) {
  if (options.max_tokens < ChunkOptions::kMinChunkTokens) {
    return fail(ErrorCode::Validation,
                fmt::format("chunk size must be at least {} tokens, got {}",
                            ChunkOptions::kMinChunkTokens, options.max_tokens));
  }
  if (options.overlap_tokens < 0 || options.overlap_tokens > options.max_tokens / 2) {
    return fail(ErrorCode::Validation,
                fmt::format("chunk overlap must be between 0 and half the chunk size ({}), got {}",
                            options.max_tokens / 2, options.overlap_tokens));
  }
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const long long budget = static_cast<long long>(options.max_tokens) * 1000;
  const long long overlap_budget = static_cast<long long>(options.overlap_tokens) * 1000;

  ChunkPlan plan;
  ChunkScanner scanner(s, n, estimator.profile());
  std::size_t begin = 0;
  std::size_t prev_end = 0;
  long long overlap_cost = 0;  // milli-tokens of [begin, prev_end)
  while (begin < n) {
    auto scanned = scanner.next(budget, prev_end + 1);
    if (!scanned) return fail(scanned.error());
    const ScanResult& r = *scanned;
    plan.chunks.push_back(Chunk{begin, r.cut, prev_end > begin ? prev_end - begin : 0,
                                detail::milli_to_tokens(r.cum), r.kind});
    plan.total_tokens += r.cum - overlap_cost;
    if (r.cut >= n) break;
    // The next chunk starts at the earliest word start whose tail up to the cut fits the
    // overlap budget; costs are additive at word starts, so cum differences are exact.
    const auto& words = scanner.words();
    std::size_t next = r.cut;
    long long base = r.cum;
    overlap_cost = 0;
    if (overlap_budget > 0) {
      auto limit = std::lower_bound(words.begin(), words.end(), r.cut,
                                    [](const Boundary& b, std::size_t pos) { return b.pos < pos; });
      auto first = std::lower_bound(words.begin(), limit, r.cum - overlap_budget,
                                    [](const Boundary& b, long long c) { return b.cum < c; });
      if (first != limit) {
        next = first->pos;
        base = first->cum;
        overlap_cost = r.cum - first->cum;
      }
    }
    if (next == r.cut && r.kind == CutKind::CodePoint) {
      scanner.restart_at(next);
    } else {
      scanner.continue_from(next, base);
    }
    prev_end = r.cut;
    begin = next;
  }
  plan.total_tokens = detail::milli_to_tokens(plan.total_tokens);
  return plan;
}

}  // namespace bedrock::content
