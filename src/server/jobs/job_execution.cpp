#include "server/jobs/job_execution.h"

#include <algorithm>

#include "bedrock/content/async_task.h"
#include "bedrock/content/blocking_async_invoker.h"
#include "server/service.h"

namespace bedrock::server::jobs {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

JobExecution::JobExecution(std::shared_ptr<api::ApiState> api, api::MapReducePool& pool,
                           std::string job_id, PreparedJob job, SteadyClock::time_point deadline,
                           ExecutionCallbacks callbacks)
    : api_(std::move(api)),
      pool_(pool),
      job_id_(std::move(job_id)),
      job_(std::move(job)),
      deadline_(deadline),
      callbacks_(std::move(callbacks)) {
  ctx_.config = &api_->service.content_config();
  if (!job_.model.empty()) {
    config_ = api_->service.content_config();
    for (auto& task : config_->tasks) task.model = job_.model;
    ctx_.config = &*config_;
  }
  ctx_.limits = api_->limits;
  ctx_.calibration = &api_->calibration;
  ctx_.cancelled = &cancelled_;
}

milliseconds JobExecution::time_left() const {
  return std::max(milliseconds(0), duration_cast<milliseconds>(deadline_ - SteadyClock::now()));
}

void JobExecution::start() {
  if (job_.invoke) return start_invoke();
  if (job_.map_reduce_now) return start_map_reduce();
  step();
}

void JobExecution::cancel() {
  cancelled_.store(true);
  std::lock_guard lock(mu_);
  handle_.cancel();
}

void JobExecution::step() {
  if (cancelled_.load()) return fail_with(Error::make(ErrorCode::Cancelled, "job cancelled"));
  auto call = job_.plan->next();
  if (!call) return succeed(job_.plan->fields());
  auto prepared = content::prepare_task(ctx_, *call);
  if (!prepared) {
    if (prepared.error().code == ErrorCode::InputTooLong && job_.map_reduce) {
      return start_map_reduce();
    }
    return fail_with(prepared.error());
  }
  const milliseconds left = time_left();
  if (left.count() == 0) return fail_with(Error::make(ErrorCode::DeadlineExceeded, "deadline"));
  prepared->request.timeout = std::min(prepared->request.timeout.value_or(left), left);
  content::AsyncTaskCallbacks callbacks;
  auto self = shared_from_this();
  callbacks.done = [self](Result<content::CallOutput> out) { self->on_done(std::move(out)); };
  std::lock_guard lock(mu_);
  handle_ = content::start_task(api_->service.upstream(), ctx_, std::move(*prepared),
                                std::move(callbacks));
  if (cancelled_.load()) handle_.cancel();  // cancel() ran before the handle existed
}

void JobExecution::on_done(Result<content::CallOutput> out) {
  if (!out) {
    ++failed_calls_;
    if (out.error().code == ErrorCode::InputTooLong && job_.map_reduce) {
      return start_map_reduce();
    }
    return fail_with(out.error());
  }
  records_.push_back(out->record);
  if (auto taken = job_.plan->take(std::move(*out), false); !taken) {
    return fail_with(taken.error());
  }
  step();
}

void JobExecution::start_map_reduce() {
  auto self = shared_from_this();
  // The runner's pool has a queue as long as its worker count: a claimed job always fits.
  if (!pool_.try_submit([self] { self->run_map_reduce(); })) {
    fail_with(Error::make(ErrorCode::Cancelled, "the job runner is stopping"));
  }
}

void JobExecution::run_map_reduce() {
  content::BlockingAsyncInvoker invoker(api_->service.upstream(), time_left(), &pool_.closing());
  content::GenerationContext ctx = ctx_;
  ctx.invoker = &invoker;
  content::SummarizeOptions options;
  options.chunking = content::Chunking::Always;
  options.map_reduce = content::MapReduceOptions::from_config(ctx_.config->map_reduce);
  // Progress as calls: the map step's, then each reduce level's, counted together so a bar
  // never runs backwards when a level starts. on_progress is never called concurrently.
  struct Steps {
    int level = -1;
    std::int64_t before = 0;  // calls of the finished levels
    std::int64_t level_total = 0;
  };
  auto steps = std::make_shared<Steps>();
  options.map_reduce.on_progress = [this, steps](const content::MapReduceProgress& p) {
    if (p.level != steps->level) {
      if (steps->level >= 0) steps->before += steps->level_total;
      steps->level = p.level;
    }
    steps->level_total = p.total;
    if (callbacks_.progress) {
      callbacks_.progress({steps->before + p.done, steps->before + p.total, p.tokens});
    }
  };
  auto summary = content::summarize(ctx, *job_.map_reduce, options);
  if (!summary) return fail_with(summary.error());
  records_.insert(records_.end(), summary->records.begin(), summary->records.end());
  succeed(api::summary_fields(*summary));
}

void JobExecution::start_invoke() {
  runtime::InvokeRequest request = *job_.invoke;
  const milliseconds left = time_left();
  request.timeout = std::min(request.timeout.value_or(left), left);
  request.cancelled = &cancelled_;
  auto self = shared_from_this();
  std::lock_guard lock(mu_);
  handle_ =
      api_->service.upstream().invoke(std::move(request), [self](Result<runtime::InvokeResult> r) {
        if (!r) {
          ++self->failed_calls_;
          return self->fail_with(r.error());
        }
        self->records_.push_back(r->record);
        const auto& c = r->completion;
        self->succeed(
            {{"text", c.text}, {"stop_reason", c.raw_stop_reason}, {"reasoning", c.reasoning}});
      });
  if (cancelled_.load()) handle_.cancel();
}

void JobExecution::succeed(nlohmann::json answer) {
  long long in = 0, out = 0;
  double cost = 0;
  std::string model = job_.invoke ? job_.invoke->model_id : std::string();
  std::string fallback_from;  // as the /api answer: the model a fallback stood in for
  for (const auto& r : records_) {
    in += r.input_tokens;
    out += r.output_tokens;
    cost += r.cost_usd;
    if (!r.model_used.empty()) model = r.model_used;
    if (!r.model_used.empty() && !r.skipped.empty()) fallback_from = r.model_requested;
  }
  answer["latency"] = std::chrono::duration<double>(SteadyClock::now() - started_).count();
  answer["model"] = model;
  if (!fallback_from.empty()) answer["fallback_from"] = fallback_from;
  answer["usage"] = {{"input_tokens", in}, {"output_tokens", out}, {"total_tokens", in + out}};
  answer["cost_usd"] = cost;
  answer["calls"] = static_cast<int>(records_.size()) + failed_calls_;
  answer["request_id"] = job_id_;
  finish({std::move(answer), std::move(records_), failed_calls_});
}

void JobExecution::fail_with(Error error) {
  // A call cut short by the job's own deadline failed because of it, whatever the call said.
  if (SteadyClock::now() >= deadline_ && !cancelled_.load()) {
    error = Error::make(ErrorCode::DeadlineExceeded, "the job's deadline passed");
  }
  finish({tl::unexpected<Error>(std::move(error)), std::move(records_), failed_calls_});
}

void JobExecution::finish(JobOutcome outcome) {
  if (finished_.exchange(true)) return;
  auto done = std::move(callbacks_.done);
  if (done) done(std::move(outcome));
}

}  // namespace bedrock::server::jobs
