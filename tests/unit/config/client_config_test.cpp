#include "bedrock/config/client_config.h"

#include <gtest/gtest.h>

#include "config/endpoint.h"
#include "tests/unit/config/temp_dir.h"

namespace bedrock::config {
namespace {

using bedrock::testing::TempDir;
using std::chrono::milliseconds;

// A hermetic environment: HOME is a fresh temp dir, so ~/.aws is whatever the test writes.
class ClientConfigTest : public ::testing::Test {
 protected:
  ClientConfigTest() { env_.set("HOME", dir_.path().string()); }

  void write_config(const std::string& text) { config_path_ = dir_.write(".aws/config", text); }
  void write_credentials(const std::string& text) {
    credentials_path_ = dir_.write(".aws/credentials", text);
  }

  Result<ClientConfig> resolve(const ClientOverrides& overrides = {}) {
    return resolve_client_config(overrides, env_);
  }

  ClientConfig resolve_ok(const ClientOverrides& overrides = {}) {
    auto config = resolve(overrides);
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
    return config ? *config : ClientConfig{};
  }

  std::string resolve_error(const ClientOverrides& overrides = {}) {
    auto config = resolve(overrides);
    EXPECT_FALSE(config.has_value());
    if (config) return "";
    EXPECT_EQ(config.error().code, ErrorCode::ConfigurationInvalid);
    return config.error().message;
  }

  TempDir dir_;
  MapEnvironment env_;
  std::string config_path_;
  std::string credentials_path_;
};

TEST_F(ClientConfigTest, DefaultsWithOnlyARegion) {
  // Region from the environment; everything else takes the documented defaults.
  env_.set("AWS_REGION", "us-east-1");
  ClientConfig c = resolve_ok();
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.endpoint_url, "https://bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_FALSE(c.endpoint_is_custom);
  EXPECT_EQ(c.profile, "default");
  EXPECT_EQ(c.retry_mode, RetryMode::Standard);
  EXPECT_EQ(c.max_attempts, 3);
  EXPECT_EQ(c.ca_bundle, "");
  EXPECT_EQ(c.connect_timeout, milliseconds(3100));
  EXPECT_EQ(c.read_timeout, std::nullopt);
}

TEST_F(ClientConfigTest, MissingRegionIsAnError) {
  // No region anywhere: the endpoint rules' "Missing Region" error.
  EXPECT_NE(resolve_error().find("Missing Region"), std::string::npos);
  env_.set("AWS_REGION", "");  // empty counts as unset
  EXPECT_NE(resolve_error().find("Missing Region"), std::string::npos);
}

TEST_F(ClientConfigTest, RegionPrecedence) {
  // explicit > AWS_REGION > AWS_DEFAULT_REGION > profile region.
  write_config("[default]\nregion = eu-west-1\n");
  EXPECT_EQ(resolve_ok().region, "eu-west-1");
  env_.set("AWS_DEFAULT_REGION", "eu-west-2");
  EXPECT_EQ(resolve_ok().region, "eu-west-2");
  env_.set("AWS_REGION", "eu-west-3");
  EXPECT_EQ(resolve_ok().region, "eu-west-3");
  ClientOverrides o;
  o.region = "ap-south-1";
  EXPECT_EQ(resolve_ok(o).region, "ap-south-1");
  EXPECT_EQ(resolve_ok(o).endpoint_url, "https://bedrock-runtime.ap-south-1.amazonaws.com");
}

TEST_F(ClientConfigTest, MalformedRegionNamesItsSource) {
  // Regions must match botocore's region-name pattern; the message names the source.
  env_.set("AWS_REGION", "bad_region!");
  EXPECT_EQ(resolve_error(),
            "AWS_REGION: region name does not match the AWS region format: "
            "\"bad_region!\"");
  env_.set("AWS_REGION", "");
  write_config("[default]\n# c\nregion = -east\n");
  EXPECT_EQ(resolve_error(), config_path_ +
                                 ":3 (region in profile 'default'): region name does not match "
                                 "the AWS region format: \"-east\"");
}

TEST_F(ClientConfigTest, PartitionsAndVariants) {
  // dnsSuffix per partition; FIPS and dual-stack host names from the endpoint rules.
  struct Case {
    const char* region;
    bool fips;
    bool dual;
    const char* url;
  } cases[] = {
      {"us-east-1", false, false, "https://bedrock-runtime.us-east-1.amazonaws.com"},
      {"us-east-1", true, false, "https://bedrock-runtime-fips.us-east-1.amazonaws.com"},
      {"us-east-1", false, true, "https://bedrock-runtime.us-east-1.api.aws"},
      {"us-east-1", true, true, "https://bedrock-runtime-fips.us-east-1.api.aws"},
      {"cn-north-1", false, false, "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"},
      {"cn-north-1", false, true,
       "https://bedrock-runtime.cn-north-1.api.amazonwebservices.com.cn"},
      {"us-gov-west-1", false, false, "https://bedrock-runtime.us-gov-west-1.amazonaws.com"},
      {"us-gov-west-1", true, true, "https://bedrock-runtime-fips.us-gov-west-1.api.aws"},
      {"eu-isoe-west-1", false, false, "https://bedrock-runtime.eu-isoe-west-1.cloud.adc-e.uk"},
      {"local", false, false, "https://bedrock-runtime.local.amazonaws.com"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(default_endpoint(c.region, c.fips, c.dual), c.url) << c.region;
  }
  EXPECT_EQ(partition_for_region("cn-northwest-1").id, "aws-cn");
  EXPECT_EQ(partition_for_region("us-gov-east-1").id, "aws-us-gov");
  EXPECT_EQ(partition_for_region("us-isob-east-1").id, "aws-iso-b");
  EXPECT_EQ(partition_for_region("eu-central-2").id, "aws");
}

// A region name far longer than any real one (an environment variable can hold anything) is
// not handed to std::regex, which recurses per character: it gets the default partition.
TEST(PartitionForRegion, HugeNameIsNotMatched) {
  const std::string huge = "us-" + std::string(200000, 'a') + "-1";
  EXPECT_EQ(partition_for_region(huge).id, "aws");
  EXPECT_EQ(partition_for_region("cn-" + std::string(60, 'a') + "-1").id, "aws");
}

TEST_F(ClientConfigTest, FipsAndDualStackFromEnvAndProfile) {
  // Env beats profile; values are true/false in any case.
  write_config("[default]\nregion = us-east-1\nuse_fips_endpoint = true\n");
  EXPECT_EQ(resolve_ok().endpoint_url, "https://bedrock-runtime-fips.us-east-1.amazonaws.com");
  EXPECT_TRUE(resolve_ok().use_fips_endpoint);
  env_.set("AWS_USE_FIPS_ENDPOINT", "FALSE");
  EXPECT_EQ(resolve_ok().endpoint_url, "https://bedrock-runtime.us-east-1.amazonaws.com");
  env_.set("AWS_USE_DUALSTACK_ENDPOINT", "True");
  EXPECT_EQ(resolve_ok().endpoint_url, "https://bedrock-runtime.us-east-1.api.aws");
  ClientOverrides o;
  o.use_fips_endpoint = true;
  o.use_dualstack_endpoint = false;
  EXPECT_EQ(resolve_ok(o).endpoint_url, "https://bedrock-runtime-fips.us-east-1.amazonaws.com");
}

TEST_F(ClientConfigTest, MalformedBooleansAreErrors) {
  // Unlike botocore (which reads anything but "true" as false) a typo is reported.
  env_.set("AWS_REGION", "us-east-1");
  env_.set("AWS_USE_FIPS_ENDPOINT", "yes");
  EXPECT_EQ(resolve_error(), "AWS_USE_FIPS_ENDPOINT: expected true or false, got \"yes\"");
  env_.set("AWS_USE_FIPS_ENDPOINT", "");
  write_config("[default]\nuse_dualstack_endpoint = 1\n");
  EXPECT_EQ(resolve_error(), config_path_ +
                                 ":2 (use_dualstack_endpoint in profile 'default'): expected true "
                                 "or false, got \"1\"");
  write_config("[default]\nignore_configured_endpoint_urls = on\n");
  EXPECT_NE(resolve_error().find("ignore_configured_endpoint_urls"), std::string::npos);
}

TEST_F(ClientConfigTest, EndpointPrecedence) {
  // explicit > service env > global env > services section > profile endpoint_url > default.
  write_config(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\nservices = local\n"
      "[services local]\nbedrock_runtime =\n  endpoint_url = http://services:2/\n");
  ClientConfig c = resolve_ok();
  EXPECT_EQ(c.endpoint_url, "http://services:2");
  EXPECT_TRUE(c.endpoint_is_custom);
  env_.set("AWS_ENDPOINT_URL", "http://global:3");
  EXPECT_EQ(resolve_ok().endpoint_url, "http://global:3");
  env_.set("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9999");
  EXPECT_EQ(resolve_ok().endpoint_url, "http://127.0.0.1:9999");
  ClientOverrides o;
  o.endpoint_url = "HTTPS://explicit.example.com/base/";
  EXPECT_EQ(resolve_ok(o).endpoint_url, "https://explicit.example.com/base");
}

TEST_F(ClientConfigTest, ProfileEndpointUrlWithoutServices) {
  // With no services section, the profile's own endpoint_url is used.
  write_config("[default]\nregion = us-east-1\nendpoint_url = http://[::1]:8080\n");
  EXPECT_EQ(resolve_ok().endpoint_url, "http://[::1]:8080");
}

TEST_F(ClientConfigTest, IgnoreConfiguredEndpoints) {
  // The ignore switch drops env and profile endpoints but never an explicit one.
  write_config("[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n");
  env_.set("AWS_ENDPOINT_URL", "http://global:3");
  env_.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  ClientConfig c = resolve_ok();
  EXPECT_EQ(c.endpoint_url, "https://bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_FALSE(c.endpoint_is_custom);
  ClientOverrides o;
  o.endpoint_url = "http://explicit:4";
  EXPECT_EQ(resolve_ok(o).endpoint_url, "http://explicit:4");
  env_.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "");
  write_config(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
      "ignore_configured_endpoint_urls = true\n");
  EXPECT_EQ(resolve_ok().endpoint_url, "https://bedrock-runtime.us-east-1.amazonaws.com");
}

TEST_F(ClientConfigTest, CustomEndpointWithFipsOrDualStackIsAnError) {
  // The endpoint rules reject FIPS/dual-stack combined with a custom endpoint.
  env_.set("AWS_REGION", "us-east-1");
  env_.set("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
  env_.set("AWS_USE_FIPS_ENDPOINT", "true");
  EXPECT_EQ(resolve_error(),
            "Invalid Configuration: FIPS and custom endpoint are not supported (endpoint from "
            "AWS_ENDPOINT_URL)");
  env_.set("AWS_USE_FIPS_ENDPOINT", "false");
  env_.set("AWS_USE_DUALSTACK_ENDPOINT", "true");
  EXPECT_NE(resolve_error().find("Dualstack and custom endpoint are not supported"),
            std::string::npos);
}

TEST_F(ClientConfigTest, MalformedEndpointsNameTheirSource) {
  // Each unusable URL is rejected with the variable and the URL.
  env_.set("AWS_REGION", "us-east-1");
  const std::pair<const char*, const char*> cases[] = {
      {"notaurl", "must start with http:// or https://"},
      {"ftp://host", "must start with http:// or https://"},
      {"http://", "has no host"},
      {"http://:80", "has no host"},
      {"http://host:", "empty port"},
      {"http://host:0", "port must be 1..65535"},
      {"http://host:99999", "port must be 1..65535"},
      {"http://host:8a", "port must be 1..65535"},
      {"http://user:pw@host", "user-info"},
      {"http://host/?a=b", "query or fragment"},
      {"http://ho st", "whitespace"},
      {"http://[::1", "bad IPv6"},
  };
  for (auto [url, problem] : cases) {
    env_.set("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", url);
    std::string message = resolve_error();
    EXPECT_EQ(message.rfind("AWS_ENDPOINT_URL_BEDROCK_RUNTIME: ", 0), 0u) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << url << " -> " << message;
  }
}

TEST_F(ClientConfigTest, DanglingServicesReferenceIsAnError) {
  // botocore raises InvalidConfigError when `services = x` names no [services x] section.
  write_config("[default]\nregion = us-east-1\nservices = nothere\n");
  EXPECT_EQ(resolve_error(), config_path_ +
                                 ":3 (services in profile 'default'): the profile refers to a "
                                 "[services] section that does not exist: \"nothere\"");
}

TEST_F(ClientConfigTest, MalformedServicesEndpointNamesItsLine) {
  // A bad URL inside a services section points at that nested line.
  write_config(
      "[default]\nregion = us-east-1\nservices = s\n[services s]\nbedrock_runtime =\n"
      "  endpoint_url = localhost:8080\n");
  EXPECT_EQ(resolve_error(), config_path_ +
                                 ":6 (bedrock_runtime.endpoint_url in [services s]): endpoint URL "
                                 "must start with http:// or https://, got \"localhost:8080\"");
}

TEST_F(ClientConfigTest, ProfileSelectionAndNotFound) {
  // AWS_DEFAULT_PROFILE beats AWS_PROFILE; a named profile must exist; credentials-only counts.
  write_config("[default]\nregion = us-east-1\n[profile a]\nregion = eu-west-1\n");
  write_credentials("[b]\naws_access_key_id = X\n");
  env_.set("AWS_REGION", "");
  env_.set("AWS_PROFILE", "a");
  EXPECT_EQ(resolve_ok().region, "eu-west-1");
  EXPECT_EQ(resolve_ok().profile, "a");
  env_.set("AWS_DEFAULT_PROFILE", "nope");
  EXPECT_EQ(resolve_error(),
            "The config profile (nope) could not be found (selected by AWS_DEFAULT_PROFILE; "
            "looked in the shared config and credentials files)");
  ClientOverrides o;
  o.profile = "b";
  o.region = "us-west-2";
  EXPECT_EQ(resolve_ok(o).profile, "b");
  o.profile = "ghost";
  EXPECT_NE(resolve_error(o).find("(ghost) could not be found (selected explicitly"),
            std::string::npos);
}

TEST_F(ClientConfigTest, ImplicitDefaultProfileMayBeAbsent) {
  // With no files at all, "default" is simply empty.
  env_.set("AWS_DEFAULT_REGION", "us-west-2");
  EXPECT_EQ(resolve_ok().profile, "default");
}

TEST_F(ClientConfigTest, RetryModePrecedenceAndValues) {
  // explicit > AWS_RETRY_MODE > profile retry_mode > standard; exact spelling required.
  write_config("[default]\nregion = us-east-1\nretry_mode = adaptive\n");
  EXPECT_EQ(resolve_ok().retry_mode, RetryMode::Adaptive);
  env_.set("AWS_RETRY_MODE", "legacy");
  EXPECT_EQ(resolve_ok().retry_mode, RetryMode::Legacy);
  ClientOverrides o;
  o.retry_mode = RetryMode::Standard;
  EXPECT_EQ(resolve_ok(o).retry_mode, RetryMode::Standard);
  env_.set("AWS_RETRY_MODE", "Standard");
  EXPECT_EQ(resolve_error(),
            "AWS_RETRY_MODE: invalid retry mode (expected standard, adaptive or legacy): "
            "\"Standard\"");
  env_.set("AWS_RETRY_MODE", "");
  write_config("[default]\nregion = us-east-1\nretry_mode = fast\n");
  EXPECT_EQ(resolve_error(), config_path_ +
                                 ":3 (retry_mode in profile 'default'): invalid retry mode "
                                 "(expected standard, adaptive or legacy): \"fast\"");
}

TEST_F(ClientConfigTest, RetryModeStrings) {
  // to_string and parse_retry_mode are inverses.
  for (RetryMode m : {RetryMode::Standard, RetryMode::Adaptive, RetryMode::Legacy}) {
    EXPECT_EQ(parse_retry_mode(to_string(m)), m);
  }
  EXPECT_FALSE(parse_retry_mode("ADAPTIVE"));
}

TEST_F(ClientConfigTest, MaxAttemptsPrecedenceAndDefaults) {
  // explicit > AWS_MAX_ATTEMPTS > profile; default 3, or 5 in legacy mode.
  write_config("[default]\nregion = us-east-1\nmax_attempts = 7\n");
  EXPECT_EQ(resolve_ok().max_attempts, 7);
  env_.set("AWS_MAX_ATTEMPTS", "2");
  EXPECT_EQ(resolve_ok().max_attempts, 2);
  ClientOverrides o;
  o.max_attempts = 1;
  EXPECT_EQ(resolve_ok(o).max_attempts, 1);
  env_.set("AWS_MAX_ATTEMPTS", "");
  write_config("[default]\nregion = us-east-1\n");
  EXPECT_EQ(resolve_ok().max_attempts, 3);
  env_.set("AWS_RETRY_MODE", "legacy");
  EXPECT_EQ(resolve_ok().max_attempts, 5);
}

TEST_F(ClientConfigTest, MalformedMaxAttempts) {
  // Zero, negatives, non-numbers, trailing junk and absurd values are rejected.
  env_.set("AWS_REGION", "us-east-1");
  for (const char* bad : {"0", "-2", "abc", "3x", " 3", "1.5", "101", "99999999999"}) {
    env_.set("AWS_MAX_ATTEMPTS", bad);
    EXPECT_EQ(resolve_error(), std::string("AWS_MAX_ATTEMPTS: max attempts must be an integer "
                                           "1..100, got \"") +
                                   bad + "\"");
  }
  env_.set("AWS_MAX_ATTEMPTS", "");
  ClientOverrides o;
  o.max_attempts = 0;
  EXPECT_EQ(resolve_error(o), "explicit max attempts must be 1..100, got 0");
  write_config("[default]\nmax_attempts = zero\n");
  EXPECT_NE(resolve_error().find(config_path_ + ":2 (max_attempts in profile 'default')"),
            std::string::npos);
}

TEST_F(ClientConfigTest, CaBundlePrecedenceAndExistence) {
  // explicit > AWS_CA_BUNDLE > profile ca_bundle; "~/" expands; the file must exist.
  std::string profile_ca = dir_.write("certs/profile.pem", "x");
  std::string env_ca = dir_.write("certs/env.pem", "x");
  std::string explicit_ca = dir_.write("certs/explicit.pem", "x");
  write_config("[default]\nregion = us-east-1\nca_bundle = ~/certs/profile.pem\n");
  EXPECT_EQ(resolve_ok().ca_bundle, profile_ca);
  env_.set("AWS_CA_BUNDLE", env_ca);
  EXPECT_EQ(resolve_ok().ca_bundle, env_ca);
  ClientOverrides o;
  o.ca_bundle = explicit_ca;
  EXPECT_EQ(resolve_ok(o).ca_bundle, explicit_ca);
  env_.set("AWS_CA_BUNDLE", (dir_.path() / "missing.pem").string());
  EXPECT_EQ(resolve_error(),
            "AWS_CA_BUNDLE: CA bundle file does not exist or is not a regular file: \"" +
                (dir_.path() / "missing.pem").string() + "\"");
  env_.set("AWS_CA_BUNDLE", dir_.path().string());  // a directory is not a bundle
  EXPECT_NE(resolve_error().find("not a regular file"), std::string::npos);
}

TEST_F(ClientConfigTest, TimeoutsFromProfileAndOverrides) {
  // Profile seconds (decimals allowed) unless explicit; read timeout stays unset otherwise.
  write_config("[default]\nregion = us-east-1\nconnect_timeout = 1.5\nread_timeout = 120\n");
  ClientConfig c = resolve_ok();
  EXPECT_EQ(c.connect_timeout, milliseconds(1500));
  EXPECT_EQ(c.read_timeout, milliseconds(120000));
  ClientOverrides o;
  o.connect_timeout = milliseconds(250);
  o.read_timeout = milliseconds(5000);
  c = resolve_ok(o);
  EXPECT_EQ(c.connect_timeout, milliseconds(250));
  EXPECT_EQ(c.read_timeout, milliseconds(5000));
}

TEST_F(ClientConfigTest, MalformedTimeouts) {
  // Zero, negative, non-numeric and over-an-hour timeouts are rejected.
  for (const char* bad : {"0", "-1", "abc", "5s", "3601", "inf", "nan"}) {
    write_config(std::string("[default]\nregion = us-east-1\nconnect_timeout = ") + bad + "\n");
    EXPECT_EQ(resolve_error(), config_path_ +
                                   ":3 (connect_timeout in profile 'default'): timeout must be a "
                                   "number of seconds in (0, 3600], got \"" +
                                   bad + "\"");
  }
  write_config("[default]\nregion = us-east-1\n");
  ClientOverrides o;
  o.read_timeout = milliseconds(0);
  EXPECT_EQ(resolve_error(o), "explicit read timeout must be positive, got 0 ms");
}

TEST_F(ClientConfigTest, MalformedSharedFileFailsResolution) {
  // A syntax error in ~/.aws/config surfaces with its file and line.
  write_config("[default]\nregion\n");
  EXPECT_EQ(resolve_error(), config_path_ + ":2: expected 'key = value'");
}

TEST_F(ClientConfigTest, PreloadedFilesOverload) {
  // The overload taking already-loaded files gives the same answer without reading disk.
  auto files = parse_shared_file("[profile p]\nregion = sa-east-1\n", "mem", true);
  ASSERT_TRUE(files.has_value());
  ClientOverrides o;
  o.profile = "p";
  auto c = resolve_client_config(o, env_, *files);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->region, "sa-east-1");
}

}  // namespace
}  // namespace bedrock::config
