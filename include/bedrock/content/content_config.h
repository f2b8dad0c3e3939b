// The product's configuration: per task, the model, its fallbacks, sampling parameters and
// prompt templates; plus the map-reduce settings. Built-in defaults, overridable by one TOML
// file (examples/config.toml documents every key).
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bedrock/content/prompt_template.h"
#include "bedrock/core/environment.h"
#include "bedrock/core/result.h"

namespace bedrock::content {

enum class Task { Summarize, Rephrase, Expand, Blog, Product, Social };
inline constexpr std::size_t kTaskCount = 6;
inline constexpr std::array<Task, kTaskCount> kAllTasks{
    Task::Summarize, Task::Rephrase, Task::Expand, Task::Blog, Task::Product, Task::Social};

std::string_view to_string(Task task);  // "summarize", "rephrase", ... (the TOML table names)

// One template a task uses: its name in the config file, the placeholders it may use, and the
// built-in text.
struct TemplateSpec {
  std::string_view name;
  std::vector<std::string> placeholders;
  std::string_view builtin;
};
const std::vector<TemplateSpec>& template_specs(Task task);

struct TaskConfig {
  std::string model;
  std::vector<std::string> fallbacks;
  double temperature = 0.5;
  int max_tokens = 1024;
  std::map<std::string, PromptTemplate, std::less<>> templates;  // every spec'd name present

  // The template named `name`; every name in template_specs(task) is present after defaults().
  const PromptTemplate& templ(std::string_view name) const;
};

struct MapReduceConfig {
  int concurrency = 4;              // parallel chunk calls
  int overlap_tokens = 100;         // repeated between neighbouring chunks
  int chunk_retries = 2;            // extra attempts per chunk after the client's own retries
  bool mark_failed_chunks = false;  // true: a failed chunk becomes a marker, not a failed job
  int max_levels = 6;               // reduce levels before giving up
  // Upper bound on a chunk (and a reduce group), in estimated tokens; the model's context minus
  // prompt and output reserve bounds it too. Smaller chunks mean more parallel calls and more
  // detailed partial summaries; 0 = as large as the model allows.
  int chunk_tokens = 4000;
};

struct ContentConfig {
  std::array<TaskConfig, kTaskCount> tasks;
  MapReduceConfig map_reduce;
  std::optional<std::chrono::milliseconds> timeout;  // per model call; nullopt: client default
  std::string source = "built-in defaults";          // file the values came from

  // Defaults (documented in examples/config.toml): summaries on Claude 3 Haiku (fast), rephrasing
  // on Claude 3.5 Sonnet (strong), expansion on Nova Micro (cheap), blog/product/social on
  // Claude 3.5 Haiku (mid), each with fallbacks.
  static ContentConfig defaults();

  TaskConfig& task(Task t) { return tasks[static_cast<std::size_t>(t)]; }
  const TaskConfig& task(Task t) const { return tasks[static_cast<std::size_t>(t)]; }
};

// Parses TOML over the defaults. Errors: ConfigurationInvalid naming `origin` and the key for a
// syntax error, an unknown table or key, a wrong type, an out-of-range value or a template with
// an unknown placeholder.
Result<ContentConfig> parse_content_config(std::string_view toml_text, std::string_view origin);
Result<ContentConfig> load_content_config(const std::filesystem::path& path);

// The config file to use, in order: `explicit_path` (--config), $BEDROCK_CONTENT_CONFIG,
// $XDG_CONFIG_HOME/bedrock-content/config.toml, $HOME/.config/bedrock-content/config.toml.
// An explicitly named file (flag or variable) must exist (ConfigurationInvalid otherwise); the
// per-user files are used only when present. nullopt: no file, use defaults.
Result<std::optional<std::filesystem::path>> find_content_config(
    const std::optional<std::string>& explicit_path, const Environment& env);

// find_content_config + load_content_config, or defaults() when there is no file.
Result<ContentConfig> resolve_content_config(const std::optional<std::string>& explicit_path,
                                             const Environment& env);

}  // namespace bedrock::content
