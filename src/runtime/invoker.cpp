#include "bedrock/runtime/invocation.h"

namespace bedrock::runtime {

// Invokers that cannot stream still honour the contract: the caller sees the same event
// sequence a one-chunk stream would give, so its rendering code has one path.
Result<InvokeResult> Invoker::invoke_stream(const InvokeRequest& request,
                                            const StreamCallback& on_event) {
  auto result = invoke(request);
  if (!result) return result;
  const models::Completion& c = result->completion;
  if (!c.reasoning.empty())
    on_event(models::ReasoningDelta{0, models::ReasoningPart::Text, c.reasoning});
  if (!c.text.empty()) on_event(models::TextDelta{0, c.text});
  on_event(models::ContentBlockStop{0});
  on_event(models::MessageStop{c.stop_reason, c.raw_stop_reason, {}});
  if (c.usage.reported) {
    models::UsageUpdate usage;
    usage.input_tokens = c.usage.input_tokens;
    usage.output_tokens = c.usage.output_tokens;
    usage.cache_read_input_tokens = c.usage.cache_read_input_tokens;
    usage.cache_write_input_tokens = c.usage.cache_write_input_tokens;
    usage.cache_write_1h_input_tokens = c.usage.cache_write_1h_input_tokens;
    on_event(usage);
  }
  return result;
}

}  // namespace bedrock::runtime
