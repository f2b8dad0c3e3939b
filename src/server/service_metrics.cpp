#include "server/service_metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace bedrock::server {

void Histogram::observe(std::chrono::nanoseconds value) {
  const double s = std::chrono::duration<double>(value).count();
  const auto it = std::lower_bound(kBucketBounds.begin(), kBucketBounds.end(), s);
  buckets_[static_cast<std::size_t>(it - kBucketBounds.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, value.count())),
                    std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep,
                   kBucketBounds[i], cumulative);
  }
  cumulative += buckets_.back().load(std::memory_order_relaxed);
  fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep,
                 cumulative);
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  fmt::format_to(std::back_inserter(out), "{}_sum{} {:.9f}\n", name, braces,
                 static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  // The count is the buckets' total, so a scrape racing an observe() stays consistent.
  fmt::format_to(std::back_inserter(out), "{}_count{} {}\n", name, braces, cumulative);
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

ServiceMetrics::ServiceMetrics(std::vector<std::string> route_names)
    : route_names_(std::move(route_names)) {
  route_names_.push_back("unmatched");
  for (std::size_t i = 0; i < route_names_.size(); ++i) {
    routes_.push_back(std::make_unique<RouteFigures>());
  }
}

void ServiceMetrics::request_done(std::size_t route, unsigned status,
                                  std::chrono::nanoseconds total,
                                  std::optional<std::chrono::nanoseconds> overhead) {
  RouteFigures& r = *routes_[std::min(route, routes_.size() - 1)];
  if (status >= 100 && status <= 599)
    r.by_status[status - 100].fetch_add(1, std::memory_order_relaxed);
  r.duration.observe(total);
  if (overhead) overhead_.observe(*overhead);
}

void ServiceMetrics::record(const runtime::InvocationRecord& rec) {
  std::string model = rec.model_used.empty() ? rec.model_requested : rec.model_used;
  std::lock_guard lock(models_mutex_);
  auto it = models_.find(model);
  if (it == models_.end()) {
    if (models_.size() >= kMaxModels) model = "other";
    it = models_.try_emplace(model, std::make_unique<ModelFigures>()).first;
  }
  ModelFigures& m = *it->second;
  ++m.calls_by_outcome[rec.outcome == runtime::Outcome::Success
                           ? std::string("success")
                           : (rec.error_code.empty() ? std::string("Unknown") : rec.error_code)];
  m.retries += rec.attempts > 1 ? static_cast<std::uint64_t>(rec.attempts - 1) : 0;
  m.fallbacks += rec.skipped.size();
  m.input_tokens += static_cast<std::uint64_t>(std::max(0, rec.input_tokens));
  m.output_tokens += static_cast<std::uint64_t>(std::max(0, rec.output_tokens));
  m.cache_read_tokens += static_cast<std::uint64_t>(std::max(0, rec.cache_read_input_tokens));
  m.cache_write_tokens += static_cast<std::uint64_t>(std::max(0, rec.cache_write_input_tokens));
  m.cost_usd += rec.cost_usd;
  m.latency.observe(rec.latency);
  if (rec.time_to_first_token) m.time_to_first_token.observe(*rec.time_to_first_token);
}

std::string ServiceMetrics::render(std::size_t in_flight, std::uint64_t access_log_dropped) const {
  std::string out;
  auto it = std::back_inserter(out);
  out += "# HELP bedrock_server_requests_total Requests answered, by route and HTTP status.\n";
  out += "# TYPE bedrock_server_requests_total counter\n";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (std::size_t s = 0; s < routes_[i]->by_status.size(); ++s) {
      const auto n = routes_[i]->by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      fmt::format_to(it, "bedrock_server_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                     escape_label(route_names_[i]), s + 100, n);
    }
  }
  out += "# HELP bedrock_server_requests_in_flight Requests being handled now.\n";
  out += "# TYPE bedrock_server_requests_in_flight gauge\n";
  fmt::format_to(it, "bedrock_server_requests_in_flight {}\n", in_flight);
  out +=
      "# HELP bedrock_server_access_log_dropped_lines_total Access-log lines lost because "
      "stderr took them slower than requests ended (a buffer of 4 MiB was full) or failed.\n";
  out += "# TYPE bedrock_server_access_log_dropped_lines_total counter\n";
  fmt::format_to(it, "bedrock_server_access_log_dropped_lines_total {}\n", access_log_dropped);
  out +=
      "# HELP bedrock_server_request_duration_seconds Time from a request's arrival to the "
      "end of its answer, by route.\n";
  out += "# TYPE bedrock_server_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i]->duration.count() == 0) continue;
    routes_[i]->duration.render(out, "bedrock_server_request_duration_seconds",
                                fmt::format("route=\"{}\"", escape_label(route_names_[i])));
  }
  out +=
      "# HELP bedrock_server_overhead_seconds The service's own time per request that called "
      "Bedrock: from the request read until its answer is handed to the connection, minus the "
      "time its upstream calls waited for Bedrock.\n";
  out += "# TYPE bedrock_server_overhead_seconds histogram\n";
  overhead_.render(out, "bedrock_server_overhead_seconds", "");

  std::lock_guard lock(models_mutex_);
  auto per_model = [&](std::string_view name, std::string_view type, std::string_view help,
                       auto value) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    for (const auto& [model, m] : models_) value(escape_label(model), *m);
  };
  per_model("bedrock_server_upstream_calls_total", "counter",
            "Upstream calls (after retries and fallbacks) by model and outcome.",
            [&](const std::string& model, const ModelFigures& m) {
              for (const auto& [outcome, n] : m.calls_by_outcome) {
                fmt::format_to(it,
                               "bedrock_server_upstream_calls_total{{model=\"{}\",outcome=\"{}\"}} "
                               "{}\n",
                               model, escape_label(outcome), n);
              }
            });
  per_model("bedrock_server_upstream_retries_total", "counter",
            "Attempts beyond the first, by model.",
            [&](const std::string& model, const ModelFigures& m) {
              fmt::format_to(it, "bedrock_server_upstream_retries_total{{model=\"{}\"}} {}\n",
                             model, m.retries);
            });
  per_model("bedrock_server_upstream_fallbacks_total", "counter",
            "Models given up for a fallback, by the model that finally answered (or was asked).",
            [&](const std::string& model, const ModelFigures& m) {
              fmt::format_to(it, "bedrock_server_upstream_fallbacks_total{{model=\"{}\"}} {}\n",
                             model, m.fallbacks);
            });
  per_model("bedrock_server_upstream_tokens_total", "counter", "Tokens by model and kind.",
            [&](const std::string& model, const ModelFigures& m) {
              const std::pair<const char*, std::uint64_t> kinds[] = {
                  {"input", m.input_tokens},
                  {"output", m.output_tokens},
                  {"cache_read", m.cache_read_tokens},
                  {"cache_write", m.cache_write_tokens}};
              for (const auto& [kind, n] : kinds) {
                fmt::format_to(
                    it, "bedrock_server_upstream_tokens_total{{model=\"{}\",kind=\"{}\"}} {}\n",
                    model, kind, n);
              }
            });
  per_model("bedrock_server_upstream_cost_usd_total", "counter",
            "Estimated cost in US dollars, by model.",
            [&](const std::string& model, const ModelFigures& m) {
              fmt::format_to(it, "bedrock_server_upstream_cost_usd_total{{model=\"{}\"}} {:.6f}\n",
                             model, m.cost_usd);
            });
  per_model("bedrock_server_upstream_duration_seconds", "histogram",
            "Upstream call time (retries and backoff included), by model.",
            [&](const std::string& model, const ModelFigures& m) {
              m.latency.render(out, "bedrock_server_upstream_duration_seconds",
                               fmt::format("model=\"{}\"", model));
            });
  per_model("bedrock_server_upstream_time_to_first_token_seconds", "histogram",
            "Streamed calls: time from the call's start to its first content event, by model.",
            [&](const std::string& model, const ModelFigures& m) {
              if (m.time_to_first_token.count() == 0) return;
              m.time_to_first_token.render(out,
                                           "bedrock_server_upstream_time_to_first_token_seconds",
                                           fmt::format("model=\"{}\"", model));
            });
  return out;
}

}  // namespace bedrock::server
