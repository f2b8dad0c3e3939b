// `tokens`: how many input tokens Bedrock counts for a prompt (CountTokens), without running
// the model.
#include <fmt/format.h>

#include "commands.h"
#include "record_json.h"

namespace bedrock::cli {
namespace {

struct TokensFlags {
  std::string model;
  std::optional<std::string> file;
  std::optional<std::string> system;
  bool converse = false;
};

int run_tokens(Session& session, const TokensFlags& f) {
  auto text = read_command_input(f.file);
  if (!text) return session.report(text.error());
  runtime::InvokeRequest request;
  request.model_id = f.model;
  request.prompt = models::Prompt::from_user(std::move(*text));
  if (f.system) request.prompt.system = *f.system;
  request.use_converse = f.converse;
  request.timeout = session.timeout();
  request.cancelled = session.cancelled();
  auto client = session.client();
  if (!client) return session.report(client.error());
  auto result = (*client)->count_tokens(request);
  if (!result) return session.report(result.error());
  nlohmann::json json = {{"input_tokens", result->input_tokens},
                         {"record", to_json(result->record)}};
  return session.finish(std::to_string(result->input_tokens), std::move(json));
}

}  // namespace

void add_tokens_command(CLI::App& app, Session& session, int& exit_code) {
  auto flags = std::make_shared<TokensFlags>();
  auto* cmd = app.add_subcommand(
      "tokens", "Count the input tokens Bedrock bills for a prompt (CountTokens; nothing runs)");
  cmd->add_option("--model,-m", flags->model, "Foundation-model id (CountTokens takes no profiles)")
      ->required();
  cmd->add_option("file", flags->file, "Read the prompt from FILE ('-' or none = stdin)");
  cmd->add_option("--system,-s", flags->system, "System prompt, counted with the prompt");
  cmd->add_flag("--converse", flags->converse,
                "Count the Converse form of the request instead of the model's native body");
  cmd->footer(
      "Examples:\n"
      "  bedrock-content tokens -m anthropic.claude-3-haiku-20240307-v1:0 article.txt\n"
      "  echo 'How many?' | bedrock-content tokens -m amazon.nova-lite-v1:0 --converse --json");
  cmd->callback([&session, &exit_code, flags] { exit_code = run_tokens(session, *flags); });
}

}  // namespace bedrock::cli
