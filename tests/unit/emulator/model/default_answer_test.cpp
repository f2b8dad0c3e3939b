#include <gtest/gtest.h>

#include "emulator/model/answer.h"
#include "emulator/model/request.h"
#include "test_models.h"

namespace bedrock::emulator::model {
namespace {

using testing::nova_lite;

EmulatedRequest request(std::string user_text, int max_tokens = 1000,
                        std::vector<std::string> stops = {}) {
  EmulatedRequest r;
  r.family = ModelFamily::Nova;
  r.model_id = "amazon.nova-lite-v1:0";
  r.turns.push_back({Role::User, std::move(user_text)});
  r.prompt_text = r.turns.back().text;
  r.max_tokens = max_tokens;
  r.stop_sequences = std::move(stops);
  r.input_tokens = estimate_tokens(r.prompt_text);
  return r;
}

std::string answer_text(const std::string& prompt) {
  return default_answer(nova_lite(), request(prompt)).text;
}

// ceil(code points / 4), multi-byte characters counted once.
TEST(EstimateTokens, CodePointsOverFour) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("a"), 1);
  EXPECT_EQ(estimate_tokens("abcd"), 1);
  EXPECT_EQ(estimate_tokens("abcde"), 2);
  EXPECT_EQ(estimate_tokens("héllo"), 2);     // 5 code points, 6 bytes
  EXPECT_EQ(estimate_tokens("日本語の"), 1);  // 4 code points, 12 bytes
}

// A summarize prompt: the instruction paragraph is skipped, leading sentences kept.
TEST(DefaultAnswer, SummarizeSkipsInstructionAndPicksLeadingSentences) {
  EXPECT_EQ(answer_text("Summarize the following text:\n\nThe market rose. Investors cheered. "
                        "Bonds fell. Oil was flat.\n"),
            "The market rose. Investors cheered. Bonds fell.");
  // Several paragraphs: the first sentence of each, up to three.
  EXPECT_EQ(answer_text("Summarize this document.\n\nAlpha leads. Alpha detail.\n\nBeta follows. "
                        "Beta detail.\n\nGamma ends. x.\n\nDelta extra."),
            "Alpha leads. Beta follows. Gamma ends.");
  EXPECT_EQ(answer_text("Summarize: The cat sat."), "The cat sat.");
  // Bullet lines are sentences of their own.
  EXPECT_EQ(answer_text("Notes:\n\n- fast builds\n- small binaries\n- clear errors"),
            "Fast builds. Small binaries. Clear errors.");
}

// The content layer's prompts (documents inside <tag> blocks) get replies of the right form.
TEST(DefaultAnswer, TaskShapedReplies) {
  EXPECT_EQ(answer_text("Summarize the following text in 1 paragraph(s). Reply with the summary "
                        "only.\n\n<text>\nThe market rose. Investors cheered. Bonds fell. Oil "
                        "was flat.\n</text>"),
            "The market rose. Investors cheered. Bonds fell.");

  std::string expanded = answer_text(
      "Expand each of the following 3 bullet points into one well-written paragraph.\n\n"
      "<bullets>\n- fast builds\n- small binaries\n- clear errors\n</bullets>");
  EXPECT_EQ(expanded.rfind("Fast builds. ", 0), 0u) << expanded;
  int blank_lines = 0;
  for (std::size_t at = expanded.find("\n\n"); at != std::string::npos;
       at = expanded.find("\n\n", at + 2)) {
    ++blank_lines;
  }
  EXPECT_EQ(blank_lines, 2) << "three paragraphs: " << expanded;
  EXPECT_NE(expanded.find("\n\nClear errors. "), std::string::npos);

  std::string blog = answer_text(
      "Write a blog post about: remote work\n\nAudience: managers\n"
      "Tone: friendly\nLength: 300 to 500 words.");
  EXPECT_EQ(blog.rfind("# Remote work\n\n", 0), 0u) << blog;
  EXPECT_NE(blog.find("\n## "), std::string::npos) << blog;

  EXPECT_EQ(answer_text("Write a product description.\n\nProduct: Aero Kettle\nFeatures:\n- "
                        "Boils in 90 seconds\n- Auto shut-off\nTarget audience: Busy cooks\n"
                        "Tone: warm"),
            "Meet Aero Kettle. It offers boils in 90 seconds and auto shut-off. Made for busy "
            "cooks. Everything you need, nothing you do not.");

  EXPECT_EQ(answer_text("Rewrite the following text in a formal tone. Keep every key fact.\n\n"
                        "<text>\nWe shipped it. It works.\n\nMore soon. Stay tuned.\n</text>"),
            "We shipped it. It works.\n\nMore soon. Stay tuned.");
}

// Very short prompts and questions get a fixed, readable template.
TEST(DefaultAnswer, ShortPromptsAndQuestions) {
  EXPECT_EQ(answer_text("Hi"), "Thanks for your message (\"Hi\"). How can I help you further?");
  EXPECT_EQ(answer_text("   "), "Hello! How can I help you today?");
  EXPECT_EQ(answer_text("Why is the sky blue?"), "Regarding your question: Why is the sky blue?");
}

// Credentials in a prompt are never repeated.
TEST(DefaultAnswer, RedactsSecrets) {
  std::string text = answer_text(
      "My key is AKIAIOSFODNN7EXAMPLE and the password: hunter2hunter2 was set. Token "
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY123 leaked.");
  EXPECT_EQ(text.find("AKIAIOSFODNN7EXAMPLE"), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2hunter2"), std::string::npos) << text;
  EXPECT_EQ(text.find("wJalrXUtnFEMI"), std::string::npos) << text;
  EXPECT_NE(text.find("[redacted]"), std::string::npos) << text;
}

// The reply drops a leading label ("Password:") and joins sentences from several paragraphs;
// none of that may bring back a value the label marked as secret.
TEST(DefaultAnswer, RedactsValuesWhoseLabelTheReplyDrops) {
  for (const std::string& prompt :
       {std::string("Password: hunter2. Then we met."), std::string("password:\nhunter2 again"),
        std::string("The TOKEN = hunter2 was sent."), std::string("api_key : hunter2 leaked."),
        std::string("x-amz-security-token: hunter2 and more."),
        std::string("{\"SecretAccessKey\": \"hunter2\"} in JSON.")}) {
    const std::string text = answer_text(prompt);
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << prompt << " -> " << text;
  }
  // Ordinary words after a label-like word stay.
  EXPECT_EQ(answer_text("A token of thanks. The secret is out."),
            "A token of thanks. The secret is out.");
}

// Same request, same answer; the answer only depends on the request.
TEST(DefaultAnswer, Deterministic) {
  EmulatedRequest r = request("Write a post about rivers. Rivers carry water. They shape land.");
  EmulatedAnswer a = default_answer(nova_lite(), r);
  EmulatedAnswer b = default_answer(nova_lite(), r);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.output_tokens, b.output_tokens);
  EXPECT_EQ(a.stop_reason, b.stop_reason);
}

// Truncation happens at a word boundary within max_tokens, and says so.
TEST(DefaultAnswer, TruncatesAtWordBoundary) {
  const std::string doc = "Alpha beta gamma delta epsilon zeta eta theta.";
  EmulatedAnswer full = default_answer(nova_lite(), request(doc, 1000));
  EXPECT_EQ(full.text, doc);
  EXPECT_EQ(full.stop_reason, StopReason::EndTurn);
  EXPECT_EQ(full.output_tokens, estimate_tokens(doc));
  EXPECT_EQ(full.input_tokens, estimate_tokens(doc));

  for (int budget : {2, 3, 5, 8, 11}) {
    EmulatedAnswer cut = default_answer(nova_lite(), request(doc, budget));
    EXPECT_EQ(cut.stop_reason, StopReason::MaxTokens) << budget;
    EXPECT_LE(cut.output_tokens, budget) << budget;
    EXPECT_EQ(cut.output_tokens, estimate_tokens(cut.text)) << budget;
    EXPECT_EQ(doc.rfind(cut.text, 0), 0u) << cut.text;  // a prefix of the full answer
    ASSERT_FALSE(cut.text.empty());
    // Ends at the end of a word of the document.
    EXPECT_TRUE(doc[cut.text.size()] == ' ') << cut.text;
  }
  EXPECT_EQ(default_answer(nova_lite(), request(doc, 3)).text, "Alpha beta");
  // One token (4 code points) cannot hold the first word: it is cut inside it.
  EXPECT_EQ(default_answer(nova_lite(), request(doc, 1)).text, "Alph");
  EmulatedAnswer none = default_answer(nova_lite(), request(doc, 0));
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(none.output_tokens, 0);
  EXPECT_EQ(none.stop_reason, StopReason::MaxTokens);
}

// A single word longer than the budget is cut inside the word, never inside a code point.
TEST(DefaultAnswer, TruncatesLongWordAtCodePoint) {
  EmulatedAnswer a =
      default_answer(nova_lite(), request("Überlänglichkeitsprüfungsverfahren wird gemacht.", 2));
  EXPECT_EQ(a.text, "Überläng");  // 8 code points, 10 bytes
  EXPECT_EQ(a.output_tokens, 2);
}

// The earliest stop sequence cuts the answer (exclusive) and is reported.
TEST(DefaultAnswer, StopSequences) {
  const std::string doc = "One fish two fish. Red fish blue fish.";
  EmulatedAnswer a = default_answer(nova_lite(), request(doc, 1000, {"blue", "two"}));
  EXPECT_EQ(a.text, "One fish ");
  EXPECT_EQ(a.stop_reason, StopReason::StopSequence);
  EXPECT_EQ(a.stop_sequence, "two");
  EXPECT_EQ(a.output_tokens, estimate_tokens("One fish "));

  // A stop beyond the token budget: the budget ends generation first.
  EmulatedAnswer b = default_answer(nova_lite(), request(doc, 2, {"blue"}));
  EXPECT_EQ(b.stop_reason, StopReason::MaxTokens);
  EXPECT_TRUE(b.stop_sequence.empty());

  EmulatedAnswer c = default_answer(nova_lite(), request(doc, 1000, {"", "absent"}));
  EXPECT_EQ(c.stop_reason, StopReason::EndTurn);
  EXPECT_EQ(c.text, doc);
}

// Canned text (fixtures) obeys the same stop-sequence and max_tokens rules.
TEST(ShapeAnswer, CannedTextObeysLimits) {
  EmulatedRequest r = request("anything", 3, {"STOP"});
  EmulatedAnswer a = shape_answer(r, "Fixed reply STOP ignored");
  EXPECT_EQ(a.text, "Fixed reply ");
  EXPECT_EQ(a.stop_reason, StopReason::StopSequence);
  EXPECT_EQ(a.stop_sequence, "STOP");
  EXPECT_EQ(a.input_tokens, r.input_tokens);
  EXPECT_EQ(a.output_tokens, 3);

  EmulatedAnswer b = shape_answer(r, "A much longer fixed reply");
  EXPECT_EQ(b.text, "A much");
  EXPECT_EQ(b.stop_reason, StopReason::MaxTokens);

  // Reasoning spends the budget first.
  EmulatedAnswer c = shape_answer(request("x", 4), "Answer text", "Think hard now");
  EXPECT_EQ(c.reasoning, "Think hard now");
  EXPECT_EQ(c.text, "");
  EXPECT_EQ(c.stop_reason, StopReason::MaxTokens);
  EXPECT_EQ(c.output_tokens, 4);
}

// The last user turn drives the answer, not earlier turns.
TEST(DefaultAnswer, AnswersLastUserTurn) {
  EmulatedRequest r = request("First question about apples and pears.");
  r.turns.push_back({Role::Assistant, "An answer."});
  r.turns.push_back({Role::User, "Now tell me about the ocean tides today."});
  EXPECT_EQ(default_answer(nova_lite(), r).text, "Now tell me about the ocean tides today.");
}

}  // namespace
}  // namespace bedrock::emulator::model
