// Family dispatch for native InvokeModel bodies, and the helpers every family shares.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "families.h"
#include "render.h"
#include "request_checks.h"

namespace bedrock::emulator::model {
namespace detail {
namespace {

std::uint64_t fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::string_view part : {a, std::string_view("\x1f"), b}) {
    for (unsigned char c : part) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  return h;
}

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void finalize(EmulatedRequest& request, const ModelInfo& model, std::string_view model_reads) {
  request.family = model.family;
  request.model_id = model.id;
  request.prompt_text.clear();
  for (const auto& turn : request.turns) {
    if (!request.prompt_text.empty()) request.prompt_text += "\n\n";
    request.prompt_text += turn.text;
  }
  if (!model_reads.empty()) {
    request.input_tokens = estimate_tokens(model_reads);
    return;
  }
  int tokens = estimate_tokens(request.system_text);
  for (const auto& turn : request.turns) tokens += estimate_tokens(turn.text);
  request.input_tokens = tokens;
}

std::string derive_id(std::string_view seed, std::string_view salt, std::size_t length,
                      std::string_view alphabet) {
  std::uint64_t state = fnv1a(salt, seed);
  std::string out;
  out.reserve(length);
  while (out.size() < length) out += alphabet[splitmix(state) % alphabet.size()];
  return out;
}

std::string derive_uuid(std::string_view seed, std::string_view salt) {
  std::string hex = derive_id(seed, salt, 32, kHex);
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

std::string id_seed(const EmulatedRequest& request, const ResponseContext& context) {
  if (!context.request_id.empty()) return context.request_id;
  const std::string max_tokens = std::to_string(request.max_tokens);
  std::string seed;
  seed.reserve(request.model_id.size() + request.system_text.size() + request.prompt_text.size() +
               max_tokens.size() + 3);
  for (std::string_view part :
       {std::string_view(request.model_id), std::string_view(request.system_text),
        std::string_view(request.prompt_text)}) {
    seed.append(part).push_back('\x1f');
  }
  return seed.append(max_tokens);
}

std::optional<std::string> converse_order_error(const std::vector<EmulatedTurn>& turns) {
  if (turns.empty() || turns.front().role != Role::User) {
    return "A conversation must start with a user message. Try again with a conversation that "
           "starts with a user message.";
  }
  for (std::size_t i = 1; i < turns.size(); ++i) {
    if (turns[i].role == turns[i - 1].role) {
      return "A conversation must alternate between user and assistant roles. Make sure the "
             "conversation alternates between user and assistant roles and try again.";
    }
  }
  return std::nullopt;
}

std::int64_t output_cap(const ModelInfo& model) {
  return model.max_output_tokens > 0 ? model.max_output_tokens : INT32_MAX;
}

int default_max_tokens(const ModelInfo& model, int preferred) {
  return static_cast<int>(std::min<std::int64_t>(preferred, output_cap(model)));
}

}  // namespace detail

int estimate_tokens(std::string_view text) {
  // Code points = bytes that do not continue a UTF-8 sequence; ~4 per token, rounded up.
  std::size_t points = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  return static_cast<int>((points + 3) / 4);
}

std::string anthropic_model_name(std::string_view model_id) {
  std::string_view name = model_id;
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name = name.substr(slash + 1);
  if (auto at = name.find("anthropic."); at != std::string_view::npos) {
    name = name.substr(at + 10);
  }
  // Drop the Bedrock version suffix ("-v1:0", "-v2") after a dated name; Anthropic's own
  // model names end with the date ("claude-3-haiku-20240307").
  if (auto v = name.rfind("-v"); v != std::string_view::npos && v >= 8) {
    std::string_view date = name.substr(v - 8, 8);
    if (std::all_of(date.begin(), date.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      name = name.substr(0, v);
    }
  }
  return std::string(name);
}

Result<EmulatedRequest> parse_native_request(const ModelInfo& model, std::string_view body) {
  auto parsed = detail::parse_native_body(model, body);
  if (!parsed) return parsed;
  if (auto too_long = detail::context_error(model, *parsed)) return fail(std::move(*too_long));
  return parsed;
}

namespace detail {

std::optional<Error> context_error(const ModelInfo& model, const EmulatedRequest& request) {
  // Only for models in the table: an unknown model's limits are guesses, and the real one
  // may well accept more.
  if (!model.known || model.context_window <= 0) return std::nullopt;
  if (request.input_tokens <= model.context_window) return std::nullopt;
  return validation_error("Input is too long for requested model.");
}

Result<EmulatedRequest> parse_native_body(const ModelInfo& model, std::string_view body) {
  auto doc = detail::parse_object_body(body);
  if (!doc) return fail(doc.error());
  switch (model.family) {
    case ModelFamily::AnthropicMessages:
      return detail::parse_anthropic_messages(model, *doc);
    case ModelFamily::AnthropicText:
      return detail::parse_anthropic_text(model, *doc);
    case ModelFamily::TitanText:
      return detail::parse_titan_text(model, *doc);
    case ModelFamily::Nova:
      return detail::parse_nova(model, *doc);
    case ModelFamily::Llama2:
    case ModelFamily::Llama3:
      return detail::parse_llama(model, *doc);
    case ModelFamily::MistralText:
      // Mistral Large 24.02 speaks both the text and the chat API (docs/wire-protocol.md §7.7); the
      // body decides, and the response takes the same shape.
      if (model.id.find("mistral-large-2402") != std::string::npos && doc->contains("messages") &&
          !doc->contains("prompt")) {
        auto chat = detail::parse_mistral_chat(model, *doc);
        if (chat) chat->family = ModelFamily::MistralChat;
        return chat;
      }
      return detail::parse_mistral_text(model, *doc);
    case ModelFamily::MistralChat:
      return detail::parse_mistral_chat(model, *doc);
    case ModelFamily::CohereCommand:
      return detail::parse_cohere_command(model, *doc);
    case ModelFamily::CohereCommandR:
      return detail::parse_cohere_command_r(model, *doc);
    case ModelFamily::Ai21Jurassic:
      return detail::parse_jurassic(model, *doc);
    case ModelFamily::Ai21Jamba:
      return detail::parse_jamba(model, *doc);
    case ModelFamily::DeepSeek:
      return detail::parse_deepseek(model, *doc);
    case ModelFamily::OpenAiGptOss:
      return detail::parse_gpt_oss(model, *doc);
  }
  return fail(detail::validation_error("The provided model identifier is invalid."));
}

}  // namespace detail

std::string render_native_response(const ModelInfo& model, const EmulatedRequest& request,
                                   const EmulatedAnswer& answer, const ResponseContext& context) {
  std::string seed = detail::id_seed(request, context);
  std::string body;
  body.reserve(256 + answer.text.size() + answer.reasoning.size());
  detail::JsonOut out(body);
  // The request's family, not the model's, picks the shape: a model that speaks two APIs
  // answers in the one it was asked in.
  ModelInfo shaped = model;
  shaped.family = request.family;
  switch (shaped.family) {
    case ModelFamily::AnthropicMessages:
      detail::render_anthropic_messages(out, shaped, request, answer, seed, context.cache);
      break;
    case ModelFamily::AnthropicText:
      detail::render_anthropic_text(out, answer);
      break;
    case ModelFamily::TitanText:
      detail::render_titan_text(out, answer);
      break;
    case ModelFamily::Nova:
      detail::render_nova(out, answer);
      break;
    case ModelFamily::Llama2:
    case ModelFamily::Llama3:
      detail::render_llama(out, shaped, answer);
      break;
    case ModelFamily::MistralText:
      detail::render_mistral_text(out, answer);
      break;
    case ModelFamily::MistralChat:
      detail::render_mistral_chat(out, shaped, answer);
      break;
    case ModelFamily::CohereCommand:
      detail::render_cohere_command(out, request, answer, seed);
      break;
    case ModelFamily::CohereCommandR:
      detail::render_cohere_command_r(out, request, answer, seed);
      break;
    case ModelFamily::Ai21Jurassic:
      detail::render_jurassic(out, request, answer, seed);
      break;
    case ModelFamily::Ai21Jamba:
      detail::render_jamba(out, shaped, request, answer, seed);
      break;
    case ModelFamily::DeepSeek:
      detail::render_deepseek(out, request, answer);
      break;
    case ModelFamily::OpenAiGptOss:
      detail::render_gpt_oss(out, shaped, answer, seed, context.created_unix_seconds);
      break;
  }
  return body;
}

std::string_view native_stop_reason(ModelFamily family, StopReason reason) {
  bool length = reason == StopReason::MaxTokens;
  bool stop_seq = reason == StopReason::StopSequence;
  switch (family) {
    case ModelFamily::AnthropicMessages:
    case ModelFamily::Nova:
      return converse_stop_reason(reason);
    case ModelFamily::AnthropicText:
      // Claude text completions end on the "\n\nHuman:" stop sequence (docs/wire-protocol.md §7.2).
      return length ? "max_tokens" : "stop_sequence";
    case ModelFamily::TitanText:
      if (reason == StopReason::ContentFiltered) return "CONTENT_FILTERED";
      return length ? "LENGTH" : stop_seq ? "STOP_CRITERIA_MET" : "FINISHED";
    case ModelFamily::CohereCommand:
    case ModelFamily::CohereCommandR:
      if (reason == StopReason::ContentFiltered) return "ERROR_TOXIC";
      return length ? "MAX_TOKENS" : "COMPLETE";
    case ModelFamily::Ai21Jurassic:
      return length ? "length" : stop_seq ? "stop" : "endoftext";
    case ModelFamily::MistralChat:
    case ModelFamily::OpenAiGptOss:
      if (reason == StopReason::ToolUse) return "tool_calls";
      return length ? "length" : "stop";
    case ModelFamily::Llama2:
    case ModelFamily::Llama3:
    case ModelFamily::MistralText:
    case ModelFamily::Ai21Jamba:
    case ModelFamily::DeepSeek:
      return length ? "length" : "stop";
  }
  return "stop";
}

std::string_view converse_stop_reason(StopReason reason) {
  switch (reason) {
    case StopReason::MaxTokens:
      return "max_tokens";
    case StopReason::StopSequence:
      return "stop_sequence";
    case StopReason::ContentFiltered:
      return "content_filtered";
    case StopReason::ToolUse:
      return "tool_use";
    case StopReason::EndTurn:
    case StopReason::Unknown:
      return "end_turn";
  }
  return "end_turn";
}

}  // namespace bedrock::emulator::model
