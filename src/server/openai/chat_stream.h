// A streamed chat answer as OpenAI streams it: chat.completion.chunk objects as server-sent
// events. The first chunk carries the role, then content, reasoning_content and tool_calls
// deltas (a call's index, id, type and name first, then its argument fragments), then the chunk
// with finish_reason; with include_usage every chunk has "usage":null and a last chunk with no
// choices carries the usage; then "data: [DONE]". A failure after the stream began is one final
// error event ({"error":{...}}, which the openai clients raise), never a cut connection.
//
// Not thread-safe; one per stream. Pure: it only appends text to the caller's buffer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bedrock/models/stream.h"
#include "chat_response.h"

namespace bedrock::server::openai {

class ChatStreamEncoder {
 public:
  // `structured`: content and tool deltas are held back, and the answer's validated JSON is
  // sent whole by finish() (ChatCall::structured).
  ChatStreamEncoder(ChatIdentity identity, bool include_usage, bool structured);

  // Appends the events `event` makes (none for stops, usage and metrics: finish() has them).
  void add(const models::StreamEvent& event, std::string& out);
  // The end of a call that succeeded: the finish_reason chunk, the usage chunk, [DONE].
  void finish(const models::Completion& answer, std::string& out);
  // The end of a call that failed: `error_body` ({"error":{...}}) as the last event.
  void fail(std::string_view error_body, std::string& out);

  bool started() const { return started_; }

 private:
  // Opens a chunk up to the inside of its delta object ("delta":{ ...).
  void open_chunk(std::string& out);
  void close_chunk(std::string& out, std::string_view finish_reason = {});
  void role_chunk(std::string& out);
  int tool_index(int block);

  ChatIdentity identity_;
  std::string prefix_;  // {"id":..,"object":"chat.completion.chunk","created":..,"model":..,
  bool include_usage_;
  bool structured_;
  bool started_ = false;
  std::vector<int> tool_blocks_;  // content block index of each tool call, in call order
  std::string chunk_;             // the JSON of the chunk being built
};

}  // namespace bedrock::server::openai
