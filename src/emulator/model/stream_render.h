// Stream rendering: the same answer as render.h, as the chunks of
// InvokeModelWithResponseStream or the event-stream body of ConverseStream.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "answer.h"
#include "render.h"
#include "request.h"

namespace bedrock::emulator::model {

// What the last InvokeModelWithResponseStream chunk reports as
// "amazon-bedrock-invocationMetrics" besides the token counts.
struct StreamTiming {
  int invocation_latency_ms = 0;
  int first_byte_latency_ms = 0;
};

// InvokeModelWithResponseStream: the family's native stream chunks (docs/wire-protocol.md §7), each
// one JSON document, in order; the answer's text arrives a few words per chunk and the last chunk
// carries the stop reason and "amazon-bedrock-invocationMetrics". nullopt for families that
// do not stream here: AI21 Jurassic-2 (Bedrock: "The model is unsupported for streaming") and
// legacy Cohere Command, whose stream shape is unknown; streams_natively() says which.
bool streams_natively(ModelFamily family);
std::optional<std::vector<std::string>> render_native_stream(const ModelInfo& model,
                                                             const EmulatedRequest& request,
                                                             const EmulatedAnswer& answer,
                                                             const StreamTiming& timing,
                                                             const ResponseContext& context = {});

// ConverseStream's body (application/vnd.amazon.eventstream, docs/wire-protocol.md §9.4) for the
// same answer: messageStart; the reasoning (block 0, when there is any) and the text as
// contentBlockDelta events of a few words each, every block closed by contentBlockStop;
// messageStop with the stop reason (and additionalModelResponseFields, as above); metadata
// with usage (cache usage as render_converse_response) and latency. The deltas of a block
// concatenate to exactly its text.
std::string render_converse_stream(const EmulatedRequest& request, const EmulatedAnswer& answer,
                                   int latency_ms, const CacheUsage& cache = {});

}  // namespace bedrock::emulator::model
