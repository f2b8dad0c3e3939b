// Runs the durable jobs of one server (issue 15). Owned by the jobs route group, hooked to the
// service's start, drain and stop. Threads, all its own (never the I/O or upstream threads):
//
// - store threads (JobsConfig::store_threads): every blocking JobStore call a route needs
//   (submit, get, list, cancel) and every job's result, from a bounded queue (post(); a full
//   queue is a 503 for a route, results always get in: at most `workers` of them, and the
//   results waiting together are written in one finish_batch);
// - the claimer: claims up to the free worker slots with a lease (a finished job frees its slot
//   while its outcome is written, at most `workers` such writes waiting), as soon as a local submit
//   wakes it (condition variable) and otherwise every JobsConfig::poll (jobs other servers
//   sharing a PostgreSQL queue submitted), and starts each job's JobExecution;
// - the keeper: writes map-reduce progress (coalesced, every 100 ms), renews every running
//   job's lease every lease / 3 and cancels a job whose renew says the lease is lost or the job
//   was cancelled, and purges finished jobs past the retention.
//
// Drain (the service's on_drain): no more claims; running jobs go on during the grace period.
// Stop (on_stop, after the grace): the jobs still running have their calls cancelled and
// nothing written: their leases expire and they run again (at least once; the store's
// succeed() refuses a lost lease, so an idempotency key never succeeds twice).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bedrock/jobs/job_store.h"
#include "server/api/api_state.h"
#include "server/api/map_reduce_pool.h"
#include "server/jobs/job_execution.h"
#include "server/server_config.h"

namespace bedrock::server::jobs {

class JobRunner : public std::enable_shared_from_this<JobRunner> {
 public:
  JobRunner(std::shared_ptr<api::ApiState> api, JobsConfig config,
            std::unique_ptr<bedrock::jobs::JobStore> store);
  ~JobRunner();  // stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  void start();  // threads; the upstream loop must run (Service::on_start)
  void drain(std::chrono::milliseconds grace);  // no more claims; running jobs get `grace`
  // Waits for the running jobs until the drain's grace ends, then cancels the rest (nothing
  // written) and joins; idempotent.
  void stop();

  // Runs `fn` with the store on a store thread. false: too many calls are waiting (503).
  bool post(std::function<void(bedrock::jobs::JobStore&)> fn);
  // Submits `spec` on a store thread; `done` runs there. Submits waiting together go to the
  // store in one submit_batch (one transaction), one by one again if the batch is refused as a
  // whole (QueueFull part-way). A created job wakes the claimer. false: too many calls wait.
  bool submit(bedrock::jobs::JobSpec spec,
              std::function<void(Result<bedrock::jobs::SubmitResult>)> done);
  // A job was submitted here: claim now rather than at the next poll.
  void wake();
  // DELETE /v1/jobs/{id} reached the store: if the job runs here, cancel its calls now rather
  // than at the next renew.
  void cancel_local(const std::string& id);

  const std::string& worker_id() const { return worker_id_; }
  const JobsConfig& config() const { return config_; }

 private:
  struct Running {
    std::shared_ptr<JobExecution> execution;
    JobProgress progress;
    bool progress_dirty = false;
    bool writing = false;  // finished: its outcome waits to be written (holds no slot)
  };

  void store_loop();
  void claim_loop();
  void keep_loop();
  void launch(bedrock::jobs::Job job);
  // Writes the outcome (on a store thread), then frees the slot.
  void finished(const std::string& id, JobOutcome outcome);
  void release(const std::string& id);
  void enqueue(std::function<void()> op, bool always);
  struct PendingSubmit;
  void flush_submits();   // on a store thread
  void flush_outcomes();  // on a store thread
  void write_submits(std::vector<PendingSubmit>& batch);
  void write_outcomes(std::vector<bedrock::jobs::Completion>& batch);
  // With ops_mu_: queues `flush` unless one of its kind is queued or under way already.
  void queue_flush(bool& flushing, void (JobRunner::*flush)());
  template <typename T, typename BytesOf, typename Write>
  void drain_flush(std::deque<T>& pending, bool& flushing, BytesOf bytes_of, Write write);

  struct PendingSubmit {
    bedrock::jobs::JobSpec spec;
    std::function<void(Result<bedrock::jobs::SubmitResult>)> done;
  };

  std::shared_ptr<api::ApiState> api_;
  const JobsConfig config_;
  std::unique_ptr<bedrock::jobs::JobStore> store_;
  const std::string worker_id_;
  api::MapReducePool map_reduce_;

  std::mutex ops_mu_;
  std::condition_variable ops_cv_;
  std::deque<std::function<void()>> ops_;
  // With ops_mu_. One flush of each kind is queued or under way at a time (see queue_flush).
  std::deque<PendingSubmit> submits_;
  bool flushing_submits_ = false;
  // Finished jobs waiting for their outcome to be written (with ops_mu_; at most `workers`: a
  // job keeps its slot until then). Written together in one finish_batch.
  std::deque<bedrock::jobs::Completion> outcomes_;
  bool flushing_outcomes_ = false;
  bool ops_closed_ = false;

  std::mutex mu_;  // everything below
  std::condition_variable claim_cv_;
  std::condition_variable keep_cv_;
  std::condition_variable idle_cv_;  // running_ became empty
  std::chrono::steady_clock::time_point drain_until_{};
  std::unordered_map<std::string, Running> running_;
  std::size_t writing_ = 0;  // entries of running_ with `writing`
  bool wake_ = true;         // claim at once (first pass, a local submit, a full batch claimed)
  // Jobs may be waiting: the last claim was full, or a local submit created some since. A freed
  // slot claims at once only then; otherwise the next local submit or poll does (a claim that
  // finds nothing is a wasted statement per finished job).
  bool backlog_ = true;
  bool draining_ = false;
  bool stopping_ = false;
  bool started_ = false;
  std::atomic<bool> abandon_{false};  // stop(): outcomes are not written

  std::vector<std::thread> store_threads_;
  std::thread claimer_;
  std::thread keeper_;
};

}  // namespace bedrock::server::jobs
