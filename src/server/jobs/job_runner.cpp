#include "server/jobs/job_runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <random>
#include <utility>

#include "bedrock/core/log.h"
#include "server/http_error.h"
#include "server/jobs/flush_batch.h"
#include "server/jobs/job_json.h"
#include "server/service.h"

namespace bedrock::server::jobs {
namespace {

using bedrock::jobs::Clock;
using bedrock::jobs::Job;
using bedrock::jobs::JobStore;
using std::chrono::milliseconds;

// A job with no deadline still ends: a model call that never answers must free its slot.
constexpr std::chrono::hours kLongestJob{6};
// Claims per store call: a few transactions claim a full set of slots.
constexpr std::size_t kClaimBatch = 64;
constexpr milliseconds kProgressEvery{100};
constexpr std::chrono::minutes kPurgeEvery{10};

std::string make_worker_id() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  return fmt::format("{}-{}-{:08x}", host[0] ? host : "host", getpid(), random());
}

}  // namespace

JobRunner::JobRunner(std::shared_ptr<api::ApiState> api, JobsConfig config,
                     std::unique_ptr<JobStore> store)
    : api_(std::move(api)),
      config_(std::move(config)),
      store_(std::move(store)),
      worker_id_(make_worker_id()),
      // Map-reduce summaries wait on their calls: two run at once, the others of the claimed
      // jobs queue (the queue holds every slot, so a claimed job is never refused).
      map_reduce_(2, static_cast<std::size_t>(std::max(1, config_.workers))) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::start() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  // PostgreSQL: 6, so that they, the claimer and the keeper fit the store's pool of 8
  // connections, each staying in its commit mode (a switch is a round trip).
  const int threads = config_.store_threads > 0           ? config_.store_threads
                      : store_->backend() == "postgresql" ? 6
                                                          : 2;
  for (int i = 0; i < threads; ++i) {
    store_threads_.emplace_back([this] { store_loop(); });
  }
  claimer_ = std::thread([this] { claim_loop(); });
  keeper_ = std::thread([this] { keep_loop(); });
}

void JobRunner::drain(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    draining_ = true;
    drain_until_ = std::chrono::steady_clock::now() + grace;
  }
  claim_cv_.notify_all();
}

void JobRunner::stop() {
  std::vector<std::shared_ptr<JobExecution>> running;
  {
    std::unique_lock lock(mu_);
    if (stopping_) return;
    // The drain's grace (the HTTP drain has used part of it already): running jobs finish and
    // write their results rather than run again after their leases expire.
    idle_cv_.wait_until(lock, drain_until_, [&] { return running_.empty(); });
    stopping_ = true;
    draining_ = true;
    abandon_.store(true);
    for (auto& entry : running_) {
      if (entry.second.execution) running.push_back(entry.second.execution);
    }
  }
  claim_cv_.notify_all();
  keep_cv_.notify_all();
  for (auto& e : running) e->cancel();
  if (claimer_.joinable()) claimer_.join();
  if (keeper_.joinable()) keeper_.join();
  map_reduce_.close();
  {
    std::lock_guard lock(ops_mu_);
    ops_closed_ = true;
  }
  ops_cv_.notify_all();
  for (auto& t : store_threads_) t.join();
  store_threads_.clear();
}

bool JobRunner::post(std::function<void(JobStore&)> fn) {
  std::lock_guard lock(ops_mu_);
  if (ops_closed_ || ops_.size() >= config_.max_pending) return false;
  ops_.push_back([this, fn = std::move(fn)] { fn(*store_); });
  ops_cv_.notify_one();
  return true;
}

bool JobRunner::submit(bedrock::jobs::JobSpec spec,
                       std::function<void(Result<bedrock::jobs::SubmitResult>)> done) {
  std::lock_guard lock(ops_mu_);
  if (ops_closed_ || ops_.size() + submits_.size() >= config_.max_pending) return false;
  submits_.push_back({std::move(spec), std::move(done)});
  queue_flush(flushing_submits_, &JobRunner::flush_submits);
  return true;
}

// One flush of each kind at a time: what arrives while a statement runs waits for it and goes
// in the next one. Measured through the server on PostgreSQL (docs/jobs.md, "One flush at a
// time"), result batches grew from about 13 to 25-30 jobs and throughput rose 14 % (4,557 ->
// 5,196 jobs/s, medians of 3, alternating) against a flush per free store thread: every
// statement costs two process wake-ups and a commit whatever its size. Two at a time measured
// the same as unbounded.
void JobRunner::queue_flush(bool& flushing, void (JobRunner::*flush)()) {
  if (flushing || ops_closed_) return;
  flushing = true;
  ops_.push_back([this, flush] { (this->*flush)(); });
  ops_cv_.notify_one();
}

// One flush drains what waits, a bounded batch per statement, and then lets the next submit
// queue a flush again. If a write throws, the flag is cleared all the same, so later submits
// still get flushed (the store thread logs the exception).
template <typename T, typename BytesOf, typename Write>
void JobRunner::drain_flush(std::deque<T>& pending, bool& flushing, BytesOf bytes_of, Write write) {
  for (;;) {
    std::vector<T> batch;
    {
      std::lock_guard lock(ops_mu_);
      batch = take_flush_batch(pending, bytes_of);
      if (batch.empty()) {
        flushing = false;
        return;
      }
    }
    try {
      write(batch);
    } catch (...) {
      std::lock_guard lock(ops_mu_);
      flushing = false;
      throw;
    }
  }
}

void JobRunner::flush_submits() {
  drain_flush(
      submits_, flushing_submits_, [](const PendingSubmit& p) { return p.spec.input_json.size(); },
      [this](std::vector<PendingSubmit>& batch) { write_submits(batch); });
}

void JobRunner::write_submits(std::vector<PendingSubmit>& batch) {
  std::vector<bedrock::jobs::JobSpec> specs;
  specs.reserve(batch.size());
  for (const auto& p : batch) specs.push_back(p.spec);
  auto results = store_->submit_batch(specs);
  bool created = false;
  if (results && results->size() == batch.size()) {
    for (std::size_t i = 0; i < batch.size(); ++i) created |= (*results)[i].created;
    if (created) wake();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move((*results)[i]));
    return;
  }
  // Refused as a whole (the queue filled part-way, a bad spec): each on its own, so the ones
  // that fit are accepted.
  for (auto& p : batch) {
    auto one = batch.size() == 1 && !results
                   ? Result<bedrock::jobs::SubmitResult>(tl::unexpected<Error>(results.error()))
                   : store_->submit(p.spec);
    if (one && one->created) wake();
    p.done(std::move(one));
  }
}

void JobRunner::enqueue(std::function<void()> op, bool always) {
  std::lock_guard lock(ops_mu_);
  if (ops_closed_ || (!always && ops_.size() >= config_.max_pending)) return;
  ops_.push_back(std::move(op));
  ops_cv_.notify_one();
}

void JobRunner::wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
    backlog_ = true;
  }
  claim_cv_.notify_one();
}

void JobRunner::cancel_local(const std::string& id) {
  std::shared_ptr<JobExecution> execution;
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end()) execution = it->second.execution;
  }
  if (execution) execution->cancel();
}

void JobRunner::store_loop() {
  for (;;) {
    std::function<void()> op;
    {
      std::unique_lock lock(ops_mu_);
      // No deadline: a store thread idles until there is work or the runner stops, and stop()
      // wakes every one.
      ops_cv_.wait(lock, [&] { return ops_closed_ || !ops_.empty(); });
      if (ops_.empty()) return;
      op = std::move(ops_.front());
      ops_.pop_front();
    }
    try {
      op();
    } catch (const std::exception& e) {
      logger()->error("job store call failed: {}", e.what());
    }
  }
}

void JobRunner::claim_loop() {
  std::unique_lock lock(mu_);
  const std::size_t workers = static_cast<std::size_t>(std::max(1, config_.workers));
  bool warned = false;
  while (!stopping_) {
    // A slot is a model call: a job whose outcome waits to be written holds none, so the next
    // jobs run while the write commits. Those waiting writes are bounded by `workers` too.
    const auto executing = [&] { return running_.size() - writing_; };
    const auto free_slots = [&] {
      return std::min(workers - std::min(workers, executing()),
                      2 * workers - std::min(2 * workers, running_.size()));
    };
    const auto can_claim = [&] { return !draining_ && free_slots() > 0; };
    if (!(wake_ && can_claim())) {
      claim_cv_.wait_for(lock, config_.poll, [&] { return stopping_ || (wake_ && can_claim()); });
      if (stopping_) break;
      if (!can_claim()) continue;
    }
    wake_ = false;
    const std::size_t batch = std::min(kClaimBatch, free_slots());
    lock.unlock();
    auto claimed = store_->claim(worker_id_, batch, config_.lease);
    lock.lock();
    if (!claimed) {
      if (!warned) logger()->warn("job store: claim failed: {}", describe(claimed.error()));
      warned = true;
      claim_cv_.wait_for(lock, config_.poll, [&] { return stopping_; });
      continue;
    }
    warned = false;
    // A full batch: more are likely queued, claim again at once.
    if (claimed->size() == batch) wake_ = true;
    backlog_ = claimed->size() == batch;
    for (const Job& job : *claimed) running_[job.id];
    lock.unlock();
    for (Job& job : *claimed) launch(std::move(job));
    lock.lock();
  }
}

void JobRunner::launch(Job job) {
  const std::string id = job.id;
  auto input = nlohmann::json::parse(job.spec.input_json, nullptr, false);
  auto prepared = prepare_job(job.spec.kind, input, api_->service);
  if (!prepared) {
    JobOutcome outcome{fail(ErrorCode::Validation, prepared.error().message), {}, 0};
    return finished(id, std::move(outcome));
  }
  auto deadline = std::chrono::steady_clock::now() + kLongestJob;
  if (job.spec.deadline) {
    const auto left = *job.spec.deadline - Clock::now();
    deadline = std::min(deadline, std::chrono::steady_clock::now() +
                                      std::chrono::duration_cast<milliseconds>(left));
  }
  std::weak_ptr<JobRunner> weak = weak_from_this();
  ExecutionCallbacks callbacks;
  callbacks.progress = [weak, id](const JobProgress& progress) {
    auto self = weak.lock();
    if (!self) return;
    std::lock_guard lock(self->mu_);
    auto it = self->running_.find(id);
    if (it == self->running_.end()) return;
    it->second.progress = progress;
    it->second.progress_dirty = true;
  };
  callbacks.done = [weak, id](JobOutcome outcome) {
    if (auto self = weak.lock()) self->finished(id, std::move(outcome));
  };
  auto execution = std::make_shared<JobExecution>(api_, map_reduce_, id, std::move(*prepared),
                                                  deadline, std::move(callbacks));
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end()) it->second.execution = execution;
    if (stopping_) execution->cancel();
  }
  execution->start();
}

void JobRunner::finished(const std::string& id, JobOutcome outcome) {
  if (abandon_.load()) return release(id);
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end() && !it->second.writing) {
      it->second.writing = true;
      ++writing_;
      if (!draining_ && backlog_) wake_ = true;
    }
  }
  claim_cv_.notify_one();
  // Serialised here, on the thread that finished the job, rather than by the one flush under
  // way, which every other outcome waits for.
  bedrock::jobs::Completion c;
  c.id = id;
  c.worker_id = worker_id_;
  c.succeeded = outcome.answer.has_value();
  if (c.succeeded) {
    c.result_json = outcome.answer->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    c.error_code = to_string(outcome.answer.error().code);
    c.error_message = from_error(outcome.answer.error()).message;
  }
  c.records_json = records_json(outcome.records);
  {
    std::lock_guard lock(ops_mu_);
    if (!ops_closed_) {
      outcomes_.push_back(std::move(c));
      queue_flush(flushing_outcomes_, &JobRunner::flush_outcomes);
      return;
    }
  }
  release(id);  // the store threads are gone: nothing is written, the lease runs out
}

void JobRunner::flush_outcomes() {
  drain_flush(
      outcomes_, flushing_outcomes_,
      [](const bedrock::jobs::Completion& c) {
        return c.result_json.size() + c.records_json.size() + c.error_message.size();
      },
      [this](std::vector<bedrock::jobs::Completion>& batch) { write_outcomes(batch); });
}

void JobRunner::write_outcomes(std::vector<bedrock::jobs::Completion>& batch) {
  if (!abandon_.load()) {
    // The last progress with the result: a job faster than the keeper's round still shows it.
    {
      std::lock_guard lock(mu_);
      for (bedrock::jobs::Completion& c : batch) {
        auto it = running_.find(c.id);
        if (it != running_.end() && it->second.progress_dirty) {
          const JobProgress& p = it->second.progress;
          c.progress = bedrock::jobs::Progress{p.done, p.total, p.tokens};
          it->second.progress_dirty = false;
        }
      }
    }
    auto written = store_->finish_batch(batch);
    if (!written) {
      logger()->warn("{} job results not stored ({}): they run again when their leases end",
                     batch.size(), describe(written.error()));
    }
  }
  for (const auto& c : batch) release(c.id);
}

void JobRunner::release(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    auto it = running_.find(id);
    if (it != running_.end()) {
      if (it->second.writing) --writing_;
      running_.erase(it);
    }
    if (!draining_ && backlog_) wake_ = true;
    if (running_.empty()) idle_cv_.notify_all();
  }
  claim_cv_.notify_one();
}

void JobRunner::keep_loop() {
  using Steady = std::chrono::steady_clock;
  const milliseconds renew_every = std::max(milliseconds(50), config_.lease / 3);
  auto next_renew = Steady::now() + renew_every;
  auto next_purge = Steady::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    keep_cv_.wait_for(lock, kProgressEvery, [&] { return stopping_; });
    if (stopping_) break;
    struct Item {
      std::string id;
      std::shared_ptr<JobExecution> execution;
      JobProgress progress;
      bool progress_dirty;
    };
    const bool renew = Steady::now() >= next_renew;
    std::vector<Item> items;
    for (auto& entry : running_) {
      Running& r = entry.second;
      if (!r.execution || (!renew && !r.progress_dirty)) continue;
      items.push_back({entry.first, r.execution, r.progress, r.progress_dirty});
      r.progress_dirty = false;
    }
    lock.unlock();
    if (renew) next_renew = Steady::now() + renew_every;
    for (const Item& item : items) {
      Result<bool> held = true;
      if (item.progress_dirty) {
        held = store_->progress(item.id, worker_id_, item.progress.done, item.progress.total,
                                item.progress.tokens);
      }
      if (renew && held && *held) held = store_->renew(item.id, worker_id_, config_.lease);
      if (held && !*held) {
        // Cancelled, or the lease went to another worker: stop calling the model for it.
        logger()->info("job {}: lease lost or job cancelled: cancelling its calls", item.id);
        item.execution->cancel();
      }
    }
    if (Steady::now() >= next_purge) {
      next_purge = Steady::now() + kPurgeEvery;
      auto purged = store_->purge_finished(Clock::now() - config_.retention);
      if (!purged) logger()->warn("job store: purge failed: {}", describe(purged.error()));
    }
    lock.lock();
  }
}

}  // namespace bedrock::server::jobs
