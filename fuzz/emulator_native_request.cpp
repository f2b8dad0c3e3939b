// The emulator's native InvokeModel request validators, one per family: the first byte picks a
// model of the built-in table, the rest is the body. An accepted body is answered and rendered
// as the family's response and stream chunks. Properties (round trip): the client's codec for
// that family decodes the rendered response back to the answer's text, and every stream chunk
// is JSON.
#include "bedrock/models/codec.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "emulator/model/stream_render.h"
#include "fuzz_check.h"
#include "nlohmann/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace emu = bedrock::emulator::model;
  if (size == 0) return 0;
  const auto& models = bedrock::models::ModelRegistry::builtin().all();
  const auto& model = models[data[0] % models.size()];
  auto parsed = emu::parse_native_request(model, bedrock::fuzz::as_text(data + 1, size - 1));
  if (!parsed) return 0;
  const emu::EmulatedAnswer answer = emu::default_answer(model, *parsed);
  const std::string body = emu::render_native_response(model, *parsed, answer);
  auto decoded = bedrock::models::codec_for(parsed->family).decode(body);
  FUZZ_CHECK(decoded.has_value());
  FUZZ_CHECK(decoded->text == answer.text);
  if (auto chunks = emu::render_native_stream(model, *parsed, answer, {})) {
    for (const auto& chunk : *chunks) FUZZ_CHECK(nlohmann::json::accept(chunk));
  }
  return 0;
}
