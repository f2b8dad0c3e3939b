// One task call in two halves around the model call, so the same request building and result
// checking serve the synchronous generators (call_task: prepare, Invoker, finish) and callers
// that send the request themselves (an asynchronous client, a server's event loop).
#pragma once

#include <string>

#include "bedrock/content/generation.h"

namespace bedrock::content {

// A request ready to send, with what finish_task needs to check and learn from its answer.
struct PreparedCall {
  TaskCall call;
  runtime::InvokeRequest request;
  ModelLimits limits;  // the primary model's
};

// Renders the task's system and user templates, checks the request against the primary model's
// limits (output clamped; counted with ctx.count_input_tokens when set, else estimated) and keeps
// only the fallbacks that can take it. Needs ctx.config, ctx.limits and ctx.clock, not
// ctx.invoker. ctx.count_input_tokens, when set, is called here and may block: callers on an
// event loop leave it unset. Errors: Cancelled (ctx.cancelled set); ConfigurationInvalid (no
// such template, incomplete context); the lookup's error for an unknown model; Validation /
// InputTooLong from check_fits.
Result<PreparedCall> prepare_task(const GenerationContext& ctx, const TaskCall& call);

// Turns what the model call returned into the call's output: feeds reported token counts to
// ctx.calibration, refuses a blank completion (InvalidResponse). `streamed` is the text already
// shown to the user (empty when the call did not stream): every error returned carries it in
// Error::partial_output unless the error already has one.
Result<CallOutput> finish_task(const GenerationContext& ctx, const PreparedCall& prepared,
                               Result<runtime::InvokeResult> result, std::string streamed = {});

}  // namespace bedrock::content
