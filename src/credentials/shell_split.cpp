#include "shell_split.h"

namespace bedrock::credentials::cred_detail {

Result<std::vector<std::string>> shell_split(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) {
        return fail(ErrorCode::ConfigurationInvalid,
                    "credential_process ends with a backslash (nothing to escape)");
      }
      word += command[++i];
      in_word = true;
    } else if (c == '\'') {
      size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return fail(ErrorCode::ConfigurationInvalid,
                    "credential_process has an unterminated single quote");
      }
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
      in_word = true;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < command.size() && command[j] != '"'; ++j) {
        if (command[j] == '\\' && j + 1 < command.size() &&
            (command[j + 1] == '"' || command[j + 1] == '\\')) {
          ++j;
        }
        word += command[j];
      }
      if (j >= command.size()) {
        return fail(ErrorCode::ConfigurationInvalid,
                    "credential_process has an unterminated double quote");
      }
      i = j;
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace bedrock::credentials::cred_detail
