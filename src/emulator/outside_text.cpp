#include "outside_text.h"

#include "bedrock/core/utf8.h"

namespace bedrock::emulator {

std::string valid_utf8(std::string_view text) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  while (auto bad = first_invalid_utf8(text)) {
    out.append(text.substr(0, *bad)).append(kReplacement);
    text.remove_prefix(*bad + 1);
  }
  out.append(text);
  return out;
}

}  // namespace bedrock::emulator
