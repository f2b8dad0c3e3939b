#include <fmt/format.h>

#include "bedrock/content/generator_steps.h"

namespace bedrock::content {

Result<std::string> style_instruction(std::string_view style, bool* builtin) {
  struct Builtin {
    std::string_view name;
    std::string_view instruction;
  };
  static constexpr Builtin kStyles[] = {
      {"professional", "in a professional, polished business tone."},
      {"casual", "in a casual, friendly, conversational tone."},
      {"academic", "in a formal academic register, precise and impersonal."},
      {"simplify",
       "in plain, simple language that a 12-year-old can follow, with short sentences."},
  };
  for (const auto& s : kStyles) {
    if (s.name == style) {
      if (builtin != nullptr) *builtin = true;
      return std::string(s.instruction);
    }
  }
  if (builtin != nullptr) *builtin = false;
  if (style.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail(ErrorCode::Validation,
                "style is empty: use professional, casual, academic, simplify or a description");
  }
  if (style.size() > 500) {
    return fail(ErrorCode::Validation,
                fmt::format("style description is {} bytes; at most 500 allowed", style.size()));
  }
  return fmt::format("in this style: {}.", style);
}

Result<TaskCall> rephrase_call(const RephraseInput& input) {
  if (input.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return fail(ErrorCode::Validation, "nothing to rephrase: the text is empty");
  }
  auto instruction = style_instruction(input.style);
  if (!instruction) return fail(instruction.error());
  TaskCall call{Task::Rephrase, "user", {}, false};
  call.values["text"] = input.text;
  call.values["style"] = input.style;
  call.values["style_instruction"] = *instruction;
  call.attachments = input.attachments;
  return call;
}

Rephrased finish_rephrase(const RephraseInput& input, CallOutput out) {
  bool builtin = false;
  (void)style_instruction(input.style, &builtin);
  return Rephrased{std::move(out.text), input.style, builtin, std::move(out.record)};
}

Result<Rephrased> rephrase(const GenerationContext& ctx, const RephraseInput& input) {
  auto call = rephrase_call(input);
  if (!call) return fail(call.error());
  auto out = call_task(ctx, *call);
  if (!out) return fail(out.error());
  return finish_rephrase(input, std::move(*out));
}

}  // namespace bedrock::content
