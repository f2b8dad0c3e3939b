// Cohere Command (docs/wire-protocol.md §7.8) and Command R / R+ (§7.9). Ranges follow Cohere's own
// API (temperature 0–5 for Command, p 0–1 or 0.01–0.99, k 0–500, num_generations 1–5); the defaults
// marked unverified in §7.8 (max_tokens 20) are used as documented.
#include "families.h"
#include "prompt_templates.h"

namespace bedrock::emulator::model::detail {
namespace {
constexpr int kCommandDefaultMaxTokens = 20;
}  // namespace

Result<EmulatedRequest> parse_cohere_command(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(body, kRoot, {"prompt"},
               {"temperature", "p", "k", "max_tokens", "stop_sequences", "return_likelihoods",
                "stream", "num_generations", "logit_bias", "truncate"});
  auto prompt = check.string(body, kRoot, "prompt");
  EmulatedRequest request;
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 5.0);
  request.top_p = check.number(body, kRoot, "p", 0.0, 1.0);
  if (auto k = check.integer(body, kRoot, "k", 0, 500)) request.top_k = static_cast<int>(*k);
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.stop_sequences =
      check.string_list(body, kRoot, "stop_sequences", 4).value_or(std::vector<std::string>{});
  check.enumeration(body, kRoot, "return_likelihoods", {"GENERATION", "ALL", "NONE"});
  check.boolean(body, kRoot, "stream");
  request.choices =
      static_cast<int>(check.integer(body, kRoot, "num_generations", 1, 5).value_or(1));
  check.object_member(body, kRoot, "logit_bias");
  check.enumeration(body, kRoot, "truncate", {"NONE", "START", "END"});
  if (!check.ok()) return fail(check.error());

  Conversation conversation = parse_user_bot_prompt(*prompt, "Chatbot");
  request.system_text = std::move(conversation.system);
  request.turns = std::move(conversation.turns);
  request.native_prompt = *prompt;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens = max_tokens ? static_cast<int>(*max_tokens)
                                  : default_max_tokens(model, kCommandDefaultMaxTokens);
  finalize(request, model, *prompt);
  return request;
}

void render_cohere_command(JsonOut& out, const EmulatedRequest& request,
                           const EmulatedAnswer& answer, const std::string& seed) {
  out.begin_object().key("generations").begin_array();
  for (int i = 0; i < std::max(request.choices, 1); ++i) {
    out.begin_object()
        .member("id", derive_uuid(seed, "cohere-generation-" + std::to_string(i)))
        .member("text", answer.text)
        .member("finish_reason",
                native_stop_reason(ModelFamily::CohereCommand, answer.stop_reason));
    if (request.choices > 1) out.member("index", i);
    out.end_object();
  }
  out.end_array();
  out.member("id", derive_uuid(seed, "cohere-id"))
      .member("prompt", request.native_prompt)
      .end_object();
}

Result<EmulatedRequest> parse_cohere_command_r(const ModelInfo& model, const Json& body) {
  SchemaCheck check;
  check.object(
      body, kRoot, {"message"},
      {"chat_history", "preamble", "documents", "search_queries_only", "max_tokens", "temperature",
       "p", "k", "prompt_truncation", "frequency_penalty", "presence_penalty", "seed",
       "return_prompt", "tools", "tool_results", "stop_sequences", "raw_prompting"});
  auto message = check.string(body, kRoot, "message");
  EmulatedRequest request;
  request.system_text = check.string(body, kRoot, "preamble").value_or("");
  if (const Json* history = check.array(body, kRoot, "chat_history")) {
    for (std::size_t i = 0; i < history->size(); ++i) {
      const Json& h = (*history)[i];
      std::string where = child(child(kRoot, "chat_history"), i);
      if (!check.object(h, where, {"role", "message"}, {"tool_calls"})) continue;
      auto role = check.enumeration(h, where, "role", {"USER", "CHATBOT", "SYSTEM", "TOOL"});
      auto text = check.string(h, where, "message");
      if (role && text && *role != "SYSTEM") {
        request.turns.push_back({*role == "CHATBOT" ? Role::Assistant : Role::User, *text});
      }
    }
  }
  check.array(body, kRoot, "documents");
  check.boolean(body, kRoot, "search_queries_only");
  auto max_tokens = check.integer(body, kRoot, "max_tokens", 1, output_cap(model));
  request.temperature = check.number(body, kRoot, "temperature", 0.0, 1.0);
  request.top_p = check.number(body, kRoot, "p", 0.01, 0.99);
  if (auto k = check.integer(body, kRoot, "k", 0, 500)) request.top_k = static_cast<int>(*k);
  check.enumeration(body, kRoot, "prompt_truncation", {"OFF", "AUTO_PRESERVE_ORDER"});
  check.number(body, kRoot, "frequency_penalty", 0.0, 1.0);
  check.number(body, kRoot, "presence_penalty", 0.0, 1.0);
  check.integer(body, kRoot, "seed", std::nullopt, std::nullopt);
  check.boolean(body, kRoot, "return_prompt");
  check.array(body, kRoot, "tools");
  check.array(body, kRoot, "tool_results");
  request.stop_sequences =
      check.string_list(body, kRoot, "stop_sequences", 4).value_or(std::vector<std::string>{});
  check.boolean(body, kRoot, "raw_prompting");
  if (!check.ok()) return fail(check.error());

  request.turns.push_back({Role::User, *message});
  request.native_prompt = *message;
  request.max_tokens_given = max_tokens.has_value();
  request.max_tokens =
      max_tokens ? static_cast<int>(*max_tokens) : static_cast<int>(output_cap(model));
  finalize(request, model);
  return request;
}

void render_cohere_command_r(JsonOut& out, const EmulatedRequest& request,
                             const EmulatedAnswer& answer, const std::string& seed) {
  out.begin_object()
      .member("response_id", derive_uuid(seed, "cohere-response"))
      .member("text", answer.text)
      .member("generation_id", derive_uuid(seed, "cohere-generation"));
  // The returned history is the request's plus this exchange (§7.9 example).
  out.key("chat_history").begin_array();
  for (const auto& turn : request.turns) {
    out.begin_object()
        .member("role", turn.role == Role::User ? "USER" : "CHATBOT")
        .member("message", turn.text)
        .end_object();
  }
  out.begin_object().member("role", "CHATBOT").member("message", answer.text).end_object();
  out.end_array();
  out.member("finish_reason", native_stop_reason(ModelFamily::CohereCommandR, answer.stop_reason))
      .end_object();
}

}  // namespace bedrock::emulator::model::detail
