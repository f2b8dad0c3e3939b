#include <unistd.h>

#include <iostream>

#include "commands.h"
#include "input.h"
#include "record_json.h"

namespace bedrock::cli {

Result<std::string> read_command_input(const std::optional<std::string>& file) {
  return read_input(file, std::cin, ::isatty(STDIN_FILENO) == 1);
}

nlohmann::json records_json(const std::vector<runtime::InvocationRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records) out.push_back(to_json(r));
  return out;
}

void add_model_flags(CLI::App* cmd, ModelFlags& flags) {
  cmd->add_option("--model,-m", flags.model, "Model id (default: from the config file)");
  cmd->add_option("--fallback", flags.fallbacks, "Fallback model (repeatable, in order)");
}

Result<content::GenerationContext> context_for(Session& session, content::Task task,
                                               const ModelFlags& flags,
                                               content::ContentConfig& storage) {
  auto ctx = session.generation_context();
  if (!ctx) return ctx;
  if (flags.model || !flags.fallbacks.empty()) {
    storage = *ctx->config;
    if (flags.model) storage.task(task).model = *flags.model;
    if (!flags.fallbacks.empty()) storage.task(task).fallbacks = flags.fallbacks;
    ctx->config = &storage;
  }
  return ctx;
}

AnswerStream* attach_stream(Session& session, const StreamFlags& flags,
                            content::GenerationContext& ctx, AnswerStream& stream) {
  if (!stream_wanted(flags, session.options().json, true, session.stdout_is_terminal())) {
    return nullptr;
  }
  ctx.text_sink = &stream;
  return &stream;
}

}  // namespace bedrock::cli
