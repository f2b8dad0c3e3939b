// Jobs per second through the store alone: submit_batch -> claim -> finish_batch (or succeed()
// job by job with --one-by-one), the path every background job takes, for SQLite (a file in a
// temporary folder) and PostgreSQL (when a URL is given). Prints the median of a few rounds.
//
//   bench_jobs_store [--jobs N] [--rounds R] [--batch B] [--workers W] [--one-by-one 1]
//                    [--postgres URL]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bedrock/jobs/job_store.h"

using namespace bedrock::jobs;
using namespace std::chrono_literals;

namespace {

struct Options {
  int jobs = 20000;
  int rounds = 3;
  int batch = 100;
  int workers = 2;
  bool one_by_one = false;  // succeed() per job instead of one finish_batch per claim
  std::string postgres;
};

// One round: a producer submits batches while `workers` threads claim batches and succeed each
// job. Returns jobs/s from the first submit to the last success.
double round_jobs_per_second(JobStore& store, const Options& o, int round) {
  std::atomic<int> done{0};
  std::atomic<bool> failed{false};
  const auto start = std::chrono::steady_clock::now();
  std::thread producer([&] {
    for (int i = 0; i < o.jobs; i += o.batch) {
      std::vector<JobSpec> specs(static_cast<std::size_t>(std::min(o.batch, o.jobs - i)));
      for (std::size_t k = 0; k < specs.size(); ++k) {
        specs[k].kind = "invoke";
        specs[k].input_json = R"({"prompt":"hi"})";
        specs[k].idempotency_key = "r" + std::to_string(round) + "-" + std::to_string(i + k);
      }
      if (!store.submit_batch(specs)) failed = true;
    }
  });
  std::vector<std::thread> workers;
  for (int w = 0; w < o.workers; ++w) {
    workers.emplace_back([&, w] {
      const std::string id = "bench-" + std::to_string(w);
      const auto give_up = std::chrono::steady_clock::now() + 120s;
      while (done.load() < o.jobs && !failed && std::chrono::steady_clock::now() < give_up) {
        auto claimed = store.claim(id, static_cast<std::size_t>(o.batch), 60s);
        if (!claimed) {
          std::fprintf(stderr, "claim: %s\n", claimed.error().message.c_str());
          failed = true;
          return;
        }
        if (claimed->empty()) {
          std::this_thread::sleep_for(1ms);
          continue;
        }
        if (o.one_by_one) {
          for (const Job& job : *claimed) {
            auto ok = store.succeed(job.id, id, R"({"text":"ok"})", "");
            if (!ok || !*ok) failed = true;
          }
        } else {
          std::vector<Completion> results;
          for (const Job& job : *claimed) {
            results.push_back({job.id, id, true, R"({"text":"ok"})", "", "", "", std::nullopt});
          }
          auto ok = store.finish_batch(results);
          if (!ok || std::count(ok->begin(), ok->end(), true) != std::ssize(results)) {
            failed = true;
          }
        }
        done += static_cast<int>(claimed->size());
      }
    });
  }
  producer.join();
  for (auto& t : workers) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed || done.load() != o.jobs) return 0;
  return o.jobs / seconds;
}

void run(const std::string& label, const std::string& url, const Options& o) {
  auto store = open_job_store(url);
  if (!store) {
    std::fprintf(stderr, "%s: %s\n", label.c_str(), store.error().message.c_str());
    return;
  }
  std::vector<double> rates;
  for (int r = 0; r < o.rounds; ++r) {
    rates.push_back(round_jobs_per_second(**store, o, r));
    (*store)->purge_finished(Clock::now() + 1h);
  }
  std::sort(rates.begin(), rates.end());
  std::printf(
      "%-10s jobs=%d batch=%d workers=%d rounds=%d %s  median %.0f jobs/s (min %.0f, max "
      "%.0f)\n",
      label.c_str(), o.jobs, o.batch, o.workers, o.rounds,
      o.one_by_one ? "succeed-each" : "finish_batch", rates[rates.size() / 2], rates.front(),
      rates.back());
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--jobs")
      o.jobs = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--rounds")
      o.rounds = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--batch")
      o.batch = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--workers")
      o.workers = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--one-by-one")
      o.one_by_one = value == "1";
    else if (flag == "--postgres")
      o.postgres = value;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("bedrock-jobs-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  run("sqlite", "sqlite://" + (dir / "jobs.db").string(), o);
  std::filesystem::remove_all(dir);
  if (!o.postgres.empty()) run("postgresql", o.postgres, o);
  return 0;
}
