// Single requests that used to end the emulator process (issue 11): each is answered, and the
// emulator still answers the next request afterwards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator_client.h"

namespace bedrock::emulator::testing {
namespace {

std::string claude_body(const std::string& prompt) {
  return R"({"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":)" +
         nlohmann::json(prompt).dump() + "}]}";
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

void expect_alive(const Emulator& emu) {
  EXPECT_EQ(send(post(emu.port(), kClaudePath, kClaudeBody)).status, 200);
}

// A 54 KB one-line prompt holding "Authorization: Bearer" is redacted and answered; the
// regex-based redaction recursed once per character and overflowed the stack.
TEST(EmulatorHostileInput, LongPromptWithCredentialWordsIsAnswered) {
  auto emu = start_emulator(no_auth());
  const std::string prompt = "Authorization: Bearer " + std::string(54 * 1024, 'x');
  auto r = send(post(emu->port(), kClaudePath, claude_body(prompt)));
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
  EXPECT_EQ(r.body.find("xxxxxxxx"), std::string::npos);  // the token is not repeated
  expect_alive(*emu);
}

// A fixture regex meeting a 100 KB prompt matches instead of overflowing the stack.
TEST(EmulatorHostileInput, FixtureRegexOnLongPrompt) {
  ServerOptions options = no_auth();
  auto fixtures =
      Fixtures::parse(R"([{"regex": "^Translate .* to French", "response": "Bonjour."}])");
  ASSERT_TRUE(fixtures);
  options.fixtures = std::move(*fixtures);
  auto emu = start_emulator(options);
  const std::string prompt = "Translate " + std::string(100 * 1024, 'a') + " to French";
  auto r = send(post(emu->port(), kClaudePath, claude_body(prompt)));
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["content"][0]["text"], "Bonjour.");
  auto short_one = send(post(emu->port(), kClaudePath, claude_body("Translate hello to French")));
  EXPECT_EQ(nlohmann::json::parse(short_one.body)["content"][0]["text"], "Bonjour.");
}

// 100,000 nested arrays in a Converse content block are a 400 ValidationException, not a
// recursion as deep as the input.
TEST(EmulatorHostileInput, DeepConverseBodyIsValidationError) {
  auto emu = start_emulator(no_auth());
  const std::string body = R"({"messages":[{"role":"user","content":[{"text":"hi","x":)" +
                           nested_arrays(100000) + "}]}]}";
  auto r =
      send(post(emu->port(), "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", body));
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 200);
  EXPECT_EQ(r.error_type(), "ValidationException");
  EXPECT_NE(r.body.find("nest"), std::string::npos) << r.body;
  expect_alive(*emu);
}

// The same for CountTokens, whose converse input used to be dumped and parsed again.
TEST(EmulatorHostileInput, DeepCountTokensBodyIsValidationError) {
  auto emu = start_emulator(no_auth());
  const std::string body =
      R"({"input":{"converse":{"messages":[{"role":"user","content":[{"text":"hi"}]}],"x":)" +
      nested_arrays(100000) + "}}}";
  auto r =
      send(post(emu->port(), "/model/anthropic.claude-3-haiku-20240307-v1%3A0/count-tokens", body));
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 200);
  EXPECT_EQ(r.error_type(), "ValidationException");
  expect_alive(*emu);
}

// An admin body with a wrong JSON type is a 400 naming the member, not a type_error that
// terminates the process.
TEST(EmulatorHostileInput, AdminWrongTypeIsBadRequest) {
  auto emu = start_emulator(no_auth());
  const auto admin = *emu->admin_port();
  auto r = send(post(admin, "/admin/faults", R"({"clear": 1})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("clear"), std::string::npos) << r.body;
  auto n = send(post(admin, "/admin/faults",
                     R"({"next":{"kind":"ThrottlingException","count":99999999999}})"));
  EXPECT_EQ(n.status, 400) << n.body;
  EXPECT_EQ(send(get(admin, "/admin/health")).status, 200);
  expect_alive(*emu);
}

// A model id that is not UTF-8 is refused as Bedrock refuses any id naming no model, and is
// counted; the counters are still valid JSON with the bytes replaced.
TEST(EmulatorHostileInput, InvalidUtf8ModelIdKeepsCountersReadable) {
  auto emu = start_emulator(no_auth());
  auto r = send(post(emu->port(), "/model/%FF%FEbad/invoke", kClaudeBody));
  EXPECT_EQ(r.status, 400);
  ASSERT_TRUE(nlohmann::json::accept(r.body)) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["message"], "The provided model identifier is invalid.");
  auto c = send(get(*emu->admin_port(), "/admin/counters"));
  ASSERT_EQ(c.status, 200);
  auto j = nlohmann::json::parse(c.body);
  EXPECT_EQ(j["total"], 1);
  EXPECT_NE(j.dump().find("\xEF\xBF\xBD"), std::string::npos) << c.body;
  auto missing = send(get(*emu->admin_port(), "/admin/%FF\xff"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(nlohmann::json::accept(missing.body)) << missing.body;
  expect_alive(*emu);
}

// Requests refused for bad auth are counted under one key, never under the model id they
// named, so unauthenticated clients cannot grow the counters.
TEST(EmulatorHostileInput, UnauthenticatedRequestsShareOneCounterKey) {
  ServerOptions options;
  options.auth.api_keys = {"my-long-term-api-key"};
  auto emu = start_emulator(options);
  for (int i = 0; i < 3; ++i) {
    auto r = send(post(emu->port(), "/model/made-up-" + std::to_string(i) + "/invoke", "{}"));
    EXPECT_EQ(r.status, 403);
  }
  auto j = nlohmann::json::parse(send(get(*emu->admin_port(), "/admin/counters")).body);
  EXPECT_EQ(j["total"], 3);
  ASSERT_EQ(j["models"].size(), 1u) << j.dump();
  EXPECT_EQ(j["models"]["(unauthenticated)"]["requests"], 3);
}

// With --admin-token, the admin port answers 401 without the bearer token and works with it.
TEST(EmulatorHostileInput, AdminTokenRequired) {
  ServerOptions options = no_auth();
  options.admin_token = "s3cret-admin-token";
  auto emu = start_emulator(options);
  const auto admin = *emu->admin_port();
  auto none = send(get(admin, "/admin/counters"));
  EXPECT_EQ(none.status, 401);
  auto wrong = get(admin, "/admin/counters");
  wrong.headers.push_back({"Authorization", "Bearer s3cret-admin-tokeN"});
  EXPECT_EQ(send(wrong).status, 401);
  auto good = get(admin, "/admin/counters");
  good.headers.push_back({"Authorization", "Bearer s3cret-admin-token"});
  auto ok = send(good);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(nlohmann::json::parse(ok.body)["total"], 0);
}

}  // namespace
}  // namespace bedrock::emulator::testing
