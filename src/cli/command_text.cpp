// `summarize`, `rephrase` and `expand`: commands that transform a text read from FILE or stdin.
#include <fmt/format.h>

#include "bedrock/content/generators.h"
#include "commands.h"
#include "progress.h"
#include "record_json.h"

namespace bedrock::cli {
namespace {

struct SummarizeFlags {
  std::optional<std::string> file;
  int paragraphs = 2;
  std::optional<int> concurrency;
  std::string chunking = "auto";
  bool mark_failed = false;
  ModelFlags model;
  StreamFlags stream;
};

int run_summarize(Session& session, const SummarizeFlags& f) {
  auto text = read_command_input(f.file);
  if (!text) return session.report(text.error());
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Summarize, f.model, storage);
  if (!ctx) return session.report(ctx.error());

  content::SummarizeOptions options;
  options.map_reduce = content::MapReduceOptions::from_config(ctx->config->map_reduce);
  if (f.concurrency) options.map_reduce.concurrency = *f.concurrency;
  if (f.mark_failed) options.map_reduce.mark_failed_chunks = true;
  options.chunking = f.chunking == "never"    ? content::Chunking::Never
                     : f.chunking == "always" ? content::Chunking::Always
                                              : content::Chunking::Auto;
  ProgressReporter progress(choose_progress_mode(session.options().quiet || session.options().json,
                                                 session.stderr_is_terminal()));
  ProgressSnapshot last;
  bool any_progress = false;
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  // The bar is ended before the summary streams, so the two never share a terminal line.
  stream.set_on_call_start([&](const content::TaskCall&) {
    if (any_progress) progress.finish(last);
    any_progress = false;
  });
  options.map_reduce.on_progress = [&](const content::MapReduceProgress& p) {
    // The bar follows the map step (the long part); reduce levels are one or a few calls.
    if (p.phase != content::MapReduceProgress::Phase::Map) return;
    last = {p.done, p.total, p.tokens, p.elapsed};
    any_progress = true;
    progress.update(last);
  };
  auto summary = content::summarize(*ctx, {std::move(*text), f.paragraphs}, options);
  if (any_progress) progress.finish(last);
  if (!summary) return session.report(summary.error(), streamed);

  nlohmann::json failed = nlohmann::json::array();
  for (const auto& c : summary->failed_chunks)
    failed.push_back({{"chunk", c.index}, {"reason", c.reason}});
  nlohmann::json json = {{"summary", summary->text},  {"chunked", summary->chunked},
                         {"chunks", summary->chunks}, {"reduce_levels", summary->reduce_levels},
                         {"failed_chunks", failed},   {"records", records_json(summary->records)}};
  return session.finish(summary->text, std::move(json), streamed);
}

struct RephraseFlags {
  std::optional<std::string> file;
  std::string style = "professional";
  ModelFlags model;
  StreamFlags stream;
};

int run_rephrase(Session& session, const RephraseFlags& f) {
  auto text = read_command_input(f.file);
  if (!text) return session.report(text.error());
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Rephrase, f.model, storage);
  if (!ctx) return session.report(ctx.error());
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  auto out = content::rephrase(*ctx, {std::move(*text), f.style});
  if (!out) return session.report(out.error(), streamed);
  nlohmann::json json = {{"text", out->text},
                         {"style", out->style},
                         {"builtin_style", out->builtin_style},
                         {"records", records_json({out->record})}};
  return session.finish(out->text, std::move(json), streamed);
}

struct ExpandFlags {
  std::optional<std::string> file;
  ModelFlags model;
  StreamFlags stream;
};

int run_expand(Session& session, const ExpandFlags& f) {
  auto text = read_command_input(f.file);
  if (!text) return session.report(text.error());
  content::ContentConfig storage;
  auto ctx = context_for(session, content::Task::Expand, f.model, storage);
  if (!ctx) return session.report(ctx.error());
  AnswerStream stream;
  AnswerStream* streamed = attach_stream(session, f.stream, *ctx, stream);
  auto out = content::expand(*ctx, content::ExpandInput::from_text(*text));
  if (!out) return session.report(out.error(), streamed);
  nlohmann::json json = {{"paragraphs", out->paragraphs},
                         {"one_per_bullet", out->one_per_bullet},
                         {"records", records_json({out->record})}};
  return session.finish(out->text(), std::move(json), streamed);
}

}  // namespace

void add_text_commands(CLI::App& app, Session& session, int& exit_code) {
  auto s = std::make_shared<SummarizeFlags>();
  auto* summarize = app.add_subcommand("summarize", "Summarize a text or document of any size");
  summarize->add_option("FILE", s->file, "Text to summarize ('-' or absent = stdin)");
  summarize->add_option("--paragraphs,-n", s->paragraphs, "Paragraphs in the summary")
      ->check(CLI::Range(1, 20));
  summarize
      ->add_option("--concurrency,-j", s->concurrency,
                   "Parallel chunk calls for large documents (default 4)")
      ->check(CLI::Range(1, 64));
  summarize
      ->add_option("--chunking", s->chunking,
                   "auto: split only when the text does not fit; never: fail instead; "
                   "always: split even small texts")
      ->check(CLI::IsMember({"auto", "never", "always"}));
  summarize->add_flag("--mark-failed-chunks", s->mark_failed,
                      "Mark a chunk that cannot be summarized in the output instead of failing");
  add_model_flags(summarize, s->model);
  add_stream_flags(summarize, s->stream, true);
  summarize->footer(
      "Examples:\n"
      "  bedrock-content summarize report.txt\n"
      "  bedrock-content summarize --paragraphs 3 -j 8 book.txt --json\n"
      "  curl -s https://example.com/article.txt | bedrock-content summarize");
  summarize->callback([&session, &exit_code, s] { exit_code = run_summarize(session, *s); });

  auto r = std::make_shared<RephraseFlags>();
  auto* rephrase =
      app.add_subcommand("rephrase", "Rewrite a text in another style, keeping every fact");
  rephrase->add_option("FILE", r->file, "Text to rephrase ('-' or absent = stdin)");
  rephrase->add_option("--style", r->style,
                       "professional | casual | academic | simplify | any style description");
  add_model_flags(rephrase, r->model);
  add_stream_flags(rephrase, r->stream, true);
  rephrase->footer(
      "Examples:\n"
      "  bedrock-content rephrase --style casual email.txt\n"
      "  echo 'The meeting is postponed.' | bedrock-content rephrase --style 'a pirate captain'");
  rephrase->callback([&session, &exit_code, r] { exit_code = run_rephrase(session, *r); });

  auto e = std::make_shared<ExpandFlags>();
  auto* expand = app.add_subcommand("expand", "Turn bullet points into one paragraph per bullet");
  expand->add_option("FILE", e->file, "Bullet points ('-' or absent = stdin)");
  add_model_flags(expand, e->model);
  add_stream_flags(expand, e->stream, true);
  expand->footer(
      "Examples:\n"
      "  bedrock-content expand notes.md\n"
      "  printf -- '- fast\\n- reliable\\n' | bedrock-content expand --json");
  expand->callback([&session, &exit_code, e] { exit_code = run_expand(session, *e); });
}

}  // namespace bedrock::cli
