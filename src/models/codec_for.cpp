#include "bedrock/models/codec.h"
#include "codec_families.h"

namespace bedrock::models {

const ModelCodec& codec_for(ModelFamily family) {
  using F = ModelFamily;
  switch (family) {
    case F::AnthropicMessages:
      return detail::anthropic_messages_codec();
    case F::AnthropicText:
      return detail::anthropic_text_codec();
    case F::TitanText:
      return detail::titan_text_codec();
    case F::Nova:
      return detail::nova_codec();
    case F::Llama2:
      return detail::llama2_codec();
    case F::Llama3:
      return detail::llama3_codec();
    case F::MistralText:
      return detail::mistral_text_codec();
    case F::MistralChat:
      return detail::mistral_chat_codec();
    case F::CohereCommand:
      return detail::cohere_command_codec();
    case F::CohereCommandR:
      return detail::cohere_command_r_codec();
    case F::Ai21Jurassic:
      return detail::ai21_jurassic_codec();
    case F::Ai21Jamba:
      return detail::ai21_jamba_codec();
    case F::DeepSeek:
      return detail::deepseek_codec();
    case F::OpenAiGptOss:
      return detail::gpt_oss_codec();
  }
  return detail::anthropic_messages_codec();
}

}  // namespace bedrock::models
