// The smallest program built on the installed library: one BedrockClient, one model call.
//
//   bedrock-consumer ENDPOINT_URL [MODEL_ID] [PROMPT]
//
// Region and credentials come from the environment and ~/.aws, exactly as the AWS CLI finds
// them; ENDPOINT_URL points the client at Bedrock Runtime or at a bedrock-emulator. Prints
// the answer on stdout and the call's record on stderr; exits 1 when the call fails.
#include <cstdio>
#include <string>

#include "bedrock/config/client_config.h"
#include "bedrock/models/types.h"
#include "bedrock/runtime/bedrock_client.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s ENDPOINT_URL [MODEL_ID] [PROMPT]\n", argv[0]);
    return 2;
  }
  bedrock::config::ClientOverrides overrides;
  overrides.endpoint_url = argv[1];
  const std::string model = argc > 2 ? argv[2] : "anthropic.claude-3-haiku-20240307-v1:0";
  const std::string prompt = argc > 3 ? argv[3] : "Say hello in one sentence.";

  auto client = bedrock::runtime::BedrockClient::from_environment(overrides);
  if (!client) {
    std::fprintf(stderr, "%s\n", bedrock::describe(client.error()).c_str());
    return 1;
  }
  auto answer = (*client)->invoke(model, bedrock::models::Prompt::from_user(prompt));
  if (!answer) {
    std::fprintf(stderr, "%s\n", bedrock::describe(answer.error()).c_str());
    return 1;
  }
  std::printf("%s\n", answer->completion.text.c_str());
  std::fprintf(stderr, "model %s, request %s, %d input / %d output tokens\n",
               answer->record.model_used.c_str(), answer->record.request_id.c_str(),
               answer->record.input_tokens, answer->record.output_tokens);
  return 0;
}
