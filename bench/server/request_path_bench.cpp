// bench_server_request_path: the CPU pieces of one POST /v1/chat/completions, each timed alone
// in-process (no sockets), so a change to one of them shows up even on a busy machine where the
// end-to-end CPU figure of cpu_per_request.sh moves by more than the change. Each case runs in
// batches and reports the fastest batch's time per call: noise from other work only adds time.
//
// usage: bench_server_request_path [iterations per batch, default 20000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "bedrock/auth/sigv4.h"
#include "bedrock/models/converse.h"
#include "bedrock/models/registry.h"
#include "models/converse_fast_encode.h"
#include "server/access_log.h"
#include "server/openai/chat_request.h"
#include "server/openai/chat_request_fast.h"
#include "server/openai/chat_response.h"

namespace {

using namespace bedrock;

// bench/server/run's request body, and the emulator's answer to it.
const std::string kChatBody =
    R"({"model": "anthropic.claude-3-haiku-20240307-v1:0", "max_tokens": 64, "messages": )"
    R"([{"role": "user", "content": "The sky is blue. Grass is green."}]})";
const std::string kConverseAnswer =
    R"({"output":{"message":{"role":"assistant","content":[{"text":"The sky is blue. Grass is )"
    R"(green."}]}},"stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":9,)"
    R"("totalTokens":18},"metrics":{"latencyMs":0}})";

std::size_t sink = 0;  // results feed it, so no call is optimised away

void run(const char* name, int iterations, const std::function<std::size_t()>& body) {
  double best = 1e18;
  for (int batch = 0; batch < 7; ++batch) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) sink += body();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / iterations);
  }
  std::printf("%-52s %8.0f ns\n", name, best);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  server::openai::ModelTarget target;
  target.model_id = "anthropic.claude-3-haiku-20240307-v1:0";
  target.info = models::ModelRegistry::builtin().resolve(target.model_id)->info;

  run("openai request: nlohmann DOM + parse_chat_request", n, [&] {
    auto body = nlohmann::json::parse(kChatBody, nullptr, false);
    auto call = server::openai::parse_chat_request(body, target);
    return call ? call->invoke.prompt.messages.size() : 0;
  });
  run("openai request: parse_chat_request_fast (simdjson)", n, [&] {
    auto call = server::openai::parse_chat_request_fast(kChatBody);
    return call ? call->invoke.prompt.messages.size() : 0;
  });
  run("model registry resolve", n, [&] {
    auto r = models::ModelRegistry::builtin().resolve(target.model_id);
    return r ? r->info.id.size() : 0;
  });

  auto call = server::openai::parse_chat_request_fast(kChatBody);
  const models::Prompt& prompt = call->invoke.prompt;
  const models::InferenceParams& params = call->invoke.params;
  run("converse body: ordered_json DOM writer only", n, [&] {
    return models::detail::encode_converse_dom(prompt, params, target.info, {}, false)->size();
  });
  run("converse body: direct writer only", n,
      [&] { return models::detail::encode_converse_plain(prompt, params).size(); });
  run("converse body: encode_converse (checks + writer)", n,
      [&] { return models::encode_converse(prompt, params, target.info)->size(); });

  run("converse answer: decode_converse", n,
      [&] { return models::decode_converse(kConverseAnswer)->text.size(); });

  auth::Credentials credentials{"AKIDBENCHSERVER01", "bench-server-secret-key", "", {}, "bench"};
  auth::sigv4::SigningParams signing;
  signing.region = "us-east-1";
  signing.time = std::chrono::system_clock::now();
  const std::string converse_body = *models::encode_converse(prompt, params, target.info);
  run("sigv4 sign", n, [&] {
    http::Request r;
    r.url = "http://127.0.0.1:8080/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
    r.body = converse_body;
    r.headers = {{"Content-Type", "application/json"}, {"User-Agent", "bedrock-content/1"}};
    return auth::sigv4::sign(r, credentials, signing) ? r.headers.size() : 0;
  });

  const server::openai::ChatIdentity identity{"chatcmpl-0123456789abcdef", 1764800000,
                                              "anthropic.claude-3-haiku-20240307-v1:0"};
  const models::Completion answer = *models::decode_converse(kConverseAnswer);
  run("openai answer: chat_completion_json", n,
      [&] { return server::openai::chat_completion_json(identity, answer).size(); });

  server::AccessEntry entry;
  entry.finished = std::chrono::system_clock::now();
  entry.request_id = "0123456789abcdef";
  entry.method = "POST";
  entry.route = "openai.chat_completions";
  entry.status = 200;
  entry.latency = std::chrono::microseconds(180);
  entry.upstream.calls = 1;
  entry.upstream.model = target.model_id;
  entry.upstream.input_tokens = 9;
  entry.upstream.output_tokens = 9;
  entry.upstream.upstream_time = std::chrono::microseconds(120);
  run("access log line", n, [&] { return server::access_log_line(entry).size(); });

  std::printf("(checksum %zu)\n", sink);
  return 0;
}
