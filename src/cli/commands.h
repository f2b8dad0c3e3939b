// Registration of the subcommands. Each add_* adds its subcommands to `app`; when one is
// selected its callback runs the command and stores the exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "session.h"
#include "stream_output.h"

namespace bedrock::cli {

void add_model_commands(CLI::App& app, Session& session, int& exit_code);  // invoke, models
void add_text_commands(CLI::App& app, Session& session,
                       int& exit_code);  // summarize, rephrase, expand
void add_tokens_command(CLI::App& app, Session& session, int& exit_code);  // tokens
void add_creative_commands(CLI::App& app, Session& session,
                           int& exit_code);  // blog, product, social
// jobs submit|status|wait|list|cancel, against a bedrock-content-server
void add_jobs_commands(CLI::App& app, Session& session, int& exit_code);

// Reads FILE or stdin for a command (see input.h).
Result<std::string> read_command_input(const std::optional<std::string>& file);

nlohmann::json records_json(const std::vector<runtime::InvocationRecord>& records);

// --model / --fallback: override a task's configured model and fallbacks; --count-tokens: check
// each call against the model's limits with CountTokens instead of the estimate.
struct ModelFlags {
  std::optional<std::string> model;
  std::vector<std::string> fallbacks;
  bool count_tokens = false;
};
void add_model_flags(CLI::App* cmd, ModelFlags& flags);

// The session's generation context with the task's model overridden by `flags` and, with
// --count-tokens, a token counter that warns once per model on stderr (unless --quiet) when
// CountTokens fails and the estimate is used; `storage` holds the modified config and must
// outlive the context.
Result<content::GenerationContext> context_for(Session& session, content::Task task,
                                               const ModelFlags& flags,
                                               content::ContentConfig& storage);

// Points ctx's text sink at `stream` when the answer should stream (stream_wanted with the
// content commands' terminal default) and returns it; nullptr (and no sink) otherwise.
AnswerStream* attach_stream(Session& session, const StreamFlags& flags,
                            content::GenerationContext& ctx, AnswerStream& stream);

}  // namespace bedrock::cli
