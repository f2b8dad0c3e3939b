#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <set>

#include "bedrock/core/log.h"
#include "bedrock/core/utf8_repair.h"
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
  cmd->add_flag("--count-tokens", flags.count_tokens,
                "Count input tokens with Bedrock's CountTokens instead of estimating them "
                "(falls back to the estimate, with a warning, where it is unavailable)");
}

namespace {

// Counts with the session's client; a failure is reported once per model and the caller uses
// its estimate instead.
std::function<Result<int>(const runtime::InvokeRequest&)> token_counter(
    runtime::BedrockClient* client, bool quiet) {
  struct Warned {
    std::mutex mu;
    std::set<std::string> models;
  };
  auto warned = std::make_shared<Warned>();
  return [client, warned, quiet](const runtime::InvokeRequest& request) -> Result<int> {
    auto counted = client->count_tokens(request);
    if (counted) return counted->input_tokens;
    if (counted.error().code != ErrorCode::Cancelled && !quiet) {
      std::lock_guard lock(warned->mu);
      if (warned->models.insert(request.model_id).second) {
        fmt::print(stderr, "warning: CountTokens failed for {} ({}); using the token estimate\n",
                   replace_invalid_utf8(request.model_id),
                   replace_invalid_utf8(redact(describe(counted.error()))));
      }
    }
    return fail(counted.error());
  };
}

}  // namespace

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
  if (flags.count_tokens) {
    // The context's invoker is this client, already built: the counter shares it.
    auto client = session.client();
    if (!client) return fail(client.error());
    ctx->count_input_tokens = token_counter(*client, session.options().quiet);
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
