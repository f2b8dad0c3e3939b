// The built-in model table: docs/wire-protocol.md §10 (prices per 1M there, per 1K here). Where
// sources conflict the choice is noted on the row; every price is unverified against the live AWS
// page.
#include <vector>

#include "bedrock/models/registry.h"

namespace bedrock::models {
namespace {

using F = ModelFamily;

// Prices in docs/wire-protocol.md §10 are USD per 1M tokens; ModelInfo carries USD per 1K.
ModelInfo row(const char* id, const char* name, F family, int context, int output, double in_1m,
              double out_1m) {
  return ModelInfo{id, name, family, context, output, in_1m / 1000.0, out_1m / 1000.0, true};
}

// A row that takes prompt caching, with its cache read / write prices per 1M tokens. Models and
// prices: AWS's prompt-caching page (GA models: Claude 3.5 Haiku, 3.7 Sonnet, Sonnet 4, Opus 4,
// Haiku 4.5; Nova Micro, Lite, Pro, Premier) and the Bedrock pricing page, us-east-1, 5-minute
// TTL (Claude: reads 0.1x, writes 1.25x input; Nova: reads 0.25x input, writes not charged above
// input). Claude 3.5 Sonnet v2 had caching in preview only and is left out.
ModelInfo cached(ModelInfo info, double read_1m, double write_1m) {
  info.cache_read_price_per_1k = read_1m / 1000.0;
  info.cache_write_price_per_1k = write_1m / 1000.0;
  info.prompt_caching = true;
  // Anthropic bills 1-hour cache writes at 2x the input rate (5-minute ones at 1.25x); Nova has
  // no 1-hour TTL, so its rows keep 0 (the 5-minute write rate).
  if (info.family == F::AnthropicMessages)
    info.cache_write_1h_price_per_1k = 2 * info.input_price_per_1k;
  return info;
}

// Converse outputConfig.textFormat: of the table's models only Claude Haiku 4.5 is on AWS's
// structured-output list (Claude Sonnet 4.5, Haiku 4.5, Opus 4.5, Opus 4.6); the rest use the
// forced-tool form (docs/wire-protocol.md §8.6).
ModelInfo native_structured(ModelInfo info) {
  info.native_structured_output = true;
  return info;
}

std::vector<ModelInfo> builtin_rows() {
  return {
      // Anthropic, Messages API.
      row("anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", F::AnthropicMessages, 200000,
          4096, 0.25, 1.25),
      row("anthropic.claude-3-sonnet-20240229-v1:0", "Claude 3 Sonnet", F::AnthropicMessages,
          200000, 4096, 3.00, 15.00),
      row("anthropic.claude-3-opus-20240229-v1:0", "Claude 3 Opus", F::AnthropicMessages, 200000,
          4096, 15.00, 75.00),
      // 4,096 on Bedrock per LiteLLM (8,192 on Anthropic's API is unverified here): the lower
      // cap never lets a request through that Bedrock would reject.
      row("anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet", F::AnthropicMessages,
          200000, 4096, 3.00, 15.00),
      row("anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2", F::AnthropicMessages,
          200000, 8192, 3.00, 15.00),
      cached(row("anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku",
                 F::AnthropicMessages, 200000, 8192, 0.80, 4.00),
             0.08, 1.00),
      cached(row("anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet",
                 F::AnthropicMessages, 200000, 64000, 3.00, 15.00),
             0.30, 3.75),
      cached(row("anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", F::AnthropicMessages,
                 200000, 64000, 3.00, 15.00),
             0.30, 3.75),
      cached(row("anthropic.claude-opus-4-20250514-v1:0", "Claude Opus 4", F::AnthropicMessages,
                 200000, 32000, 15.00, 75.00),
             1.50, 18.75),
      native_structured(cached(row("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5",
                                   F::AnthropicMessages, 200000, 64000, 1.00, 5.00),
                               0.10, 1.25)),
      // Anthropic, legacy text completions.
      row("anthropic.claude-v2", "Claude 2", F::AnthropicText, 100000, 4096, 8.00, 24.00),
      row("anthropic.claude-v2:1", "Claude 2.1", F::AnthropicText, 200000, 4096, 8.00, 24.00),
      row("anthropic.claude-instant-v1", "Claude Instant", F::AnthropicText, 100000, 4096, 0.80,
          2.40),
      // Amazon Titan Text. Prices conflict between sources; these are the AWS-derived ones
      // (LiteLLM's Express price is an older list price).
      row("amazon.titan-text-lite-v1", "Titan Text G1 - Lite", F::TitanText, 4096, 4096, 0.15,
          0.20),
      row("amazon.titan-text-express-v1", "Titan Text G1 - Express", F::TitanText, 8192, 8192, 0.20,
          0.60),
      row("amazon.titan-text-premier-v1:0", "Titan Text G1 - Premier", F::TitanText, 32000, 3072,
          0.50, 1.50),
      // Amazon Nova: 5K output per the model cards/schema (LiteLLM's 10K is unverified).
      cached(row("amazon.nova-micro-v1:0", "Nova Micro", F::Nova, 128000, 5000, 0.035, 0.14),
             0.00875, 0.035),
      cached(row("amazon.nova-lite-v1:0", "Nova Lite", F::Nova, 300000, 5000, 0.06, 0.24), 0.015,
             0.06),
      cached(row("amazon.nova-pro-v1:0", "Nova Pro", F::Nova, 300000, 5000, 0.80, 3.20), 0.20,
             0.80),
      cached(row("amazon.nova-premier-v1:0", "Nova Premier", F::Nova, 1000000, 10000, 2.50, 12.50),
             0.625, 2.50),
      // Meta Llama.
      row("meta.llama2-13b-chat-v1", "Llama 2 Chat 13B", F::Llama2, 4096, 2048, 0.75, 1.00),
      row("meta.llama2-70b-chat-v1", "Llama 2 Chat 70B", F::Llama2, 4096, 2048, 1.95, 2.56),
      row("meta.llama3-8b-instruct-v1:0", "Llama 3 8B Instruct", F::Llama3, 8192, 2048, 0.30, 0.60),
      row("meta.llama3-70b-instruct-v1:0", "Llama 3 70B Instruct", F::Llama3, 8192, 2048, 2.65,
          3.50),
      row("meta.llama3-1-8b-instruct-v1:0", "Llama 3.1 8B Instruct", F::Llama3, 128000, 2048, 0.22,
          0.22),
      row("meta.llama3-1-70b-instruct-v1:0", "Llama 3.1 70B Instruct", F::Llama3, 128000, 2048,
          0.99, 0.99),
      row("meta.llama3-1-405b-instruct-v1:0", "Llama 3.1 405B Instruct", F::Llama3, 128000, 4096,
          5.32, 16.00),
      row("meta.llama3-2-1b-instruct-v1:0", "Llama 3.2 1B Instruct", F::Llama3, 128000, 2048, 0.10,
          0.10),
      row("meta.llama3-2-3b-instruct-v1:0", "Llama 3.2 3B Instruct", F::Llama3, 128000, 2048, 0.15,
          0.15),
      row("meta.llama3-2-11b-instruct-v1:0", "Llama 3.2 11B Vision Instruct", F::Llama3, 128000,
          2048, 0.35, 0.35),
      row("meta.llama3-2-90b-instruct-v1:0", "Llama 3.2 90B Vision Instruct", F::Llama3, 128000,
          2048, 2.00, 2.00),
      row("meta.llama3-3-70b-instruct-v1:0", "Llama 3.3 70B Instruct", F::Llama3, 128000, 2048,
          0.72, 0.72),
      // Mistral. Large 2402: LiteLLM's 8/24 is the launch price, a later AWS cut to 4/12 is
      // reported by one blog only; the higher price keeps cost estimates on the safe side.
      row("mistral.mistral-7b-instruct-v0:2", "Mistral 7B Instruct", F::MistralText, 32000, 8192,
          0.15, 0.20),
      row("mistral.mixtral-8x7b-instruct-v0:1", "Mixtral 8x7B Instruct", F::MistralText, 32000,
          4096, 0.45, 0.70),
      row("mistral.mistral-large-2402-v1:0", "Mistral Large (24.02)", F::MistralText, 32000, 8192,
          8.00, 24.00),
      row("mistral.mistral-large-2407-v1:0", "Mistral Large 2 (24.07)", F::MistralChat, 128000,
          8191, 3.00, 9.00),
      row("mistral.mistral-small-2402-v1:0", "Mistral Small (24.02)", F::MistralText, 32000, 8192,
          1.00, 3.00),
      // Cohere.
      row("cohere.command-text-v14", "Command", F::CohereCommand, 4096, 4096, 1.50, 2.00),
      row("cohere.command-light-text-v14", "Command Light", F::CohereCommand, 4096, 4096, 0.30,
          0.60),
      row("cohere.command-r-v1:0", "Command R", F::CohereCommandR, 128000, 4096, 0.50, 1.50),
      row("cohere.command-r-plus-v1:0", "Command R+", F::CohereCommandR, 128000, 4096, 3.00, 15.00),
      // AI21.
      row("ai21.j2-mid-v1", "Jurassic-2 Mid", F::Ai21Jurassic, 8191, 8191, 12.50, 12.50),
      row("ai21.j2-ultra-v1", "Jurassic-2 Ultra", F::Ai21Jurassic, 8191, 8191, 18.80, 18.80),
      row("ai21.jamba-instruct-v1:0", "Jamba-Instruct", F::Ai21Jamba, 256000, 4096, 0.50, 0.70),
      row("ai21.jamba-1-5-mini-v1:0", "Jamba 1.5 Mini", F::Ai21Jamba, 256000, 4096, 0.20, 0.40),
      row("ai21.jamba-1-5-large-v1:0", "Jamba 1.5 Large", F::Ai21Jamba, 256000, 4096, 2.00, 8.00),
      // DeepSeek: reachable only through the us. inference profile.
      row("deepseek.r1-v1:0", "DeepSeek-R1", F::DeepSeek, 128000, 32768, 1.35, 5.40),
      // OpenAI gpt-oss: output cap from LiteLLM (unverified).
      row("openai.gpt-oss-20b-1:0", "gpt-oss-20b", F::OpenAiGptOss, 128000, 128000, 0.07, 0.30),
      row("openai.gpt-oss-120b-1:0", "gpt-oss-120b", F::OpenAiGptOss, 128000, 128000, 0.15, 0.60),
  };
}

}  // namespace

const ModelRegistry& ModelRegistry::builtin() {
  static const ModelRegistry registry(builtin_rows());
  return registry;
}

}  // namespace bedrock::models
