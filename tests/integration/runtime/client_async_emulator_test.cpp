// AsyncBedrockClient against the real bedrock-emulator through AsyncCurlTransport on one
// io_context: the same answers as the synchronous client, streaming, and cancellation
// mid-stream.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <thread>

#include "bedrock/credentials/static_provider.h"
#include "bedrock/http/async_curl_transport.h"
#include "bedrock/http/curl_transport.h"
#include "bedrock/runtime/async_client.h"
#include "bedrock/runtime/bedrock_client.h"
#include "emulator_process.h"
#include "streamed_families.h"
#include "suite_constants.h"

namespace bedrock::runtime {
namespace {

using bedrock::testing::EmulatorProcess;

ClientOptions options_for(const EmulatorProcess& emu) {
  ClientOptions o;
  o.region = "us-east-1";
  o.endpoint_url = emu.url();
  auth::Credentials c;
  c.access_key_id = kAccessKey;
  c.secret_access_key = kSecret;
  o.credentials = std::make_shared<credentials::StaticCredentialsProvider>(c);
  return o;
}

struct AsyncFixture {
  explicit AsyncFixture(const EmulatorProcess& emu) {
    ClientOptions o = options_for(emu);
    o.async_transport = http::AsyncCurlTransport::create(io, http::CurlTransportOptions{});
    auto c = AsyncBedrockClient::create(io, std::move(o));
    if (!c) throw std::runtime_error(describe(c.error()));
    client = std::move(*c);
  }
  // Runs the loop until `done` has been called (bounded).
  template <typename Start>
  Result<InvokeResult> run(Start begin) {
    std::optional<Result<InvokeResult>> out;
    io.restart();
    auto guard = boost::asio::make_work_guard(io);
    handle = begin([&](Result<InvokeResult> r) {
      out = std::move(r);
      guard.reset();
    });
    io.run_for(std::chrono::seconds(30));
    if (!out) return fail(ErrorCode::Unknown, "no completion");
    return std::move(*out);
  }
  boost::asio::io_context io;
  std::unique_ptr<AsyncBedrockClient> client;
  CallHandle handle;
};

InvokeRequest request(bool converse) {
  InvokeRequest r;
  r.model_id = kHaiku;
  r.prompt = models::Prompt::from_user("Write one short sentence about the sea.");
  r.use_converse = converse;
  return r;
}

// InvokeModel, Converse and both streams give the synchronous client's answers.
TEST(AsyncClientEmulator, SameAnswersAsTheSyncClient) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--credentials", std::string(kAccessKey) + ":" + kSecret});
  AsyncFixture f(emu);
  ClientOptions so = options_for(emu);
  so.transport = std::make_shared<http::CurlTransport>();
  auto sync = BedrockClient::create(std::move(so));
  ASSERT_TRUE(sync.has_value());
  for (bool converse : {false, true}) {
    auto expected = (*sync)->invoke(request(converse));
    ASSERT_TRUE(expected.has_value()) << describe(expected.error());
    auto got = f.run([&](AsyncBedrockClient::Done d) {
      return f.client->invoke(request(converse), std::move(d));
    });
    ASSERT_TRUE(got.has_value()) << describe(got.error());
    EXPECT_EQ(got->completion.text, expected->completion.text);
    std::string streamed;
    auto s = f.run([&](AsyncBedrockClient::Done d) {
      return f.client->invoke_stream(
          request(converse),
          [&](const models::StreamEvent& e) {
            if (const auto* t = std::get_if<models::TextDelta>(&e)) streamed += t->text;
          },
          std::move(d));
    });
    ASSERT_TRUE(s.has_value()) << describe(s.error());
    EXPECT_EQ(streamed, expected->completion.text);
    EXPECT_EQ(s->completion.text, expected->completion.text);
    EXPECT_TRUE(s->record.time_to_first_token.has_value());
  }
}

// Every streamed family through the async client: deltas concatenate to the answer, which
// equals the synchronous client's streamed answer.
TEST(AsyncClientEmulator, EveryStreamedFamily) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--credentials", std::string(kAccessKey) + ":" + kSecret});
  AsyncFixture f(emu);
  ClientOptions so = options_for(emu);
  so.transport = std::make_shared<http::CurlTransport>();
  auto sync = BedrockClient::create(std::move(so));
  ASSERT_TRUE(sync.has_value());
  for (const auto& family : testing::kStreamedFamilies) {
    InvokeRequest req;
    req.model_id = family.model_id;
    req.prompt = models::Prompt::from_user("Write one short sentence about the sea.");
    req.use_converse = family.converse;
    auto expected = (*sync)->invoke_stream(req, [](const models::StreamEvent&) {});
    ASSERT_TRUE(expected.has_value()) << family.model_id << ": " << describe(expected.error());
    std::string streamed;
    int deltas = 0;
    auto got = f.run([&](AsyncBedrockClient::Done d) {
      return f.client->invoke_stream(
          req,
          [&](const models::StreamEvent& e) {
            if (const auto* t = std::get_if<models::TextDelta>(&e)) {
              streamed += t->text;
              ++deltas;
            }
          },
          std::move(d));
    });
    ASSERT_TRUE(got.has_value()) << family.model_id << ": " << describe(got.error());
    EXPECT_GE(deltas, 1) << family.model_id;
    EXPECT_EQ(streamed, got->completion.text) << family.model_id;
    EXPECT_EQ(got->completion.text, expected->completion.text) << family.model_id;
    EXPECT_TRUE(got->record.streamed) << family.model_id;
    EXPECT_EQ(got->record.model_used, family.model_id);
  }
}

// Cancelling at the first delta of a paced stream ends the call with what arrived, and the loop
// stays usable.
TEST(AsyncClientEmulator, CancelMidStream) {
  REQUIRE_EMULATOR();
  // 200 ms between events: the cancel lands long before the second delta.
  EmulatorProcess emu(
      {"--credentials", std::string(kAccessKey) + ":" + kSecret, "--stream-token-ms", "200"});
  AsyncFixture f(emu);
  std::string first;
  auto r = f.run([&](AsyncBedrockClient::Done d) {
    return f.client->invoke_stream(
        request(true),
        [&](const models::StreamEvent& e) {
          const auto* t = std::get_if<models::TextDelta>(&e);
          if (t != nullptr && first.empty()) {
            first = t->text;
            f.handle.cancel();
          }
        },
        std::move(d));
  });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::Cancelled);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(r.error().partial_output, first);
  auto again = f.run(
      [&](AsyncBedrockClient::Done d) { return f.client->invoke(request(false), std::move(d)); });
  ASSERT_TRUE(again.has_value()) << describe(again.error());
}

// A sibling client (on_loop) on a second loop: its calls run on that loop only, with its own
// connections, and it shares the first client's options and retry quota.
TEST(AsyncClientEmulator, SiblingOnAnotherLoopRunsThereAndSharesTheBudget) {
  REQUIRE_EMULATOR();
  EmulatorProcess emu({"--credentials", std::string(kAccessKey) + ":" + kSecret});
  boost::asio::io_context first_loop;
  auto first = AsyncBedrockClient::create(first_loop, options_for(emu));
  ASSERT_TRUE(first) << describe(first.error());
  boost::asio::io_context second_loop;
  auto sibling = (*first)->on_loop(second_loop);
  ASSERT_TRUE(sibling) << describe(sibling.error());
  EXPECT_EQ(&(*sibling)->retry_quota(), &(*first)->retry_quota());
  EXPECT_EQ((*sibling)->options().endpoint_url, (*first)->options().endpoint_url);

  std::optional<Result<InvokeResult>> out;
  std::thread::id done_on;
  auto guard = boost::asio::make_work_guard(second_loop);
  std::thread::id loop_thread;
  std::thread runner([&] {
    loop_thread = std::this_thread::get_id();
    second_loop.run_for(std::chrono::seconds(30));
  });
  (*sibling)->invoke(request(false), [&](Result<InvokeResult> r) {
    done_on = std::this_thread::get_id();
    out = std::move(r);
    guard.reset();
  });
  runner.join();
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(out->has_value()) << describe(out->error());
  EXPECT_FALSE((*out)->completion.text.empty());
  EXPECT_EQ(done_on, loop_thread);
  // Nothing of the call ever ran on the first client's loop.
  EXPECT_EQ(first_loop.poll(), 0u);
}

}  // namespace
}  // namespace bedrock::runtime
