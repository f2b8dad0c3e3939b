// Answer composition: the emulator's deterministic "model" turns a request into the text it
// replies with, cut by stop sequences and max_tokens as a real model's output would be.
#pragma once

#include <string>

#include "request.h"

namespace bedrock::emulator::model {

struct EmulatedAnswer {
  std::string text;       // the answer proper
  std::string reasoning;  // DeepSeek-R1 / gpt-oss / thinking Claude reasoning; rendered
                          // natively in the family's way (before "</think>", inside
                          // <reasoning> tags) and as a reasoningContent block by Converse.
                          // Empty for others.
  std::string reasoning_signature;  // Claude's, reasoning_signature(reasoning); else empty
  StopReason stop_reason = StopReason::EndTurn;  // EndTurn, MaxTokens or StopSequence
  std::string stop_sequence;                     // the matched sequence when StopSequence
  int input_tokens = 0;
  int output_tokens = 0;  // estimate_tokens(reasoning) + estimate_tokens(text)
  // A Converse tool call instead of text (forced toolChoice): stop_reason is ToolUse.
  std::string tool_use_id;  // "tooluse_..."
  std::string tool_name;    // empty: no tool call
  std::string tool_input;   // a JSON object's text
};

// The deterministic default answer to the last user turn (same request -> same answer):
// - the document of a prompt is the content of a "<tag>...</tag>" block when there is one,
//   else the text after an instruction paragraph ("Summarize the following:" + blank line),
//   with "Label:" prefixes such as "Summarize:" dropped;
// - "expand" + bullet list -> one paragraph per bullet, blank lines between; "blog post
//   about: X" -> a Markdown post ("# X", "## " sections); "product description" with
//   "Product:"/"Features:" lines -> a short description; "rewrite"/"rephrase" of a tagged
//   document -> the whole document; anything else -> its leading sentences (the first three
//   of one paragraph, or the first sentence of each of the first three paragraphs);
// - very short prompts get a fixed friendly reply; credentials (access key ids, long
//   key-like tokens, values after "password:" ...) are replaced by "[redacted]";
// - DeepSeek-R1 and gpt-oss also get a one-sentence reasoning text;
// - then cut before the earliest stop sequence (StopSequence; the sequence is not part of
//   the text), then truncated to max_tokens at a word boundary (MaxTokens; mid-word only
//   when the first word alone does not fit), else EndTurn. Reasoning spends the budget
//   first. output_tokens = estimate_tokens(reasoning) + estimate_tokens(text).
// `model` is not consulted today (the request carries the family and the limit).
EmulatedAnswer default_answer(const ModelInfo& model, const EmulatedRequest& request);

// Any text made into an answer the way default_answer finishes its own: stop sequences, then
// max_tokens truncation, then counts. `reasoning` is for DeepSeek-R1 / gpt-oss style
// answers; leave it empty otherwise.
EmulatedAnswer shape_answer(const EmulatedRequest& request, std::string text,
                            std::string reasoning = {});

}  // namespace bedrock::emulator::model
