#include "server/api/plan_run.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "bedrock/content/async_task.h"
#include "bedrock/content/blocking_async_invoker.h"
#include "bedrock/core/log.h"
#include "server/api/sse_channel.h"
#include "server/service.h"

namespace bedrock::server::api {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Forwards the final map-reduce call's text to the stream (called on a pool thread).
class ChannelSink final : public content::TextSink {
 public:
  explicit ChannelSink(std::shared_ptr<SseChannel> channel) : channel_(std::move(channel)) {}
  void on_text(std::string_view piece) override {
    channel_->event("delta", {{"text", std::string(piece)}});
  }

 private:
  std::shared_ptr<SseChannel> channel_;
};

class PlanRun : public std::enable_shared_from_this<PlanRun> {
 public:
  PlanRun(ScopePtr scope, std::shared_ptr<ApiState> api, std::unique_ptr<GenerationPlan> plan,
          RunOptions options)
      : scope_(std::move(scope)),
        api_(std::move(api)),
        plan_(std::move(plan)),
        options_(std::move(options)) {
    ctx_.config = &api_->service.content_config();
    if (!options_.model.empty()) {
      config_ = *ctx_.config;
      for (auto& task : config_.tasks) task.model = options_.model;
      ctx_.config = &config_;
    }
    ctx_.limits = api_->limits;
    ctx_.calibration = &api_->calibration;
    ctx_.cancelled = &cancelled_;
  }

  void start() {
    std::weak_ptr<PlanRun> weak = weak_from_this();
    scope_->on_deadline([weak] {
      if (auto self = weak.lock()) {
        self->deadline_passed_.store(true);
        self->cancel();
      }
    });
    if (options_.stream) {
      channel_ = SseChannel::open(scope_, [weak] {
        if (auto self = weak.lock()) self->cancel();
      });
      if (!channel_) return;  // answered already (the deadline's 504)
    }
    if (options_.map_reduce_now) return start_map_reduce();
    step();
  }

 private:
  // The next call of the plan, or the answer when there is none.
  void step() {
    auto call = plan_->next();
    if (!call) return succeed(plan_->fields());
    auto prepared = content::prepare_task(ctx_, *call);
    if (!prepared) {
      if (prepared.error().code == ErrorCode::InputTooLong && options_.map_reduce) {
        return start_map_reduce();
      }
      return fail_with(prepared.error());
    }
    const milliseconds left = scope_->time_left();
    prepared->request.timeout = std::min(prepared->request.timeout.value_or(left), left);
    if (channel_) {
      if (auto announce = plan_->announce(*call)) channel_->event("call", *announce);
    }
    content::AsyncTaskCallbacks callbacks;
    auto self = shared_from_this();
    if (channel_) {
      callbacks.on_text = [self](std::string_view piece) {
        self->channel_->event("delta", {{"text", std::string(piece)}});
      };
    }
    callbacks.done = [self](Result<content::CallOutput> out) { self->on_done(std::move(out)); };
    std::lock_guard lock(mu_);
    handle_ = content::start_task(api_->service.upstream(), ctx_, std::move(*prepared),
                                  std::move(callbacks));
  }

  // On the upstream loop.
  void on_done(Result<content::CallOutput> out) {
    if (!out) {
      scope_->record_failure(out.error());
      // Bedrock itself found the text too long (our estimate said it fits): chunk it, as the
      // synchronous summarize does, unless the user already saw part of an answer.
      if (out.error().code == ErrorCode::InputTooLong && options_.map_reduce &&
          out.error().partial_output.empty()) {
        return start_map_reduce();
      }
      return fail_with(out.error());
    }
    scope_->record(out->record);
    if (auto taken = plan_->take(std::move(*out), channel_ != nullptr); !taken) {
      return fail_with(taken.error());
    }
    step();
  }

  void start_map_reduce() {
    auto self = shared_from_this();
    if (!api_->pool.try_submit([self] { self->run_map_reduce(); })) {
      return fail_http(overloaded(api_->service.config().retry_after));
    }
  }

  // On a pool thread: content::summarize with chunking, its calls through a blocking adapter
  // over the async client.
  void run_map_reduce() {
    content::BlockingAsyncInvoker invoker(api_->service.upstream(), scope_->time_left(),
                                          &api_->pool.closing());
    content::GenerationContext ctx = ctx_;
    ctx.invoker = &invoker;
    std::optional<ChannelSink> sink;
    if (channel_) {
      sink.emplace(channel_);
      ctx.text_sink = &*sink;
    }
    content::SummarizeOptions options;
    options.chunking = content::Chunking::Always;
    options.map_reduce = content::MapReduceOptions::from_config(ctx_.config->map_reduce);
    if (channel_) {
      options.map_reduce.on_progress = [channel = channel_](const content::MapReduceProgress& p) {
        channel->event(
            "progress",
            {{"phase", p.phase == content::MapReduceProgress::Phase::Map ? "map" : "reduce"},
             {"level", p.level},
             {"done", p.done},
             {"total", p.total},
             {"tokens", p.tokens},
             {"elapsed_ms", p.elapsed.count()}});
      };
    }
    auto summary = content::summarize(ctx, *options_.map_reduce, options);
    if (!summary) {
      scope_->record_failure(summary.error());
      return fail_with(summary.error());
    }
    for (const auto& r : summary->records) scope_->record(r);
    succeed(summary_fields(*summary));
  }

  void cancel() {
    cancelled_.store(true);
    std::lock_guard lock(mu_);
    handle_.cancel();
  }

  void succeed(nlohmann::json answer) {
    const UpstreamSummary u = scope_->upstream();
    const auto latency = std::chrono::steady_clock::now() - scope_->started();
    answer["latency"] = std::chrono::duration<double>(latency).count();
    answer["model"] = u.model;
    if (!u.fallback_from.empty()) answer["fallback_from"] = u.fallback_from;
    answer["usage"] = {{"input_tokens", u.input_tokens},
                       {"output_tokens", u.output_tokens},
                       {"total_tokens", u.input_tokens + u.output_tokens}};
    answer["cost_usd"] = u.cost_usd;
    answer["calls"] = u.calls;
    answer["request_id"] = scope_->request_id();
    if (channel_) return channel_->final_event("done", answer);
    scope_->send_json(200, answer);
  }

  void fail_with(const Error& error) {
    if (error.code == ErrorCode::Cancelled && deadline_passed_.load()) {
      return fail_http(deadline_exceeded());
    }
    if (error.code == ErrorCode::Cancelled && channel_ && channel_->disconnected()) return;
    fail_http(from_error(error, api_->service.config().retry_after));
  }

  void fail_http(const HttpError& error) {
    if (!channel_) {
      scope_->send_error(error);
      return;
    }
    auto body = nlohmann::json::parse(error_body(error, ErrorStyle::Content, scope_->request_id()),
                                      nullptr, false);
    if (!body.is_object()) body = nlohmann::json::object();
    body["status"] = error.status;
    channel_->final_event("error", body);
  }

  ScopePtr scope_;
  std::shared_ptr<ApiState> api_;
  std::unique_ptr<GenerationPlan> plan_;
  RunOptions options_;
  content::ContentConfig config_;  // a copy with the request's model, when it names one
  content::GenerationContext ctx_;
  std::shared_ptr<SseChannel> channel_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> deadline_passed_{false};
  std::mutex mu_;  // handle_
  runtime::CallHandle handle_;
};

}  // namespace

void run_plan(const ScopePtr& scope, const std::shared_ptr<ApiState>& api,
              std::unique_ptr<GenerationPlan> plan, RunOptions options) {
  std::make_shared<PlanRun>(scope, api, std::move(plan), std::move(options))->start();
}

// The body's "model" as the calls name it, or the 404 for a model this service does not offer.
HttpResult<std::string> requested_model(const Service& service, const Common& common) {
  if (common.model.empty()) return std::string();
  if (!service.model_allowed(common.model)) {
    HttpError e = bad_field("model", "The model '" + common.model +
                                         "' does not exist or is not offered by this service.");
    e.status = 404;
    e.code = "ResourceNotFound";
    return refuse(std::move(e));
  }
  return service.resolve_model(common.model);
}

}  // namespace bedrock::server::api
