#include "reasoning.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <random>

#include "bedrock/core/base64.h"
#include "capabilities.h"

namespace bedrock::emulator::model::detail {
namespace {

constexpr std::int64_t kMinBudget = 1024;

// Bedrock relays the model provider's own 400s with this prefix.
Error model_error(std::string_view text) {
  return validation_error(fmt::format("The model returned the following errors: {}", text));
}

const std::array<unsigned char, 32>& process_key() {
  static const std::array<unsigned char, 32> key = [] {
    std::array<unsigned char, 32> k{};
    std::random_device device;
    for (auto& byte : k) byte = static_cast<unsigned char>(device());
    return k;
  }();
  return key;
}

std::optional<Error> check_thinking(const ModelInfo& model, const Json& doc,
                                    EmulatedRequest& request) {
  const auto extra = doc.find("additionalModelRequestFields");
  if (extra == doc.end() || !extra->is_object()) return std::nullopt;
  const auto thinking = extra->find("thinking");
  if (thinking == extra->end()) return std::nullopt;
  if (!supports(model, Capability::Thinking)) {
    return validation_error(
        "Malformed input request: #: extraneous key [thinking] is not permitted, please "
        "reformat your input and try again.");
  }
  if (!thinking->is_object()) return model_error("thinking: Input should be an object");
  const auto type = thinking->find("type");
  if (type == thinking->end()) return model_error("thinking.type: Field required");
  if (*type == "disabled") return std::nullopt;
  if (*type != "enabled") {
    return model_error(
        "thinking: Input tag does not match any of the expected tags: 'disabled', 'enabled'");
  }
  const auto budget = thinking->find("budget_tokens");
  if (budget == thinking->end())
    return model_error("thinking.enabled.budget_tokens: Field required");
  if (!budget->is_number_integer()) {
    return model_error("thinking.enabled.budget_tokens: Input should be a valid integer");
  }
  const std::int64_t n = budget->get<std::int64_t>();
  if (n < kMinBudget) {
    return model_error(
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  }
  if (n >= request.max_tokens) {
    return model_error(
        "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
        "documentation at https://docs.claude.com/en/docs/build-with-claude/"
        "extended-thinking#max-tokens-and-context-window-size");
  }
  if (!request.forced_tool.empty()) {
    return model_error("Thinking may not be enabled when tool_choice forces tool use.");
  }
  request.thinking = true;
  request.thinking_budget = static_cast<int>(n);
  return std::nullopt;
}

std::optional<Error> check_signatures(const ModelInfo& model, const Json& doc) {
  if (!supports(model, Capability::Thinking)) return std::nullopt;  // DeepSeek signs nothing
  const Json& messages = doc["messages"];
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto content = messages[i].find("content");
    if (content == messages[i].end() || !content->is_array()) continue;
    for (std::size_t j = 0; j < content->size(); ++j) {
      const Json& block = (*content)[j];
      if (!block.is_object()) continue;
      const auto reasoning = block.find("reasoningContent");
      if (reasoning == block.end() || !reasoning->is_object()) continue;
      const auto text_block = reasoning->find("reasoningText");
      if (text_block == reasoning->end()) continue;  // redactedContent travels unchecked
      const std::string at = fmt::format("messages.{}.content.{}", i, j);
      const auto text = text_block->is_object() ? text_block->find("text") : text_block->end();
      if (text == text_block->end() || !text->is_string()) {
        return model_error(at + ".thinking.thinking: Field required");
      }
      const auto signature = text_block->find("signature");
      if (signature == text_block->end() || !signature->is_string() ||
          signature->get_ref<const std::string&>().empty()) {
        return model_error(at + ".thinking.signature: Field required");
      }
      const std::string expected = reasoning_signature(text->get_ref<const std::string&>());
      const std::string& given = signature->get_ref<const std::string&>();
      if (given.size() != expected.size() ||
          CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
        return model_error(at + ": Invalid `signature` in `thinking` block");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_reasoning(const ModelInfo& model, const Json& doc,
                                     EmulatedRequest& request) {
  if (model.family != ModelFamily::AnthropicMessages) return std::nullopt;
  if (auto e = check_thinking(model, doc, request)) return e;
  return check_signatures(model, doc);
}

std::string reasoning_signature(std::string_view reasoning_text) {
  const auto& key = process_key();
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(reasoning_text.data()), reasoning_text.size(),
       mac.data(), &length);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), length));
}

}  // namespace bedrock::emulator::model::detail
