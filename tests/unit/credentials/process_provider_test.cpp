// credential_process: a real script in a temp dir, run without a shell.
#include "bedrock/credentials/process_provider.h"

#include <gtest/gtest.h>

#include "bedrock/core/log.h"
#include "tests/unit/credentials/credential_test_support.h"

namespace bedrock::credentials {
namespace {

using testing::CredentialsTempDir;

class ProcessProviderTest : public ::testing::Test {
 protected:
  // A profile "tool" whose credential_process is `command`.
  Result<Credentials> run(const std::string& command, ProcessOptions options = {}) {
    MapEnvironment env({{"AWS_CONFIG_FILE", dir.write("config",
                                                      "[profile tool]\n"
                                                      "credential_process = " +
                                                          command + "\n")},
                        {"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}});
    auto sources = load_profile_sources(env, std::string("tool"));
    EXPECT_TRUE(sources);
    return ProcessProvider(*sources, "tool", options).get();
  }
  CredentialsTempDir dir;
};

// Arguments arrive split shell-style (quotes respected) and the JSON is read in full.
TEST_F(ProcessProviderTest, RunsCommandAndParsesJson) {
  std::string script = dir.script("bin/get creds.sh", R"(
[ "$1" = "--profile" ] || exit 3
[ "$2" = "two words" ] || exit 4
cat <<JSON
{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret-key",
 "SessionToken": "process-session-token", "Expiration": "2024-01-15T13:00:00Z"}
JSON
)");
  auto creds = run("'" + script + "' --profile \"two words\"");
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDPROCESS");
  EXPECT_EQ(creds->secret_access_key, "process-secret-key");
  EXPECT_EQ(creds->session_token, "process-session-token");
  EXPECT_EQ(creds->expiration, WallTime{std::chrono::seconds{1705323600}});
  EXPECT_EQ(creds->source, "credential-process");
  EXPECT_EQ(redact("x process-session-token"), "x ****");
}

// SessionToken and Expiration are optional: long-term keys.
TEST_F(ProcessProviderTest, OptionalFieldsMayBeAbsent) {
  std::string script = dir.script(
      "p.sh", R"(echo '{"Version": 1, "AccessKeyId": "AKID2", "SecretAccessKey": "secret2"}')");
  auto creds = run(script);
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->session_token, "");
  EXPECT_FALSE(creds->expiration.has_value());
}

// A failing command's stderr is the most useful thing to show the user.
TEST_F(ProcessProviderTest, NonZeroExitCarriesStderr) {
  std::string script = dir.script("p.sh", "echo 'token expired, run vault login' >&2\nexit 7\n");
  auto creds = run(script);
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("exited with status 7"), std::string::npos)
      << creds.error().message;
  EXPECT_NE(creds.error().message.find("token expired, run vault login"), std::string::npos);
  EXPECT_NE(creds.error().message.find("profile tool"), std::string::npos);
}

TEST_F(ProcessProviderTest, RejectsBadOutput) {
  struct Case {
    const char* output;
    const char* expected;
  };
  for (const Case& c : {
           Case{"not json", "did not print a JSON object"},
           Case{R"({"AccessKeyId": "A", "SecretAccessKey": "S"})", "no Version"},
           Case{R"({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"})",
                "unsupported Version 2"},
           Case{R"({"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "S"})",
                "unsupported Version \"1\""},
           Case{R"({"Version": 1, "AccessKeyId": "A"})", "without SecretAccessKey"},
           Case{R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "x"})",
                "unparseable Expiration"},
       }) {
    std::string script = dir.script("bad.sh", std::string("cat <<'EOF'\n") + c.output + "\nEOF\n");
    auto creds = run(script);
    ASSERT_FALSE(creds) << c.output;
    EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid) << c.output;
    EXPECT_NE(creds.error().message.find(c.expected), std::string::npos)
        << c.output << " -> " << creds.error().message;
  }
}

// A hung helper is killed at the timeout instead of hanging every request.
TEST_F(ProcessProviderTest, KillsCommandAtTimeout) {
  std::string script = dir.script("slow.sh", "exec sleep 30\n");
  auto start = std::chrono::steady_clock::now();
  auto creds = run(script, ProcessOptions{std::chrono::milliseconds{300}});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("did not finish within 300 ms"), std::string::npos)
      << creds.error().message;
  EXPECT_LT(took, std::chrono::seconds{5});
}

// A helper that leaves a background child holding stdout open still returns promptly once it
// has exited.
TEST_F(ProcessProviderTest, BackgroundChildDoesNotDelayResult) {
  std::string script = dir.script("bg.sh", R"(sleep 2 &
echo '{"Version": 1, "AccessKeyId": "AKIDBG", "SecretAccessKey": "bg-secret"}'
)");
  auto start = std::chrono::steady_clock::now();
  auto creds = run(script);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(creds) << creds.error().message;
  EXPECT_EQ(creds->access_key_id, "AKIDBG");
  EXPECT_LT(took, std::chrono::milliseconds{1500});
}

// Closing stdout/stderr does not end the wait: the exit does, and the timeout still applies.
TEST_F(ProcessProviderTest, TimeoutAppliesAfterPipesClose) {
  std::string script = dir.script("closer.sh", "exec >&- 2>&-\nexec sleep 30\n");
  auto start = std::chrono::steady_clock::now();
  auto creds = run(script, ProcessOptions{std::chrono::milliseconds{300}});
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("did not finish within 300 ms"), std::string::npos)
      << creds.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
}

TEST_F(ProcessProviderTest, MissingProgramIsConfigurationError) {
  auto creds = run(dir.path() + "/does-not-exist --x");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("cannot run"), std::string::npos) << creds.error().message;
}

TEST_F(ProcessProviderTest, UnterminatedQuoteIsConfigurationError) {
  auto creds = run("/bin/echo 'oops");
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_NE(creds.error().message.find("unterminated single quote"), std::string::npos);
}

TEST(ProcessProvider, NotConfiguredWithoutCredentialProcess) {
  auto sources = make_profile_sources("default", {}, {});
  auto creds = ProcessProvider(sources, "default").get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::CredentialsNotFound);
  EXPECT_EQ(creds.error().message, "credential_process (not set for profile default)");
}

}  // namespace
}  // namespace bedrock::credentials
