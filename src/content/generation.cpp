#include "bedrock/content/generation.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "bedrock/content/prepared_call.h"
#include "bedrock/core/log.h"

namespace bedrock::content {
namespace {

// Role markers, turn separators and the like that every family adds around the text.
constexpr int kFramingTokens = 16;

// What the attachments need a model to read: "images", "documents" or "images and documents".
std::string_view needs(const Attachments& a) {
  if (a.images.empty()) return "documents";
  return a.documents.empty() ? "images" : "images and documents";
}

bool reads(const ModelLimits& limits, const Attachments& a) {
  return (a.images.empty() || limits.reads_images) &&
         (a.documents.empty() || limits.reads_documents);
}

// The models of a call with attachments: the task's model when it reads them, else the first
// fallback that does (the configured order, as when the model fails), followed by the later
// fallbacks; a model that cannot read them would fail the call after the upload. Errors:
// Validation naming the model when none of them reads them; the lookup's error for the primary.
Result<std::vector<std::string>> models_reading(const GenerationContext& ctx, const TaskCall& call,
                                                const TaskConfig& task) {
  std::vector<std::string> chain{task.model};
  chain.insert(chain.end(), task.fallbacks.begin(), task.fallbacks.end());
  std::vector<std::string> usable;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    auto limits = ctx.limits(chain[i]);
    if (!limits) {
      if (i == 0) return fail(limits.error());
      continue;
    }
    if (reads(*limits, call.attachments)) usable.push_back(chain[i]);
  }
  if (usable.empty()) {
    return fail(ErrorCode::Validation,
                fmt::format("{} cannot read the attached {}{}; choose a model that reads them "
                            "(Claude 3, 3.7 or 4, Nova Lite or Pro{})",
                            task.model, needs(call.attachments),
                            task.fallbacks.empty() ? "" : ", nor can its fallbacks",
                            call.attachments.images.empty() ? ", Claude 3.5 Haiku" : ""));
  }
  if (usable.front() != task.model) {
    logger()->info("content: {} reads no {}; {} goes to {}", task.model, needs(call.attachments),
                   to_string(call.task), usable.front());
  }
  return usable;
}

}  // namespace

Status check_context(const GenerationContext& ctx) {
  if (ctx.invoker == nullptr || ctx.config == nullptr || !ctx.limits || ctx.clock == nullptr) {
    return fail(ErrorCode::ConfigurationInvalid,
                "generation context needs an invoker, a config, a limits lookup and a clock");
  }
  return {};
}

int estimate_prompt_tokens(const models::Prompt& prompt, const ModelLimits& limits,
                           const TokenCalibration* calibration) {
  const TokenEstimator est = TokenEstimator::for_family(limits.family);
  long long milli = est.estimate_milli(prompt.system);
  for (const auto& m : prompt.messages) milli += est.estimate_milli(m.text);
  int tokens = static_cast<int>((milli + 999) / 1000) + kFramingTokens;
  if (calibration != nullptr) tokens = calibration->corrected(limits.model_id, tokens);
  return tokens;
}

Result<PreparedCall> prepare_task(const GenerationContext& ctx, const TaskCall& call) {
  if (ctx.config == nullptr || !ctx.limits || ctx.clock == nullptr) {
    return fail(ErrorCode::ConfigurationInvalid,
                "preparing a call needs a config, a limits lookup and a clock");
  }
  if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
    return fail(ErrorCode::Cancelled, "cancelled before the model call");
  }
  const TaskConfig& task = ctx.config->task(call.task);
  const PromptTemplate& user = task.templ(call.template_name);
  if (user.empty()) {
    return fail(
        ErrorCode::ConfigurationInvalid,
        fmt::format("task {} has no template named {}", to_string(call.task), call.template_name));
  }
  PreparedCall p;
  p.call = call;
  runtime::InvokeRequest& req = p.request;
  req.model_id = task.model;
  std::vector<std::string> fallbacks = task.fallbacks;
  const Attachments& attached = call.attachments;
  if (!attached.empty()) {
    if (auto ok = check_attachments(attached); !ok) return fail(ok.error());
    auto chain = models_reading(ctx, call, task);
    if (!chain) return fail(chain.error());
    req.model_id = chain->front();
    fallbacks.assign(chain->begin() + 1, chain->end());
    // Native InvokeModel bodies have no place for image and document blocks.
    req.use_converse = true;
  }
  req.prompt = models::Prompt::from_user(user.render(call.values) + attachment_note(attached),
                                         task.templ("system").render(call.values));
  req.prompt.messages.front().images = attached.images;
  req.prompt.messages.front().documents = attached.documents;
  req.params.temperature = task.temperature;
  req.timeout = ctx.config->timeout;
  req.cancelled = ctx.cancelled;

  auto limits = ctx.limits(req.model_id);
  if (!limits) return fail(limits.error());
  p.limits = std::move(*limits);
  const int output =
      std::min(task.max_tokens,
               p.limits.max_output_tokens > 0 ? p.limits.max_output_tokens : task.max_tokens);
  req.params.max_tokens = output;
  const int attachment_tokens = estimate_attachment_tokens(attached);
  int input = estimate_prompt_tokens(req.prompt, p.limits, ctx.calibration) + attachment_tokens;
  if (ctx.count_input_tokens) {
    auto counted = ctx.count_input_tokens(req);
    if (counted) {
      input = *counted;
    } else if (counted.error().code == ErrorCode::Cancelled) {
      return fail(counted.error());
    }
  }
  if (auto fits = check_fits(p.limits, input, output, call.chunkable); !fits) {
    return fail(fits.error());
  }
  // A fallback that cannot take this request would only turn a clear error into a vague one.
  for (const auto& fb : fallbacks) {
    auto fb_limits = ctx.limits(fb);
    if (!fb_limits) continue;
    const int fb_input =
        estimate_prompt_tokens(req.prompt, *fb_limits, ctx.calibration) + attachment_tokens;
    if (check_fits(*fb_limits, fb_input, output, call.chunkable)) {
      req.fallbacks.push_back(fb);
    } else {
      logger()->debug("content: skipping fallback {} for {}: request does not fit", fb,
                      to_string(call.task));
    }
  }
  return p;
}

Result<CallOutput> finish_task(const GenerationContext& ctx, const PreparedCall& prepared,
                               Result<runtime::InvokeResult> result, std::string streamed) {
  if (!result) {
    Error e = std::move(result.error());
    if (e.partial_output.empty()) e.partial_output = std::move(streamed);
    return fail(std::move(e));
  }
  CallOutput out;
  out.text = std::move(result->completion.text);
  out.stop_reason = result->completion.stop_reason;
  out.record = std::move(result->record);
  const runtime::InvokeRequest& req = prepared.request;
  // Attachments' tokens are only guessed (estimate_attachment_tokens): learning from such a
  // count would skew the text estimates.
  if (ctx.calibration != nullptr && prepared.call.attachments.empty() &&
      out.record.tokens_reported && out.record.input_tokens > 0) {
    const std::string& used = out.record.model_used.empty() ? req.model_id : out.record.model_used;
    Result<ModelLimits> used_limits = prepared.limits;
    if (used != req.model_id) {
      used_limits =
          ctx.limits ? ctx.limits(used) : fail(ErrorCode::ConfigurationInvalid, "no limits lookup");
    }
    if (used_limits) {
      const int uncorrected = estimate_prompt_tokens(req.prompt, *used_limits, nullptr);
      ctx.calibration->observe(used, uncorrected, out.record.input_tokens);
    }
  }
  const bool blank = std::all_of(out.text.begin(), out.text.end(), [](unsigned char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  });
  if (blank) {
    Error e = Error::make(ErrorCode::InvalidResponse,
                          fmt::format("{} returned an empty completion for {}",
                                      out.record.model_used, to_string(prepared.call.task)));
    e.partial_output = std::move(streamed);
    return fail(std::move(e));
  }
  return out;
}

Result<CallOutput> call_task(const GenerationContext& ctx, const TaskCall& call) {
  if (auto ok = check_context(ctx); !ok) return fail(ok.error());
  auto prepared = prepare_task(ctx, call);
  if (!prepared) return fail(prepared.error());
  // What reached the sink, so every error after it can say what the user already saw.
  std::string streamed;
  auto result = [&] {
    if (ctx.text_sink == nullptr) return ctx.invoker->invoke(prepared->request);
    ctx.text_sink->on_call_start(call);
    return ctx.invoker->invoke_stream(prepared->request, [&](const models::StreamEvent& event) {
      const auto* delta = std::get_if<models::TextDelta>(&event);
      if (delta == nullptr || delta->text.empty()) return;
      streamed += delta->text;
      ctx.text_sink->on_text(delta->text);
    });
  }();
  return finish_task(ctx, *prepared, std::move(result), std::move(streamed));
}

}  // namespace bedrock::content
