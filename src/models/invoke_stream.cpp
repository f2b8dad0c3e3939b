// InvokeModelWithResponseStream (docs/wire-protocol.md §9.3): each event's payload is {"bytes":
// base64 of one native chunk} (plus Bedrock's "p" padding); the chunk goes to the family's codec.
#include <fmt/format.h>

#include "bedrock/core/base64.h"
#include "bedrock/models/codec.h"
#include "bedrock/models/stream_decode.h"
#include "stream_support.h"

namespace bedrock::models {

Result<std::vector<StreamEvent>> ModelCodec::decode_stream_chunk(std::string_view,
                                                                 StreamState&) const {
  return fail(ErrorCode::Validation,
              fmt::format("{} models cannot be streamed by this client: the shape of their "
                          "stream chunks is not known; use InvokeModel or ConverseStream",
                          to_string(family())));
}

bool supports_invoke_stream(ModelFamily family) {
  switch (family) {
    case ModelFamily::AnthropicMessages:
    case ModelFamily::AnthropicText:
    case ModelFamily::TitanText:
    case ModelFamily::Nova:
    case ModelFamily::Llama2:
    case ModelFamily::Llama3:
    case ModelFamily::MistralText:
    case ModelFamily::DeepSeek:
    case ModelFamily::MistralChat:
    case ModelFamily::CohereCommandR:
    case ModelFamily::Ai21Jamba:
    case ModelFamily::OpenAiGptOss:
      return true;
    case ModelFamily::CohereCommand:
    case ModelFamily::Ai21Jurassic:
      return false;
  }
  return false;
}

InvokeStreamDecoder::InvokeStreamDecoder(ModelFamily family, StreamLimits limits)
    : family_(family) {
  state_.limits = limits;
}

Result<std::vector<StreamEvent>> InvokeStreamDecoder::decode(
    const EventStreamMessageView& message) {
  const auto type = message.string_header(":message-type");
  if (!type) return fail(ErrorCode::InvalidResponse, "invoke-stream message has no :message-type");
  if (*type == "exception" || *type == "error") {
    // Same typing as ConverseStream; only the event payloads differ.
    return decode_converse_stream_message(message, state_.limits);
  }
  if (*type != "event") {
    return fail(ErrorCode::InvalidResponse,
                fmt::format("invoke-stream message has an unknown :message-type \"{}\"", *type));
  }
  if (message.string_header(":event-type") != std::optional<std::string_view>("chunk")) {
    return std::vector<StreamEvent>{};  // the only event member today; newer ones are skipped
  }
  auto payload = detail::parse_stream_object(message.payload, state_.limits.max_payload_bytes,
                                             state_.limits, "invoke-stream chunk event");
  if (!payload) return fail(payload.error());
  const detail::Json* bytes = detail::at(*payload, "/bytes");
  if (bytes == nullptr || !bytes->is_string()) {
    return fail(ErrorCode::InvalidResponse, "invoke-stream chunk event has no \"bytes\" string");
  }
  auto chunk = base64_decode(bytes->get_ref<const std::string&>());
  if (!chunk) {
    return fail(ErrorCode::InvalidResponse, "invoke-stream chunk \"bytes\" is not valid base64");
  }
  return codec_for(family_).decode_stream_chunk(*chunk, state_);
}

}  // namespace bedrock::models
