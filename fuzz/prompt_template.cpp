// Prompt templates from a user's config file: "{{placeholder}}" slots checked against the
// task's allowed names. Properties, for an accepted template: every placeholder it uses is
// allowed, and rendering with empty values never grows the text.
#include "bedrock/content/prompt_template.h"

#include <algorithm>

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> allowed = {"text", "topic", "tone"};
  auto parsed = bedrock::content::PromptTemplate::parse(
      std::string(bedrock::fuzz::as_text(data, size)), allowed, "fuzz");
  if (!parsed) return 0;
  for (const auto& name : parsed->placeholders()) {
    FUZZ_CHECK(std::find(allowed.begin(), allowed.end(), name) != allowed.end());
  }
  FUZZ_CHECK(parsed->render({}).size() <= size);
  (void)parsed->render({{"text", "a document"}, {"topic", "{{text}}"}, {"tone", "}}"}});
  return 0;
}
