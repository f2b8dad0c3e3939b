// The client's streaming readers, fed a peer's raw response body: the incremental event-stream
// decoder (bytes split at a point the input chooses), then every decoded message through the
// ConverseStream decoder and through one family's InvokeModelWithResponseStream decoder.
// Properties: nothing crashes or throws; splitting the body differently never changes which
// messages come out; decoding stops for good at the first framing error.
#include "bedrock/models/stream_decode.h"

#include <string>
#include <vector>

#include "bedrock/models/event_stream_decoder.h"
#include "bedrock/models/types.h"
#include "fuzz_check.h"

namespace {

struct Decoded {
  std::vector<std::string> payloads;
  bool failed = false;
};

Decoded decode(std::string_view body, std::size_t cut, bedrock::models::ModelFamily family) {
  bedrock::models::EventStreamDecoder decoder;
  bedrock::models::InvokeStreamDecoder invoke(family);
  Decoded out;
  auto on_message = [&](const bedrock::models::EventStreamMessageView& m) -> bedrock::Status {
    out.payloads.emplace_back(m.payload);
    (void)bedrock::models::decode_converse_stream_message(m);
    (void)invoke.decode(m);
    return {};
  };
  cut = std::min(cut, body.size());
  if (!decoder.feed(body.substr(0, cut), on_message)) {
    out.failed = true;
    return out;
  }
  if (!decoder.feed(body.substr(cut), on_message)) out.failed = true;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t cut = data[0];
  const auto family = static_cast<bedrock::models::ModelFamily>(
      data[1] % (static_cast<int>(bedrock::models::ModelFamily::OpenAiGptOss) + 1));
  const std::string_view body = bedrock::fuzz::as_text(data + 2, size - 2);
  const Decoded split = decode(body, cut, family);
  const Decoded whole = decode(body, body.size(), family);
  FUZZ_CHECK(split.failed == whole.failed);
  FUZZ_CHECK(split.payloads == whole.payloads);
  return 0;
}
