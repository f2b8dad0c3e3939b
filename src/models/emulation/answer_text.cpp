// Plain-text helpers for the emulator's answers: words, paragraphs, sentences, bullet items,
// tagged blocks, and redaction of anything that looks like a credential.
#include "answer_text.h"

#include <algorithm>
#include <cctype>

#include "bedrock/core/log.h"
#include "prompt_templates.h"

namespace bedrock::models::emulation::detail {

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

// Sentences of a paragraph; bullet lines are sentences of their own.
std::vector<std::string> sentences(const std::string& paragraph) {
  std::string flat;
  std::vector<std::string> out;
  auto flush_sentences = [&](const std::string& text) {
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
      current += text[i];
      bool end = (text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                 (i + 1 == text.size() || is_space(text[i + 1]));
      if (end) {
        std::string s = detail::trim(current);
        if (!s.empty()) out.push_back(std::move(s));
        current.clear();
      }
    }
    std::string s = detail::trim(current);
    if (!s.empty()) out.push_back(std::move(s));
  };
  std::size_t pos = 0;
  while (pos <= paragraph.size()) {
    std::size_t nl = paragraph.find('\n', pos);
    std::string line = detail::trim(
        std::string_view(paragraph).substr(pos, nl == std::string::npos ? nl : nl - pos));
    bool bullet = line.size() > 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
    if (bullet) {
      flush_sentences(flat);
      flat.clear();
      flush_sentences(detail::trim(std::string_view(line).substr(2)));
    } else {
      if (!flat.empty()) flat += ' ';
      flat += line;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  flush_sentences(flat);
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

// Access key ids, long key-like tokens, and the value after "password:" style labels.
std::string redact_line(std::string_view line) {
  std::vector<std::string> words = split_words(line);
  bool redact_next = false;
  for (auto& word : words) {
    std::size_t end = word.find_last_not_of(".,;:!?)\"'");
    std::string core = end == std::string::npos ? word : word.substr(0, end + 1);
    std::string tail = end == std::string::npos ? "" : word.substr(end + 1);
    std::string key = lower(core);
    bool label = false;
    for (std::string_view name : {"password", "passwd", "secret", "token", "api_key", "apikey"}) {
      if (key.rfind(name, 0) == 0) {
        std::size_t sep = core.find_first_of("=:");
        if (sep != std::string::npos && sep + 1 < core.size()) {
          core = core.substr(0, sep + 1) + "[redacted]";
        } else {
          label = key.size() == name.size() || sep != std::string::npos;
        }
      }
    }
    if (redact_next && !core.empty() && core != "=" && core != ":") {
      core = "[redacted]";
      redact_next = false;
    } else if (looks_secret(core)) {
      core = "[redacted]";
    }
    if (label &&
        (tail.find(':') != std::string::npos || core.back() == ':' || core.back() == '=')) {
      redact_next = true;
    }
    word = core + tail;
  }
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

// Never repeat credentials found in a prompt: the core redactor's patterns first, then ours
// line by line (line breaks are kept; runs of spaces become one).
std::string redact_secrets(std::string_view text) {
  std::string cleaned = bedrock::redact(text);
  std::string out;
  std::size_t pos = 0;
  while (pos <= cleaned.size()) {
    std::size_t nl = cleaned.find('\n', pos);
    std::string_view line = std::string_view(cleaned).substr(
        pos, nl == std::string::npos ? std::string::npos : nl - pos);
    out += redact_line(line);
    if (nl == std::string::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  return out;
}

}  // namespace bedrock::models::emulation::detail
