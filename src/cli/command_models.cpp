// `invoke` (one model call, any family, native or Converse) and `models` (the registry).
#include <fmt/format.h>

#include <cstdio>

#include "attachments.h"
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
  std::vector<std::string> attach;
  std::optional<std::string> tools;
  std::optional<std::string> schema;
  bool cache = false;
  std::optional<int> reasoning_budget;
  bool show_reasoning = false;
  StreamFlags stream;
};

// What `invoke --tools` prints: the answer's text, why it stopped and the tool calls with their
// input as JSON, so a script can run the tools and answer.
nlohmann::json tool_answer_json(const models::Completion& c) {
  return {{"text", c.text},
          {"stop_reason", std::string(models::to_string(c.stop_reason))},
          {"tool_calls", tool_calls_json(c.tool_calls)}};
}

void print_reasoning(std::string_view text) {
  if (text.empty()) return;
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (text.back() != '\n') std::fputc('\n', stderr);
  std::fflush(stderr);
}

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
  request.params.reasoning_budget_tokens = f.reasoning_budget;
  // Attachments, tools, schemas, cache points and a reasoning budget exist only in Converse:
  // asking for them asks for it.
  if (!f.attach.empty() || f.tools || f.schema || f.cache || f.reasoning_budget) {
    request.use_converse = true;
  }
  if (auto ok = attach_files(f.attach, request.prompt.messages.front()); !ok) {
    return session.report(ok.error());
  }
  if (f.tools) {
    auto tools = read_tool_file(*f.tools);
    if (!tools) return session.report(tools.error());
    request.prompt.tools = std::move(*tools);
  }
  if (f.schema) {
    auto schema = read_schema_file(*f.schema);
    if (!schema) return session.report(schema.error());
    request.prompt.output_schema = std::move(*schema);
  }
  if (f.cache) {
    // The prefix worth caching: the system prompt when there is one, else the whole prompt.
    if (request.prompt.system.empty()) {
      request.prompt.messages.front().cache_point = models::CachePoint{};
    } else {
      request.prompt.system_cache_point = models::CachePoint{};
    }
  }
  request.timeout = session.timeout();
  request.cancelled = session.cancelled();

  auto client = session.client();
  if (!client) return session.report(client.error());
  const bool wants_stream =
      stream_wanted(f.stream, session.options().json, false, session.stdout_is_terminal());
  // With --tools or --schema the output is one JSON document, printed whole at the end (a
  // schema's answer may arrive as a tool's input, not as text).
  AnswerStream stream;
  AnswerStream* streamed = wants_stream && !f.tools && !f.schema ? &stream : nullptr;
  const bool live_reasoning = f.show_reasoning && wants_stream;
  runtime::StreamCallback text_out = streamed != nullptr ? stream.callback() : nullptr;
  bool reasoning_printed = false;
  auto on_event = [&](const models::StreamEvent& e) {
    if (const auto* r = std::get_if<models::ReasoningDelta>(&e);
        r != nullptr && live_reasoning && r->part == models::ReasoningPart::Text) {
      std::fwrite(r->text.data(), 1, r->text.size(), stderr);
      std::fflush(stderr);
      reasoning_printed = true;
    }
    if (text_out) text_out(e);
  };
  auto result =
      wants_stream ? (*client)->invoke_stream(request, on_event) : (*client)->invoke(request);
  if (reasoning_printed) std::fputc('\n', stderr);
  if (!result) return session.report(result.error(), streamed);
  if (f.show_reasoning && !live_reasoning) print_reasoning(result->completion.reasoning);
  nlohmann::json json = {{"completion", to_json(result->completion)},
                         {"record", to_json(result->record)}};
  if (f.tools)
    return session.finish(tool_answer_json(result->completion)
                              .dump(2, ' ', false, nlohmann::json::error_handler_t::replace),
                          std::move(json));
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
  invoke->add_option("--attach", flags->attach,
                     "Image (png, jpg, gif, webp) or document (pdf, csv, doc, docx, xls, xlsx, "
                     "html, txt, md) sent with the prompt (repeatable; implies --converse)");
  invoke->add_option("--tools", flags->tools,
                     "Tool definitions (Bedrock toolConfig JSON, or an array of tool specs); "
                     "prints the answer and its tool calls as JSON (implies --converse)");
  invoke->add_option("--schema", flags->schema,
                     "JSON Schema the answer must match; prints the answer JSON, checked against "
                     "the schema (exit 7 if it does not match; implies --converse)");
  invoke->add_flag("--cache", flags->cache,
                   "Prompt-cache point after the system prompt (else after the prompt), for "
                   "models that take prompt caching (implies --converse)");
  invoke
      ->add_option("--reasoning-budget", flags->reasoning_budget,
                   "Extended-thinking budget in tokens (Claude 3.7 and 4; below --max-tokens; "
                   "implies --converse)")
      ->check(CLI::Range(1, 1000000));
  invoke->add_flag("--show-reasoning", flags->show_reasoning,
                   "Print the model's reasoning on stderr (as it arrives with --stream)");
  add_stream_flags(invoke, flags->stream, false);
  invoke->footer(
      "Examples:\n"
      "  bedrock-content invoke -m anthropic.claude-3-haiku-20240307-v1:0 -p 'Say hi'\n"
      "  echo 'Explain SigV4' | bedrock-content invoke -m us.amazon.nova-lite-v1:0 --converse\n"
      "  bedrock-content invoke -m us.amazon.nova-lite-v1:0 -p 'Write a haiku' --stream\n"
      "  bedrock-content invoke -m anthropic.claude-3-5-sonnet-20240620-v1:0 \\\n"
      "      --fallback anthropic.claude-3-haiku-20240307-v1:0 -f prompt.txt --json\n"
      "  bedrock-content invoke -m us.amazon.nova-lite-v1:0 -p 'What is in it?' --attach cat.png\n"
      "  bedrock-content invoke -m us.amazon.nova-pro-v1:0 -p 'Weather in Paris?' --tools "
      "tools.json\n"
      "  bedrock-content invoke -m us.deepseek.r1-v1:0 -p 'Why is the sky blue?' --show-reasoning\n"
      "  bedrock-content invoke -m us.amazon.nova-lite-v1:0 -f review.txt --schema sentiment.json\n"
      "  bedrock-content invoke -m us.amazon.nova-lite-v1:0 --system \"$(cat manual.txt)\" -p 'Q?' "
      "--cache");
  invoke->callback([&session, &exit_code, flags] { exit_code = run_invoke(session, *flags); });

  auto* list =
      app.add_subcommand("models", "List the models the registry knows, with limits and prices");
  list->callback([&session, &exit_code] { exit_code = run_models(session); });
}

}  // namespace bedrock::cli
