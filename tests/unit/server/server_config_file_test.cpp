#include "server/server_config_file.h"

#include <gtest/gtest.h>

#include <map>

#include "bedrock/content/content_config.h"
#include "server/api_keys.h"

namespace bedrock::server {
namespace {

class MapEnvironment : public Environment {
 public:
  explicit MapEnvironment(std::map<std::string, std::string> v) : v_(std::move(v)) {}
  std::optional<std::string> get(std::string_view name) const override {
    auto it = v_.find(std::string(name));
    if (it == v_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> v_;
};

const std::string kHash(64, 'a');

// Every key of the [server] table lands in ServerConfig.
TEST(ServerTable, AppliesEveryKey) {
  ServerConfig c;
  const std::string toml = R"([server]
host = "::1"
threads = 3
upstream_threads = 2
busy_poll_us = 40
max_body_bytes = 2048
max_connections = 50
max_in_flight = 40
header_timeout_seconds = 1.5
idle_timeout_seconds = 2
request_timeout_seconds = 30
drain_grace_seconds = 0
retry_after_seconds = 4
access_log = false
models = ["fast", "anthropic.claude-3-5-sonnet-20240620-v1:0"]
[server.model_aliases]
fast = "anthropic.claude-3-haiku-20240307-v1:0"
[[server.api_keys]]
id = "team-a"
sha256 = ")" + kHash + R"("
max_concurrency = 8
requests_per_minute = 600
)";
  ASSERT_TRUE(apply_server_table(c, toml, "t.toml").has_value());
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.threads, 3);
  EXPECT_EQ(c.upstream_threads, 2);
  EXPECT_EQ(c.busy_poll, std::chrono::microseconds(40));
  EXPECT_EQ(c.max_body_bytes, 2048u);
  EXPECT_EQ(c.max_connections, 50u);
  EXPECT_EQ(c.max_in_flight, 40u);
  EXPECT_EQ(c.header_timeout.count(), 1500);
  EXPECT_EQ(c.idle_timeout.count(), 2000);
  EXPECT_EQ(c.request_timeout.count(), 30000);
  EXPECT_EQ(c.drain_grace.count(), 0);
  EXPECT_EQ(c.retry_after.count(), 4);
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.allowed_models.size(), 2u);
  EXPECT_EQ(c.model_aliases.at("fast"), "anthropic.claude-3-haiku-20240307-v1:0");
  ASSERT_EQ(c.api_keys.size(), 1u);
  EXPECT_EQ(c.api_keys[0].id, "team-a");
  EXPECT_EQ(to_hex(c.api_keys[0].sha256), kHash);
  EXPECT_EQ(c.api_keys[0].max_concurrency, 8);
  EXPECT_EQ(c.api_keys[0].requests_per_minute, 600);
}

// Unknown keys, wrong types, out-of-range values and bad digests name the key.
TEST(ServerTable, RefusesBadValuesNamingTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {"[server]\nbogus = 1", "server.bogus"},
      {"[server]\nthreads = \"x\"", "server.threads"},
      {"[server]\nmax_in_flight = 0", "server.max_in_flight"},
      {"[server]\nrequest_timeout_seconds = -1", "server.request_timeout_seconds"},
      {"[[server.api_keys]]\nid = \"k\"\nsha256 = \"abc\"", "server.api_keys[0].sha256"},
      {"[[server.api_keys]]\nid = \"k\"", "server.api_keys[0]"},
      {"[[server.api_keys]]\nsha256 = \"" + kHash + "\"\nkey = \"plain\"",
       "server.api_keys[0].key"},
  };
  for (const auto& [toml, key] : cases) {
    ServerConfig c;
    auto s = apply_server_table(c, toml, "t.toml");
    ASSERT_FALSE(s.has_value()) << toml;
    EXPECT_EQ(s.error().code, ErrorCode::ConfigurationInvalid);
    EXPECT_NE(s.error().message.find(key), std::string::npos) << s.error().message;
  }
}

// A file without [server] leaves the defaults alone.
TEST(ServerTable, AbsentTableKeepsDefaults) {
  ServerConfig c;
  ASSERT_TRUE(apply_server_table(c, "[summarize]\nmax_tokens = 100\n", "t.toml").has_value());
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_TRUE(c.api_keys.empty());
}

// The content parser accepts the [server] table (it is the server's to read).
TEST(ServerTable, ContentParserAcceptsServerTable) {
  auto parsed = content::parse_content_config("[server]\nmax_in_flight = 5\n", "t.toml");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  EXPECT_FALSE(content::parse_content_config("server = 5\n", "t.toml").has_value());
}

// Keys from the environment are hashed (never kept), named env-N, and short ones refused.
TEST(EnvironmentKeys, HashesKeysAndRefusesShortOnes) {
  ServerConfig c;
  MapEnvironment env(std::map<std::string, std::string>{
      {"BEDROCK_CONTENT_SERVER_API_KEYS", "first-key-0123456789, second-key-0123456789"}});
  ASSERT_TRUE(add_environment_keys(c, env).has_value());
  ASSERT_EQ(c.api_keys.size(), 2u);
  EXPECT_EQ(c.api_keys[0].id, "env-1");
  EXPECT_EQ(c.api_keys[1].id, "env-2");
  EXPECT_EQ(c.api_keys[1].sha256, sha256("second-key-0123456789"));
  ServerConfig d;
  MapEnvironment short_key(
      std::map<std::string, std::string>{{"BEDROCK_CONTENT_SERVER_API_KEYS", "short"}});
  auto s = add_environment_keys(d, short_key);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message.find("short,"), std::string::npos);  // the key is not echoed
}

}  // namespace
}  // namespace bedrock::server

namespace bedrock::server {
namespace {

// [server.jobs] and state_dir land in ServerConfig; bad values name the key.
TEST(ServerTable, JobsTable) {
  ServerConfig c;
  auto s = apply_server_table(c,
                              "[server]\nstate_dir = \"/var/lib/bc\"\n[server.jobs]\n"
                              "url = \"sqlite:///tmp/j.db\"\nworkers = 8\nmax_queued = 10\n"
                              "lease_seconds = 5\npoll_seconds = 0.05\nretention_hours = 2\n"
                              "store_threads = 3\n",
                              "t.toml");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(c.state_dir, "/var/lib/bc");
  EXPECT_EQ(c.jobs.url, "sqlite:///tmp/j.db");
  EXPECT_EQ(c.jobs.workers, 8);
  EXPECT_EQ(c.jobs.max_queued, 10u);
  EXPECT_EQ(c.jobs.lease, std::chrono::seconds(5));
  EXPECT_EQ(c.jobs.poll, std::chrono::milliseconds(50));
  EXPECT_EQ(c.jobs.retention, std::chrono::hours(2));
  EXPECT_EQ(c.jobs.store_threads, 3);
  for (const auto& [toml, key] : std::map<std::string, std::string>{
           {"[server.jobs]\nworkers = 0", "server.jobs.workers"},
           {"[server.jobs]\nbogus = 1", "server.jobs.bogus"},
           {"[server.jobs]\nlease_seconds = 0", "server.jobs.lease_seconds"}}) {
    ServerConfig bad;
    auto refused = apply_server_table(bad, toml, "t.toml");
    ASSERT_FALSE(refused.has_value()) << toml;
    EXPECT_NE(refused.error().message.find(key), std::string::npos) << refused.error().message;
  }
}

}  // namespace
}  // namespace bedrock::server
