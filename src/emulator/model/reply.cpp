// The reply text of the emulator's deterministic "model" (see default_answer in
// answer.h): recognisable tasks get a reply of the right form, anything else gets the
// leading sentences of the document it was given.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "answer_text.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {

constexpr std::size_t kMaxSentences = 3;
constexpr std::size_t kMaxInstructionChars = 400;
constexpr std::size_t kShortPromptWords = 3;

// An instruction paragraph ("Summarize the following text:") precedes the document.
bool is_instruction(std::string_view paragraph) {
  if (paragraph.size() > kMaxInstructionChars) return false;
  if (!paragraph.empty() && paragraph.back() == ':') return true;
  static constexpr std::array<std::string_view, 14> kVerbs = {
      "summarize", "summarise", "rephrase", "rewrite",  "expand", "write",   "translate",
      "explain",   "list",      "describe", "generate", "create", "combine", "draft"};
  std::size_t i = 0;
  for (int word = 0; word < 10; ++word) {
    while (i < paragraph.size() && is_space(paragraph[i])) ++i;
    const std::size_t start = i;
    while (i < paragraph.size() && !is_space(paragraph[i])) ++i;
    if (i == start) break;
    for (std::string_view verb : kVerbs) {
      if (starts_with_ignoring_case(paragraph.substr(start, i - start), verb)) return true;
    }
  }
  return false;
}

// "Summarize: The cat sat." -> "The cat sat." (a short label before a colon on line one).
std::string drop_label(const std::string& paragraph) {
  std::size_t colon = paragraph.find(':');
  if (colon == std::string::npos || colon > 40) return paragraph;
  std::string label = paragraph.substr(0, colon);
  if (label.find('\n') != std::string::npos || count_words(label) > 4) return paragraph;
  std::string rest = detail::trim(std::string_view(paragraph).substr(colon + 1));
  return rest.empty() ? paragraph : rest;
}

// The document an instruction is about: "<text>\n...\n</text>" (any tag name), with the
// text around it as the instruction.
struct Tagged {
  std::string instruction;
  std::string document;
};

std::optional<Tagged> tagged_block(std::string_view source) {
  for (std::size_t lt = source.find('<'); lt != std::string_view::npos;
       lt = source.find('<', lt + 1)) {
    std::size_t i = lt + 1;
    if (i >= source.size() || !std::isalpha(static_cast<unsigned char>(source[i]))) continue;
    while (i < source.size() && (std::isalnum(static_cast<unsigned char>(source[i])) ||
                                 source[i] == '_' || source[i] == '-')) {
      ++i;
    }
    if (i >= source.size() || source[i] != '>') continue;
    std::string close = fmt::format("</{}>", source.substr(lt + 1, i - lt - 1));
    std::size_t end = source.find(close, i + 1);
    if (end == std::string_view::npos) continue;
    Tagged t{trim(source.substr(0, lt)) + "\n" + trim(source.substr(end + close.size())),
             trim(source.substr(i + 1, end - i - 1))};
    if (!t.document.empty()) return t;
  }
  return std::nullopt;
}

// "- item", "* item", "• item", "1. item", "2) item".
std::vector<std::string> bullet_items(std::string_view text) {
  std::vector<std::string> items;
  for (const auto& para : paragraphs(text)) {
    std::size_t pos = 0;
    while (pos <= para.size()) {
      std::size_t nl = para.find('\n', pos);
      std::string_view line =
          std::string_view(para).substr(pos, nl == std::string::npos ? nl : nl - pos);
      std::size_t skip = 0;
      if (line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0) {
        skip = 2;
      } else if (line.rfind("\u2022", 0) == 0) {
        skip = std::string_view("\u2022").size();
      } else {
        std::size_t d = 0;
        while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
        if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') &&
            line[d + 1] == ' ') {
          skip = d + 2;
        }
      }
      if (skip > 0) {
        std::string item = trim(line.substr(skip));
        if (!item.empty()) items.push_back(std::move(item));
      }
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  return items;
}

std::string as_sentence(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ';' || s.back() == ',')) s.pop_back();
  if (s.empty()) return s;
  if (std::islower(static_cast<unsigned char>(s[0]))) {
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  }
  if (s.back() != '!' && s.back() != '?') s += '.';
  return s;
}

// The value after "Label:" on its own line ("Product: Kettle" -> "Kettle"); `lower_label` is
// lower case and matched ignoring case. The lines of paragraphs(text), without building them.
std::string labelled(std::string_view text, std::string_view lower_label) {
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    const std::size_t first = line.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos) {
      line.remove_prefix(first);
      if (starts_with_ignoring_case(line, lower_label))
        return trim(line.substr(lower_label.size()));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return {};
}

// One paragraph per bullet, blank lines between (what an "expand these bullets" task asks).
std::string expand_bullets(const std::vector<std::string>& items) {
  static constexpr std::array<std::string_view, 3> kFollowUps = {
      "This matters because it shapes the everyday experience of the people who rely on it.",
      "In practice, it saves time and removes a common source of mistakes.",
      "Together with the other points, it makes the overall result easier to trust."};
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!out.empty()) out += "\n\n";
    out += fmt::format("{} {}", as_sentence(items[i]), kFollowUps[i % kFollowUps.size()]);
  }
  return out;
}

// A Markdown post: "# Title", an introduction, "## " sections.
std::string blog_post(const std::string& topic) {
  std::string title = as_sentence(topic);
  title.pop_back();  // a title has no full stop
  return fmt::format(
      "# {0}\n\n{0} comes up often, and it deserves a clear explanation. This post covers what it "
      "is, why it matters and how to get started.\n\n## Why it matters\n\nGetting {1} right "
      "saves time, avoids surprises and makes later decisions easier.\n\n## How to get started"
      "\n\nStart small, measure the result and build on what works. Write down what you learn "
      "so the next step is easier.\n\n## Conclusion\n\n{0} is easier than it looks once the "
      "basics are in place.",
      title, lower(topic));
}

std::string product_description(const std::string& name, const std::vector<std::string>& features,
                                const std::string& audience) {
  std::string list;
  for (std::size_t i = 0; i < features.size(); ++i) {
    std::string f = features[i];
    while (!f.empty() && f.back() == '.') f.pop_back();
    if (i > 0) list += i + 1 == features.size() ? " and " : ", ";
    list += lower(f.substr(0, 1)) + f.substr(1);
  }
  std::string out = fmt::format("Meet {}.", name);
  if (!list.empty()) out += fmt::format(" It offers {}.", list);
  if (!audience.empty()) out += fmt::format(" Made for {}.", lower(audience));
  return out + " Everything you need, nothing you do not.";
}

std::string leading_sentences(std::vector<std::string> paras, bool drop_instruction) {
  if (drop_instruction && paras.size() >= 2 && is_instruction(paras.front())) {
    paras.erase(paras.begin());
  }
  if (paras.empty()) return {};
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
    if (picked.size() > 1 && s.back() != ':') s = as_sentence(std::move(s));
    if (!reply.empty()) reply += ' ';
    reply += s;
  }
  if (picked.size() == 1 && reply.back() == '?') return "Regarding your question: " + reply;
  return reply;
}

std::string compose(std::string_view source) {
  auto tagged = tagged_block(source);
  std::string instruction = lower(tagged ? tagged->instruction : std::string(source));
  std::string_view document = tagged ? std::string_view(tagged->document) : source;

  if (instruction.find("expand") != std::string::npos) {
    auto items = bullet_items(document);
    if (!items.empty()) return expand_bullets(items);
  }
  if (std::size_t at = instruction.find("blog post about:"); at != std::string::npos) {
    // `at` indexes the lower-cased instruction, so the label is searched in the original text
    // and the fallback keeps only the rest of that one line.
    std::string original = tagged ? tagged->instruction : std::string(source);
    std::string topic = labelled(original, "write a blog post about:");
    if (topic.empty()) {
      std::string_view rest = std::string_view(original).substr(at + 16);
      topic = trim(rest.substr(0, std::min(rest.find('\n'), std::size_t{80})));
    }
    if (!topic.empty()) return blog_post(topic);
  }
  std::string product = labelled(source, "product:");
  if (!product.empty() && instruction.find("product description") != std::string::npos) {
    return product_description(product, bullet_items(source), labelled(source, "target audience:"));
  }
  // A rewrite keeps everything; anything else gets the leading sentences.
  if (tagged && (instruction.find("rewrite") != std::string::npos ||
                 instruction.find("rephrase") != std::string::npos)) {
    std::string all;
    for (const auto& p : paragraphs(document)) all += (all.empty() ? "" : "\n\n") + p;
    return all;
  }
  return leading_sentences(paragraphs(document), !tagged);
}

}  // namespace

std::string compose_reply(std::string_view source) {
  // The prompt is cleaned before it is taken apart: composing drops labels ("Password:" as
  // the first words of a paragraph) that redaction needs to see to know what follows is
  // secret.
  std::string reply = compose(redact_secrets(source));
  if (trim(reply).empty()) return "Hello! How can I help you today?";
  if (count_words(reply) < kShortPromptWords) {
    return fmt::format("Thanks for your message (\"{}\"). How can I help you further?", reply);
  }
  return reply;
}

}  // namespace bedrock::emulator::model::detail
