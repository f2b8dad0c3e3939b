// The emulator's deterministic "model": a plausible reply built from the prompt itself, so
// demos show sensible text and tests can predict it. Same request -> same bytes.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "bedrock/core/log.h"
#include "bedrock/models/emulation.h"
#include "prompt_templates.h"

namespace bedrock::models::emulation {
namespace {

constexpr std::size_t kMaxSentences = 3;
constexpr std::size_t kMaxInstructionChars = 400;
constexpr std::size_t kShortPromptWords = 3;

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

// An instruction paragraph ("Summarize the following text:") precedes the document.
bool is_instruction(std::string_view paragraph) {
  if (paragraph.size() > kMaxInstructionChars) return false;
  if (!paragraph.empty() && paragraph.back() == ':') return true;
  static constexpr std::array<std::string_view, 14> kVerbs = {
      "summarize", "summarise", "rephrase", "rewrite",  "expand", "write",   "translate",
      "explain",   "list",      "describe", "generate", "create", "combine", "draft"};
  auto words = split_words(lower(paragraph));
  for (std::size_t i = 0; i < words.size() && i < 10; ++i) {
    for (std::string_view verb : kVerbs) {
      if (words[i].rfind(verb, 0) == 0) return true;
    }
  }
  return false;
}

// "Summarize: The cat sat." -> "The cat sat." (a short label before a colon on line one).
std::string drop_label(const std::string& paragraph) {
  std::size_t colon = paragraph.find(':');
  if (colon == std::string::npos || colon > 40) return paragraph;
  std::string label = paragraph.substr(0, colon);
  if (label.find('\n') != std::string::npos || split_words(label).size() > 4) return paragraph;
  std::string rest = detail::trim(std::string_view(paragraph).substr(colon + 1));
  return rest.empty() ? paragraph : rest;
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

// Never repeat credentials found in a prompt: the core redactor's patterns, plus access key
// ids, long key-like tokens, and the value after "password:" style labels.
std::string redact_secrets(std::string_view text) {
  std::vector<std::string> words = split_words(bedrock::redact(text));
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

std::string compose_reply(std::string_view source) {
  std::vector<std::string> paras = paragraphs(source);
  if (paras.size() >= 2 && is_instruction(paras.front())) paras.erase(paras.begin());
  if (paras.empty()) return "Hello! How can I help you today?";
  paras.front() = drop_label(paras.front());

  std::vector<std::string> picked;
  if (paras.size() == 1) {
    auto all = sentences(paras.front());
    for (std::size_t i = 0; i < all.size() && picked.size() < kMaxSentences; ++i) {
      picked.push_back(all[i]);
    }
  } else {
    for (const auto& p : paras) {
      auto all = sentences(p);
      if (!all.empty()) picked.push_back(all.front());
      if (picked.size() == kMaxSentences) break;
    }
  }
  // Bullet items and headings read as sentences once they are capitalised and closed.
  std::string reply;
  for (std::string s : picked) {
    if (picked.size() > 1 && s.back() != '.' && s.back() != '!' && s.back() != '?' &&
        s.back() != ':') {
      s += '.';
      if (std::islower(static_cast<unsigned char>(s[0]))) {
        s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
      }
    }
    if (!reply.empty()) reply += ' ';
    reply += s;
  }
  reply = redact_secrets(reply);
  if (split_words(reply).size() < kShortPromptWords) {
    return fmt::format("Thanks for your message (\"{}\"). How can I help you further?", reply);
  }
  if (picked.size() == 1 && reply.back() == '?') return "Regarding your question: " + reply;
  return reply;
}

// The longest prefix of `text` within `budget` tokens, cut at a word boundary when there is
// one (else mid-word at a code-point boundary).
std::string truncate_to_tokens(const std::string& text, int budget) {
  if (estimate_tokens(text) <= budget) return text;
  std::size_t max_points = static_cast<std::size_t>(std::max(budget, 0)) * 4;
  std::size_t points = 0, cut = 0, last_space = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool lead = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (lead) {
      if (points == max_points) {
        if (is_space(text[i])) last_space = i;  // the limit falls right after a word
        break;
      }
      ++points;
      if (is_space(text[i])) last_space = i;
    }
    cut = i + 1;  // past the last byte of the last code point taken
  }
  std::string out = text.substr(0, last_space > 0 ? last_space : cut);
  while (!out.empty() && is_space(out.back())) out.pop_back();
  return out;
}

bool reasons_aloud(ModelFamily family) {
  return family == ModelFamily::DeepSeek || family == ModelFamily::OpenAiGptOss;
}

}  // namespace

EmulatedAnswer default_answer(const ModelInfo& /*model*/, const EmulatedRequest& request) {
  std::string_view source = request.prompt_text;
  for (auto it = request.turns.rbegin(); it != request.turns.rend(); ++it) {
    if (it->role == Role::User) {
      source = it->text;
      break;
    }
  }
  EmulatedAnswer answer;
  answer.input_tokens = request.input_tokens;
  answer.text = compose_reply(source);
  if (reasons_aloud(request.family)) {
    answer.reasoning = fmt::format(
        "The user sent a request of about {} words. I will answer briefly with the main points.",
        split_words(source).size());
  }

  // The earliest stop sequence wins; the sequence itself is not part of the output.
  std::size_t stop_at = std::string::npos;
  for (const auto& seq : request.stop_sequences) {
    if (seq.empty()) continue;
    std::size_t at = answer.text.find(seq);
    if (at < stop_at) {
      stop_at = at;
      answer.stop_sequence = seq;
    }
  }
  if (stop_at != std::string::npos) {
    answer.text.resize(stop_at);
    answer.stop_reason = StopReason::StopSequence;
  }

  int budget = std::max(request.max_tokens, 0);
  int reasoning_tokens = estimate_tokens(answer.reasoning);
  if (reasoning_tokens > budget) {
    answer.reasoning = truncate_to_tokens(answer.reasoning, budget);
    answer.text.clear();
    answer.stop_reason = StopReason::MaxTokens;
  } else if (estimate_tokens(answer.text) > budget - reasoning_tokens) {
    answer.text = truncate_to_tokens(answer.text, budget - reasoning_tokens);
    answer.stop_reason = StopReason::MaxTokens;
  }
  if (answer.stop_reason != StopReason::StopSequence) answer.stop_sequence.clear();
  answer.output_tokens = estimate_tokens(answer.reasoning) + estimate_tokens(answer.text);
  return answer;
}

}  // namespace bedrock::models::emulation
