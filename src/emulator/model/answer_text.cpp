// Plain-text helpers for the emulator's answers: words, paragraphs, sentences, bullet items,
// tagged blocks, and redaction of anything that looks like a credential.
#include "answer_text.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "bedrock/core/credential_scan.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::vector<std::string> paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    std::string trimmed = detail::trim(line);
    if (trimmed.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      if (!current.empty()) current += "\n";
      current += trimmed;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool starts_with_ignoring_case(std::string_view word, std::string_view lower_prefix) {
  if (word.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(word[i])) != lower_prefix[i]) return false;
  }
  return true;
}

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = is_space(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// `text` in pieces of up to kWordsPerDelta words, each piece keeping the whitespace after
// it, so the pieces concatenate to `text` and never split a UTF-8 sequence.
std::vector<std::string_view> delta_pieces(std::string_view text) {
  constexpr int kWordsPerDelta = 3;
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  std::size_t i = 0;
  int words = 0;
  while (i < text.size()) {
    while (i < text.size() && !is_space(text[i])) ++i;  // a word
    while (i < text.size() && is_space(text[i])) ++i;   // and the space after it
    if (++words == kWordsPerDelta || i == text.size()) {
      pieces.push_back(text.substr(start, i - start));
      start = i;
      words = 0;
    }
  }
  return pieces;
}

namespace {

// Appends the sentences of `text` to `out`: a sentence ends at '.', '!' or '?' followed by
// whitespace or the end; each is trimmed, empty ones are dropped.
void split_sentences(std::string_view text, std::vector<std::string>& out) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool end = (text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                     (i + 1 == text.size() || is_space(text[i + 1]));
    if (end) {
      std::string s = detail::trim(text.substr(start, i + 1 - start));
      if (!s.empty()) out.push_back(std::move(s));
      start = i + 1;
    }
  }
  std::string s = detail::trim(text.substr(start));
  if (!s.empty()) out.push_back(std::move(s));
}

}  // namespace

// Sentences of a paragraph; bullet lines are sentences of their own.
std::vector<std::string> sentences(const std::string& paragraph) {
  std::string flat;
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= paragraph.size()) {
    std::size_t nl = paragraph.find('\n', pos);
    std::string line = detail::trim(
        std::string_view(paragraph).substr(pos, nl == std::string::npos ? nl : nl - pos));
    bool bullet = line.size() > 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
    if (bullet) {
      split_sentences(flat, out);
      flat.clear();
      split_sentences(detail::trim(std::string_view(line).substr(2)), out);
    } else {
      if (!flat.empty()) flat += ' ';
      flat += line;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  split_sentences(flat, out);
  return out;
}

namespace {

bool looks_secret(std::string_view word) {
  if (word.size() == 20 && (word.rfind("AKIA", 0) == 0 || word.rfind("ASIA", 0) == 0)) {
    return std::all_of(word.begin(), word.end(),
                       [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
  }
  if (word.size() < 32) return false;
  bool digit = false, alpha = false;
  for (unsigned char c : word) {
    if (std::isdigit(c)) {
      digit = true;
    } else if (std::isalpha(c)) {
      alpha = true;
    } else if (c != '+' && c != '/' && c != '=' && c != '_' && c != '-') {
      return false;
    }
  }
  return digit && alpha;
}

constexpr std::array<std::string_view, 6> kSecretLabels = {"password", "passwd",  "secret",
                                                           "token",    "api_key", "apikey"};

// Access key ids, long key-like tokens, and the value after "password:" style labels; the
// line's words are appended to `out` joined by single spaces. Views into the line, so a line
// with nothing to hide costs no allocation. `redact_next` carries a label that ends a line
// over to the first word of the next one ("Password:\nhunter2").
void redact_line(std::string_view line, std::string& out, bool& redact_next) {
  constexpr std::string_view kRedacted = "[redacted]";
  std::string cut_value;  // "password=[redacted]" when a label carries its own value
  bool first_word = true;
  bool bare_label_before = false;  // the previous word was a label with no ':' or '='
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i == start) break;
    const std::string_view word = line.substr(start, i - start);
    const std::size_t end = word.find_last_not_of(".,;:!?)\"'");
    std::string_view core = end == std::string_view::npos ? word : word.substr(0, end + 1);
    const std::string_view tail =
        end == std::string_view::npos ? std::string_view() : word.substr(end + 1);
    bool label = false;
    // At most one label matches: none is a prefix of another.
    for (std::string_view name : kSecretLabels) {
      if (!starts_with_ignoring_case(core, name)) continue;
      const std::size_t sep = core.find_first_of("=:");
      if (sep != std::string_view::npos && sep + 1 < core.size()) {
        cut_value.assign(core.substr(0, sep + 1)).append(kRedacted);
        core = cut_value;
      } else {
        label = core.size() == name.size() || sep != std::string_view::npos;
      }
      break;
    }
    const bool separator = core == "=" || core == ":";
    if (bare_label_before && separator) redact_next = true;  // "TOKEN = abc"
    if (redact_next && !core.empty() && !separator) {
      core = kRedacted;
      redact_next = false;
    } else if (looks_secret(core)) {
      core = kRedacted;
    }
    if (label &&
        (tail.find(':') != std::string_view::npos || core.back() == ':' || core.back() == '=')) {
      redact_next = true;
    }
    bare_label_before = label && !redact_next;
    if (!first_word) out.push_back(' ');
    first_word = false;
    out.append(core).append(tail);
  }
}

}  // namespace

// Never repeat credentials found in a prompt: the core redactor's patterns first (scanned in
// linear time, credential_scan.h), then ours line by line (line breaks are kept; runs of
// spaces become one).
std::string redact_secrets(std::string_view text) {
  std::string cleaned = bedrock::redact_credentials(text);
  std::string out;
  out.reserve(cleaned.size());
  bool redact_next = false;
  std::size_t pos = 0;
  while (pos <= cleaned.size()) {
    std::size_t nl = cleaned.find('\n', pos);
    std::string_view line = std::string_view(cleaned).substr(
        pos, nl == std::string::npos ? std::string::npos : nl - pos);
    redact_line(line, out, redact_next);
    if (nl == std::string::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  return out;
}

}  // namespace bedrock::emulator::model::detail
