// AWS SDK for JavaScript v3 side of bench/client/run.sh: per-call InvokeModel latency
// against a loopback nginx. "Threads" are concurrent async workers sharing one client (Node
// is single-threaded; this is how a JS service shares a client).
// Prints one JSON line like boto3_bench.py.
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import http from "node:http";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const url = args.url;
const calls = Number(args.calls ?? 2000);
const threads = Number(args.threads ?? 1);
const warmup = Number(args.warmup ?? 50);

delete process.env.AWS_BEARER_TOKEN_BEDROCK;
const client = new BedrockRuntimeClient({
  region: "us-east-1",
  endpoint: url,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 3,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: Math.max(8, threads) }) }),
});
const body = JSON.stringify({
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 256,
  messages: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }],
});
const decoder = new TextDecoder();

async function one() {
  const r = await client.send(new InvokeModelCommand({
    modelId: "anthropic.claude-3-haiku-20240307-v1:0", body, contentType: "application/json", accept: "application/json",
  }));
  const out = JSON.parse(decoder.decode(r.body));
  if (!out.content[0].text) throw new Error("bad body");
}

for (let i = 0; i < warmup; i++) await one();
const perWorker = Math.floor(calls / threads);
const samples = [];
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: threads }, async () => {
  for (let i = 0; i < perWorker; i++) {
    const t0 = process.hrtime.bigint();
    await one();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
}));
const wall = Number(process.hrtime.bigint() - start) / 1e9;
samples.sort((a, b) => a - b);
const median = samples.length % 2 ? samples[(samples.length - 1) / 2]
  : (samples[samples.length / 2 - 1] + samples[samples.length / 2]) / 2;
console.log(JSON.stringify({
  impl: "js-sdk-v3", threads, calls: samples.length, median_us: median,
  p90_us: samples[Math.floor(0.9 * (samples.length - 1))], calls_per_s: samples.length / wall,
}));
