#include "bedrock/content/content_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <toml.hpp>

namespace bedrock::content {
namespace {

struct ModelDefaults {
  std::string_view model;
  std::vector<std::string> fallbacks;
  double temperature;
  int max_tokens;
};

// Model choices follow the tutorial: a fast model for summaries, a stronger one for
// rephrasing, a cheap one for expansion; a mid model for the longer-form generators.
ModelDefaults model_defaults(Task task) {
  switch (task) {
    case Task::Summarize:
      return {"anthropic.claude-3-haiku-20240307-v1:0", {"amazon.nova-lite-v1:0"}, 0.2, 1024};
    case Task::Rephrase:
      return {"anthropic.claude-3-5-sonnet-20240620-v1:0",
              {"anthropic.claude-3-haiku-20240307-v1:0"},
              0.5,
              2048};
    case Task::Expand:
      return {"amazon.nova-micro-v1:0", {"amazon.titan-text-express-v1"}, 0.7, 2048};
    case Task::Blog:
      return {"anthropic.claude-3-5-haiku-20241022-v1:0",
              {"anthropic.claude-3-haiku-20240307-v1:0"},
              0.7,
              4096};
    case Task::Product:
      return {"anthropic.claude-3-5-haiku-20241022-v1:0",
              {"anthropic.claude-3-haiku-20240307-v1:0"},
              0.7,
              1024};
    case Task::Social:
      return {"anthropic.claude-3-5-haiku-20241022-v1:0",
              {"anthropic.claude-3-haiku-20240307-v1:0"},
              0.8,
              1024};
  }
  return {};
}

tl::unexpected<Error> invalid(std::string_view origin, std::string_view key, std::string what) {
  return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: {}: {}", origin, key, what));
}

using Table = toml::value::table_type;

Result<const Table*> as_table(const toml::value& v, std::string_view origin, std::string_view key) {
  if (!v.is_table()) return invalid(origin, key, "expected a table");
  return &v.as_table();
}

Result<std::string> get_string(const toml::value& v, std::string_view origin,
                               std::string_view key) {
  if (!v.is_string()) return invalid(origin, key, "expected a string");
  return v.as_string().str;
}

Result<double> get_number(const toml::value& v, std::string_view origin, std::string_view key) {
  if (v.is_floating()) return v.as_floating();
  if (v.is_integer()) return static_cast<double>(v.as_integer());
  return invalid(origin, key, "expected a number");
}

Result<int> get_int(const toml::value& v, std::string_view origin, std::string_view key, int lo,
                    int hi) {
  if (!v.is_integer()) return invalid(origin, key, "expected an integer");
  const auto n = v.as_integer();
  if (n < lo || n > hi)
    return invalid(origin, key, fmt::format("must be {}..{}, got {}", lo, hi, n));
  return static_cast<int>(n);
}

Status apply_task(TaskConfig& cfg, Task task, const Table& t, std::string_view origin) {
  const std::string prefix(to_string(task));
  for (const auto& [key, v] : t) {
    const std::string path = prefix + "." + key;
    if (key == "model") {
      auto s = get_string(v, origin, path);
      if (!s) return fail(s.error());
      if (s->empty()) return invalid(origin, path, "must not be empty");
      cfg.model = *s;
    } else if (key == "fallbacks") {
      if (!v.is_array()) return invalid(origin, path, "expected an array of model ids");
      cfg.fallbacks.clear();
      for (const auto& item : v.as_array()) {
        auto s = get_string(item, origin, path);
        if (!s) return fail(s.error());
        cfg.fallbacks.push_back(*s);
      }
    } else if (key == "temperature") {
      auto d = get_number(v, origin, path);
      if (!d) return fail(d.error());
      if (*d < 0 || *d > 1) return invalid(origin, path, fmt::format("must be 0..1, got {}", *d));
      cfg.temperature = *d;
    } else if (key == "max_tokens") {
      auto n = get_int(v, origin, path, 1, 1'000'000);
      if (!n) return fail(n.error());
      cfg.max_tokens = *n;
    } else if (key == "templates") {
      auto tt = as_table(v, origin, path);
      if (!tt) return fail(tt.error());
      for (const auto& [name, text] : **tt) {
        const std::string tpath = path + "." + name;
        const auto& specs = template_specs(task);
        auto spec = std::find_if(specs.begin(), specs.end(),
                                 [&, &n = name](const TemplateSpec& s) { return s.name == n; });
        if (spec == specs.end()) return invalid(origin, tpath, "unknown template name");
        auto s = get_string(text, origin, tpath);
        if (!s) return fail(s.error());
        auto parsed =
            PromptTemplate::parse(*s, spec->placeholders, fmt::format("{}: {}", origin, tpath));
        if (!parsed) return fail(parsed.error());
        cfg.templates[name] = std::move(*parsed);
      }
    } else {
      return invalid(origin, path, "unknown key");
    }
  }
  return {};
}

Status apply_map_reduce(MapReduceConfig& cfg, const Table& t, std::string_view origin) {
  for (const auto& [key, v] : t) {
    const std::string path = "map_reduce." + key;
    if (key == "mark_failed_chunks") {
      if (!v.is_boolean()) return invalid(origin, path, "expected true or false");
      cfg.mark_failed_chunks = v.as_boolean();
      continue;
    }
    int* target = key == "concurrency"      ? &cfg.concurrency
                  : key == "overlap_tokens" ? &cfg.overlap_tokens
                  : key == "chunk_retries"  ? &cfg.chunk_retries
                  : key == "max_levels"     ? &cfg.max_levels
                  : key == "chunk_tokens"   ? &cfg.chunk_tokens
                                            : nullptr;
    if (target == nullptr) return invalid(origin, path, "unknown key");
    const bool size = key == "overlap_tokens" || key == "chunk_tokens";
    const int lo = size || key == "chunk_retries" ? 0 : 1;
    auto n = get_int(v, origin, path, lo, size ? 1'000'000 : 64);
    if (!n) return fail(n.error());
    *target = *n;
  }
  return {};
}

}  // namespace

std::string_view to_string(Task task) {
  switch (task) {
    case Task::Summarize:
      return "summarize";
    case Task::Rephrase:
      return "rephrase";
    case Task::Expand:
      return "expand";
    case Task::Blog:
      return "blog";
    case Task::Product:
      return "product";
    case Task::Social:
      return "social";
  }
  return "summarize";
}

const PromptTemplate& TaskConfig::templ(std::string_view name) const {
  static const PromptTemplate kEmpty;
  auto it = templates.find(name);
  return it == templates.end() ? kEmpty : it->second;
}

ContentConfig ContentConfig::defaults() {
  ContentConfig c;
  for (Task t : kAllTasks) {
    TaskConfig& cfg = c.task(t);
    ModelDefaults d = model_defaults(t);
    cfg.model = std::string(d.model);
    cfg.fallbacks = d.fallbacks;
    cfg.temperature = d.temperature;
    cfg.max_tokens = d.max_tokens;
    for (const TemplateSpec& spec : template_specs(t)) {
      // Built-in templates are checked by ContentConfig tests; a failure here is a bug.
      auto parsed = PromptTemplate::parse(std::string(spec.builtin), spec.placeholders,
                                          fmt::format("built-in {}.{}", to_string(t), spec.name));
      if (parsed) cfg.templates[std::string(spec.name)] = std::move(*parsed);
    }
  }
  return c;
}

Result<ContentConfig> parse_content_config(std::string_view toml_text, std::string_view origin) {
  toml::value root;
  try {
    std::istringstream in{std::string(toml_text)};
    root = toml::parse(in, std::string(origin));
  } catch (const std::exception& e) {
    return fail(ErrorCode::ConfigurationInvalid, fmt::format("{}: {}", origin, e.what()));
  }
  ContentConfig cfg = ContentConfig::defaults();
  cfg.source = std::string(origin);
  for (const auto& [key, v] : root.as_table()) {
    if (key == "timeout_seconds") {
      auto d = get_number(v, origin, key);
      if (!d) return fail(d.error());
      if (*d <= 0 || *d > 3600) return invalid(origin, key, "must be > 0 and at most 3600");
      cfg.timeout = std::chrono::milliseconds(static_cast<long long>(*d * 1000));
      continue;
    }
    // bedrock-content-server's table: the server layer reads and checks it (it must be a table).
    if (key == "server") {
      if (auto t = as_table(v, origin, key); !t) return fail(t.error());
      continue;
    }
    if (key == "map_reduce") {
      auto t = as_table(v, origin, key);
      if (!t) return fail(t.error());
      if (auto s = apply_map_reduce(cfg.map_reduce, **t, origin); !s) return fail(s.error());
      continue;
    }
    bool matched = false;
    for (Task task : kAllTasks) {
      if (key != to_string(task)) continue;
      matched = true;
      auto t = as_table(v, origin, key);
      if (!t) return fail(t.error());
      if (auto s = apply_task(cfg.task(task), task, **t, origin); !s) return fail(s.error());
    }
    if (!matched) return invalid(origin, key, "unknown table or key");
  }
  return cfg;
}

Result<ContentConfig> load_content_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::ConfigurationInvalid,
                fmt::format("cannot read config file {}", path.string()));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_content_config(buf.str(), path.string());
}

Result<std::optional<std::filesystem::path>> find_content_config(
    const std::optional<std::string>& explicit_path, const Environment& env) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto named = [&](const std::string& p, std::string_view how) -> Result<std::optional<fs::path>> {
    if (!fs::is_regular_file(p, ec)) {
      return fail(ErrorCode::ConfigurationInvalid,
                  fmt::format("config file {} (from {}) does not exist or is not a file", p, how));
    }
    return fs::path(p);
  };
  if (explicit_path) return named(*explicit_path, "--config");
  if (auto v = env.non_empty("BEDROCK_CONTENT_CONFIG")) return named(*v, "BEDROCK_CONTENT_CONFIG");
  std::vector<fs::path> candidates;
  if (auto xdg = env.non_empty("XDG_CONFIG_HOME")) {
    candidates.push_back(fs::path(*xdg) / "bedrock-content" / "config.toml");
  }
  if (auto home = env.non_empty("HOME")) {
    candidates.push_back(fs::path(*home) / ".config" / "bedrock-content" / "config.toml");
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c, ec)) return std::optional<fs::path>(c);
  }
  return std::optional<fs::path>();
}

Result<ContentConfig> resolve_content_config(const std::optional<std::string>& explicit_path,
                                             const Environment& env) {
  auto found = find_content_config(explicit_path, env);
  if (!found) return fail(found.error());
  if (!*found) return ContentConfig::defaults();
  return load_content_config(**found);
}

}  // namespace bedrock::content
