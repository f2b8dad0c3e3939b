// One model of every family the emulator streams through InvokeModelWithResponseStream, and two
// through ConverseStream: the list the sync and async streaming tests share.
#pragma once

#include <array>

namespace bedrock::runtime::testing {

struct StreamedFamily {
  const char* model_id;
  bool converse;
};

inline constexpr std::array<StreamedFamily, 14> kStreamedFamilies{{
    {"anthropic.claude-3-haiku-20240307-v1:0", false},
    {"anthropic.claude-v2:1", false},
    {"amazon.titan-text-express-v1", false},
    {"amazon.nova-lite-v1:0", false},
    {"meta.llama3-8b-instruct-v1:0", false},
    {"meta.llama2-13b-chat-v1", false},
    {"mistral.mistral-7b-instruct-v0:2", false},
    {"mistral.mistral-large-2407-v1:0", false},
    {"cohere.command-r-v1:0", false},
    {"ai21.jamba-1-5-mini-v1:0", false},
    {"openai.gpt-oss-20b-1:0", false},
    {"us.deepseek.r1-v1:0", false},
    {"anthropic.claude-3-haiku-20240307-v1:0", true},
    {"amazon.nova-lite-v1:0", true},
}};

}  // namespace bedrock::runtime::testing
