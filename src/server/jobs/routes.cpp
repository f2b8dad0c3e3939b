#include "server/jobs/routes.h"

#include <fmt/format.h>

#include <stdexcept>

#include "server/jobs/job_inputs.h"
#include "server/jobs/job_json.h"
#include "server/jobs/job_runner.h"
#include "server/jobs/list_query.h"
#include "server/json_body.h"
#include "server/request_scope.h"
#include "server/service.h"

namespace bedrock::server::jobs {
namespace {

using bedrock::jobs::JobSpec;
using bedrock::jobs::JobStore;
using Runner = std::shared_ptr<JobRunner>;

constexpr std::size_t kMaxIdempotencyKey = 256;

HttpError queue_full(const Service& service) {
  HttpError e = overloaded(service.config().retry_after);
  e.code = "QueueFull";
  e.message = "The job queue is full; try again later.";
  return e;
}

HttpError store_error(const Error& error, const Service& service) {
  if (error.code == ErrorCode::QueueFull) return queue_full(service);
  if (error.code == ErrorCode::Validation) return bad_field("", error.message);
  // The database is away (it is reconnected to on the next call): try again, nothing was lost.
  HttpError e = overloaded(service.config().retry_after);
  e.code = "JobStoreUnavailable";
  e.message = "The job store is not reachable right now; try again later.";
  return e;
}

HttpError job_not_found(std::string_view id) {
  HttpError e = not_found("/v1/jobs/" + std::string(id));
  e.message = fmt::format("No job {}.", id);
  return e;
}

// Runs `fn` on a store thread; a full store queue is a 503 at once.
void with_store(const Runner& runner, const ScopePtr& scope, std::function<void(JobStore&)> fn) {
  if (!runner->post(std::move(fn)))
    scope->send_error(overloaded(scope->service().config().retry_after));
}

// Reads and checks a job's fields (the input against its kind's /api/ rules) into a spec.
// `prefix` goes before a field of the input a 400 names ("input." for POST /v1/jobs).
HttpResult<JobSpec> read_spec(const std::string& kind, const nlohmann::json& input,
                              const nlohmann::json& body, const Service& service,
                              std::string_view prefix) {
  if (!known_kind(kind)) {
    return refuse(bad_field("kind",
                            "kind must be summarize, rephrase, expand, blog, product, social or "
                            "invoke"));
  }
  if (auto prepared = prepare_job(kind, input, service); !prepared) {
    HttpError e = prepared.error();
    if (!e.param.empty()) e.param = std::string(prefix) + e.param;
    return refuse(std::move(e));
  }
  JobSpec spec;
  spec.kind = kind;
  // "stream" and "async" mean nothing inside a job.
  nlohmann::json stored = input;
  stored.erase("stream");
  stored.erase("async");
  for (const char* job_field : {"idempotency_key", "priority", "deadline_seconds"}) {
    if (&input == &body) stored.erase(job_field);
  }
  spec.input_json = stored.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto key = string_field(body, "idempotency_key");
  if (!key) return refuse(key.error());
  if (*key) {
    if ((*key)->empty() || (*key)->size() > kMaxIdempotencyKey) {
      return refuse(bad_field("idempotency_key", "idempotency_key must be 1..256 characters"));
    }
    spec.idempotency_key = **key;
  }
  auto priority = int_field(body, "priority", -1000, 1000);
  if (!priority) return refuse(priority.error());
  spec.priority = static_cast<int>(priority->value_or(0));
  auto deadline = number_field(body, "deadline_seconds", 0.001, 30.0 * 86400);
  if (!deadline) return refuse(deadline.error());
  if (*deadline) {
    spec.deadline = bedrock::jobs::Clock::now() +
                    std::chrono::milliseconds(static_cast<long long>(**deadline * 1000));
  }
  return spec;
}

void submit(const Runner& runner, const ScopePtr& scope, JobSpec spec) {
  const bool queued =
      runner->submit(std::move(spec), [scope](Result<bedrock::jobs::SubmitResult> submitted) {
        if (!submitted) {
          return (void)scope->send_error(store_error(submitted.error(), scope->service()));
        }
        scope->send_json(submitted->created ? 202 : 200, job_json(submitted->job));
      });
  if (!queued) scope->send_error(overloaded(scope->service().config().retry_after));
}

void post_job(const Runner& runner, const ScopePtr& scope, net::HttpRequest& request) {
  auto body = parse_json_body(request);
  if (!body) return (void)scope->send_error(body.error());
  auto kind = string_field(*body, "kind", true);
  if (!kind) return (void)scope->send_error(kind.error());
  auto it = body->find("input");
  if (it == body->end() || !it->is_object()) {
    return (void)scope->send_error(bad_field("input", "input must be a JSON object"));
  }
  auto spec = read_spec(**kind, *it, *body, scope->service(), "input.");
  if (!spec) return (void)scope->send_error(spec.error());
  submit(runner, scope, std::move(*spec));
}

void list_jobs(const Runner& runner, const ScopePtr& scope, net::HttpRequest& request) {
  auto query = read_list_query(std::string_view(request.target().data(), request.target().size()));
  if (!query) return (void)scope->send_error(query.error());
  with_store(runner, scope, [scope, query = std::move(*query)](JobStore& store) {
    auto page = store.list(query);
    if (!page) return (void)scope->send_error(store_error(page.error(), scope->service()));
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& job : page->jobs) jobs.push_back(job_json(job));
    scope->send_json(200, {{"jobs", std::move(jobs)}, {"next_cursor", page->next_cursor}});
  });
}

std::string job_id(net::HttpRequest& request) {
  return std::string(
      path_segment(std::string_view(request.target().data(), request.target().size()), 2));
}

void get_job(const Runner& runner, const ScopePtr& scope, net::HttpRequest& request) {
  with_store(runner, scope, [scope, id = job_id(request)](JobStore& store) {
    auto job = store.get(id);
    if (!job) return (void)scope->send_error(store_error(job.error(), scope->service()));
    if (!*job) return (void)scope->send_error(job_not_found(id));
    scope->send_json(200, job_json(**job, true));
  });
}

void cancel_job(const Runner& runner, const ScopePtr& scope, net::HttpRequest& request) {
  with_store(runner, scope, [runner, scope, id = job_id(request)](JobStore& store) {
    auto job = store.cancel(id);
    if (!job) return (void)scope->send_error(store_error(job.error(), scope->service()));
    if (!*job) return (void)scope->send_error(job_not_found(id));
    runner->cancel_local(id);
    scope->send_json(200, job_json(**job));
  });
}

}  // namespace

api::AsyncSubmit add_routes(Router& router, Service& service, std::shared_ptr<api::ApiState> api) {
  const JobsConfig& config = service.config().jobs;
  const std::string url = config.url.empty() ? "sqlite::memory:" : config.url;
  bedrock::jobs::StoreOptions options;
  options.max_queued = config.max_queued;
  auto store = bedrock::jobs::open_job_store(url, options);
  if (!store) {
    throw std::runtime_error("job store: " + store.error().message);
  }
  auto runner = std::make_shared<JobRunner>(api, config, std::move(*store));
  service.on_start([runner] { runner->start(); });
  service.on_drain([runner](std::chrono::milliseconds grace) { runner->drain(grace); });
  service.on_stop([runner] { runner->stop(); });
  router.add({"POST", "/v1/jobs", "jobs.submit", ErrorStyle::Content,
              [runner](const ScopePtr& scope, net::HttpRequest& request) {
                post_job(runner, scope, request);
              }});
  router.add({"GET", "/v1/jobs", "jobs.list", ErrorStyle::Content,
              [runner](const ScopePtr& scope, net::HttpRequest& request) {
                list_jobs(runner, scope, request);
              }});
  router.add({"GET", "/v1/jobs/{id}", "jobs.get", ErrorStyle::Content,
              [runner](const ScopePtr& scope, net::HttpRequest& request) {
                get_job(runner, scope, request);
              }});
  router.add({"DELETE", "/v1/jobs/{id}", "jobs.cancel", ErrorStyle::Content,
              [runner](const ScopePtr& scope, net::HttpRequest& request) {
                cancel_job(runner, scope, request);
              }});
  return [runner](const ScopePtr& scope, const std::string& kind, nlohmann::json input) {
    auto spec = read_spec(kind, input, input, scope->service(), "");
    if (!spec) return (void)scope->send_error(spec.error());
    submit(runner, scope, std::move(*spec));
  };
}

}  // namespace bedrock::server::jobs
