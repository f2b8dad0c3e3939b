#include "chat_stream.h"

#include <variant>

#include "bedrock/core/json_text.h"
#include "bedrock/net/sse.h"

namespace bedrock::server::openai {

ChatStreamEncoder::ChatStreamEncoder(ChatIdentity identity, bool include_usage, bool structured)
    : identity_(std::move(identity)), include_usage_(include_usage), structured_(structured) {
  prefix_ = R"({"id":)";
  append_json_string(prefix_, identity_.id);
  prefix_ += R"(,"object":"chat.completion.chunk","created":)";
  prefix_ += std::to_string(identity_.created);
  prefix_ += R"(,"model":)";
  append_json_string(prefix_, identity_.model);
  prefix_ += R"(,"system_fingerprint":null,)";
}

void ChatStreamEncoder::open_chunk(std::string& out) {
  role_chunk(out);
  chunk_ = prefix_;
  chunk_ += R"("choices":[{"index":0,"delta":{)";
}

void ChatStreamEncoder::close_chunk(std::string& out, std::string_view reason) {
  chunk_ += R"(},"logprobs":null,"finish_reason":)";
  if (reason.empty()) {
    chunk_ += "null";
  } else {
    append_json_string(chunk_, reason);
  }
  chunk_ += "}]";
  if (include_usage_) chunk_ += R"(,"usage":null)";
  chunk_ += "}";
  net::append_sse_event(out, chunk_);
}

void ChatStreamEncoder::role_chunk(std::string& out) {
  if (started_) return;
  started_ = true;
  chunk_ = prefix_;
  chunk_ += R"("choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null)";
  close_chunk(out);
}

int ChatStreamEncoder::tool_index(int block) {
  for (std::size_t i = 0; i < tool_blocks_.size(); ++i) {
    if (tool_blocks_[i] == block) return static_cast<int>(i);
  }
  return -1;
}

void ChatStreamEncoder::add(const models::StreamEvent& event, std::string& out) {
  if (const auto* text = std::get_if<models::TextDelta>(&event)) {
    if (structured_ || text->text.empty()) return;
    open_chunk(out);
    chunk_ += R"("content":)";
    append_json_string(chunk_, text->text);
    close_chunk(out);
  } else if (const auto* reasoning = std::get_if<models::ReasoningDelta>(&event)) {
    // Signatures and redacted reasoning mean nothing to an OpenAI client.
    if (reasoning->part != models::ReasoningPart::Text || reasoning->text.empty()) return;
    open_chunk(out);
    chunk_ += R"("reasoning_content":)";
    append_json_string(chunk_, reasoning->text);
    close_chunk(out);
  } else if (const auto* start = std::get_if<models::ToolUseStart>(&event)) {
    if (structured_) return;
    tool_blocks_.push_back(start->index);
    open_chunk(out);
    chunk_ += R"("tool_calls":[{"index":)";
    append_json_number(chunk_, static_cast<int>(tool_blocks_.size()) - 1);
    chunk_ += R"(,"id":)";
    append_json_string(chunk_, start->id);
    chunk_ += R"(,"type":"function","function":{"name":)";
    append_json_string(chunk_, start->name);
    chunk_ += R"(,"arguments":""}}])";
    close_chunk(out);
  } else if (const auto* delta = std::get_if<models::ToolUseDelta>(&event)) {
    const int index = tool_index(delta->index);
    if (structured_ || index < 0 || delta->input.empty()) return;
    open_chunk(out);
    chunk_ += R"("tool_calls":[{"index":)";
    append_json_number(chunk_, index);
    chunk_ += R"(,"function":{"arguments":)";
    append_json_string(chunk_, delta->input);
    chunk_ += "}}]";
    close_chunk(out);
  }
}

void ChatStreamEncoder::finish(const models::Completion& answer, std::string& out) {
  if (structured_ && !answer.text.empty()) {
    open_chunk(out);
    chunk_ += R"("content":)";
    append_json_string(chunk_, answer.text);
    close_chunk(out);
  }
  open_chunk(out);
  close_chunk(out, finish_reason(answer.stop_reason));
  if (include_usage_) {
    chunk_ = prefix_;
    chunk_ += R"("choices":[],"usage":)";
    append_usage(chunk_, answer.usage);
    chunk_ += "}";
    net::append_sse_event(out, chunk_);
  }
  net::append_sse_event(out, "[DONE]");
}

void ChatStreamEncoder::fail(std::string_view error_body, std::string& out) {
  net::append_sse_event(out, error_body);
}

}  // namespace bedrock::server::openai
