// SigV4 and API-key verification over real HTTP, with the SigV4 signer of bedrock_auth.
#include <gtest/gtest.h>

#include "bedrock/auth/bearer.h"
#include "bedrock/auth/sigv4.h"
#include "emulator_client.h"
#include "fakes/fake_clock.h"

namespace bedrock::emulator::testing {
namespace {

namespace sigv4 = auth::sigv4;

const auth::Credentials kGood{"AKIDTEST", "secret/key+TEST0123456789", "", std::nullopt, "test"};

ServerOptions with_keys() {
  ServerOptions o;
  o.auth.credentials = {{"AKIDTEST", "secret/key+TEST0123456789", ""},
                        {"ASIATEMP", "temp-secret-0123456789", "session-token-xyz"}};
  o.auth.api_keys = {"my-long-term-api-key"};
  return o;
}

http::Request signed_post(std::uint16_t port, const auth::Credentials& creds, WallTime when,
                          const std::string& path = kClaudePath) {
  auto r = post(port, path, kClaudeBody);
  sigv4::SigningParams params;
  params.region = "us-east-1";
  params.time = when;
  EXPECT_TRUE(sigv4::sign(r, creds, params));
  return r;
}

// A correctly signed request is accepted; also with an ARN path and a session token.
TEST(EmulatorAuth, ValidSignatureAccepted) {
  FakeClock clock(std::chrono::system_clock::now());
  auto emu = start_emulator(with_keys(), clock);
  auto r = send(signed_post(emu->port(), kGood, clock.wall()));
  EXPECT_EQ(r.status, 200) << r.body;
  auto arn = send(signed_post(emu->port(), kGood, clock.wall(),
                              "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-"
                              "profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/invoke"));
  EXPECT_EQ(arn.status, 200) << arn.body;
  auth::Credentials temp{"ASIATEMP", "temp-secret-0123456789", "session-token-xyz", std::nullopt,
                         "test"};
  EXPECT_EQ(send(signed_post(emu->port(), temp, clock.wall())).status, 200);
}

// Wrong secret, unknown key, stale date, missing token and no auth each get AWS's error.
TEST(EmulatorAuth, FailuresGetAwsErrors) {
  FakeClock clock(std::chrono::system_clock::now());
  auto emu = start_emulator(with_keys(), clock);
  auth::Credentials wrong = kGood;
  wrong.secret_access_key = "not-the-secret";
  auto bad = send(signed_post(emu->port(), wrong, clock.wall()));
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(bad.error_type(), "InvalidSignatureException");

  auth::Credentials unknown = kGood;
  unknown.access_key_id = "AKIDUNKNOWN";
  auto u = send(signed_post(emu->port(), unknown, clock.wall()));
  EXPECT_EQ(u.status, 403);
  EXPECT_EQ(u.error_type(), "UnrecognizedClientException");

  auto stale = send(signed_post(emu->port(), kGood, clock.wall() - std::chrono::minutes(6)));
  EXPECT_EQ(stale.status, 403);
  EXPECT_EQ(stale.error_type(), "InvalidSignatureException");
  EXPECT_NE(stale.body.find("Signature expired"), std::string::npos) << stale.body;
  // Four minutes off is within the five-minute window.
  EXPECT_EQ(send(signed_post(emu->port(), kGood, clock.wall() - std::chrono::minutes(4))).status,
            200);

  auth::Credentials no_token{"ASIATEMP", "temp-secret-0123456789", "", std::nullopt, "test"};
  auto t = send(signed_post(emu->port(), no_token, clock.wall()));
  EXPECT_EQ(t.status, 403);
  EXPECT_EQ(t.error_type(), "UnrecognizedClientException");

  auto none = send(post(emu->port(), kClaudePath, kClaudeBody));
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(none.error_type(), "MissingAuthenticationTokenException");
}

// A body changed after signing no longer matches the signature.
TEST(EmulatorAuth, TamperedBodyRejected) {
  FakeClock clock(std::chrono::system_clock::now());
  auto emu = start_emulator(with_keys(), clock);
  auto r = signed_post(emu->port(), kGood, clock.wall());
  r.body[r.body.size() - 3] = 'X';
  EXPECT_EQ(send(r).error_type(), "InvalidSignatureException");
}

// Bearer: a configured key and a short-term key made from a configured key pair pass; a
// wrong token is AccessDenied.
TEST(EmulatorAuth, BearerApiKeys) {
  FakeClock clock(std::chrono::system_clock::now());
  auto emu = start_emulator(with_keys(), clock);
  auto r = post(emu->port(), kClaudePath, kClaudeBody);
  ASSERT_TRUE(auth::apply_bearer(r, "my-long-term-api-key"));
  EXPECT_EQ(send(r).status, 200);

  auto short_term = auth::make_short_term_key(kGood, "us-east-1", clock.wall());
  ASSERT_TRUE(short_term);
  ASSERT_TRUE(auth::apply_bearer(r, *short_term));
  EXPECT_EQ(send(r).status, 200);

  auth::Credentials wrong = kGood;
  wrong.secret_access_key = "other";
  ASSERT_TRUE(auth::apply_bearer(r, *auth::make_short_term_key(wrong, "us-east-1", clock.wall())));
  EXPECT_EQ(send(r).error_type(), "AccessDeniedException");

  ASSERT_TRUE(auth::apply_bearer(r, "nope"));
  auto denied = send(r);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.error_type(), "AccessDeniedException");
}

}  // namespace
}  // namespace bedrock::emulator::testing
