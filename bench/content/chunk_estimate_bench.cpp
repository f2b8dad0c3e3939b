// Times token estimation and chunk planning over a large document (default: 100 MB of mixed
// prose, code, CJK and emoji generated in memory; or a file given as argument).
// Target: estimation + chunk planning of 100 MB in under 1 s (Release build).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include "bedrock/content/chunker.h"
#include "bedrock/content/token_estimator.h"

namespace {

std::string make_document(std::size_t bytes) {
  const char* paragraphs[] = {
      "The committee met on Tuesday, 14 March 2023, and approved a budget of $4.2 million for "
      "the next fiscal year. Of that amount, 62% goes to salaries and 18% to equipment. ",
      "Large documents are split into chunks; each chunk is summarized on its own and the "
      "partial summaries are combined. If the result is still too long, the process repeats. ",
      "int main() {\n  std::vector<int> v{1, 2, 3};\n  for (int x : v) std::printf(\"%d\\n\", x);\n"
      "  return 0;\n}\n",
      "大型文档会被分成若干块，每一块单独生成摘要，然后再把这些摘要合并成一个最终的摘要。",
      "Москва — столица России. Это крупнейший город страны. ",
      "Launch day! 🚀🎉 Thanks to everyone who helped 🙏 #launch #startup ",
  };
  std::string doc;
  doc.reserve(bytes + 1024);
  std::size_t k = 0;
  while (doc.size() < bytes) {
    doc += paragraphs[k % std::size(paragraphs)];
    if (++k % 5 == 0) doc += "\n\n";
  }
  return doc;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string doc;
  if (argc > 1) {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", argv[1]);
      return 2;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    doc = buf.str();
  } else {
    doc = make_document(100u * 1024 * 1024);
  }
  const double mb = static_cast<double>(doc.size()) / (1024.0 * 1024.0);
  const bedrock::content::TokenEstimator est(bedrock::content::kClaudeProfile);

  auto t0 = std::chrono::steady_clock::now();
  const long long tokens = est.estimate(doc);
  const double t_est = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto plan = bedrock::content::plan_chunks(doc, est, {4000, 100});
  const double t_plan = seconds_since(t0);
  // CPU time too: on a shared machine wall time includes waiting for a core.
  const double cpu_plan = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (!plan) {
    std::fprintf(stderr, "chunking failed: %s\n", plan.error().message.c_str());
    return 1;
  }
  std::printf("input              %.1f MB\n", mb);
  std::printf("estimate           %.3f s  (%.0f MB/s)  %lld tokens\n", t_est, mb / t_est, tokens);
  std::printf(
      "plan_chunks        %.3f s  (%.0f MB/s, %.3f s CPU)  %zu chunks of <= 4000 tokens, "
      "overlap 100\n",
      t_plan, mb / t_plan, cpu_plan, plan->chunks.size());
  std::printf("chunk plan tokens  %lld (text counted once)\n", plan->total_tokens);
  // plan_chunks estimates as it cuts, so one call is the whole "chunking + estimation" cost.
  std::printf("chunking+estimation of the input: %.3f s (target for 100 MB: < 1 s) %s\n", t_plan,
              t_plan < 1.0 * mb / 100.0 ? "OK" : "SLOW");
  return 0;
}
