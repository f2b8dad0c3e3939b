// bedrock-content jobs submit|status|wait|list|cancel: durable jobs on a bedrock-content-server
// (docs/jobs-api.md), over its /v1/jobs API. The server is --server or BEDROCK_CONTENT_SERVER,
// the key --api-key or BEDROCK_CONTENT_API_KEY. Exit codes as for the other commands: a
// refused request by its HTTP status (400 input, 401/403 auth, 404 not found, 429/503 try
// later), a failed job by its error code, `wait` past --timeout 9, a cancelled job 130.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "bedrock/core/environment.h"
#include "bedrock/core/log.h"
#include "bedrock/http/curl_transport.h"
#include "commands.h"
#include "exit_codes.h"
#include "progress.h"
#include "session.h"

namespace bedrock::cli {
namespace {

using std::chrono::milliseconds;

struct JobsFlags {
  std::optional<std::string> server;
  std::optional<std::string> api_key;
  // submit
  std::string kind;
  std::optional<std::string> input;
  std::optional<std::string> input_file;
  std::optional<std::string> idempotency_key;
  std::optional<int> priority;
  std::optional<double> deadline_seconds;
  bool wait = false;
  // status, wait, cancel
  std::string id;
  double poll_seconds = 0.25;
  // list
  std::optional<std::string> status;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

// The server's refusal, as an exit code and a sentence.
struct Failure {
  int exit_code;
  std::string message;
};

int exit_for_status(int status, const std::string& code) {
  if (code == "QueueFull" || status == 429 || status == 503) return kExitThrottled;
  if (status == 400 || status == 413 || status == 415 || status == 422) return kExitInput;
  if (status == 401 || status == 403) return kExitAuth;
  if (status == 404) return kExitNotFound;
  if (status == 504) return kExitDeadline;
  return kExitService;
}

int exit_for_job_error(const std::string& code) {
  if (code == "Cancelled") return kExitCancelled;
  for (int i = 0; i <= static_cast<int>(ErrorCode::Unknown); ++i) {
    const auto c = static_cast<ErrorCode>(i);
    if (to_string(c) == code) return exit_code_for(c);
  }
  return kExitService;
}

class ServerClient {
 public:
  ServerClient(std::string base, std::string key, const std::atomic<bool>* cancelled)
      : base_(std::move(base)), key_(std::move(key)), cancelled_(cancelled) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  // The answer's JSON for a 2xx, else the failure.
  tl::expected<nlohmann::json, Failure> call(const std::string& method, const std::string& path,
                                             const std::optional<nlohmann::json>& body = {}) {
    http::Request request;
    request.method = method;
    request.url = base_ + path;
    if (body) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body->dump();
    }
    if (!key_.empty()) request.headers.emplace_back("Authorization", "Bearer " + key_);
    http::CallOptions options;
    options.read_timeout = milliseconds(30000);
    options.deadline = std::chrono::steady_clock::now() + milliseconds(60000);
    options.cancelled = cancelled_;
    auto response = transport_.send(request, options);
    if (!response) {
      return tl::unexpected(Failure{
          exit_code_for(response.error().code),
          fmt::format("cannot reach the server at {}: {}", base_, response.error().message)});
    }
    auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (response->status >= 200 && response->status < 300 && json.is_object()) return json;
    std::string code, sentence = fmt::format("the server answered HTTP {}", response->status);
    if (json.is_object() && json.contains("error")) {
      if (json["error"].is_string()) sentence = json["error"].get<std::string>();
      if (json.contains("code") && json["code"].is_string()) code = json["code"];
    }
    return tl::unexpected(Failure{exit_for_status(response->status, code), sentence});
  }

 private:
  std::string base_;
  std::string key_;
  const std::atomic<bool>* cancelled_;
  http::CurlTransport transport_;
};

int report(const Failure& f) {
  std::fprintf(stderr, "error: %s\n", redact(f.message).c_str());
  return f.exit_code;
}

void print_json(const nlohmann::json& j) {
  std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
}

std::string status_line(const nlohmann::json& job) {
  std::string line = fmt::format("{}  {}  {}", job.value("id", ""), job.value("kind", ""),
                                 job.value("status", ""));
  const auto& p = job.value("progress", nlohmann::json::object());
  if (p.value("total", 0) > 0)
    line += fmt::format("  {}/{} chunks", p.value("done", 0), p.value("total", 0));
  line += fmt::format("  attempts {}", job.value("attempts", 0));
  if (job.contains("error")) {
    line +=
        fmt::format("  {}: {}", job["error"].value("code", ""), job["error"].value("message", ""));
  }
  return line;
}

std::optional<ServerClient> client_for(Session& session, const JobsFlags& f, int& exit_code) {
  const Environment& env = system_environment();
  std::string server = f.server.value_or(env.get("BEDROCK_CONTENT_SERVER").value_or(""));
  if (server.empty()) {
    std::fprintf(stderr,
                 "error: no server: pass --server http://host:port or set "
                 "BEDROCK_CONTENT_SERVER\n");
    exit_code = kExitConfiguration;
    return std::nullopt;
  }
  std::string key = f.api_key.value_or(env.get("BEDROCK_CONTENT_API_KEY").value_or(""));
  if (!key.empty()) register_secret(key);
  return std::optional<ServerClient>(std::in_place, server, key, session.cancelled());
}

// The job's final answer: its result (or error) printed, the exit code for its state.
int print_finished(Session& session, const nlohmann::json& job) {
  const std::string status = job.value("status", "");
  if (session.options().json) print_json(job);
  if (status == "succeeded") {
    if (!session.options().json) print_json(job.value("result", nlohmann::json::object()));
    return kExitOk;
  }
  const auto error = job.value("error", nlohmann::json::object());
  std::fprintf(stderr, "error: job %s %s: %s\n", job.value("id", "").c_str(), status.c_str(),
               redact(error.value("message", error.value("code", ""))).c_str());
  return exit_for_job_error(error.value("code", "Cancelled"));
}

int wait_for(Session& session, ServerClient& client, const std::string& id, const JobsFlags& f) {
  const auto started = std::chrono::steady_clock::now();
  const auto timeout = session.timeout();
  ProgressReporter progress(choose_progress_mode(session.options().quiet || session.options().json,
                                                 session.stderr_is_terminal()));
  const milliseconds poll(static_cast<long long>(f.poll_seconds * 1000));
  for (;;) {
    auto job = client.call("GET", "/v1/jobs/" + id);
    if (!job) return report(job.error());
    ProgressSnapshot snapshot;
    snapshot.done = static_cast<int>((*job)["progress"].value("done", 0));
    snapshot.total = static_cast<int>((*job)["progress"].value("total", 0));
    // While it runs, the tokens of the calls so far (map-reduce); once done, the answer's total.
    snapshot.tokens = (*job).contains("result")
                          ? (*job)["result"]["usage"].value("total_tokens", 0LL)
                          : (*job)["progress"].value("tokens", 0LL);
    snapshot.elapsed =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    const std::string status = job->value("status", "");
    if (status == "succeeded" || status == "failed" || status == "cancelled") {
      progress.finish(snapshot);
      return print_finished(session, *job);
    }
    progress.update(snapshot);
    if (session.cancelled()->load()) return kExitCancelled;
    if (timeout && snapshot.elapsed + poll > *timeout) {
      progress.finish(snapshot);
      std::fprintf(stderr, "error: job %s is still %s after the --timeout\n", id.c_str(),
                   status.c_str());
      return kExitDeadline;
    }
    std::this_thread::sleep_for(poll);
  }
}

int run_submit(Session& session, const JobsFlags& f) {
  int exit_code = kExitOk;
  auto client = client_for(session, f, exit_code);
  if (!client) return exit_code;
  std::string text;
  if (f.input) {
    text = *f.input;
  } else {
    auto read = read_command_input(f.input_file);
    if (!read) return session.report(read.error());
    text = *read;
  }
  auto input = nlohmann::json::parse(text, nullptr, false);
  if (!input.is_object()) {
    std::fprintf(stderr, "error: the job input must be a JSON object (--input or --file)\n");
    return kExitInput;
  }
  nlohmann::json body = {{"kind", f.kind}, {"input", std::move(input)}};
  if (f.idempotency_key) body["idempotency_key"] = *f.idempotency_key;
  if (f.priority) body["priority"] = *f.priority;
  if (f.deadline_seconds) body["deadline_seconds"] = *f.deadline_seconds;
  auto job = client->call("POST", "/v1/jobs", body);
  if (!job) return report(job.error());
  if (f.wait) return wait_for(session, *client, job->value("id", ""), f);
  if (session.options().json) {
    print_json(*job);
  } else {
    std::printf("%s\n", job->value("id", "").c_str());
  }
  return kExitOk;
}

// status (GET) and cancel (DELETE): one job's line, or its JSON.
int run_on_job(Session& session, const JobsFlags& f, const char* method) {
  int exit_code = kExitOk;
  auto client = client_for(session, f, exit_code);
  if (!client) return exit_code;
  auto job = client->call(method, "/v1/jobs/" + f.id);
  if (!job) return report(job.error());
  if (session.options().json) {
    print_json(*job);
  } else {
    std::printf("%s\n", status_line(*job).c_str());
  }
  return kExitOk;
}

int run_wait(Session& session, const JobsFlags& f) {
  int exit_code = kExitOk;
  auto client = client_for(session, f, exit_code);
  if (!client) return exit_code;
  return wait_for(session, *client, f.id, f);
}

int run_list(Session& session, const JobsFlags& f) {
  int exit_code = kExitOk;
  auto client = client_for(session, f, exit_code);
  if (!client) return exit_code;
  std::string path = "/v1/jobs";
  char sep = '?';
  auto add = [&](const char* name, const std::string& value) {
    path += fmt::format("{}{}={}", sep, name, value);
    sep = '&';
  };
  if (f.status) add("status", *f.status);
  if (f.limit) add("limit", std::to_string(*f.limit));
  if (f.cursor) add("cursor", *f.cursor);
  auto page = client->call("GET", path);
  if (!page) return report(page.error());
  if (session.options().json) {
    print_json(*page);
    return kExitOk;
  }
  for (const auto& job : (*page)["jobs"]) std::printf("%s\n", status_line(job).c_str());
  if (!page->value("next_cursor", "").empty()) {
    std::fprintf(stderr, "more: --cursor %s\n", page->value("next_cursor", "").c_str());
  }
  return kExitOk;
}

}  // namespace

void add_jobs_commands(CLI::App& app, Session& session, int& exit_code) {
  auto f = std::make_shared<JobsFlags>();
  auto* jobs = app.add_subcommand(
      "jobs", "Durable background jobs on a bedrock-content-server (submit, status, wait, ...)");
  jobs->require_subcommand(1);
  jobs->add_option("--server", f->server,
                   "Server URL (default $BEDROCK_CONTENT_SERVER), e.g. http://127.0.0.1:8080");
  jobs->add_option("--api-key", f->api_key, "API key (default $BEDROCK_CONTENT_API_KEY)");
  jobs->footer(
      "Examples:\n"
      "  bedrock-content jobs --server http://127.0.0.1:8080 submit summarize -f doc.json\n"
      "  bedrock-content jobs submit rephrase --input '{\"text\": \"hi\"}' --wait\n"
      "  bedrock-content jobs wait job_0123... --timeout 600\n"
      "  bedrock-content jobs list --status running");

  auto* submit = jobs->add_subcommand("submit", "Submit a job; prints its id (--wait: its answer)");
  submit
      ->add_option("kind", f->kind,
                   "summarize | rephrase | expand | blog | product | social | invoke")
      ->required();
  auto* input = submit->add_option("--input,-i", f->input,
                                   "The input as JSON (the /api/ endpoint's body fields)");
  submit->add_option("--file,-f", f->input_file, "Read the input JSON from FILE ('-' = stdin)")
      ->excludes(input);
  submit->add_option("--idempotency-key", f->idempotency_key,
                     "A second submit with the same key returns the first job");
  submit->add_option("--priority", f->priority, "Higher runs first (-1000..1000, default 0)")
      ->check(CLI::Range(-1000, 1000));
  submit
      ->add_option("--deadline", f->deadline_seconds,
                   "Seconds the job has to finish (else it fails DeadlineExceeded)")
      ->check(CLI::Range(0.001, 30.0 * 86400));
  submit->add_flag("--wait", f->wait, "Wait for the job and print its answer, as `jobs wait`");
  submit->add_option("--poll", f->poll_seconds, "Seconds between status checks while waiting")
      ->check(CLI::Range(0.01, 60.0));
  submit->callback([&session, &exit_code, f] { exit_code = run_submit(session, *f); });

  auto* status = jobs->add_subcommand("status", "Show a job's status, progress and attempts");
  status->add_option("id", f->id, "Job id")->required();
  status->callback([&session, &exit_code, f] { exit_code = run_on_job(session, *f, "GET"); });

  auto* wait = jobs->add_subcommand(
      "wait", "Wait for a job with a progress bar, print its answer (--timeout bounds the wait)");
  wait->add_option("id", f->id, "Job id")->required();
  wait->add_option("--poll", f->poll_seconds, "Seconds between status checks")
      ->check(CLI::Range(0.01, 60.0));
  wait->callback([&session, &exit_code, f] { exit_code = run_wait(session, *f); });

  auto* list = jobs->add_subcommand("list", "List jobs, newest first");
  list->add_option("--status", f->status, "queued | running | succeeded | failed | cancelled")
      ->check(CLI::IsMember({"queued", "running", "succeeded", "failed", "cancelled"}));
  list->add_option("--limit", f->limit, "Jobs per page (1..1000, default 50)")
      ->check(CLI::Range(1, 1000));
  list->add_option("--cursor", f->cursor, "The next page (printed after a full page)");
  list->callback([&session, &exit_code, f] { exit_code = run_list(session, *f); });

  auto* cancel = jobs->add_subcommand("cancel", "Cancel a queued or running job");
  cancel->add_option("id", f->id, "Job id")->required();
  cancel->callback([&session, &exit_code, f] { exit_code = run_on_job(session, *f, "DELETE"); });
  for (auto* sub : jobs->get_subcommands({})) sub->fallthrough();
}

}  // namespace bedrock::cli
