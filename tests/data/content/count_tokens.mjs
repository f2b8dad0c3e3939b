// Adds reference token counts to token_corpus_texts.jsonl, writing token_corpus.jsonl.
// Run: npm install @anthropic-ai/tokenizer@0.0.4 gpt-tokenizer@4.0.0 && node count_tokens.mjs
// Tokenizers: @anthropic-ai/tokenizer 0.0.4 (Anthropic's published Claude tokenizer, the one of
// Claude 1/2; Claude 3+ tokenizers are not published), gpt-tokenizer 4.0.0 (cl100k_base and
// o200k_base, OpenAI's published BPE vocabularies). Counts are of the raw text, no chat framing.
import { countTokens } from '@anthropic-ai/tokenizer';
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const dir = path.dirname(fileURLToPath(import.meta.url));
const lines = fs.readFileSync(path.join(dir, 'token_corpus_texts.jsonl'), 'utf8').trim().split('\n');
const out = lines.map((l) => {
  const s = JSON.parse(l);
  return JSON.stringify({ ...s, claude_legacy: countTokens(s.text), cl100k: cl100k(s.text).length,
                          o200k: o200k(s.text).length });
});
fs.writeFileSync(path.join(dir, 'token_corpus.jsonl'), out.join('\n') + '\n');
console.log(`counted ${out.length} samples`);
