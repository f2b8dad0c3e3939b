#include "bedrock/credentials/profile_sources.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace bedrock::credentials {
namespace {

// Same rules as config::load_shared_files (which does not expose the paths): the variable,
// with a leading "~/" expanded, else $HOME/.aws/<leaf>.
std::string locate(const Environment& env, std::string_view variable, std::string_view leaf) {
  auto home = env.non_empty("HOME");
  if (auto path = env.non_empty(variable)) {
    if (home && (*path == "~" || path->rfind("~/", 0) == 0)) return *home + path->substr(1);
    return *path;
  }
  if (!home) return "";
  return fmt::format("{}/.aws/{}", *home, leaf);
}

std::optional<std::string> read_file(const std::string& path) {
  if (path.empty()) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(out).str();
}

Result<config::SharedFiles> load_one(const std::string& path, bool is_config_file) {
  auto text = read_file(path);
  if (!text) return config::SharedFiles{};
  return config::parse_shared_file(*text, path, is_config_file);
}

void merge_into(config::ProfileValues& target, const config::ProfileValues& source) {
  for (const auto& [k, v] : source) target[k] = v;
}

}  // namespace

std::shared_ptr<const ProfileSources> make_profile_sources(std::string profile,
                                                           config::SharedFiles config_file,
                                                           config::SharedFiles credentials_file) {
  auto sources = std::make_shared<ProfileSources>();
  sources->profile = std::move(profile);
  sources->merged = config_file;
  for (const auto& [name, values] : credentials_file.profiles) {
    merge_into(sources->merged.profiles[name], values);
  }
  for (const auto& [name, origins] : credentials_file.profile_origins) {
    merge_into(sources->merged.profile_origins[name], origins);
  }
  sources->config = std::move(config_file);
  sources->credentials = std::move(credentials_file);
  return sources;
}

Result<std::shared_ptr<const ProfileSources>> load_profile_sources(
    const Environment& env, std::optional<std::string> explicit_profile) {
  std::string config_path = locate(env, "AWS_CONFIG_FILE", "config");
  std::string credentials_path = locate(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  auto config_file = load_one(config_path, /*is_config_file=*/true);
  if (!config_file) return fail(config_file.error());
  auto credentials_file = load_one(credentials_path, /*is_config_file=*/false);
  if (!credentials_file) return fail(credentials_file.error());
  bool is_explicit = explicit_profile && !explicit_profile->empty();
  auto built = make_profile_sources(config::selected_profile(env, std::move(explicit_profile)),
                                    std::move(*config_file), std::move(*credentials_file));
  auto sources = std::const_pointer_cast<ProfileSources>(built);
  sources->profile_explicit = is_explicit;
  sources->config_path = std::move(config_path);
  sources->credentials_path = std::move(credentials_path);
  return built;
}

}  // namespace bedrock::credentials
