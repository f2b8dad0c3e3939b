// The emulator's reply text and its credential redaction, byte for byte, over a corpus of
// prompts (tasks, documents, labels, every secret pattern, odd spacing and punctuation),
// against a reviewed golden file. It was first written by the original implementation, which
// the faster one reproduces exactly; the one deliberate change since is redaction before
// composing (the cases where a dropped label let its value through).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "emulator/model/answer_text.h"
#include "golden_file.h"

namespace bedrock::emulator::model::detail {
namespace {

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> kPrompts = {
      "",
      "   ",
      "Hi",
      "Hi there",
      "Why is the sky blue?",
      "The sky is blue. Grass is green. Water is wet. Fire is hot.",
      "Summarize the following text:\n\nThe market rose. Investors cheered. Bonds fell.\n\n"
      "Oil was flat. Gold slipped.\n\nNothing else happened.",
      "Summarize: The cat sat. The dog ran.",
      "Rephrase the text below.\n<text>\nThe meeting moved to Tuesday.\n\nBring the notes.\n"
      "</text>\nKeep it short.",
      "Rewrite this: <doc>First line.\nSecond line.</doc>",
      "Expand these bullet points into paragraphs:\n- fast setup\n* fewer errors\n"
      "\xe2\x80\xa2 clear docs\n1. lower cost\n2) happy users",
      "Write a blog post about: Composting at home\nAudience: beginners",
      "Please write a blog post about: rainwater harvesting for small gardens and balconies in "
      "dense cities",
      "Write a product description.\nProduct: Kettle Pro\n- Boils in 90 seconds.\n- Keeps warm.\n"
      "Target audience: Busy Parents",
      "Product: Lamp\nno description asked for here.",
      "My key is AKIAIOSFODNN7EXAMPLE and the password: hunter2hunter2 was set. Token "
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY123 leaked.",
      "password=abc123 passwd:xyz secret=s3cr3t token:tok api_key=k1 apikey:k2 end.",
      "Password: hunter2. Then the Secret: opensesame, and TOKEN = abc; api_key : zz.",
      "The secret is out. A token of thanks. My password, sadly, is long.",
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and more.",
      "x-amz-security-token: FQoGZXIvYXdzEXAMPLE and x-amz-signature=abcdef0123 tail.",
      "Header Bearer abc.def.ghi and bedrock-api-key-QUJDREVGR0hJSktMTU5PUA== here.",
      "{\"SecretAccessKey\": \"abc/def\", \"SessionToken\": \"tok\"} as JSON.",
      "ASIAXXXXXXXXXXXXXXXX is a temporary key; ASIAxxxxxxxxxxxxxxxx is not.",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa is long but has no digit. "
      "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 has both.",
      "Words   with    many\tspaces\tand\ttabs.  Second sentence here!  Third?",
      "Line one ends here.\r\nLine two has CRLF.\r\n\r\nNew paragraph after CRLF.",
      "Quotes: \"hello.\" 'bye.' (aside.) Done!",
      "Caf\xc3\xa9 au lait. \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe6\x96\x87. "
      "Emoji \xf0\x9f\x98\x80 ends.",
      "# Heading\n\n## Sub heading:\n\n- item one\n- item two\n\nClosing words here.",
      "token:",
      "password: \n next line value",
      "Explain why. Because. Three words here.",
      "List three fruits:\napple\nbanana\ncherry",
      "<text></text> empty tagged block, then more text. And more.",
      "Translate <x-1>Bonjour le monde. Merci.</x-1> into English.",
  };
  return kPrompts;
}

std::string render_all() {
  std::ostringstream out;
  for (std::size_t i = 0; i < corpus().size(); ++i) {
    const std::string& prompt = corpus()[i];
    out << "== " << i << "\n"
        << nlohmann::json(prompt).dump() << "\n"
        << nlohmann::json(compose_reply(prompt)).dump() << "\n"
        << nlohmann::json(redact_secrets(prompt)).dump() << "\n";
  }
  return out.str();
}

TEST(ComposeGolden, RepliesAndRedactionByteForByte) {
  testing::expect_matches_golden(render_all(), "composed_replies.txt");
}

}  // namespace
}  // namespace bedrock::emulator::model::detail
