#include "bedrock/content/map_reduce.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "bedrock/content/generation.h"
#include "bedrock/content/generators.h"
#include "bedrock/core/log.h"

namespace bedrock::content {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Errors that another attempt at the same chunk cannot fix.
bool worth_retrying(const Error& e) {
  switch (e.code) {
    case ErrorCode::Cancelled:
    case ErrorCode::AccessDenied:
    case ErrorCode::UnrecognizedClient:
    case ErrorCode::InvalidSignature:
    case ErrorCode::ExpiredToken:
    case ErrorCode::MissingAuthentication:
    case ErrorCode::CredentialsNotFound:
    case ErrorCode::ConfigurationInvalid:
    case ErrorCode::InputTooLong:
    case ErrorCode::ResourceNotFound:
      return false;
    default:
      return true;
  }
}

struct CallResult {
  std::optional<std::string> text;
  std::optional<Error> error;
  int attempts = 0;
};

// Shared by the workers of one job: progress counters, records, the stop flag.
class JobState {
 public:
  JobState(const GenerationContext& ctx, const MapReduceOptions& options)
      : ctx_(ctx), quiet_ctx_(ctx), options_(options), start_(ctx.clock->steady()) {
    quiet_ctx_.text_sink = nullptr;
  }

  bool stopping() const {
    return stop_.load() || (ctx_.cancelled != nullptr && ctx_.cancelled->load());
  }
  void stop() { stop_.store(true); }

  void begin_phase(MapReduceProgress::Phase phase, int level, int total) {
    std::lock_guard lock(mu_);
    phase_ = phase;
    level_ = level;
    done_ = 0;
    total_ = total;
    phase_start_ = ctx_.clock->steady();
  }

  void finish_call(const CallOutput* out, long long estimated_tokens) {
    // Held across the snapshot and the callback so reports arrive in order (done never goes
    // backwards for the observer).
    std::lock_guard report_lock(report_mu_);
    MapReduceProgress p;
    {
      std::lock_guard lock(mu_);
      if (out != nullptr) {
        records_.push_back(out->record);
        tokens_ += out->record.tokens_reported
                       ? out->record.input_tokens + out->record.output_tokens
                       : estimated_tokens;
      }
      ++done_;
      const auto now = ctx_.clock->steady();
      p.phase = phase_;
      p.level = level_;
      p.done = done_;
      p.total = total_;
      p.tokens = tokens_;
      p.elapsed = duration_cast<milliseconds>(now - start_);
      const auto phase_elapsed = duration_cast<milliseconds>(now - phase_start_);
      p.eta = milliseconds(phase_elapsed.count() * (total_ - done_) / std::max(done_, 1));
    }
    if (!options_.on_progress) return;
    // The observer is the caller's code running on our worker threads: what it throws is
    // logged and dropped, since nothing may leave a worker thread.
    try {
      options_.on_progress(p);
    } catch (const std::exception& e) {
      logger()->warn("map-reduce progress callback failed: {}", e.what());
    } catch (...) {
      logger()->warn("map-reduce progress callback failed");
    }
  }

  std::vector<runtime::InvocationRecord> take_records() {
    std::lock_guard lock(mu_);
    return std::move(records_);
  }

  const GenerationContext& ctx() const { return ctx_; }
  // The context for calls whose answer is not the user's: the map and intermediate reduce
  // calls run in parallel and their text is only an input to the next level.
  const GenerationContext& quiet_ctx() const { return quiet_ctx_; }
  const MapReduceOptions& options() const { return options_; }

 private:
  const GenerationContext& ctx_;
  GenerationContext quiet_ctx_;
  const MapReduceOptions& options_;
  const SteadyTime start_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::mutex report_mu_;
  std::vector<runtime::InvocationRecord> records_;
  long long tokens_ = 0;
  MapReduceProgress::Phase phase_ = MapReduceProgress::Phase::Map;
  int level_ = 0;
  int done_ = 0;
  int total_ = 0;
  SteadyTime phase_start_{};
};

CallResult call_with_retries(JobState& job, const TaskCall& call, long long estimated_tokens,
                             bool stream) {
  CallResult r;
  const int attempts = 1 + std::max(0, job.options().chunk_retries);
  for (int a = 0; a < attempts; ++a) {
    if (job.stopping()) {
      // A chunk stopped between its retries keeps the error of its last attempt: reporting
      // "cancelled" instead would hide the cause (and exit 130) when it is the first chunk.
      if (!r.error) r.error = Error::make(ErrorCode::Cancelled, "stopped before the call");
      break;
    }
    ++r.attempts;
    auto out = call_task(stream ? job.ctx() : job.quiet_ctx(), call);
    if (out) {
      r.text = std::move(out->text);
      r.error.reset();
      job.finish_call(&*out, estimated_tokens);
      return r;
    }
    r.error = out.error();
    // Once part of the answer was streamed to the user, another attempt would show it twice.
    if (!worth_retrying(out.error()) || !out.error().partial_output.empty()) break;
    if (a + 1 < attempts) {
      // The client already backed off inside invoke(); this pause only spaces the chunk's own
      // retries. Bounded: 200 ms, 400 ms, ... at most 2 s.
      job.ctx().clock->sleep_for(milliseconds(std::min(200 << std::min(a, 4), 2000)));
    }
  }
  job.finish_call(nullptr, 0);
  return r;
}

// Runs `calls` on at most `concurrency` threads (never one thread per call). With
// `stop_on_failure`, the first permanent failure stops scheduling new calls; calls in flight
// finish (each is bounded by the client's deadline, and the user's cancel flag reaches them).
// `stream` (one call only: the final reduce) sends its answer to the context's text sink.
std::vector<CallResult> run_pool(JobState& job, const std::vector<TaskCall>& calls,
                                 const std::vector<long long>& estimates, bool stop_on_failure,
                                 bool stream = false) {
  std::vector<CallResult> results(calls.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (;;) {
      if (job.stopping()) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= calls.size()) return;
      // An exception escaping a std::thread ends the process (std::terminate): whatever a call
      // throws (bad_alloc included) becomes this chunk's error.
      try {
        results[i] = call_with_retries(job, calls[i], estimates[i], stream);
      } catch (const std::exception& e) {
        results[i].error = Error::make(ErrorCode::Unknown,
                                       fmt::format("the call failed unexpectedly: {}", e.what()));
        results[i].attempts = std::max(results[i].attempts, 1);
      } catch (...) {
        results[i].error = Error::make(ErrorCode::Unknown, "the call failed unexpectedly");
        results[i].attempts = std::max(results[i].attempts, 1);
      }
      if (results[i].error && stop_on_failure) job.stop();
    }
  };
  const std::size_t n = std::min<std::size_t>(
      calls.size(), static_cast<std::size_t>(std::max(1, job.options().concurrency)));
  std::vector<std::thread> threads;
  threads.reserve(n > 0 ? n - 1 : 0);
  for (std::size_t t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();  // the calling thread is one of the workers
  for (auto& t : threads) t.join();
  return results;
}

int text_tokens(const ModelLimits& limits, std::string_view text) {
  return TokenEstimator::for_family(limits.family).estimate(text);
}

}  // namespace

MapReduceOptions MapReduceOptions::from_config(const MapReduceConfig& c) {
  MapReduceOptions o;
  o.concurrency = c.concurrency;
  o.chunk_retries = c.chunk_retries;
  o.mark_failed_chunks = c.mark_failed_chunks;
  o.overlap_tokens = c.overlap_tokens;
  o.max_levels = c.max_levels;
  o.chunk_tokens = c.chunk_tokens;
  return o;
}

Result<MapReducePlan> plan_map_reduce(std::string_view text, const ModelLimits& limits,
                                      int prompt_overhead, int output_reserve,
                                      const MapReduceOptions& options) {
  MapReducePlan plan;
  plan.limits = limits;
  plan.prompt_overhead = prompt_overhead;
  plan.output_reserve = output_reserve;
  const long long room =
      static_cast<long long>(limits.context_window) - prompt_overhead - output_reserve;
  // Chunks are sized on estimates; keep 10% back so an underestimate still fits the window.
  long long budget = room * 9 / 10;
  if (options.chunk_tokens > 0) budget = std::min<long long>(budget, options.chunk_tokens);
  if (budget < ChunkOptions::kMinChunkTokens) {
    return fail(
        ErrorCode::InputTooLong,
        fmt::format("{} leaves no room for text: context window {} minus prompt {} and "
                    "answer reserve {} is {} tokens",
                    limits.model_id, limits.context_window, prompt_overhead, output_reserve, room));
  }
  plan.chunk_budget = static_cast<int>(budget);
  ChunkOptions co;
  co.max_tokens = plan.chunk_budget;
  co.overlap_tokens = std::min(options.overlap_tokens, plan.chunk_budget / 2);
  auto chunks = plan_chunks(text, TokenEstimator::for_family(limits.family), co);
  if (!chunks) return fail(chunks.error());
  plan.chunks = std::move(*chunks);
  return plan;
}

Result<MapReduceResult> run_map_reduce(const GenerationContext& ctx, std::string_view text,
                                       int paragraphs, const MapReduceOptions& options) {
  if (auto ok = check_context(ctx); !ok) return fail(ok.error());
  const TaskConfig& task = ctx.config->task(Task::Summarize);
  auto limits = ctx.limits(task.model);
  if (!limits) return fail(limits.error());
  const int reserve = std::min(
      task.max_tokens, limits->max_output_tokens > 0 ? limits->max_output_tokens : task.max_tokens);
  const int overhead = text_tokens(*limits, task.templ("system").render({})) +
                       text_tokens(*limits, task.templ("chunk").render({})) + 32;
  auto plan = plan_map_reduce(text, *limits, overhead, reserve, options);
  if (!plan) return fail(plan.error());

  JobState job(ctx, options);
  MapReduceResult result;
  const auto& chunks = plan->chunks.chunks;
  result.chunks = static_cast<int>(chunks.size());

  // Map.
  std::vector<TaskCall> calls;
  std::vector<long long> estimates;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    TaskCall c{Task::Summarize, "chunk", {}, true};
    c.values["text"] = std::string(chunk_text(text, chunks[i]));
    c.values["chunk_index"] = std::to_string(i + 1);
    c.values["chunk_count"] = std::to_string(chunks.size());
    calls.push_back(std::move(c));
    estimates.push_back(chunks[i].tokens + overhead);
  }
  job.begin_phase(MapReduceProgress::Phase::Map, 0, static_cast<int>(calls.size()));
  auto mapped = run_pool(job, calls, estimates, !options.mark_failed_chunks);
  if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
    return fail(ErrorCode::Cancelled, "summarization cancelled");
  }
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < mapped.size(); ++i) {
    if (mapped[i].text) {
      pieces.push_back(std::move(*mapped[i].text));
      continue;
    }
    const Error err = mapped[i].error.value_or(Error::make(ErrorCode::Cancelled, "not run"));
    if (!options.mark_failed_chunks) {
      // Report the chunk that caused the stop, not the ones skipped because of it.
      if (err.code == ErrorCode::Cancelled && mapped[i].attempts == 0) continue;
      Error e = err;
      e.message = fmt::format("chunk {} of {} could not be summarized after {} attempt(s): {}",
                              i + 1, chunks.size(), mapped[i].attempts, describe(err));
      return fail(std::move(e));
    }
    result.failed.push_back({static_cast<int>(i + 1), describe(err)});
    pieces.push_back(fmt::format("[chunk {} could not be summarized: {}]", i + 1, describe(err)));
  }
  if (!options.mark_failed_chunks && pieces.size() != mapped.size()) {
    return fail(ErrorCode::Cancelled, "summarization stopped");
  }

  // Reduce, hierarchically while the partial summaries do not fit one call.
  const int budget = plan->chunk_budget;
  for (int level = 1;; ++level) {
    std::string joined = fmt::format("{}", fmt::join(pieces, "\n\n"));
    const bool final_level = text_tokens(*limits, joined) <= budget;
    if (!final_level && level >= options.max_levels) {
      return fail(ErrorCode::InputTooLong,
                  fmt::format("partial summaries still do not fit {} after {} reduce levels",
                              limits->model_id, level - 1));
    }
    std::vector<std::string> groups;
    if (final_level) {
      groups.push_back(std::move(joined));
    } else {
      std::string current;
      int current_tokens = 0;
      for (auto& piece : pieces) {
        const int t = text_tokens(*limits, piece) + 1;
        if (!current.empty() && current_tokens + t > budget) {
          groups.push_back(std::move(current));
          current.clear();
          current_tokens = 0;
        }
        if (!current.empty()) current += "\n\n";
        current += piece;
        current_tokens += t;
      }
      if (!current.empty()) groups.push_back(std::move(current));
      if (groups.size() >= pieces.size()) {
        return fail(
            ErrorCode::InputTooLong,
            fmt::format("partial summaries are each too long to combine within {} tokens", budget));
      }
    }
    std::vector<TaskCall> reduce_calls;
    std::vector<long long> reduce_estimates;
    for (auto& g : groups) {
      TaskCall c{Task::Summarize, "combine", {}, true};
      reduce_estimates.push_back(text_tokens(*limits, g) + overhead);
      c.values["text"] = std::move(g);
      c.values["paragraphs"] = std::to_string(final_level ? paragraphs : 1);
      if (final_level) c.values["length_limit"] = length_limit_phrase(options.max_words);
      reduce_calls.push_back(std::move(c));
    }
    job.begin_phase(MapReduceProgress::Phase::Reduce, level, static_cast<int>(reduce_calls.size()));
    // The final level is one call whose answer is the summary: it alone may stream.
    auto reduced = run_pool(job, reduce_calls, reduce_estimates, true,
                            final_level && reduce_calls.size() == 1);
    pieces.clear();
    for (std::size_t i = 0; i < reduced.size(); ++i) {
      if (!reduced[i].text) {
        if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
          return fail(ErrorCode::Cancelled, "summarization cancelled");
        }
        if (reduced[i].attempts == 0) continue;
        Error e = reduced[i].error.value_or(Error::make(ErrorCode::Unknown, "reduce failed"));
        e.message =
            fmt::format("combining partial summaries (level {}) failed: {}", level, describe(e));
        return fail(std::move(e));
      }
      pieces.push_back(std::move(*reduced[i].text));
    }
    if (pieces.size() != reduced.size()) return fail(ErrorCode::Cancelled, "summarization stopped");
    if (final_level) {
      result.summary = std::move(pieces.front());
      result.levels = level;
      break;
    }
  }
  result.records = job.take_records();
  return result;
}

}  // namespace bedrock::content
