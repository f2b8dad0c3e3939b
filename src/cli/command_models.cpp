// `invoke` (one model call, any family, native or Converse) and `models` (the registry).
#include <fmt/format.h>

#include "bedrock/models/registry.h"
#include "commands.h"
#include "record_json.h"

namespace bedrock::cli {
namespace {

struct InvokeFlags {
  std::string model;
  std::optional<std::string> prompt;
  std::optional<std::string> file;
  std::optional<std::string> system;
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int> top_k;
  std::vector<std::string> stop;
  std::vector<std::string> fallbacks;
  std::optional<std::string> family;
  std::string guardrail_id;
  std::string guardrail_version;
  std::string trace;
  bool converse = false;
  bool latency_optimized = false;
  StreamFlags stream;
};

int run_invoke(Session& session, const InvokeFlags& f) {
  runtime::InvokeRequest request;
  request.model_id = f.model;
  request.fallbacks = f.fallbacks;
  if (f.prompt) {
    request.prompt = models::Prompt::from_user(*f.prompt);
  } else {
    auto text = read_command_input(f.file);
    if (!text) return session.report(text.error());
    request.prompt = models::Prompt::from_user(std::move(*text));
  }
  if (f.system) request.prompt.system = *f.system;
  request.params.max_tokens = f.max_tokens;
  request.params.temperature = f.temperature;
  request.params.top_p = f.top_p;
  request.params.top_k = f.top_k;
  request.params.stop_sequences = f.stop;
  request.use_converse = f.converse;
  if (f.family) {
    auto family = models::family_from_string(*f.family);
    if (!family) {
      return session.report(Error::make(ErrorCode::Validation,
                                        fmt::format("--family: unknown family '{}'", *f.family)));
    }
    request.family = family;
  }
  request.guardrail_id = f.guardrail_id;
  request.guardrail_version = f.guardrail_version;
  request.trace = f.trace;
  request.latency_optimized = f.latency_optimized;
  request.timeout = session.timeout();
  request.cancelled = session.cancelled();

  auto client = session.client();
  if (!client) return session.report(client.error());
  AnswerStream stream;
  AnswerStream* streamed =
      stream_wanted(f.stream, session.options().json, false, session.stdout_is_terminal())
          ? &stream
          : nullptr;
  auto result = streamed != nullptr ? (*client)->invoke_stream(request, stream.callback())
                                    : (*client)->invoke(request);
  if (!result) return session.report(result.error(), streamed);
  nlohmann::json json = {{"completion", to_json(result->completion)},
                         {"record", to_json(result->record)}};
  return session.finish(result->completion.text, std::move(json), streamed);
}

int run_models(Session& session) {
  const auto& all = models::ModelRegistry::builtin().all();
  nlohmann::json json = nlohmann::json::array();
  std::string table = fmt::format("{:<48} {:<18} {:>9} {:>9} {:>11} {:>11}\n", "MODEL ID", "FAMILY",
                                  "CONTEXT", "MAX OUT", "$/1K IN", "$/1K OUT");
  for (const auto& m : all) {
    table += fmt::format("{:<48} {:<18} {:>9} {:>9} {:>11.5f} {:>11.5f}\n", m.id,
                         models::to_string(m.family), m.context_window, m.max_output_tokens,
                         m.input_price_per_1k, m.output_price_per_1k);
    json.push_back({{"id", m.id},
                    {"name", m.display_name},
                    {"family", std::string(models::to_string(m.family))},
                    {"context_window", m.context_window},
                    {"max_output_tokens", m.max_output_tokens},
                    {"input_price_per_1k", m.input_price_per_1k},
                    {"output_price_per_1k", m.output_price_per_1k}});
  }
  table +=
      "\nAlso accepted: cross-region inference profiles (us., eu., apac., global. prefixes)\n"
      "and ARNs (foundation-model, inference-profile; others with --family).";
  return session.finish(table, {{"models", json}});
}

}  // namespace

void add_model_commands(CLI::App& app, Session& session, int& exit_code) {
  auto flags = std::make_shared<InvokeFlags>();
  auto* invoke = app.add_subcommand("invoke", "Send one prompt to one model and print the answer");
  invoke
      ->add_option("--model,-m", flags->model,
                   "Model id: plain, inference profile (us./eu./apac./global.) or ARN")
      ->required();
  auto* prompt = invoke->add_option("--prompt,-p", flags->prompt, "Prompt text");
  invoke->add_option("--file,-f", flags->file, "Read the prompt from FILE ('-' = stdin)")
      ->excludes(prompt);
  invoke->add_option("--system,-s", flags->system, "System prompt");
  invoke->add_option("--max-tokens", flags->max_tokens, "Maximum output tokens")
      ->check(CLI::Range(1, 1000000));
  invoke->add_option("--temperature", flags->temperature, "Sampling temperature")
      ->check(CLI::Range(0.0, 2.0));
  invoke->add_option("--top-p", flags->top_p, "Nucleus sampling mass")->check(CLI::Range(0.0, 1.0));
  invoke->add_option("--top-k", flags->top_k, "Top-k sampling (families that support it)");
  invoke->add_option("--stop", flags->stop, "Stop sequence (repeatable)");
  invoke->add_option("--fallback", flags->fallbacks,
                     "Model to try when the previous one fails recoverably (repeatable, in order)");
  invoke->add_option("--family", flags->family,
                     "Model family for ARNs that do not name a model (e.g. AnthropicMessages)");
  invoke->add_flag("--converse", flags->converse, "Use the Converse API instead of InvokeModel");
  invoke->add_option("--guardrail-id", flags->guardrail_id, "Guardrail identifier");
  invoke->add_option("--guardrail-version", flags->guardrail_version, "Guardrail version");
  invoke->add_option("--trace", flags->trace, "Guardrail trace: ENABLED | DISABLED | ENABLED_FULL")
      ->check(CLI::IsMember({"ENABLED", "DISABLED", "ENABLED_FULL"}));
  invoke->add_flag("--latency-optimized", flags->latency_optimized,
                   "Ask for latency-optimized inference");
  add_stream_flags(invoke, flags->stream, false);
  invoke->footer(
      "Examples:\n"
      "  bedrock-content invoke -m anthropic.claude-3-haiku-20240307-v1:0 -p 'Say hi'\n"
      "  echo 'Explain SigV4' | bedrock-content invoke -m us.amazon.nova-lite-v1:0 --converse\n"
      "  bedrock-content invoke -m us.amazon.nova-lite-v1:0 -p 'Write a haiku' --stream\n"
      "  bedrock-content invoke -m anthropic.claude-3-5-sonnet-20240620-v1:0 \\\n"
      "      --fallback anthropic.claude-3-haiku-20240307-v1:0 -f prompt.txt --json");
  invoke->callback([&session, &exit_code, flags] { exit_code = run_invoke(session, *flags); });

  auto* list =
      app.add_subcommand("models", "List the models the registry knows, with limits and prices");
  list->callback([&session, &exit_code] { exit_code = run_models(session); });
}

}  // namespace bedrock::cli
