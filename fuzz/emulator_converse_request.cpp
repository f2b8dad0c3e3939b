// The emulator's Converse request validator: the first byte picks a model of the built-in
// table, the rest is the body. An accepted body is answered and rendered as a Converse response
// and a ConverseStream body. Property (round trip): the client's Converse decoder reads the
// rendered response back to the answer's text.
#include "bedrock/models/converse.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace emu = bedrock::emulator::model;
  if (size == 0) return 0;
  const auto& models = bedrock::models::ModelRegistry::builtin().all();
  const auto& model = models[data[0] % models.size()];
  auto parsed = emu::parse_converse_request(model, bedrock::fuzz::as_text(data + 1, size - 1));
  if (!parsed) return 0;
  const emu::EmulatedAnswer answer = emu::default_answer(model, *parsed);
  auto decoded =
      bedrock::models::decode_converse(emu::render_converse_response(*parsed, answer, 7));
  FUZZ_CHECK(decoded.has_value());
  FUZZ_CHECK(decoded->text == answer.text);
  FUZZ_CHECK(!emu::render_converse_stream(*parsed, answer, 7).empty());
  return 0;
}
