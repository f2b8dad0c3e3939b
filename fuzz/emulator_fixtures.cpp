// Fixture matching against the prompts clients send (the untrusted side): a fixed rule set
// with substring and regex rules, the input as the prompt. With the first byte 'F', the rest
// is parsed as a fixtures file instead (operator-written, but still a parser of outside text),
// without "regex" rules.
#include "emulator/fixtures.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bedrock::emulator::Fixtures;
  const std::string_view text = bedrock::fuzz::as_text(data, size);
  if (!text.empty() && text.front() == 'F') {
    // The operator writes the patterns: std::regex compiles them recursively, so a hostile
    // pattern is not a finding here. Prompts meeting the patterns are (below).
    if (text.find("regex") != std::string_view::npos) return 0;
    if (auto file = Fixtures::parse(text.substr(1))) {
      (void)file->match("anthropic.claude-3-haiku-20240307-v1:0",
                        "anthropic.claude-3-haiku-20240307-v1:0", "What is the weather?");
    }
    return 0;
  }
  static const Fixtures rules = [] {
    auto parsed = Fixtures::parse(R"({"fixtures": [
      {"model": "anthropic.*", "contains": "weather", "response": "Sunny."},
      {"model": "amazon.*", "regex": "^Translate .* to French", "response": "Bonjour."},
      {"regex": "(order|invoice) #[0-9]+", "response": "Found it."},
      {"contains": "explode", "error": {"type": "ModelErrorException", "message": "boom"}}]})");
    FUZZ_CHECK(parsed.has_value());
    return std::move(*parsed);
  }();
  const auto* rule = rules.match("amazon.nova-micro-v1:0", "amazon.nova-micro-v1:0", text);
  if (text.find("explode") != std::string_view::npos) FUZZ_CHECK(rule != nullptr);
  return 0;
}
