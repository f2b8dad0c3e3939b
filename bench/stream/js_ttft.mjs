// AWS SDK for JavaScript v3 side of bench/stream/run.sh: time to first token of
// InvokeModelWithResponseStreamCommand, from the call to the first chunk holding a text delta.
// Prints one JSON line like boto3_ttft.py.
import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import http from "node:http";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const calls = Number(args.calls ?? 200);
const warmup = Number(args.warmup ?? 5);
delete process.env.AWS_BEARER_TOKEN_BEDROCK;
const client = new BedrockRuntimeClient({
  region: "us-east-1",
  endpoint: args.url,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 3,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 4 }) }),
});
const body = JSON.stringify({
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 64,
  messages: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }],
});
const decoder = new TextDecoder();

async function firstTokenUs() {
  const t0 = process.hrtime.bigint();
  const r = await client.send(new InvokeModelWithResponseStreamCommand({
    modelId: "anthropic.claude-3-haiku-20240307-v1:0", body, contentType: "application/json",
  }));
  let first = null;
  for await (const event of r.body) {
    const chunk = JSON.parse(decoder.decode(event.chunk.bytes));
    if (first === null && chunk.type === "content_block_delta") first = Number(process.hrtime.bigint() - t0) / 1000;
  }
  if (first === null) throw new Error("no text delta");
  return first;
}

for (let i = 0; i < warmup; i++) await firstTokenUs();
const samples = [];
for (let i = 0; i < calls; i++) samples.push(await firstTokenUs());
samples.sort((a, b) => a - b);
console.log(JSON.stringify({
  impl: "js", calls: samples.length,
  median_us: Math.round(samples[Math.floor(samples.length / 2)] * 10) / 10,
  p90_us: Math.round(samples[Math.floor(samples.length * 9 / 10)] * 10) / 10,
}));
