#include <gtest/gtest.h>

#include "models/codec_support.h"

namespace bedrock::models::detail {
namespace {

// Set parameters land under the family's names in a fixed order; unset ones and unnamed
// ones are left out.
TEST(PutSampling, WritesSetParametersUnderTheFamilysNames) {
  InferenceParams params;
  params.max_tokens = 64;
  params.temperature = 0.5;
  params.top_k = 7;
  params.stop_sequences = {"END"};
  OJson body;
  body["prompt"] = "hi";
  put_sampling(body, params,
               {.max_tokens = "max_tokens", .top_p = "p", .top_k = "k", .stop = "stop_sequences"});
  EXPECT_EQ(body.dump(), R"({"prompt":"hi","max_tokens":64,"k":7,"stop_sequences":["END"]})");

  OJson empty = OJson::object();
  put_sampling(empty, InferenceParams{}, {.max_tokens = "maxTokens", .temperature = "temperature"});
  EXPECT_EQ(empty.dump(), "{}");
}

}  // namespace
}  // namespace bedrock::models::detail
