// Conformance of bedrock-emulator with the real AWS SDK for JavaScript v3
// (@aws-sdk/client-bedrock-runtime). Usage: node conformance.mjs <path to bedrock-emulator>
// Starts the emulator on a free port with a key pair and an admin port, then checks every
// family through InvokeModel, Converse, ConverseStream and InvokeModelWithResponseStream, each injected fault's modelled exception class,
// paced streams and in-stream exceptions as the SDK's typed errors,
// SDK retries resolving a throttling storm, and signature errors for a wrong secret.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The SDK comes from npm (scripts/test-setup.sh); without it nothing here can run, which ctest
// must show as skipped (exit 77), not as passed or as a conformance failure.
let sdk;
let NodeHttpHandler;
try {
  sdk = await import("@aws-sdk/client-bedrock-runtime");
  // The SDK speaks HTTP/2 to Bedrock Runtime by default; the emulator (like the service for
  // every operation but the bidirectional stream) serves HTTP/1.1, so use the HTTP/1.1 handler.
  ({ NodeHttpHandler } = await import("@smithy/node-http-handler"));
} catch (e) {
  if (e.code !== "ERR_MODULE_NOT_FOUND") throw e;
  console.error(`SKIPPED: the JS SDK packages are not installed (${e.message.split("\n")[0]}); ` +
                "run scripts/test-setup.sh. JS SDK conformance NOT run");
  process.exit(77);
}
const {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} = sdk;

const here = dirname(fileURLToPath(import.meta.url));
const AK = "AKIDNODECONFORMANCE";
const SK = "node/secret+KEY0123456789abcdefghijkl";
const failures = [];
const check = (cond, what) => {
  if (!cond) {
    failures.push(what);
    console.error("FAIL:", what);
  }
};

function startEmulator(binary) {
  const proc = spawn(binary, ["--port", "0", "--admin-port", "0", "--credentials", `${AK}:${SK}`,
                              "--seed", "11", "--threads", "2",
                              "--fixtures", join(here, "..", "fixtures.json")],
                     { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("emulator did not start")), 10000);
    createInterface({ input: proc.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const urls = line.match(/http:\/\/[0-9.]+:\d+/g);
      if (!urls || urls.length < 2) reject(new Error(`unexpected first line: ${line}`));
      resolve({ proc, endpoint: urls[0], admin: urls[1] });
    });
    proc.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
  });
}

async function admin(url, path, body) {
  const res = await fetch(url + path, body === undefined && !path.endsWith("reset")
    ? {} : { method: "POST", body: JSON.stringify(body ?? {}) });
  return res.json();
}

const dig = (obj, path) => path.reduce((o, p) => o[p], obj);

// A ConverseStream answer put back into Converse's shape: content blocks (text joined, tool
// input parsed, reasoning text and signature joined), stopReason and usage.
async function assemble(stream) {
  const blocks = [];
  const inputs = {};
  const out = {};
  for await (const event of stream) {
    if (event.contentBlockStart) {
      const e = event.contentBlockStart;
      blocks[e.contentBlockIndex] = { toolUse: { ...e.start.toolUse } };
    }
    if (event.contentBlockDelta) {
      const { contentBlockIndex: i, delta: d } = event.contentBlockDelta;
      const block = (blocks[i] ??= {});
      if (d.text !== undefined) block.text = (block.text ?? "") + d.text;
      if (d.toolUse) inputs[i] = (inputs[i] ?? "") + d.toolUse.input;
      if (d.reasoningContent) {
        const r = ((block.reasoningContent ??= {}).reasoningText ??= {});
        if (d.reasoningContent.text !== undefined) r.text = (r.text ?? "") + d.reasoningContent.text;
        if (d.reasoningContent.signature !== undefined) r.signature = d.reasoningContent.signature;
      }
    }
    if (event.messageStop) out.stopReason = event.messageStop.stopReason;
    if (event.metadata) out.usage = event.metadata.usage;
  }
  for (const [i, text] of Object.entries(inputs)) blocks[i].toolUse.input = JSON.parse(text);
  out.content = blocks;
  return out;
}

// Key order differs between the SDK's parsed answer and the assembled one; compare sorted.
const canonical = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

// InvokeModelWithResponseStream: how each streaming family's decoded chunk carries its text.
const streamText = {
  AnthropicMessages: (c) => (c.type === "content_block_delta" ? c.delta.text : ""),
  AnthropicText: (c) => c.completion ?? "",
  TitanText: (c) => c.outputText ?? "",
  Nova: (c) => c.contentBlockDelta?.delta?.text ?? "",
  Llama2: (c) => c.generation ?? "",
  Llama3: (c) => c.generation ?? "",
  MistralText: (c) => c.outputs[0].text,
  DeepSeek: (c) => c.choices[0].text,
  MistralChat: (c) => c.choices[0].message.content,
  CohereCommandR: (c) => (c.event_type === "text-generation" ? c.text : ""),
  Ai21Jamba: (c) => c.choices[0].delta.content ?? "",
  OpenAiGptOss: (c) => c.choices[0].delta.content ?? "",
};

async function main() {
  const { proc, endpoint, admin: adminUrl } = await startEmulator(process.argv[2]);
  const exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  const client = ({ secret = SK, key = AK, attempts = 1 } = {}) => new BedrockRuntimeClient({
    region: "us-east-1", endpoint, maxAttempts: attempts,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 5000 }),
    credentials: { accessKeyId: key, secretAccessKey: secret },
  });
  try {
    const families = JSON.parse(readFileSync(join(here, "..", "families.json"), "utf8"));
    const c = client();
    for (const f of families) {
      const r = await c.send(new InvokeModelCommand({
        modelId: f.model, body: JSON.stringify(f.body),
        contentType: "application/json", accept: "application/json" }));
      const body = JSON.parse(new TextDecoder().decode(r.body));
      const text = dig(body, f.text);
      check(typeof text === "string" && text.toLowerCase().includes("sky"),
            `${f.family} invoke text ${JSON.stringify(text)}`);
      check(r.$metadata.requestId, `${f.family} request id`);
      const cv = await c.send(new ConverseCommand({
        modelId: f.model,
        messages: [{ role: "user", content: [{ text: "The sky is blue. Grass is green." }] }],
        inferenceConfig: { maxTokens: 256 } }));
      const joined = cv.output.message.content.map((b) => b.text ?? "").join(" ");
      check(joined.toLowerCase().includes("sky"), `${f.family} converse text ${joined}`);
      const u = cv.usage;
      check(u.inputTokens + u.outputTokens === u.totalTokens, `${f.family} usage adds up`);
      // ConverseStream: the SDK's event-stream parser must rebuild the same answer.
      const cs = await c.send(new ConverseStreamCommand({
        modelId: f.model,
        messages: [{ role: "user", content: [{ text: "The sky is blue. Grass is green." }] }],
        inferenceConfig: { maxTokens: 256 } }));
      const kinds = [];
      let streamed = "";
      let stop;
      let usage;
      for await (const event of cs.stream) {
        const kind = Object.keys(event).find((k) => event[k] !== undefined);
        kinds.push(kind);
        if (kind === "contentBlockDelta") streamed += event[kind].delta.text ?? "";
        if (kind === "messageStop") stop = event[kind].stopReason;
        if (kind === "metadata") usage = event[kind].usage;
      }
      const textBlocks = cv.output.message.content.map((b) => b.text ?? "").join("");
      check(streamed === textBlocks, `${f.family} stream text ${JSON.stringify(streamed)}`);
      check(kinds[0] === "messageStart" && kinds[kinds.length - 1] === "metadata",
            `${f.family} stream events ${kinds}`);
      check(stop === cv.stopReason, `${f.family} stream stopReason ${stop}`);
      check(usage?.totalTokens === u.totalTokens && usage?.inputTokens === u.inputTokens,
            `${f.family} stream usage ${JSON.stringify(usage)}`);
      // InvokeModelWithResponseStream: the SDK decodes each chunk's base64 bytes.
      const streams = f.family in streamText;
      try {
        const rs = await c.send(new InvokeModelWithResponseStreamCommand({
          modelId: f.model, body: JSON.stringify(f.body), contentType: "application/json" }));
        check(streams, `${f.family} streamed but should be unsupported`);
        const chunks = [];
        for await (const event of rs.body) {
          chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
        }
        const joinedStream = streams ? chunks.map(streamText[f.family]).join("") : "";
        check(joinedStream === text, `${f.family} invoke stream text ${JSON.stringify(joinedStream)}`);
        const metrics = chunks[chunks.length - 1]["amazon-bedrock-invocationMetrics"];
        check(metrics?.inputTokenCount > 0, `${f.family} invoke stream metrics`);
      } catch (e) {
        check(!streams && e.name === "ValidationException",
              `${f.family} invoke stream: ${e.name} ${e.message}`);
      }
    }
    console.log(`ok: ${families.length} families through InvokeModel, Converse and ConverseStream; ` +
                `${Object.keys(streamText).length} family kinds through InvokeModelWithResponseStream`);

    const model = families[0].model;
    const body = JSON.stringify(families[0].body);
    const expectError = async (cl, input, name, what) => {
      try {
        await cl.send(new InvokeModelCommand(input));
        check(false, `${what}: call succeeded`);
      } catch (e) {
        check(e.name === name, `${what}: got ${e.name} (${e.message})`);
        return e;
      }
      return undefined;
    };
    await expectError(c, { modelId: model, body: JSON.stringify({ messages: [] }) },
                      "ValidationException", "invalid body");
    const unknown = await expectError(c, { modelId: "nosuchprovider.model-v1:0", body: "{}" },
                                      "ValidationException", "unknown model");
    check(unknown?.message === "The provided model identifier is invalid.",
          `unknown model: ${unknown?.message}`);
    const onDemand = await expectError(
      c, { modelId: "anthropic.claude-3-7-sonnet-20250219-v1:0",
           body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 10,
                                  messages: [{ role: "user", content: "hi" }] }) },
      "ValidationException", "profile-only plain id");
    check(onDemand?.message.includes("with on-demand throughput isn\u2019t supported"),
          `on-demand: ${onDemand?.message}`);
    // A forced tool call, streamed too, then its result and the model's finish.
    const haiku = "anthropic.claude-3-haiku-20240307-v1:0";
    const ask = [{ role: "user", content: [{ text: "Weather in Paris?" }] }];
    const tool = { toolSpec: { name: "get_weather", inputSchema: { json: {
      type: "object", properties: { city: { type: "string" }, days: { type: "integer" } },
      required: ["city", "days"] } } } };
    const forced = { tools: [tool], toolChoice: { tool: { name: "get_weather" } } };
    const tr = await c.send(new ConverseCommand({ modelId: haiku, messages: ask,
                                                  toolConfig: forced }));
    const use = tr.output.message.content[0].toolUse ?? {};
    check(tr.stopReason === "tool_use" && use.name === "get_weather" &&
          String(use.toolUseId).startsWith("tooluse_") && typeof use.input?.city === "string" &&
          Number.isInteger(use.input?.days), `forced tool: ${JSON.stringify(tr.output)}`);
    const ts = await c.send(new ConverseStreamCommand({ modelId: haiku, messages: ask,
                                                        toolConfig: forced }));
    let started;
    let pieces = "";
    let toolStop;
    for await (const event of ts.stream) {
      if (event.contentBlockStart) started = event.contentBlockStart.start.toolUse;
      if (event.contentBlockDelta) pieces += event.contentBlockDelta.delta.toolUse?.input ?? "";
      if (event.messageStop) toolStop = event.messageStop.stopReason;
    }
    check(started?.toolUseId === use.toolUseId && started?.name === "get_weather" &&
          JSON.stringify(JSON.parse(pieces)) === JSON.stringify(use.input) &&
          toolStop === "tool_use", `streamed tool: ${pieces} ${toolStop}`);
    const done = await c.send(new ConverseCommand({ modelId: haiku, toolConfig: { tools: [tool] },
      messages: [...ask, tr.output.message, { role: "user", content: [
        { toolResult: { toolUseId: use.toolUseId, content: [{ text: "21 C" }] } }] }] }));
    check(done.stopReason === "end_turn" && typeof done.output.message.content[0].text === "string",
          `after the tool result: ${done.stopReason}`);
    // Converse and ConverseStream answer the same (the stream put back together).
    const both = async (input) => {
      const whole = await c.send(new ConverseCommand(input));
      const joined = await assemble((await c.send(new ConverseStreamCommand(input))).stream);
      check(canonical(joined) === canonical({ content: whole.output.message.content,
                                              stopReason: whole.stopReason, usage: whole.usage }),
            `stream differs: ${canonical(joined)} / ${canonical(whole.output)}`);
      return whole;
    };
    // A fixture asks for a tool (toolChoice auto); after its result the fixture's text finishes.
    const wear = [{ role: "user", content: [{ text: "What should I wear in Oslo today?" }] }];
    const fx = await both({ modelId: haiku, messages: wear, toolConfig: { tools: [tool] } });
    const fxUse = fx.output.message.content[0].toolUse ?? {};
    check(fx.stopReason === "tool_use" &&
          canonical(fxUse.input) === canonical({ city: "Oslo", days: 1 }),
          `fixture tool: ${canonical(fx.output)}`);
    const fxDone = await both({ modelId: haiku, toolConfig: { tools: [tool] }, messages: [
      ...wear, fx.output.message, { role: "user", content: [
        { toolResult: { toolUseId: fxUse.toolUseId, content: [{ text: "4 C" }] } }] }] });
    check(fxDone.output.message.content[0].text === "Wear a coat: it is 4 C in Oslo.",
          `fixture tool loop end: ${canonical(fxDone.output)}`);
    // Structured output: JSON text with the schema's required members; refused by Claude 3.
    const sonnet4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    const outputConfig = { textFormat: { type: "json_schema", structure: { jsonSchema: {
      name: "film", schema: JSON.stringify({ type: "object", properties: {
        title: { type: "string" }, year: { type: "integer" } }, required: ["title", "year"] }) } } } };
    // An SDK older than outputConfig drops the member: Claude 3 Haiku then answers instead of
    // refusing, which is reported as a skip, not a pass.
    let sentOutputConfig = true;
    try {
      await c.send(new ConverseCommand({ modelId: haiku, messages: ask, outputConfig }));
      sentOutputConfig = false;
      console.log("SKIP: structured output: this SDK does not send outputConfig");
    } catch (e) {
      check(e.name === "ValidationException" &&
            e.message.includes("doesn't support the outputConfig.textFormat field"), e.message);
    }
    if (sentOutputConfig) {
      const so = await both({ modelId: sonnet4, messages: ask, outputConfig });
      let film = {};
      try {
        film = JSON.parse(so.output.message.content[0].text);
      } catch (e) {
        check(false, `structured output is not JSON: ${e.message}`);
      }
      check(typeof film.title === "string" && Number.isInteger(film.year),
            `structured output: ${so.output.message.content[0].text}`);
    }
    // Reasoning: signed block first; sent back unchanged accepted, altered refused.
    const think = { thinking: { type: "enabled", budget_tokens: 1024 } };
    const why = [{ role: "user", content: [{ text: "Why is the sky blue? Explain." }] }];
    const rs = await both({ modelId: sonnet4, messages: why, inferenceConfig: { maxTokens: 2048 },
                            additionalModelRequestFields: think });
    const rsBlock = rs.output.message.content[0].reasoningContent?.reasoningText ?? {};
    check(typeof rsBlock.signature === "string" && rsBlock.signature.length > 0 &&
          typeof rs.output.message.content[1]?.text === "string",
          `reasoning: ${canonical(rs.output)}`);
    const follow = [...why, rs.output.message, { role: "user", content: [{ text: "Thanks." }] }];
    const rsAgain = await c.send(new ConverseCommand({ modelId: sonnet4, messages: follow,
      inferenceConfig: { maxTokens: 2048 }, additionalModelRequestFields: think }));
    check(rsAgain.stopReason === "end_turn", `reasoning sent back: ${rsAgain.stopReason}`);
    const altered = JSON.parse(JSON.stringify(follow));
    altered[1].content[0].reasoningContent.reasoningText.text = "Altered.";
    try {
      await c.send(new ConverseCommand({ modelId: sonnet4, messages: altered,
        inferenceConfig: { maxTokens: 2048 }, additionalModelRequestFields: think }));
      check(false, "altered reasoning accepted");
    } catch (e) {
      check(e.name === "ValidationException" &&
            e.message.includes("Invalid `signature` in `thinking` block"), e.message);
    }
    // Documents: answered beside a text block, refused alone.
    const doc = { document: { format: "txt", name: "notes",
                              source: { bytes: new TextEncoder().encode("hello") } } };
    const withText = await both({ modelId: haiku, messages: [{ role: "user", content: [
      doc, { text: "Summarize." }] }] });
    check(withText.stopReason === "end_turn", `document with text: ${withText.stopReason}`);
    try {
      await c.send(new ConverseCommand({ modelId: haiku, messages: [{ role: "user", content: [doc] }] }));
      check(false, "document without a text block accepted");
    } catch (e) {
      check(e.name === "ValidationException" &&
            e.message === "A text block must be included when using documents.", e.message);
    }
    // Prompt caching: a cache point after a 100-token system prompt is written by Converse,
    // then read by ConverseStream; Claude 3 Haiku refuses the block.
    const cached = [{ text: "c".repeat(400) }, { cachePoint: { type: "default" } }];
    const cacheAsk = [{ role: "user", content: [{ text: "What does the prompt hold?" }] }];
    const cw = (await c.send(new ConverseCommand({ modelId: sonnet4, system: cached,
                                                    messages: cacheAsk }))).usage;
    check(cw.cacheWriteInputTokens === 100 && cw.cacheReadInputTokens === 0 &&
          cw.totalTokens === cw.inputTokens + cw.outputTokens + 100, `cache write: ${canonical(cw)}`);
    const cr = (await assemble((await c.send(new ConverseStreamCommand({ modelId: sonnet4,
      system: cached, messages: cacheAsk }))).stream)).usage ?? {};
    check(cr.cacheReadInputTokens === 100 && cr.cacheWriteInputTokens === 0 &&
          cr.inputTokens === cw.inputTokens, `cache read: ${canonical(cr)}`);
    try {
      await c.send(new ConverseCommand({ modelId: haiku, system: cached, messages: cacheAsk }));
      check(false, "cachePoint accepted by Claude 3 Haiku");
    } catch (e) {
      check(e.name === "ValidationException" &&
            e.message.includes("extraneous key [cachePoint] is not permitted"), e.message);
    }
    // The other Converse request members (docs/wire-protocol.md §8.4): serviceTier and
    // performanceConfig come back (on the stream's metadata event), requestMetadata is accepted,
    // the requested native fields are returned, and what the service model does not allow is the
    // front end's refusal. An SDK older than a member drops it, so the call is answered instead of
    // refused: reported as a skip, not a pass.
    const hi = [{ role: "user", content: [{ text: "Hi" }] }];
    const refusedOrSkipped = async (what, extra, expected) => {
      try {
        await c.send(new ConverseCommand({ modelId: haiku, messages: hi, ...extra }));
        console.log(`SKIP: ${what}: this SDK does not send the member`);
        return false;
      } catch (e) {
        check(e.name === "ValidationException" && e.message.includes(expected), e.message);
        return true;
      }
    };
    const streamEvents = async (extra) => {
      const events = [];
      const out = await c.send(new ConverseStreamCommand({ modelId: haiku, messages: hi, ...extra }));
      for await (const event of out.stream) events.push(event);
      return events;
    };
    if (await refusedOrSkipped("serviceTier", { serviceTier: { type: "premium" } },
        "Value 'premium' at 'serviceTier.type' failed to satisfy constraint: Member must " +
        "satisfy enum value set: [priority, default, flex, reserved]")) {
      const tier = await c.send(new ConverseCommand({ modelId: haiku, messages: hi,
        serviceTier: { type: "flex" }, performanceConfig: { latency: "optimized" } }));
      check(canonical(tier.serviceTier) === canonical({ type: "flex" }) &&
            canonical(tier.performanceConfig) === canonical({ latency: "optimized" }),
            `service tier answer: ${canonical(tier)}`);
      const meta = (await streamEvents({ serviceTier: { type: "priority" } }))
        .filter((e) => e.metadata).map((e) => e.metadata);
      check(meta.length === 1 && canonical(meta[0].serviceTier) === canonical({ type: "priority" }),
            `stream service tier: ${canonical(meta)}`);
    }
    const tooMuch = Object.fromEntries([...Array(17).keys()].map((i) => [`k${i}`, "v"]));
    if (await refusedOrSkipped("requestMetadata", { requestMetadata: tooMuch },
        "at 'requestMetadata' failed to satisfy constraint: Member must have length less than " +
        "or equal to 16")) {
      const md = await c.send(new ConverseCommand({ modelId: haiku, messages: hi,
        requestMetadata: { team: "content", "run-id": "2026-12-03T17:00Z" } }));
      check(md.stopReason === "end_turn", `request metadata answer: ${canonical(md)}`);
    }
    const paths = ["/stop_sequence", "/stop_reason", "/usage/cache~1read"];
    const native = canonical({ stop_sequence: null, stop_reason: "end_turn" });
    const fields = await c.send(new ConverseCommand({ modelId: haiku, messages: hi,
      additionalModelResponseFieldPaths: paths }));
    check(canonical(fields.additionalModelResponseFields) === native,
          `response fields: ${canonical(fields)}`);
    const stops = (await streamEvents({ additionalModelResponseFieldPaths: paths }))
      .filter((e) => e.messageStop).map((e) => e.messageStop);
    check(stops.length === 1 && canonical(stops[0].additionalModelResponseFields) === native,
          `stream response fields: ${canonical(stops)}`);
    await refusedOrSkipped("additionalModelResponseFieldPaths",
      { additionalModelResponseFieldPaths: Array(11).fill("/a") },
      "at 'additionalModelResponseFieldPaths' failed to satisfy constraint: Member must have " +
      "length less than or equal to 10");
    for (const kind of ["ThrottlingException", "ServiceUnavailableException",
                        "InternalServerException", "ModelTimeoutException",
                        "ModelNotReadyException", "ModelErrorException",
                        "ServiceQuotaExceededException"]) {
      await admin(adminUrl, "/admin/faults", { next: { kind, count: 1 } });
      const e = await expectError(c, { modelId: model, body }, kind, kind);
      if (e && kind === "ModelErrorException") {
        check(e.originalStatusCode === 500, "ModelErrorException.originalStatusCode");
      }
    }
    await admin(adminUrl, "/admin/faults", { next: { kind: "ThrottlingException", count: 1 } });
    try {
      await c.send(new ConverseStreamCommand({
        modelId: model, messages: [{ role: "user", content: [{ text: "Hi there." }] }] }));
      check(false, "ConverseStream throttling: call succeeded");
    } catch (e) {
      check(e.name === "ThrottlingException", `ConverseStream throttling: got ${e.name}`);
    }
    await admin(adminUrl, "/admin/faults", { next: { kind: "drop", count: 1 } });
    try {
      await c.send(new InvokeModelCommand({ modelId: model, body }));
      check(false, "drop: call succeeded");
    } catch (e) {
      check(!e.$metadata?.httpStatusCode, `drop: expected a connection error, got ${e.name}`);
    }
    console.log("ok: every injected fault surfaced as its modelled exception");
    // Paced streams: the first event no sooner than the latency, the rest one per stream token
    // time; the SDK yields them as they come. In-stream exceptions are the SDK's typed errors.
    await admin(adminUrl, "/admin/latency", { latency_ms: 300, stream_token_ms: 40 });
    const streamCases = [
      ["InvokeModelWithResponseStream", async () => (await c.send(
        new InvokeModelWithResponseStreamCommand({
          modelId: model, body, contentType: "application/json" }))).body],
      ["ConverseStream", async () => (await c.send(new ConverseStreamCommand({
        modelId: model,
        messages: [{ role: "user", content: [{ text: "The sky is blue. Grass is green." }] }],
        inferenceConfig: { maxTokens: 256 } }))).stream],
    ];
    for (const [name, call] of streamCases) {
      const start = performance.now();
      const arrivals = [];
      for await (const event of await call()) {
        if (event) arrivals.push(performance.now() - start);
      }
      const n = arrivals.length;
      check(n >= 4, `${name} paced: ${n} events`);
      check(arrivals[0] >= 300, `${name} paced: first event at ${arrivals[0]} ms`);
      check(arrivals[n - 1] >= 300 + 40 * (n - 1),
            `${name} paced: last of ${n} events at ${arrivals[n - 1]} ms`);
      check(arrivals[n - 1] < 300 + 40 * n + 5000, `${name} paced: too slow ${arrivals[n - 1]} ms`);
    }
    await admin(adminUrl, "/admin/latency", { latency_ms: 0, stream_token_ms: 5 });
    const members = {
      throttlingException: "ThrottlingException",
      modelStreamErrorException: "ModelStreamErrorException",
      validationException: "ValidationException",
      internalServerException: "InternalServerException",
      serviceUnavailableException: "ServiceUnavailableException",
      modelTimeoutException: "ModelTimeoutException",
    };
    for (const [name, call] of streamCases) {
      for (const [member, errorName] of Object.entries(members)) {
        // Not a ConverseStream member (docs/wire-protocol.md §2.4).
        if (name === "ConverseStream" && member === "modelTimeoutException") continue;
        await admin(adminUrl, "/admin/faults", { next: { kind: `stream:${member}@2`, count: 1 } });
        let events = 0;
        try {
          for await (const event of await call()) if (event) events += 1;
          check(false, `${name} ${member}: stream ended without the exception`);
        } catch (e) {
          check(e.name === errorName, `${name} ${member}: got ${e.name} (${e.message})`);
          check(e instanceof sdk[errorName], `${name} ${member}: not an sdk.${errorName}`);
          check(events === 2, `${name} ${member}: ${events} events before it`);
          if (member === "modelStreamErrorException") {
            check(e.originalStatusCode === 500, `${name} originalStatusCode ${e.originalStatusCode}`);
          }
        }
      }
      await admin(adminUrl, "/admin/faults", { next: { kind: "stream:drop@2", count: 1 } });
      let events = 0;
      try {
        for await (const event of await call()) if (event) events += 1;
        check(false, `${name} stream:drop: stream ended normally`);
      } catch (e) {
        check(events === 2 && !Object.values(members).includes(e.name),
              `${name} stream:drop: ${events} events then ${e.name}`);
      }
    }
    console.log("ok: paced streams read event by event; in-stream exceptions are the SDK's typed " +
                "errors; a dropped stream is a read error");

    await admin(adminUrl, "/admin/reset");
    await admin(adminUrl, "/admin/faults", { next: { kind: "ThrottlingException", count: 2 } });
    const stormed = await client({ attempts: 3 }).send(
      new InvokeModelCommand({ modelId: model, body }));
    check(stormed.$metadata.attempts === 3, `storm attempts ${stormed.$metadata.attempts}`);
    const counters = await admin(adminUrl, "/admin/counters");
    const m = counters.models[model];
    check(m.outcomes.ThrottlingException === 2 && m.outcomes.Success === 1,
          `counters after storm ${JSON.stringify(m)}`);
    console.log("ok: throttling storm resolved by SDK retries, counters agree");

    const bad = await expectError(client({ secret: SK + "x" }), { modelId: model, body },
                                  "InvalidSignatureException", "wrong secret");
    check(bad?.$metadata?.httpStatusCode === 403, "wrong secret: 403");
    await expectError(client({ key: "AKIDUNKNOWN" }), { modelId: model, body },
                      "UnrecognizedClientException", "unknown key");
    console.log("ok: wrong secret -> InvalidSignatureException, unknown key -> UnrecognizedClientException");
  } finally {
    proc.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10000))]);
    check(code === 0, `emulator exit status ${code} after SIGTERM`);
  }
  if (failures.length) {
    console.error(`${failures.length} conformance failures`);
    process.exit(1);
  }
  console.log("node SDK conformance: all checks passed");
}

main().catch((e) => {
  console.error("conformance aborted:", e);
  process.exit(1);
});
