// Our client codecs against the emulator's server side, for every model in the built-in
// registry: what encode() sends must parse, and what render_*() returns must decode to the
// same text, stop reason and (where the body carries them) token counts.
#include <gtest/gtest.h>

#include "bedrock/models/codec.h"
#include "bedrock/models/converse.h"
#include "emulator/model/answer.h"
#include "emulator/model/render.h"
#include "emulator/model/request_checks.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using models::decode_converse;
using models::InferenceParams;
using models::ModelCodec;
using models::ModelRegistry;
using models::Prompt;

const std::string kDocument =
    "Summarize the following text.\n\nThe harbour reopened on Monday after the storm. Ferries "
    "resumed their usual timetable. Fishermen repaired nets along the quay.";

bool has_stops(ModelFamily f) {
  return f != ModelFamily::Llama2 && f != ModelFamily::Llama3 && f != ModelFamily::MistralChat;
}

// Native InvokeModel: encode -> parse -> answer -> render -> decode, for every built-in model.
TEST(ClientRoundTrip, NativeEveryBuiltinModel) {
  const auto& models = ModelRegistry::builtin().all();
  ASSERT_FALSE(models.empty());
  for (const ModelInfo& model : models) {
    SCOPED_TRACE(model.id);
    Prompt prompt = Prompt::from_user(kDocument, "You are a careful editor.");
    prompt.messages.insert(prompt.messages.begin(), {{Role::User, "Hello there, editor."},
                                                     {Role::Assistant, "Hello! Send the text."}});
    InferenceParams params;
    params.max_tokens = 200;
    params.temperature = 0.5;
    const ModelCodec& codec = codec_for(model.family);
    auto body = codec.encode(prompt, params, model);
    ASSERT_TRUE(body) << body.error().message;

    auto request = parse_native_request(model, *body);
    ASSERT_TRUE(request) << request.error().message << "\n" << *body;
    EXPECT_EQ(request->max_tokens, 200);
    ASSERT_FALSE(request->turns.empty());
    EXPECT_EQ(request->turns.back().role, Role::User);
    EXPECT_NE(request->turns.back().text.find("The harbour reopened"), std::string::npos)
        << request->turns.back().text;

    EmulatedAnswer answer = default_answer(model, *request);
    EXPECT_EQ(answer.text,
              "The harbour reopened on Monday after the storm. Ferries resumed their usual "
              "timetable. Fishermen repaired nets along the quay.");
    auto completion = codec.decode(render_native_response(model, *request, answer));
    ASSERT_TRUE(completion) << completion.error().message;
    EXPECT_EQ(completion->text, answer.text);
    EXPECT_EQ(completion->reasoning, answer.reasoning);
    EXPECT_EQ(completion->stop_reason, StopReason::EndTurn) << completion->raw_stop_reason;
    if (completion->usage.reported) {
      EXPECT_EQ(completion->usage.input_tokens, answer.input_tokens);
      EXPECT_EQ(completion->usage.output_tokens, answer.output_tokens);
    }
  }
}

// Truncation and stop sequences decode to MaxTokens / StopSequence for every family.
TEST(ClientRoundTrip, NativeStopReasons) {
  for (const ModelInfo& model : ModelRegistry::builtin().all()) {
    SCOPED_TRACE(model.id);
    const ModelCodec& codec = codec_for(model.family);
    InferenceParams params;
    params.max_tokens = 3;
    auto request =
        parse_native_request(model, *codec.encode(Prompt::from_user(kDocument), params, model));
    ASSERT_TRUE(request) << request.error().message;
    EmulatedAnswer answer = default_answer(model, *request);
    auto cut = codec.decode(render_native_response(model, *request, answer));
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->stop_reason, StopReason::MaxTokens) << cut->raw_stop_reason;

    if (!has_stops(model.family)) continue;
    params.max_tokens = 200;
    params.stop_sequences = {model.family == ModelFamily::TitanText ? "|" : "Ferries"};
    std::string doc = "The harbour reopened. | Ferries resumed. Fishermen repaired nets.";
    request = parse_native_request(model, *codec.encode(Prompt::from_user(doc), params, model));
    ASSERT_TRUE(request) << request.error().message;
    answer = default_answer(model, *request);
    EXPECT_EQ(answer.stop_reason, StopReason::StopSequence);
    auto stopped = codec.decode(render_native_response(model, *request, answer));
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->text, answer.text);
    // Cohere reports a stop sequence as COMPLETE: the client sees a normal end.
    bool plain_end = model.family == ModelFamily::CohereCommand ||
                     model.family == ModelFamily::CohereCommandR ||
                     model.family == ModelFamily::AnthropicText ||
                     native_stop_reason(model.family, StopReason::StopSequence) ==
                         native_stop_reason(model.family, StopReason::EndTurn);
    if (!plain_end) {
      EXPECT_EQ(stopped->stop_reason, StopReason::StopSequence) << stopped->raw_stop_reason;
    }
  }
}

// Converse: encode_converse -> parse_converse_request -> render -> decode_converse.
TEST(ClientRoundTrip, ConverseEveryBuiltinModel) {
  for (const ModelInfo& model : ModelRegistry::builtin().all()) {
    SCOPED_TRACE(model.id);
    InferenceParams params;
    params.max_tokens = 100;
    params.top_p = 0.9;
    auto body = encode_converse(Prompt::from_user(kDocument, "Be brief."), params, model);
    ASSERT_TRUE(body) << body.error().message;
    auto request = parse_converse_request(model, *body);
    ASSERT_TRUE(request) << request.error().message << "\n" << *body;
    EXPECT_EQ(request->system_text, "Be brief.");
    EXPECT_EQ(request->max_tokens, 100);
    EmulatedAnswer answer = default_answer(model, *request);
    auto completion = decode_converse(render_converse_response(*request, answer, 12));
    ASSERT_TRUE(completion) << completion.error().message;
    EXPECT_EQ(completion->text, answer.text);
    EXPECT_EQ(completion->reasoning, answer.reasoning);
    EXPECT_EQ(completion->stop_reason, StopReason::EndTurn);
    EXPECT_TRUE(completion->usage.reported);
    EXPECT_EQ(completion->usage.input_tokens, answer.input_tokens);
    EXPECT_EQ(completion->usage.output_tokens, answer.output_tokens);
  }
}

}  // namespace
}  // namespace bedrock::emulator::model
