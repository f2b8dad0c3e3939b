#!/usr/bin/env python3
"""Writes token_corpus_texts.jsonl: the texts of the token-estimator corpus.

Every text below was written for this project (prose, code from our own style, sentences in
several scripts, emoji), so the corpus carries no third-party copyright. Token counts are added
by count_tokens.mjs with real published tokenizers (see README.md).
"""
import json, pathlib

S = []
def add(kind, text):
    S.append({"id": f"{kind}-{sum(1 for s in S if s['kind'] == kind) + 1}", "kind": kind, "text": text})

# --- English prose -------------------------------------------------------------------------
add("prose", "The quick brown fox jumps over the lazy dog.")
add("prose", "Amazon Bedrock is a fully managed service that offers a choice of foundation models "
    "through a single API. Developers send a request, the service runs the model, and the "
    "response comes back as JSON. Because every request costs money and time, an application "
    "should check the length of its prompt before sending it, retry only the failures that are "
    "worth retrying, and tell the user clearly what went wrong when nothing else helps.")
add("prose", "Summaries are most useful when they keep the facts that matter: who did what, when, "
    "and with what result. A summary that drops the numbers is often worse than no summary at all.\n\n"
    "Long documents are split into chunks. Each chunk is summarized on its own, and the partial "
    "summaries are then combined into one. If the combined text is still too long, the process "
    "repeats, level by level, until the result fits the model's context window.")
add("prose", "On Tuesday, 14 March 2023, the committee approved a budget of $4.2 million for the "
    "2024-2025 fiscal year, an increase of 7.5% over the previous year. Of that amount, 62% goes "
    "to salaries, 18% to equipment and the remaining 20% to maintenance, travel and training.")
add("prose", "\"Why does it take so long?\" she asked. \"Because,\" he replied, \"each request waits "
    "for the one before it.\" She frowned, opened the laptop, and rewrote the loop so that four "
    "requests ran at once - and the job that had taken ten minutes finished in under three.")
add("prose", "Internationalization, containerization, and microservices-oriented architectures "
    "are frequently mentioned in job descriptions; nevertheless, straightforward, well-documented "
    "monoliths remain surprisingly maintainable.")
add("prose", "Dear customer,\n\nThank you for your order #48213. Your package has shipped and "
    "should arrive within 3-5 business days. You can track it at any time from your account page.\n\n"
    "Kind regards,\nThe Support Team")
add("prose", "- Fast start-up\n- Low memory use\n- Works offline\n- Clear error messages\n"
    "- Retries with exponential backoff and jitter\n- Configurable timeouts")
add("prose", "In 1969, Apollo 11 landed on the Moon. Neil Armstrong and Buzz Aldrin spent about "
    "two and a quarter hours outside the lunar module, collecting 21.5 kg of samples, while "
    "Michael Collins orbited above in the command module Columbia.")
add("prose", "Rephrase the following text in a professional tone, keeping every key fact: hey team, "
    "the server went down last night around 2am, we lost like an hour of orders, sorry about that, "
    "it's fixed now and we added monitoring so it won't happen again.")

# --- code and structured text -------------------------------------------------------------
add("code", "#include <string>\n#include <vector>\n\nnamespace bedrock::content {\n\n"
    "struct Chunk {\n  std::size_t begin = 0;\n  std::size_t end = 0;\n  int tokens = 0;\n};\n\n"
    "std::vector<Chunk> plan(const std::string& text, int max_tokens);\n\n}  // namespace bedrock::content\n")
add("code", "def fibonacci(n: int) -> list[int]:\n    \"\"\"Return the first n Fibonacci numbers.\"\"\"\n"
    "    result = [0, 1]\n    while len(result) < n:\n        result.append(result[-1] + result[-2])\n"
    "    return result[:n]\n\n\nif __name__ == \"__main__\":\n    print(fibonacci(10))\n")
add("code", "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 1024, \"temperature\": 0.2, "
    "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Summarize the report.\"}]}]}")
add("code", "SELECT c.id, c.name, COUNT(o.id) AS orders, SUM(o.total) AS revenue\nFROM customers c\n"
    "LEFT JOIN orders o ON o.customer_id = c.id\nWHERE o.created_at >= '2024-01-01'\n"
    "GROUP BY c.id, c.name\nHAVING COUNT(o.id) > 3\nORDER BY revenue DESC\nLIMIT 20;")
add("code", "const retry = async (fn, attempts = 3) => {\n  for (let i = 0; i < attempts; i++) {\n"
    "    try {\n      return await fn();\n    } catch (err) {\n      if (i === attempts - 1) throw err;\n"
    "      await new Promise((r) => setTimeout(r, 2 ** i * 100));\n    }\n  }\n};\n")
add("code", "[summarize]\nmodel = \"anthropic.claude-3-haiku-20240307-v1:0\"\nfallbacks = [\"amazon.nova-lite-v1:0\"]\n"
    "temperature = 0.2\nmax_tokens = 1024\n\n[social]\nmodel = \"anthropic.claude-3-5-haiku-20241022-v1:0\"\n")
add("code", "2024-05-01T12:00:03.118Z INFO  request_id=3f2a9c1e-77b0-4d0e-9a55-0c1d2e3f4a5b model=anthropic.claude-3-haiku "
    "status=200 latency_ms=842 input_tokens=1532 output_tokens=211\n2024-05-01T12:00:04.502Z WARN  "
    "request_id=9b8c7d6e-1111-2222-3333-444455556666 status=429 retry_in_ms=400\n")
add("code", "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke "
    "sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

# --- other scripts --------------------------------------------------------------------------
add("cjk", "今天的天气很好，我们一起去公园散步吧。公园里有很多人，有的在跑步，有的在下棋。")
add("cjk", "大型文档会被分成若干块，每一块单独生成摘要，然后再把这些摘要合并成一个最终的摘要。如果合并后的文本仍然太长，就再重复这个过程。")
add("cjk", "東京は日本の首都です。人口は約千四百万人で、世界で最も大きな都市圏の一つです。電車はとても正確に運行しています。")
add("cjk", "この文章は、トークン数の見積もりを確かめるためのテストです。ひらがな、カタカナ、漢字が混ざっています。")
add("cjk", "서울은 대한민국의 수도입니다. 한강이 도시를 가로질러 흐르고, 많은 사람들이 강변에서 자전거를 탑니다.")
add("cjk", "模型的上下文窗口是有限的：Claude 3 Haiku 可以接受 200,000 个 token，而 Titan Text Express 只有 8,192 个。")
add("other", "Москва — столица России. Это крупнейший город страны с населением более двенадцати миллионов человек.")
add("other", "Большие документы разбиваются на части, каждая часть кратко пересказывается, а затем краткие пересказы объединяются.")
add("other", "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου.")
add("other", "القاهرة هي عاصمة مصر وأكبر مدنها، ويعيش فيها أكثر من عشرين مليون نسمة.")
add("other", "भारत एक विशाल देश है जहाँ अनेक भाषाएँ बोली जाती हैं और हर राज्य की अपनी संस्कृति है।")
add("other", "Der schnelle braune Fuchs springt über den faulen Hund. Größere Dokumente werden in Abschnitte geteilt, "
    "die einzeln zusammengefasst und anschließend zusammengeführt werden.")
add("other", "L'été dernier, nous sommes allés à Montréal ; la ville était très animée et les cafés étaient pleins.")
add("other", "ทุกคนชอบกินข้าวผัดที่ร้านนี้เพราะอร่อยและราคาไม่แพง")
add("other", "Español: el año pasado la compañía creció un 12 % y contrató a 48 personas más en Bogotá y Sevilla.")
add("other", "Санкт-Петербург был основан Петром Первым в 1703 году на берегах реки Невы.")
add("other", "Вчера вечером мы долго обсуждали новый проект и решили начать работу в понедельник.")
add("other", "Ο καιρός σήμερα είναι ήπιος και ο ουρανός είναι καθαρός πάνω από τη θάλασσα.")
add("other", "تعمل الشركة على تطوير نظام جديد لمعالجة الطلبات بسرعة أكبر وتكلفة أقل.")
add("other", "הספרייה העירונית פתוחה כל יום מהבוקר ועד הערב, חוץ משבת.")
add("other", "मौसम आज बहुत अच्छा है, इसलिए हम शाम को बगीचे में टहलने जाएँगे।")
add("other", "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทยและมีประชากรหลายล้านคน")
add("prose", "Notwithstanding the aforementioned considerations, the interdisciplinary subcommittee "
    "recommended comprehensive reorganization of the telecommunications infrastructure.")
add("prose", "It is a truth universally acknowledged that a small tool which does one thing well "
    "will be used far more often than a large one which does everything badly.")

# --- emoji and mixed ------------------------------------------------------------------------
add("emoji", "Launch day! 🚀🎉 Thanks to everyone who helped 🙏 #launch #startup")
add("emoji", "😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗")
add("emoji", "Family: 👨‍👩‍👧‍👦 Flags: 🇯🇵🇫🇷🇧🇷 Skin tones: 👍🏽👋🏿 Hearts: ❤️🧡💛💚💙💜")
add("mixed", "Release notes v2.3.1 🚀\n\n• Faster chunking (3×)\n• 新增：日本語サポート\n• Fixed: crash on empty input "
    "(#1234)\n• Улучшена обработка ошибок\n\nThanks @alice and @bob! 🙌")
add("mixed", "User: Переведи на английский: «Привет, как дела?»\nAssistant: \"Hi, how are you?\" 😊\n"
    "User: 中文呢？\nAssistant: 你好，你好吗？")

out = pathlib.Path(__file__).with_name("token_corpus_texts.jsonl")
out.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in S), encoding="utf-8")
print(f"wrote {len(S)} samples to {out}")
