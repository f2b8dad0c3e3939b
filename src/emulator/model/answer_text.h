// Text helpers behind the emulator's deterministic answers (answer.cpp, reply.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock::emulator::model::detail {

std::string lower(std::string_view s);
// Whether `word` starts with `lower_prefix` (lower-case ASCII), ignoring the case of `word`.
bool starts_with_ignoring_case(std::string_view word, std::string_view lower_prefix);
bool is_space(char c);
std::vector<std::string> split_words(std::string_view text);
// split_words(text).size(), without building the words.
std::size_t count_words(std::string_view text);
// Blocks of non-blank lines, each line trimmed, joined by "\n".
std::vector<std::string> paragraphs(std::string_view text);
// Sentences of a paragraph; bullet lines ("- x", "* x") are sentences of their own.
std::vector<std::string> sentences(const std::string& paragraph);
// `text` in pieces of a few words for streaming, each keeping the whitespace after it, so the
// pieces concatenate to `text` and never split a UTF-8 sequence. Empty for empty text.
std::vector<std::string_view> delta_pieces(std::string_view text);
// The credential-free version of `text`, words joined by single spaces.
std::string redact_secrets(std::string_view text);

// The reply to a user turn (before stop sequences and truncation).
std::string compose_reply(std::string_view source);

}  // namespace bedrock::emulator::model::detail
