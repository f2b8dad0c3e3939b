// The client's golden Converse bodies for the request members of docs/wire-protocol.md §8.4
// (tests/data/models/converse/request_*.json, written by src/models) sent over loopback HTTP:
// the emulator accepts each, and answers what they ask for.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emulator_client.h"
#include "fakes/event_stream_reader.h"

namespace bedrock::emulator::testing {
namespace {

using nlohmann::json;

const std::string kModel = "anthropic.claude-3-haiku-20240307-v1%3A0";

std::string golden(const std::string& name) {
  std::ifstream in(std::string(BEDROCK_SOURCE_DIR) + "/tests/data/models/converse/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::unique_ptr<Emulator> emulator() {
  ServerOptions o;
  o.auth.enabled = false;
  return start_emulator(std::move(o));
}

json converse(Emulator& emu, const std::string& body) {
  auto r = send(post(emu.port(), "/model/" + kModel + "/converse", body));
  EXPECT_EQ(r.status, 200) << r.body;
  return json::parse(r.body, nullptr, false);
}

// The streamed answer's messageStop and metadata payloads.
std::pair<json, json> converse_stream(Emulator& emu, const std::string& body) {
  auto r = send(post(emu.port(), "/model/" + kModel + "/converse-stream", body));
  EXPECT_EQ(r.status, 200) << r.body;
  auto read = bedrock::testing::read_event_stream(r.body);
  EXPECT_EQ(read.problem, "");
  json stop, metadata;
  for (const auto& m : read.messages) {
    const std::string& event = m.headers.at(":event-type");
    if (event == "messageStop") stop = json::parse(m.payload);
    if (event == "metadata") metadata = json::parse(m.payload);
  }
  return {stop, metadata};
}

// performanceConfig and serviceTier are accepted and come back in the answer, streamed too.
TEST(ConverseRequestFields, PerformanceAndTierGoldenAnswered) {
  auto emu = emulator();
  const std::string body = golden("request_performance_tier.json");
  json whole = converse(*emu, body);
  EXPECT_EQ(whole["performanceConfig"], (json{{"latency", "optimized"}}));
  EXPECT_EQ(whole["serviceTier"], (json{{"type", "flex"}}));
  auto [stop, metadata] = converse_stream(*emu, body);
  EXPECT_EQ(metadata["performanceConfig"], (json{{"latency", "optimized"}}));
  EXPECT_EQ(metadata["serviceTier"], (json{{"type", "flex"}}));
}

// requestMetadata and promptVariables (ignored for a model id that names no prompt resource)
// are accepted through both operations.
TEST(ConverseRequestFields, MetadataGoldenAccepted) {
  auto emu = emulator();
  const std::string body = golden("request_metadata.json");
  EXPECT_EQ(converse(*emu, body)["stopReason"], "end_turn");
  EXPECT_EQ(converse_stream(*emu, body).first["stopReason"], "end_turn");
}

// The requested native fields that exist come back; the absent one is skipped.
TEST(ConverseRequestFields, AdditionalFieldsGoldenAnswered) {
  auto emu = emulator();
  const std::string body = golden("request_additional_fields.json");
  const json expected = {{"stop_sequence", nullptr}};
  EXPECT_EQ(converse(*emu, body)["additionalModelResponseFields"], expected);
  EXPECT_EQ(converse_stream(*emu, body).first["additionalModelResponseFields"], expected);
}

// Guardrail goldens: the Converse one gets trace.guardrail under the ARN's guardrail id; the
// ConverseStream one (streamProcessingMode async) gets it on the metadata event.
TEST(ConverseRequestFields, GuardrailGoldensAnswerATrace) {
  auto emu = emulator();
  json whole = converse(*emu, golden("request_guardrail.json"));
  EXPECT_TRUE(whole["trace"]["guardrail"]["inputAssessment"].contains("abc123")) << whole.dump();
  EXPECT_TRUE(whole["trace"]["guardrail"]["outputAssessments"].contains("abc123"));
  auto [stop, metadata] = converse_stream(*emu, golden("request_guardrail_stream.json"));
  EXPECT_TRUE(metadata["trace"]["guardrail"]["inputAssessment"].contains("gr1")) << metadata.dump();
}

// A refusal travels as Bedrock's 400 ValidationException with the front end's wording, before
// any stream starts.
TEST(ConverseRequestFields, RefusalOverHttp) {
  auto emu = emulator();
  json body = json::parse(golden("request_performance_tier.json"));
  body["serviceTier"]["type"] = "premium";
  for (const char* operation : {"converse", "converse-stream"}) {
    auto r = send(post(emu->port(), "/model/" + kModel + "/" + operation, body.dump()));
    EXPECT_EQ(r.status, 400) << operation;
    EXPECT_EQ(json::parse(r.body)["message"],
              "1 validation error detected: Value 'premium' at 'serviceTier.type' failed to "
              "satisfy constraint: Member must satisfy enum value set: [priority, default, flex, "
              "reserved]");
  }
}

}  // namespace
}  // namespace bedrock::emulator::testing
