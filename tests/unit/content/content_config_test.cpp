#include "bedrock/content/content_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace bedrock::content {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("content-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& rel, const std::string& text) {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Defaults follow the tutorial's choices: fast summaries, strong rephrasing, cheap expansion.
TEST(ContentConfig, DefaultsFollowTutorial) {
  const ContentConfig c = ContentConfig::defaults();
  EXPECT_EQ(c.task(Task::Summarize).model, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(c.task(Task::Rephrase).model, "anthropic.claude-3-5-sonnet-20240620-v1:0");
  EXPECT_EQ(c.task(Task::Expand).model, "amazon.nova-micro-v1:0");
  EXPECT_LE(c.task(Task::Summarize).temperature, 0.3);
  for (Task t : kAllTasks) EXPECT_FALSE(c.task(t).fallbacks.empty()) << to_string(t);
  EXPECT_EQ(c.map_reduce.concurrency, 4);
}

// A file overrides models, fallbacks, parameters, templates and map-reduce settings.
TEST(ContentConfig, ParsesOverrides) {
  auto c = parse_content_config(R"(
timeout_seconds = 30
[summarize]
model = "amazon.nova-pro-v1:0"
fallbacks = ["a", "b"]
temperature = 0
max_tokens = 512
[summarize.templates]
user = "Short: {{text}} in {{paragraphs}}"
[map_reduce]
concurrency = 8
overlap_tokens = 0
mark_failed_chunks = true
)",
                                "cfg.toml");
  ASSERT_TRUE(c) << c.error().message;
  const TaskConfig& s = c->task(Task::Summarize);
  EXPECT_EQ(s.model, "amazon.nova-pro-v1:0");
  EXPECT_EQ(s.fallbacks, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.temperature, 0.0);
  EXPECT_EQ(s.max_tokens, 512);
  EXPECT_EQ(s.templ("user").render({{"text", "T"}, {"paragraphs", "1"}}), "Short: T in 1");
  EXPECT_FALSE(s.templ("chunk").empty());  // untouched templates keep the built-in text
  EXPECT_EQ(c->map_reduce.concurrency, 8);
  EXPECT_EQ(c->map_reduce.overlap_tokens, 0);
  EXPECT_TRUE(c->map_reduce.mark_failed_chunks);
  EXPECT_EQ(c->timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c->source, "cfg.toml");
  EXPECT_EQ(c->task(Task::Rephrase).model, ContentConfig::defaults().task(Task::Rephrase).model);
}

// Mistakes are ConfigurationInvalid errors naming the file and the key.
TEST(ContentConfig, RejectsBadFilesNamingFileAndKey) {
  struct Case {
    const char* toml;
    const char* expect;
  };
  const Case cases[] = {
      {"[summarize.templates]\nuser = \"{{body}}\"", "cfg.toml: summarize.templates.user"},
      {"[summarize]\nmodle = \"x\"", "summarize.modle: unknown key"},
      {"[sumarize]\nmodel = \"x\"", "sumarize: unknown table or key"},
      {"[rephrase]\ntemperature = \"hot\"", "rephrase.temperature: expected a number"},
      {"[rephrase]\ntemperature = 3", "rephrase.temperature: must be 0..1"},
      {"[map_reduce]\nconcurrency = 0", "map_reduce.concurrency: must be 1..64"},
      {"[blog.templates]\nfooter = \"x\"", "blog.templates.footer: unknown template name"},
      {"[social\nmodel = 1", "cfg.toml"},
  };
  for (const auto& c : cases) {
    auto r = parse_content_config(c.toml, "cfg.toml");
    ASSERT_FALSE(r) << c.toml;
    EXPECT_EQ(r.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << r.error().message;
  }
}

// Search order: --config, $BEDROCK_CONTENT_CONFIG, XDG, ~/.config; named files must exist.
TEST(ContentConfig, FindsConfigInTheUsualPlaces) {
  TempDir dir;
  MapEnvironment env;
  env.set("HOME", dir.path().string());
  auto none = find_content_config(std::nullopt, env);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  const fs::path home_cfg = dir.write(".config/bedrock-content/config.toml", "");
  auto home = find_content_config(std::nullopt, env);
  ASSERT_TRUE(home && *home);
  EXPECT_EQ(**home, home_cfg);

  const fs::path env_cfg = dir.write("env.toml", "");
  env.set("BEDROCK_CONTENT_CONFIG", env_cfg.string());
  auto from_env = find_content_config(std::nullopt, env);
  ASSERT_TRUE(from_env && *from_env);
  EXPECT_EQ(**from_env, env_cfg);

  const fs::path flag_cfg = dir.write("flag.toml", "[expand]\nmodel = \"m\"\n");
  auto from_flag = find_content_config(flag_cfg.string(), env);
  ASSERT_TRUE(from_flag && *from_flag);
  EXPECT_EQ(**from_flag, flag_cfg);
  auto loaded = resolve_content_config(flag_cfg.string(), env);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->task(Task::Expand).model, "m");

  auto missing = find_content_config((dir.path() / "nope.toml").string(), env);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("--config"), std::string::npos);
  env.set("BEDROCK_CONTENT_CONFIG", (dir.path() / "gone.toml").string());
  auto missing_env = find_content_config(std::nullopt, env);
  ASSERT_FALSE(missing_env);
  EXPECT_NE(missing_env.error().message.find("BEDROCK_CONTENT_CONFIG"), std::string::npos);
}

// The shipped example config parses and is accepted as is.
TEST(ContentConfig, ExampleConfigParses) {
  auto c = load_content_config(fs::path(BEDROCK_SOURCE_DIR) / "examples" / "config.toml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->task(Task::Summarize).model, "anthropic.claude-3-haiku-20240307-v1:0");
}

}  // namespace
}  // namespace bedrock::content
