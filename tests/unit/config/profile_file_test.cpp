#include "bedrock/config/profile_file.h"

#include <gtest/gtest.h>

#include "tests/unit/config/temp_dir.h"

namespace bedrock::config {
namespace {

using bedrock::testing::TempDir;

SharedFiles parse_ok(std::string_view text, bool is_config) {
  auto parsed = parse_shared_file(text, "test-file", is_config);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : SharedFiles{};
}

std::string parse_error(std::string_view text, bool is_config = true) {
  auto parsed = parse_shared_file(text, "/tmp/x/config", is_config);
  EXPECT_FALSE(parsed.has_value());
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::ConfigurationInvalid);
  return parsed.error().message;
}

TEST(ProfileFile, ConfigFileUsesProfilePrefixAndBareDefault) {
  // "[profile x]" and "[default]" are profiles in the config file; other sections are not.
  auto files = parse_ok(
      "[default]\nregion = us-east-1\n"
      "[profile dev]\nregion = eu-west-1\n"
      "[dev2]\nregion = ap-south-1\n"
      "[sso-session corp]\nsso_region = us-east-1\n",
      true);
  EXPECT_EQ(files.get("default", "region"), "us-east-1");
  EXPECT_EQ(files.get("dev", "region"), "eu-west-1");
  EXPECT_EQ(files.profile("dev2"), nullptr);
  EXPECT_EQ(files.profile("corp"), nullptr);
  EXPECT_EQ(files.profiles.size(), 2u);
}

TEST(ProfileFile, CredentialsFileUsesBareNames) {
  // In the credentials file the section name is the profile name, verbatim.
  auto files = parse_ok(
      "[default]\naws_access_key_id = AKID1\n"
      "[dev]\naws_access_key_id = AKID2\n"
      "[profile odd]\naws_access_key_id = AKID3\n",
      false);
  EXPECT_EQ(files.get("default", "aws_access_key_id"), "AKID1");
  EXPECT_EQ(files.get("dev", "aws_access_key_id"), "AKID2");
  EXPECT_EQ(files.get("profile odd", "aws_access_key_id"), "AKID3");
}

TEST(ProfileFile, QuotedAndSpacedProfileNames) {
  // botocore shlex-splits the header: extra spaces and quotes are accepted, 3 words are not.
  auto files = parse_ok(
      "[profile   spaced]\na = 1\n"
      "[profile \"with space\"]\nb = 2\n"
      "[profile a b]\nc = 3\n"
      "[profile]\nd = 4\n"
      "[profiledev]\ne = 5\n",
      true);
  EXPECT_EQ(files.get("spaced", "a"), "1");
  EXPECT_EQ(files.get("with space", "b"), "2");
  EXPECT_EQ(files.profiles.size(), 2u);
}

TEST(ProfileFile, CommentsAndWhitespace) {
  // Full-line '#'/';' comments (even indented), inline " #" comments, trimmed keys/values.
  auto files = parse_ok(
      "# leading comment\n"
      "; another\n"
      "[default]\r\n"
      "   region   =   us-west-2   # where we run\r\n"
      "  # indented comment\n"
      "output=json\n"
      "token = abc#def\n"
      "semi = a ; b\n",
      true);
  EXPECT_EQ(files.get("default", "region"), "us-west-2");
  EXPECT_EQ(files.get("default", "output"), "json");
  EXPECT_EQ(files.get("default", "token"), "abc#def");
  EXPECT_EQ(files.get("default", "semi"), "a ; b");
}

TEST(ProfileFile, KeysAreLowerCasedLikeConfigParser) {
  // configparser's optionxform lower-cases option names; values keep their case.
  auto files = parse_ok("[default]\nAWS_Access_Key_ID = AbC\n", false);
  EXPECT_EQ(files.get("default", "aws_access_key_id"), "AbC");
  EXPECT_EQ(files.get("default", "AWS_Access_Key_ID"), std::nullopt);
}

TEST(ProfileFile, ColonIsAlsoADelimiter) {
  // RawConfigParser accepts ':' as well as '='; the first delimiter on the line wins.
  auto files = parse_ok("[default]\nregion: us-east-1\nrole_arn = arn:aws:iam::1:role/x\n", true);
  EXPECT_EQ(files.get("default", "region"), "us-east-1");
  EXPECT_EQ(files.get("default", "role_arn"), "arn:aws:iam::1:role/x");
}

TEST(ProfileFile, EmptyValueIsKept) {
  // "key =" is a valid empty value, not an error.
  auto files = parse_ok("[default]\nregion =\n", true);
  EXPECT_EQ(files.get("default", "region"), "");
}

TEST(ProfileFile, ServicesSectionWithNestedSubsection) {
  // "[services x]" with "bedrock_runtime =" followed by indented keys, flattened "a.b".
  auto files = parse_ok(
      "[profile dev]\nservices = local\n"
      "[services local]\n"
      "bedrock_runtime =\n"
      "  endpoint_url = http://127.0.0.1:9999  # emulator\n"
      "\n"
      "  Other_Key=v\n"
      "s3 =\n"
      "  endpoint_url = http://s3\n",
      true);
  EXPECT_EQ(files.get("dev", "services"), "local");
  ASSERT_EQ(files.services.count("local"), 1u);
  const auto& local = files.services.at("local");
  EXPECT_EQ(local.at("bedrock_runtime.endpoint_url"), "http://127.0.0.1:9999");
  EXPECT_EQ(local.at("bedrock_runtime.Other_Key"), "v");
  EXPECT_EQ(local.at("s3.endpoint_url"), "http://s3");
  EXPECT_EQ(local.count("bedrock_runtime"), 0u);
}

TEST(ProfileFile, NestedSubsectionInProfile) {
  // Profiles may nest too (e.g. "s3 =" settings); they flatten the same way.
  auto files = parse_ok("[default]\ns3 =\n  max_concurrent_requests = 20\nregion = x\n", true);
  EXPECT_EQ(files.get("default", "s3.max_concurrent_requests"), "20");
  EXPECT_EQ(files.get("default", "region"), "x");
}

TEST(ProfileFile, ContinuationLineJoinsValue) {
  // A deeper-indented line after "key = a" continues the value with a newline.
  auto files = parse_ok("[default]\nkey = a\n  b\nnext = c\n", true);
  EXPECT_EQ(files.get("default", "key"), "a\nb");
  EXPECT_EQ(files.get("default", "next"), "c");
}

TEST(ProfileFile, IndentedKeyAfterHeaderIsAKey) {
  // Indentation right after a section header is not a continuation (no option yet).
  auto files = parse_ok("[default]\n  region = us-east-2\n  output = json\n", true);
  EXPECT_EQ(files.get("default", "region"), "us-east-2");
  EXPECT_EQ(files.get("default", "output"), "json");
}

TEST(ProfileFile, DefaultAndProfileDefaultMerge) {
  // "[default]" and "[profile default]" both feed profile "default".
  auto files = parse_ok("[default]\na = 1\n[profile default]\nb = 2\n", true);
  EXPECT_EQ(files.get("default", "a"), "1");
  EXPECT_EQ(files.get("default", "b"), "2");
}

TEST(ProfileFile, KeyOutsideSectionNamesFileAndLine) {
  // A key before any header is malformed; the error names file and line.
  auto msg = parse_error("# c\nregion = us-east-1\n");
  EXPECT_EQ(msg, "/tmp/x/config:2: key outside of any [section]");
}

TEST(ProfileFile, LineWithoutDelimiterIsMalformed) {
  // A bare word is neither a section nor "key = value".
  auto msg = parse_error("[default]\nregion = a\njunk\n");
  EXPECT_EQ(msg, "/tmp/x/config:3: expected 'key = value'");
}

TEST(ProfileFile, EmptyKeyIsMalformed) {
  // "= value" has no key.
  auto msg = parse_error("[default]\n = value\n");
  EXPECT_EQ(msg, "/tmp/x/config:2: empty key");
}

TEST(ProfileFile, UnclosedHeaderIsMalformed) {
  // "[default" has no closing bracket; "[]" is empty.
  EXPECT_EQ(parse_error("[default\n"), "/tmp/x/config:1: malformed section header");
  EXPECT_EQ(parse_error("\n\n[]\n"), "/tmp/x/config:3: malformed section header");
}

TEST(ProfileFile, DuplicatesAreMalformed) {
  // configparser's strict mode rejects duplicate sections and duplicate keys.
  EXPECT_EQ(parse_error("[default]\na=1\n[default]\n"),
            "/tmp/x/config:3: duplicate section [default]");
  EXPECT_EQ(parse_error("[default]\na=1\nA=2\n"),
            "/tmp/x/config:3: duplicate key 'a' in [default]");
}

TEST(ProfileFile, NestedLineWithoutEqualsIsMalformed) {
  // Nested sub-section lines must be "key = value"; the error points at the bad line.
  auto msg = parse_error("[services s]\nbedrock_runtime =\n  endpoint_url\n");
  EXPECT_EQ(msg,
            "/tmp/x/config:3: nested value under 'bedrock_runtime' lacks '=': \"endpoint_url\"");
}

TEST(ProfileFile, RecordsOriginOfEachValue) {
  // Every value knows its "file:line", nested ones their own line, for error messages.
  auto parsed = parse_shared_file(
      "[default]\nregion = x\n[services s]\nbedrock_runtime =\n  endpoint_url = u\n", "cfg", true);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->origin("default", "region"), "cfg:2");
  EXPECT_EQ(parsed->service_origins.at("s").at("bedrock_runtime.endpoint_url"), "cfg:5");
  EXPECT_EQ(parsed->origin("default", "missing"), "");
  EXPECT_EQ(parsed->origin("nope", "region"), "");
}

TEST(ProfileFile, EmptyTextIsEmpty) {
  // An empty or comment-only file has no profiles.
  auto files = parse_ok("", true);
  EXPECT_TRUE(files.profiles.empty());
  EXPECT_TRUE(parse_ok("# only\n\n", false).profiles.empty());
}

TEST(LoadSharedFiles, ReadsBothFilesFromHomeAndCredentialsWin) {
  // $HOME/.aws/{config,credentials}; the credentials file overrides the same key.
  TempDir dir;
  dir.write(".aws/config",
            "[default]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\n"
            "[profile dev]\nregion = eu-west-1\n");
  dir.write(".aws/credentials",
            "[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = s\n"
            "[other]\naws_access_key_id = O\n");
  MapEnvironment env({{"HOME", dir.path().string()}});
  auto files = load_shared_files(env);
  ASSERT_TRUE(files.has_value()) << files.error().message;
  EXPECT_EQ(files->get("default", "region"), "us-east-1");
  EXPECT_EQ(files->get("default", "aws_access_key_id"), "FROMCREDS");
  EXPECT_EQ(files->get("default", "aws_secret_access_key"), "s");
  EXPECT_EQ(files->get("dev", "region"), "eu-west-1");
  EXPECT_EQ(files->get("other", "aws_access_key_id"), "O");
  EXPECT_EQ(files->origin("default", "aws_access_key_id"),
            (dir.path() / ".aws/credentials").string() + ":2");
  EXPECT_EQ(files->origin("default", "region"), (dir.path() / ".aws/config").string() + ":2");
}

TEST(LoadSharedFiles, ExplicitPathsOverrideHome) {
  // AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE take precedence over $HOME/.aws.
  TempDir dir;
  dir.write(".aws/config", "[default]\nregion = home\n");
  auto config = dir.write("elsewhere/cfg", "[default]\nregion = explicit\n");
  auto creds = dir.write("elsewhere/creds", "[default]\naws_access_key_id = X\n");
  MapEnvironment env({{"HOME", dir.path().string()},
                      {"AWS_CONFIG_FILE", config},
                      {"AWS_SHARED_CREDENTIALS_FILE", creds}});
  auto files = load_shared_files(env);
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(files->get("default", "region"), "explicit");
  EXPECT_EQ(files->get("default", "aws_access_key_id"), "X");
}

TEST(LoadSharedFiles, TildeInExplicitPathExpandsToHome) {
  // botocore expands "~" in AWS_CONFIG_FILE.
  TempDir dir;
  dir.write("cfg/my-config", "[profile p]\nregion = r\n");
  MapEnvironment env({{"HOME", dir.path().string()}, {"AWS_CONFIG_FILE", "~/cfg/my-config"}});
  auto files = load_shared_files(env);
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(files->get("p", "region"), "r");
}

TEST(LoadSharedFiles, MissingFilesAreEmpty) {
  // No files (or no HOME at all) is no configuration, not an error.
  TempDir dir;
  MapEnvironment env({{"HOME", dir.path().string()}});
  auto files = load_shared_files(env);
  ASSERT_TRUE(files.has_value());
  EXPECT_TRUE(files->profiles.empty());
  MapEnvironment no_home;
  ASSERT_TRUE(load_shared_files(no_home).has_value());
}

TEST(LoadSharedFiles, MalformedFileNamesItsPath) {
  // A malformed credentials file fails the load with its real path and line.
  TempDir dir;
  auto creds = dir.write(".aws/credentials", "[default]\n\nnot a pair\n");
  MapEnvironment env({{"HOME", dir.path().string()}});
  auto files = load_shared_files(env);
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, ErrorCode::ConfigurationInvalid);
  EXPECT_EQ(files.error().message, creds + ":3: expected 'key = value'");
}

TEST(SelectedProfile, PrecedenceExplicitThenDefaultProfileThenProfile) {
  // explicit > AWS_DEFAULT_PROFILE > AWS_PROFILE > "default"; empty values are unset.
  MapEnvironment env({{"AWS_DEFAULT_PROFILE", "a"}, {"AWS_PROFILE", "b"}});
  EXPECT_EQ(selected_profile(env, std::string("x")), "x");
  EXPECT_EQ(selected_profile(env, std::nullopt), "a");
  env.set("AWS_DEFAULT_PROFILE", "");
  EXPECT_EQ(selected_profile(env, std::nullopt), "b");
  env.set("AWS_PROFILE", "");
  EXPECT_EQ(selected_profile(env, std::nullopt), "default");
  EXPECT_EQ(selected_profile(env, std::string()), "default");
}

}  // namespace
}  // namespace bedrock::config
