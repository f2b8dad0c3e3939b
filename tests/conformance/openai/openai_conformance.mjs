// Conformance of bedrock-content-server's OpenAI-compatible endpoint with the official `openai`
// npm client. Usage: node openai_conformance.mjs <bedrock-emulator> <bedrock-content-server>
// Starts the emulator (SigV4 key pair, the shared fixtures) and the server pointed at it, then
// drives /v1 with the client: a plain completion, a stream with usage, a tool-call round trip
// (whole and streamed), response_format json_schema (whole and streamed), GET /v1/models, the
// client's typed errors for a parameter we cannot honour and an unknown model, and an in-stream
// failure surfacing as the client's APIError. Exit 0 all passed, 1 a check failed, 77 skipped.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The client comes from npm (scripts/test-setup.sh); without it nothing here can run, which
// ctest must show as skipped (exit 77), never as passed.
let OpenAI;
try {
  ({ default: OpenAI } = await import("openai"));
} catch (e) {
  if (e.code !== "ERR_MODULE_NOT_FOUND") throw e;
  console.error(`SKIPPED: the openai npm package is not installed (${e.message.split("\n")[0]}); ` +
                "run scripts/test-setup.sh. OpenAI client conformance NOT run");
  process.exit(77);
}

const [emulatorBin, serverBin] = process.argv.slice(2);
if (!emulatorBin || !serverBin) {
  console.error("usage: node openai_conformance.mjs <bedrock-emulator> <bedrock-content-server>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const AK = "AKIDOPENAICONFORMANCE";
const SK = "openai/secret+KEY0123456789abcdefghij";
const HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
const NOVA = "us.amazon.nova-lite-v1:0";
let checks = 0;
const failures = [];
const check = (cond, what) => {
  checks += 1;
  if (!cond) {
    failures.push(what);
    console.error("FAIL:", what);
  }
};

// Starts `bin` with `args` and resolves with its first stdout line's first http:// URL(s).
function start(bin, args, env) {
  const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"], env });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} did not start`)), 15000);
    createInterface({ input: proc.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const urls = line.match(/http:\/\/[0-9.]+:\d+/g);
      if (!urls) reject(new Error(`unexpected first line: ${line}`));
      resolve({ proc, urls });
    });
    proc.once("exit", (code) => reject(new Error(`${bin} exited ${code}`)));
  });
}

async function expectError(promise, status, what) {
  try {
    await promise;
    check(false, `${what}: no error`);
    return null;
  } catch (e) {
    check(e instanceof OpenAI.APIError, `${what}: an APIError (got ${e?.constructor?.name})`);
    check(e.status === status, `${what}: status ${status} (got ${e.status})`);
    return e;
  }
}

const home = mkdtempSync(join(tmpdir(), "openai-conformance-"));
const procs = [];
try {
  const emulator = await start(emulatorBin,
    ["--port", "0", "--admin-port", "0", "--credentials", `${AK}:${SK}`, "--seed", "5",
     "--threads", "1", "--stream-token-ms", "1", "--fixtures", join(here, "..", "fixtures.json")],
    process.env);
  procs.push(emulator.proc);
  const [bedrockUrl, adminUrl] = emulator.urls;
  // Only what the server needs, so nothing of the real ~/.aws is read.
  const env = {
    PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: AK, AWS_SECRET_ACCESS_KEY: SK,
    AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrockUrl,
    AWS_CONFIG_FILE: join(home, "none"), AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
    AWS_EC2_METADATA_DISABLED: "true", AWS_MAX_ATTEMPTS: "1",
  };
  const server = await start(serverBin, ["--port", "0", "--threads", "1"], env);
  procs.push(server.proc);
  const client = new OpenAI({ apiKey: "unused", baseURL: `${server.urls[0]}/v1`, maxRetries: 0 });

  // Plain.
  const plain = await client.chat.completions.create({
    model: HAIKU,
    messages: [{ role: "system", content: "Be brief." },
               { role: "user", content: "Write one short sentence about the sea." }],
    max_tokens: 50, temperature: 0.2, user: "dropped", seed: 7,
  });
  check(plain.object === "chat.completion", "plain: object");
  check(plain.model === HAIKU, "plain: model echoed");
  check(plain.id.startsWith("chatcmpl-"), "plain: id");
  check(plain.choices.length === 1 && plain.choices[0].finish_reason === "stop", "plain: finish");
  check(typeof plain.choices[0].message.content === "string" &&
        plain.choices[0].message.content.length > 0, "plain: content");
  check(plain.usage.prompt_tokens > 0 && plain.usage.completion_tokens > 0 &&
        plain.usage.total_tokens === plain.usage.prompt_tokens + plain.usage.completion_tokens,
        "plain: usage");

  // Streamed, with usage in the last chunk.
  const stream = await client.chat.completions.create({
    model: HAIKU, stream: true, stream_options: { include_usage: true },
    messages: [{ role: "user", content: "Write one short sentence about the sea." }],
  });
  let text = "";
  let roleSeen = false;
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    check(chunk.object === "chat.completion.chunk", "stream: chunk object");
    if (chunk.choices.length > 0) {
      const d = chunk.choices[0].delta;
      if (d.role === "assistant") roleSeen = true;
      text += d.content ?? "";
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  check(roleSeen && chunks > 3, `stream: role chunk and several chunks (${chunks})`);
  check(text === plain.choices[0].message.content, "stream: same text as the whole answer");
  check(finish === "stop", "stream: finish_reason");
  check(usage && usage.completion_tokens > 0, "stream: usage in the last chunk");

  // Tools: the fixture asks for get_weather; the client answers; the model finishes.
  const tools = [{
    type: "function",
    function: { name: "get_weather", description: "Current weather in a city",
                parameters: { type: "object", properties: { city: { type: "string" } },
                              required: ["city"] } },
  }];
  const question = { role: "user", content: "What should I wear in Oslo today?" };
  const first = await client.chat.completions.create({ model: HAIKU, messages: [question], tools,
                                                       tool_choice: "auto" });
  const calls = first.choices[0].message.tool_calls ?? [];
  check(first.choices[0].finish_reason === "tool_calls", "tools: finish_reason tool_calls");
  check(calls.length === 1 && calls[0].type === "function" &&
        calls[0].function.name === "get_weather", "tools: one get_weather call");
  check(calls.length === 1 && JSON.parse(calls[0].function.arguments).city === "Oslo",
        "tools: arguments as a JSON string");
  const second = await client.chat.completions.create({
    model: HAIKU, tools,
    messages: [question, first.choices[0].message,
               { role: "tool", tool_call_id: calls[0]?.id, content: "4 C, rain" }],
  });
  check(second.choices[0].message.content === "Wear a coat: it is 4 C in Oslo.",
        "tools: answer after the tool result");

  // Tools streamed: the client's own accumulator rebuilds the call from the deltas.
  const toolStream = client.chat.completions.stream({ model: HAIKU, messages: [question], tools });
  const streamedFinal = await toolStream.finalChatCompletion();
  const streamedCalls = streamedFinal.choices[0].message.tool_calls ?? [];
  check(streamedCalls.length === 1 && streamedCalls[0].id.startsWith("tooluse_") &&
        JSON.parse(streamedCalls[0].function.arguments).city === "Oslo",
        "tools streamed: the call assembled from deltas");
  check(streamedFinal.choices[0].finish_reason === "tool_calls", "tools streamed: finish_reason");

  // response_format json_schema, whole (native on Nova, a forced tool on Claude 3 Haiku).
  const schema = {
    name: "city", strict: true,
    schema: { type: "object", properties: { name: { type: "string" }, population: { type: "integer" } },
              required: ["name", "population"], additionalProperties: false },
  };
  for (const model of [NOVA, HAIKU]) {
    const structured = await client.chat.completions.create({
      model, messages: [{ role: "user", content: "Describe Paris." }],
      response_format: { type: "json_schema", json_schema: schema },
    });
    const parsed = JSON.parse(structured.choices[0].message.content);
    check(typeof parsed.name === "string" && Number.isInteger(parsed.population),
          `response_format ${model}: content matches the schema`);
    check(structured.choices[0].finish_reason === "stop", `response_format ${model}: finish`);
  }
  // ... and streamed.
  const structuredStream = await client.chat.completions.create({
    model: NOVA, stream: true, messages: [{ role: "user", content: "Describe Paris." }],
    response_format: { type: "json_schema", json_schema: schema },
  });
  let json = "";
  for await (const chunk of structuredStream) json += chunk.choices[0]?.delta?.content ?? "";
  const streamedJson = JSON.parse(json);
  check(typeof streamedJson.name === "string", "response_format streamed: JSON content");

  // GET /v1/models.
  const models = [];
  for await (const m of client.models.list()) models.push(m);
  check(models.length > 0 && models.every((m) => m.object === "model"), "models: list");
  check(models.some((m) => m.id === HAIKU && m.owned_by === "anthropic"), "models: haiku listed");

  // Errors the client types: a parameter we cannot honour, an unknown model.
  const n2 = await expectError(client.chat.completions.create({
    model: HAIKU, n: 2, messages: [{ role: "user", content: "Hi" }] }), 400, "n=2");
  check(n2?.param === "n" && n2?.type === "invalid_request_error", "n=2: param and type");
  const missing = await expectError(client.chat.completions.create({
    model: "nosuch.model-v1:0", messages: [{ role: "user", content: "Hi" }] }),
    404, "unknown model");
  check(missing instanceof OpenAI.NotFoundError, "unknown model: NotFoundError");

  // A failure mid-stream is the stream's last event, raised by the client as an APIError.
  await fetch(`${adminUrl}/admin/faults`, {
    method: "POST", body: JSON.stringify({ next: { kind: "stream:modelStreamErrorException@3", count: 1 } }),
  });
  let streamedText = "";
  let streamError = null;
  try {
    const failing = await client.chat.completions.create({
      model: HAIKU, stream: true,
      messages: [{ role: "user", content: "Write three sentences about the sea and the wind." }],
    });
    for await (const chunk of failing) streamedText += chunk.choices[0]?.delta?.content ?? "";
  } catch (e) {
    streamError = e;
  }
  check(streamError instanceof OpenAI.APIError, `fault mid-stream: APIError (got ${streamError})`);
  check(streamedText.length > 0, "fault mid-stream: text before the failure arrived");
} catch (e) {
  failures.push(`unexpected: ${e.stack ?? e}`);
  console.error("FAIL: unexpected", e);
} finally {
  for (const p of procs.reverse()) p.kill("SIGTERM");
  rmSync(home, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.log(`openai-conformance: ${checks - failures.length} passed, ${failures.length} failed`);
  process.exit(1);
}
console.log(`openai-conformance: ${checks} passed, 0 failed`);
process.exit(0);
