// What every generator shares: the context it runs in (invoker, config, model limits, clock,
// cancellation) and one checked model call built from a task's templates.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/content/attachments.h"
#include "bedrock/content/content_config.h"
#include "bedrock/content/model_limits.h"
#include "bedrock/content/prompt_template.h"
#include "bedrock/content/token_estimator.h"
#include "bedrock/core/clock.h"
#include "bedrock/runtime/invocation.h"

namespace bedrock::content {

struct TaskCall {
  Task task = Task::Summarize;
  std::string template_name = "user";  // the task's user-turn template
  TemplateValues values;
  bool chunkable = false;  // whether an InputTooLong error should offer the chunked path
  // Images and documents for the user turn (attachments.h): the call then goes through Converse,
  // its text ends with attachment_note, and only models that read them are asked.
  Attachments attachments{};
};

// Receives the answer of a streamed call as it arrives (GenerationContext::text_sink). Called on
// the thread running the call, by one call at a time (generators that fan out never stream their
// parallel calls); must not throw.
class TextSink {
 public:
  virtual ~TextSink() = default;
  // A call whose answer will stream is about to be sent: `call` says which task and template
  // (social's "retry" rewrites an over-long draft). Not called when the call fails before it
  // is sent (validation, limits).
  virtual void on_call_start(const TaskCall& call) { (void)call; }
  // The next piece of the answer's text (never reasoning), in order. A piece may end inside a
  // multi-byte UTF-8 character; the next piece continues it.
  virtual void on_text(std::string_view piece) = 0;
};

// Borrowed pointers: everything must outlive the calls made with the context. Thread-safe as
// long as the invoker is (the Invoker contract says it is).
struct GenerationContext {
  runtime::Invoker* invoker = nullptr;
  const ContentConfig* config = nullptr;
  LimitsLookup limits;                      // registry_limits() in production
  TokenCalibration* calibration = nullptr;  // optional: learns from reported token counts
  const Clock* clock = &system_clock();
  const std::atomic<bool>* cancelled = nullptr;  // checked before each call, passed into it
  // Optional: when set, the calls that produce the user-visible answer stream their text here
  // (rephrase, expand, blog, product, social, summarize's final step; never map-reduce's map
  // or intermediate reduce calls). Results and errors are the same as without it; an error
  // after text reached the sink carries that text in Error::partial_output.
  TextSink* text_sink = nullptr;
  // Optional: the request's input tokens as Bedrock counts them (CountTokens), used instead of
  // the estimate to check that a call fits its primary model. Called once per call, from the
  // threads making calls (map-reduce calls it concurrently). On an error other than Cancelled the
  // estimate is used (the counter says why to the user, e.g. that the model has no CountTokens).
  std::function<Result<int>(const runtime::InvokeRequest&)> count_input_tokens;
};

// One finished call: the completion text and its record.
struct CallOutput {
  std::string text;
  models::StopReason stop_reason = models::StopReason::Unknown;
  runtime::InvocationRecord record;
};

// Estimated input tokens of a prompt for a model family, corrected by what the model reported
// before (when a calibration is given). Includes a small allowance for the chat framing.
int estimate_prompt_tokens(const models::Prompt& prompt, const ModelLimits& limits,
                           const TokenCalibration* calibration);

// Renders the task's system and `template_name` templates, checks the request (counted with
// ctx.count_input_tokens when set, else estimated) against the primary model's limits (output
// clamped to the model's limit; fallbacks that cannot take the request are dropped), invokes, and
// feeds reported token counts to the calibration. Errors: Cancelled; the lookup's error for an
// unknown model; Validation / InputTooLong from check_fits; whatever the invoker returns;
// InvalidResponse for an empty completion. With ctx.text_sink set the call goes through
// Invoker::invoke_stream and forwards text deltas.
Result<CallOutput> call_task(const GenerationContext& ctx, const TaskCall& call);

// Validates the context (non-null invoker and config, a limits lookup).
Status check_context(const GenerationContext& ctx);

}  // namespace bedrock::content
