// InvokeModelWithResponseStream chunks per family (docs/wire-protocol.md §7 "Stream chunk" lines
// and §9.3): the same answer as InvokeModel, a few words per chunk, the stop reason and
// "amazon-bedrock-invocationMetrics" in the last chunk. Command R streams Cohere's chat stream
// events; Mistral chat, Jamba and gpt-oss chat-completion chunks (shapes as public clients read
// them, unconfirmed against captures).
#include <algorithm>

#include "answer_text.h"
#include "families.h"
#include "stream_render.h"

namespace bedrock::emulator::model {
namespace {

using detail::JsonOut;

// With cache usage (Claude), inputTokenCount is the uncached rest, as in the body's usage, and
// the cache counts follow under the names public clients read.
void write_metrics(JsonOut& out, const EmulatedAnswer& answer, const StreamTiming& timing,
                   const CacheUsage& cache = {}) {
  out.key("amazon-bedrock-invocationMetrics").begin_object();
  if (cache.present) {
    out.member("inputTokenCount",
               std::max(0, answer.input_tokens - cache.read_tokens - cache.write_tokens))
        .member("outputTokenCount", answer.output_tokens)
        .member("cacheReadInputTokenCount", cache.read_tokens)
        .member("cacheWriteInputTokenCount", cache.write_tokens);
  } else {
    out.member("inputTokenCount", answer.input_tokens)
        .member("outputTokenCount", answer.output_tokens);
  }
  out.member("invocationLatency", timing.invocation_latency_ms)
      .member("firstByteLatency", timing.first_byte_latency_ms)
      .end_object();
}

// Appends one chunk: a JSON object whose members `write` adds.
template <typename Write>
void add_chunk(std::vector<std::string>& chunks, Write write) {
  std::string text;
  JsonOut out(text);
  out.begin_object();
  write(out);
  out.end_object();
  chunks.push_back(std::move(text));
}

// Families whose chunks are "one object per piece of text, the last one also saying why it
// stopped": `piece` writes a chunk's members for a piece; `last` adds the final members.
template <typename Piece, typename Last>
std::vector<std::string> piecewise(std::string_view text, const EmulatedAnswer& answer,
                                   const StreamTiming& timing, Piece piece, Last last) {
  std::vector<std::string_view> pieces = detail::delta_pieces(text);
  if (pieces.empty()) pieces.push_back({});  // one chunk still carries the stop and metrics
  std::vector<std::string> chunks;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool first = i == 0;
    const bool final = i + 1 == pieces.size();
    std::string chunk;
    JsonOut out(chunk);
    out.begin_object();
    piece(out, pieces[i], first, final);
    if (final) {
      last(out);
      write_metrics(out, answer, timing);
    }
    out.end_object();
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

std::vector<std::string> anthropic_messages(const ModelInfo& model, const EmulatedAnswer& answer,
                                            const StreamTiming& timing, const std::string& seed,
                                            const CacheUsage& cache) {
  std::vector<std::string> chunks;
  const auto chunk = [&chunks](auto write) { add_chunk(chunks, write); };
  chunk([&](JsonOut& out) {
    out.member("type", "message_start").key("message").begin_object();
    out.member("id", "msg_bdrk_01" + detail::derive_id(seed, "anthropic-id", 22, detail::kBase62))
        .member("type", "message")
        .member("role", "assistant");
    out.key("content").begin_array().end_array();
    out.member("model", anthropic_model_name(model.id));
    out.key("stop_reason").null().key("stop_sequence").null();
    detail::write_anthropic_usage(out, answer.input_tokens, 1, cache);
    out.end_object();
  });
  chunk([&](JsonOut& out) {
    out.member("type", "content_block_start").member("index", 0);
    out.key("content_block").begin_object().member("type", "text").member("text", "").end_object();
  });
  for (std::string_view piece : detail::delta_pieces(answer.text)) {
    chunk([&](JsonOut& out) {
      out.member("type", "content_block_delta").member("index", 0);
      out.key("delta")
          .begin_object()
          .member("type", "text_delta")
          .member("text", piece)
          .end_object();
    });
  }
  chunk([&](JsonOut& out) { out.member("type", "content_block_stop").member("index", 0); });
  chunk([&](JsonOut& out) {
    out.member("type", "message_delta").key("delta").begin_object();
    detail::write_anthropic_stop(out, model, answer);
    out.end_object();
    out.key("usage").begin_object().member("output_tokens", answer.output_tokens).end_object();
  });
  chunk([&](JsonOut& out) {
    out.member("type", "message_stop");
    write_metrics(out, answer, timing, cache);
  });
  return chunks;
}

std::vector<std::string> nova(const EmulatedAnswer& answer, const StreamTiming& timing) {
  std::vector<std::string> chunks;
  const auto chunk = [&chunks](auto write) { add_chunk(chunks, write); };
  chunk([](JsonOut& out) {
    out.key("messageStart").begin_object().member("role", "assistant").end_object();
  });
  for (std::string_view piece : detail::delta_pieces(answer.text)) {
    chunk([&](JsonOut& out) {
      out.key("contentBlockDelta").begin_object();
      out.key("delta").begin_object().member("text", piece).end_object();
      out.member("contentBlockIndex", 0).end_object();
    });
  }
  chunk([](JsonOut& out) {
    out.key("contentBlockStop").begin_object().member("contentBlockIndex", 0).end_object();
  });
  chunk([&](JsonOut& out) {
    out.key("messageStop")
        .begin_object()
        .member("stopReason", native_stop_reason(ModelFamily::Nova, answer.stop_reason))
        .end_object();
  });
  chunk([&](JsonOut& out) {
    out.key("metadata").begin_object().key("usage").begin_object();
    out.member("inputTokens", answer.input_tokens)
        .member("outputTokens", answer.output_tokens)
        .end_object()
        .end_object();
    write_metrics(out, answer, timing);
  });
  return chunks;
}

// Cohere's chat stream events (Command R/R+): stream-start with the generation id, one
// text-generation per piece, stream-end with the whole response and the finish reason.
std::vector<std::string> cohere_command_r(const EmulatedRequest& request,
                                          const EmulatedAnswer& answer, const StreamTiming& timing,
                                          const std::string& seed) {
  std::vector<std::string> chunks;
  const auto chunk = [&chunks](auto write) { add_chunk(chunks, write); };
  const std::string generation_id = detail::derive_uuid(seed, "cohere-generation");
  const std::string_view reason =
      native_stop_reason(ModelFamily::CohereCommandR, answer.stop_reason);
  chunk([&](JsonOut& out) {
    out.key("is_finished")
        .raw("false")
        .member("event_type", "stream-start")
        .member("generation_id", generation_id);
  });
  for (std::string_view piece : detail::delta_pieces(answer.text)) {
    chunk([&](JsonOut& out) {
      out.key("is_finished").raw("false");
      out.member("event_type", "text-generation").member("text", piece);
    });
  }
  chunk([&](JsonOut& out) {
    out.key("is_finished").raw("true");
    out.member("event_type", "stream-end").member("finish_reason", reason);
    out.key("response").begin_object();
    out.member("response_id", detail::derive_uuid(seed, "cohere-response"))
        .member("text", answer.text)
        .member("generation_id", generation_id);
    out.key("chat_history").begin_array();
    for (const auto& turn : request.turns) {
      out.begin_object()
          .member("role", turn.role == Role::User ? "USER" : "CHATBOT")
          .member("message", turn.text)
          .end_object();
    }
    out.begin_object().member("role", "CHATBOT").member("message", answer.text).end_object();
    out.end_array();
    out.member("finish_reason", reason).end_object();
    write_metrics(out, answer, timing);
  });
  return chunks;
}

// The pieces of gpt-oss's content, "<reasoning>…</reasoning>answer" as InvokeModel returns it,
// with each tag a piece of its own so no chunk splits one.
std::vector<std::string_view> gpt_oss_pieces(const EmulatedAnswer& answer) {
  std::vector<std::string_view> pieces{"<reasoning>"};
  for (std::string_view p : detail::delta_pieces(answer.reasoning)) pieces.push_back(p);
  pieces.push_back("</reasoning>");
  for (std::string_view p : detail::delta_pieces(answer.text)) pieces.push_back(p);
  return pieces;
}

// OpenAI-style chat completion chunks (Jamba, gpt-oss): {"choices":[{"index":0,"delta":
// {"content"},"finish_reason"}]}, the role in the first delta, the finish reason and usage
// in the last chunk.
std::vector<std::string> chat_completion_chunks(const ModelInfo& model,
                                                std::vector<std::string_view> pieces,
                                                const EmulatedAnswer& answer,
                                                const StreamTiming& timing, std::string_view id,
                                                std::int64_t created, bool openai) {
  if (pieces.empty()) pieces.push_back({});
  std::vector<std::string> chunks;
  const std::string_view reason = native_stop_reason(model.family, answer.stop_reason);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool final = i + 1 == pieces.size();
    add_chunk(chunks, [&](JsonOut& out) {
      out.member("id", id);
      if (openai) {
        out.member("object", "chat.completion.chunk")
            .member("created", created)
            .member("model", model.id);
      }
      out.key("choices").begin_array().begin_object().member("index", 0);
      out.key("delta").begin_object();
      if (i == 0) out.member("role", "assistant");
      out.member("content", pieces[i]).end_object();
      out.key("finish_reason");
      if (final) {
        out.string(reason);
      } else {
        out.null();
      }
      out.end_object().end_array();
      if (final) {
        out.key("usage")
            .begin_object()
            .member("prompt_tokens", answer.input_tokens)
            .member("completion_tokens", answer.output_tokens)
            .member("total_tokens", answer.input_tokens + answer.output_tokens)
            .end_object();
        write_metrics(out, answer, timing);
      }
    });
  }
  return chunks;
}

}  // namespace

bool streams_natively(ModelFamily family) {
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

std::optional<std::vector<std::string>> render_native_stream(const ModelInfo& model,
                                                             const EmulatedRequest& request,
                                                             const EmulatedAnswer& answer,
                                                             const StreamTiming& timing,
                                                             const ResponseContext& context) {
  // As in render_native_response, the request's family picks the shape.
  const ModelFamily family = request.family;
  if (!streams_natively(family)) return std::nullopt;
  const auto reason = [&](ModelFamily f) { return native_stop_reason(f, answer.stop_reason); };
  switch (family) {
    case ModelFamily::AnthropicMessages: {
      ModelInfo shaped = model;
      shaped.family = family;
      return anthropic_messages(shaped, answer, timing, detail::id_seed(request, context),
                                context.cache);
    }
    case ModelFamily::AnthropicText:
      return piecewise(
          answer.text, answer, timing,
          [](JsonOut& out, std::string_view piece, bool, bool final) {
            out.member("completion", piece);
            if (!final) out.key("stop_reason").null().key("stop").null();
          },
          [&](JsonOut& out) {
            out.member("stop_reason", reason(ModelFamily::AnthropicText)).key("stop");
            if (answer.stop_reason == StopReason::MaxTokens) {
              out.null();
            } else if (answer.stop_reason == StopReason::StopSequence) {
              out.string(answer.stop_sequence);
            } else {
              out.string("\n\nHuman:");
            }
          });
    case ModelFamily::TitanText:
      return piecewise(
          answer.text, answer, timing,
          [&](JsonOut& out, std::string_view piece, bool first, bool final) {
            out.member("outputText", piece).member("index", 0);
            if (!final) {
              out.key("totalOutputTextTokenCount").null().key("completionReason").null();
            }
            out.key("inputTextTokenCount");
            if (first) {
              out.number(answer.input_tokens);
            } else {
              out.null();
            }
          },
          [&](JsonOut& out) {
            out.member("totalOutputTextTokenCount", answer.output_tokens)
                .member("completionReason", reason(ModelFamily::TitanText));
          });
    case ModelFamily::Nova:
      return nova(answer, timing);
    case ModelFamily::Llama2:
    case ModelFamily::Llama3:
      return piecewise(
          answer.text, answer, timing,
          [&](JsonOut& out, std::string_view piece, bool first, bool final) {
            out.member("generation", piece).key("prompt_token_count");
            if (first) {
              out.number(answer.input_tokens);
            } else {
              out.null();
            }
            out.member("generation_token_count", estimate_tokens(piece));
            if (!final) out.key("stop_reason").null();
          },
          [&](JsonOut& out) { out.member("stop_reason", reason(family)); });
    case ModelFamily::MistralText:
    case ModelFamily::DeepSeek: {
      // {"outputs":[{"text","stop_reason"}]} and {"choices":[{"text","stop_reason"}]}.
      const bool mistral = family == ModelFamily::MistralText;
      const std::string generation =
          mistral ? answer.text : detail::deepseek_generation(request, answer);
      return piecewise(
          generation, answer, timing,
          [&](JsonOut& out, std::string_view piece, bool, bool final) {
            out.key(mistral ? "outputs" : "choices").begin_array();
            out.begin_object().member("text", piece).key("stop_reason");
            if (final) {
              out.string(reason(family));
            } else {
              out.null();
            }
            out.end_object().end_array();
          },
          [](JsonOut&) {});
    }
    case ModelFamily::MistralChat:
      // The chat response's shape, a piece of the message per chunk (as the non-streamed
      // answer, both stop-field spellings on the last).
      return piecewise(
          answer.text, answer, timing,
          [&](JsonOut& out, std::string_view piece, bool, bool final) {
            out.key("choices").begin_array().begin_object().member("index", 0);
            out.key("message")
                .begin_object()
                .member("role", "assistant")
                .member("content", piece)
                .end_object();
            if (final) {
              out.member("stop_reason", reason(family)).member("finish_reason", reason(family));
            } else {
              out.key("stop_reason").null();
            }
            out.end_object().end_array();
          },
          [](JsonOut&) {});
    case ModelFamily::CohereCommandR:
      return cohere_command_r(request, answer, timing, detail::id_seed(request, context));
    case ModelFamily::Ai21Jamba: {
      ModelInfo shaped = model;
      shaped.family = family;
      const std::string id = "chatcmpl-" + detail::derive_id(detail::id_seed(request, context),
                                                             "jamba-id", 32, detail::kHex);
      return chat_completion_chunks(shaped, detail::delta_pieces(answer.text), answer, timing, id,
                                    0, false);
    }
    case ModelFamily::OpenAiGptOss: {
      ModelInfo shaped = model;
      shaped.family = family;
      const std::string id = "chatcmpl-" + detail::derive_id(detail::id_seed(request, context),
                                                             "gpt-oss-id", 24, detail::kBase62);
      return chat_completion_chunks(shaped, gpt_oss_pieces(answer), answer, timing, id,
                                    context.created_unix_seconds, true);
    }
    default:  // streams_natively() lists every family; the others returned above
      break;
  }
  return std::nullopt;
}

}  // namespace bedrock::emulator::model
