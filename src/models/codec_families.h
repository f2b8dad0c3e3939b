// One accessor per family codec (each defined in its own file pair); codec_for() dispatches.
#pragma once

#include "bedrock/models/codec.h"

namespace bedrock::models::detail {

const ModelCodec& anthropic_messages_codec();
const ModelCodec& anthropic_text_codec();
const ModelCodec& titan_text_codec();
const ModelCodec& nova_codec();
const ModelCodec& llama2_codec();
const ModelCodec& llama3_codec();
const ModelCodec& mistral_text_codec();
const ModelCodec& mistral_chat_codec();
const ModelCodec& cohere_command_codec();
const ModelCodec& cohere_command_r_codec();
const ModelCodec& ai21_jurassic_codec();
const ModelCodec& ai21_jamba_codec();
const ModelCodec& deepseek_codec();
const ModelCodec& gpt_oss_codec();

// Shared between an Anthropic Messages codec's two readings (whole body, stream chunks).
StopReason anthropic_stop(std::string_view raw);
Result<std::vector<StreamEvent>> decode_anthropic_stream_chunk(std::string_view chunk,
                                                               StreamState& state);

}  // namespace bedrock::models::detail
