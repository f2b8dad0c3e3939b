// Byte-exact response bodies for every family, Converse included, against a golden file first
// written by nlohmann::json's serializer (the renderers' original implementation). The
// renderers stream their JSON now; this keeps every byte, member order and escape as it was.
// Regenerate (after a deliberate change) with BEDROCK_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <sstream>

#include "bedrock/models/codec.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request.h"
#include "golden_file.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using models::InferenceParams;
using models::Prompt;
using namespace testing;  // NOLINT: test helpers

std::vector<ModelInfo> golden_families() {
  return {claude_haiku(), claude_v2(),  titan_express(),      nova_lite(),      llama2(),
          llama3(),       mistral_7b(), mistral_large_2407(), cohere_command(), cohere_command_r(),
          jurassic(),     jamba(),      deepseek(),           gpt_oss()};
}

EmulatedRequest request_for(const ModelInfo& model) {
  Prompt prompt = Prompt::from_user("Tell me about the harbour.", "Be brief.");
  prompt.messages.insert(prompt.messages.begin(),
                         {{Role::User, "Hello."}, {Role::Assistant, "Hello! Ask away."}});
  InferenceParams params;
  params.max_tokens = 100;
  auto body = codec_for(model.family).encode(prompt, params, model);
  if (!body) throw std::runtime_error(body.error().message);
  return parse_ok(model, *body);
}

struct Variant {
  std::string name;
  EmulatedAnswer answer;
  int choices = 1;
};

std::vector<Variant> variants() {
  std::vector<Variant> out;
  EmulatedAnswer plain;
  plain.text = "The harbour reopened on Monday.";
  plain.input_tokens = 21;
  plain.output_tokens = 8;
  out.push_back({"plain", plain});

  EmulatedAnswer cut = plain;
  cut.text = "The harbour";
  cut.stop_reason = StopReason::MaxTokens;
  cut.output_tokens = 3;
  out.push_back({"max-tokens", cut, 2});

  EmulatedAnswer stopped = plain;
  stopped.text = "The harbour reopened";
  stopped.stop_reason = StopReason::StopSequence;
  stopped.stop_sequence = " on";
  out.push_back({"stop-sequence", stopped});

  EmulatedAnswer escapes = plain;
  escapes.text = std::string("Quote \" back\\slash / tab\t nl\n cr\r bs\b ff\f ") + '\x01' +
                 '\x1f' + '\x7f' + " caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 <b>&amp;</b>";
  escapes.reasoning = "Think \"twice\"\n\tthen answer.";
  out.push_back({"escapes", escapes});

  // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong form) is
  // replaced, never thrown on: answers are cut from caller text.
  EmulatedAnswer broken = plain;
  broken.text = "bad \x80 byte, cut \xe2\x82 here, overlong \xc0\xaf end";
  broken.reasoning = "also \xff bad";
  out.push_back({"invalid-utf8", broken});

  EmulatedAnswer empty;
  empty.input_tokens = 5;
  out.push_back({"empty", empty});
  return out;
}

std::string render_all() {
  std::ostringstream out;
  for (const ModelInfo& model : golden_families()) {
    for (const Variant& v : variants()) {
      EmulatedRequest request = request_for(model);
      request.choices = v.choices;
      out << "== " << model.id << " / " << v.name << " / native\n"
          << render_native_response(model, request, v.answer, {"req-golden", 1700000000}) << "\n";
      out << "== " << model.id << " / " << v.name << " / converse\n"
          << render_converse_response(request, v.answer, 42) << "\n";
    }
    // Without a request id, ids are derived from the request itself.
    out << "== " << model.id << " / plain / native, ids from the request\n"
        << render_native_response(model, request_for(model), variants().front().answer) << "\n";
    // Converse returning members of the native body (additionalModelResponseFieldPaths).
    EmulatedRequest request = request_for(model);
    request.response_field_paths = {
        "/stop_reason", "/usage",     "/choices/0/finish_reason", "/results/0/completionReason",
        "/missing",     "bad pointer"};
    out << "== " << model.id << " / converse with native fields\n"
        << render_converse_response(request, variants().front().answer, 7) << "\n";
  }
  return out.str();
}

TEST(RenderGolden, EveryFamilyByteForByte) {
  testing::expect_matches_golden(render_all(), "rendered_responses.txt");
}

}  // namespace
}  // namespace bedrock::emulator::model
