#include "server/api/generation_plan.h"

#include <utility>

namespace bedrock::server::api {
namespace {

// A plan of exactly one call: `Finish` turns its output into the answer's fields.
template <typename Finish>
class OneCall final : public GenerationPlan {
 public:
  OneCall(content::TaskCall call, Finish finish)
      : call_(std::move(call)), finish_(std::move(finish)) {}
  std::optional<content::TaskCall> next() override {
    if (sent_) return std::nullopt;
    sent_ = true;
    return call_;
  }
  Status take(content::CallOutput out, bool streamed) override {
    auto fields = finish_(std::move(out), streamed);
    if (!fields) return fail(fields.error());
    fields_ = std::move(*fields);
    return {};
  }
  nlohmann::json fields() const override { return fields_; }

 private:
  content::TaskCall call_;
  Finish finish_;
  bool sent_ = false;
  nlohmann::json fields_;
};

template <typename Finish>
Result<std::unique_ptr<GenerationPlan>> one_call(Result<content::TaskCall> call, Finish finish) {
  if (!call) return fail(call.error());
  return std::unique_ptr<GenerationPlan>(
      std::make_unique<OneCall<Finish>>(std::move(*call), std::move(finish)));
}

nlohmann::json post_json(const content::SocialPost& p) {
  return {{"platform", std::string(content::platform_info(p.platform).name)},
          {"text", p.text},
          {"length", p.length},
          {"limit", p.limit},
          {"regenerated", p.regenerated},
          {"shortened", p.shortened}};
}

class SocialPlan final : public GenerationPlan {
 public:
  explicit SocialPlan(content::SocialInput input) : input_(std::move(input)) {}
  std::optional<content::TaskCall> next() override {
    if (retry_) return retry_;
    if (index_ >= input_.platforms.size()) return std::nullopt;
    draft_ = content::social_draft_call(input_, input_.platforms[index_]);
    return draft_;
  }
  Status take(content::CallOutput out, bool) override {
    if (retry_) {
      retry_.reset();
      finish_post(content::finish_social_retry(std::move(pending_), std::move(out)));
      return {};
    }
    content::SocialStep step =
        content::finish_social_draft(input_.platforms[index_], draft_, std::move(out));
    if (step.retry) {
      retry_ = std::move(step.retry);
      pending_ = std::move(step.post);
      return {};
    }
    finish_post(std::move(step.post));
    return {};
  }
  nlohmann::json fields() const override { return {{"posts", posts_}}; }
  std::optional<nlohmann::json> announce(const content::TaskCall& call) const override {
    return nlohmann::json{
        {"platform", std::string(content::platform_info(input_.platforms[index_]).name)},
        {"step", call.template_name == "retry" ? "rewrite" : "draft"}};
  }

 private:
  void finish_post(content::SocialPost post) {
    posts_.push_back(post_json(post));
    ++index_;
  }
  content::SocialInput input_;
  std::size_t index_ = 0;
  content::TaskCall draft_;
  std::optional<content::TaskCall> retry_;
  content::SocialPost pending_;
  nlohmann::json posts_ = nlohmann::json::array();
};

}  // namespace

nlohmann::json summary_fields(const content::Summary& s) {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& c : s.failed_chunks)
    failed.push_back({{"chunk", c.index}, {"reason", c.reason}});
  return {{"summary", s.text},  {"chunked", s.chunked},
          {"chunks", s.chunks}, {"reduce_levels", s.reduce_levels},
          {"cut", s.cut},       {"failed_chunks", failed}};
}

Result<std::unique_ptr<GenerationPlan>> summarize_plan(const SummarizeRequest& request) {
  const int max_words = request.input.max_words;
  return one_call(content::summarize_call(request.input),
                  [max_words](content::CallOutput out, bool) -> Result<nlohmann::json> {
                    return summary_fields(content::finish_summary(std::move(out), max_words));
                  });
}

Result<std::unique_ptr<GenerationPlan>> rephrase_plan(const RephraseRequest& request) {
  return one_call(content::rephrase_call(request.input),
                  [input = request.input](content::CallOutput out, bool) -> Result<nlohmann::json> {
                    const content::Rephrased r = content::finish_rephrase(input, std::move(out));
                    return nlohmann::json{{"rephrased_text", r.text},
                                          {"style", r.style},
                                          {"builtin_style", r.builtin_style}};
                  });
}

Result<std::unique_ptr<GenerationPlan>> expand_plan(const ExpandRequest& request) {
  return one_call(content::expand_call(request.input),
                  [input = request.input](content::CallOutput out, bool) -> Result<nlohmann::json> {
                    const content::Expanded e = content::finish_expand(input, std::move(out));
                    return nlohmann::json{{"expanded_text", e.text()},
                                          {"paragraphs", e.paragraphs},
                                          {"one_per_bullet", e.one_per_bullet}};
                  });
}

Result<std::unique_ptr<GenerationPlan>> blog_plan(const BlogRequest& request) {
  return one_call(
      content::blog_call(request.input),
      [input = request.input](content::CallOutput out, bool streamed) -> Result<nlohmann::json> {
        auto post = content::finish_blog(input, std::move(out), streamed);
        if (!post) return fail(post.error());
        nlohmann::json sections = nlohmann::json::array();
        for (const auto& s : post->sections)
          sections.push_back({{"heading", s.heading}, {"body", s.body}});
        return nlohmann::json{{"title", post->title},
                              {"introduction", post->introduction},
                              {"sections", sections},
                              {"word_count", post->word_count},
                              {"target_words", {post->target.min, post->target.max}},
                              {"markdown", post->markdown}};
      });
}

Result<std::unique_ptr<GenerationPlan>> product_plan(const ProductRequest& request) {
  return one_call(content::product_call(request.input),
                  [input = request.input](content::CallOutput out, bool) -> Result<nlohmann::json> {
                    const content::ProductDescription d =
                        content::finish_product(input, std::move(out));
                    return nlohmann::json{{"description", d.text},
                                          {"word_count", d.word_count},
                                          {"target_words", {d.target.min, d.target.max}}};
                  });
}

Result<std::unique_ptr<GenerationPlan>> social_plan(const SocialRequest& request) {
  if (auto ok = content::check_social_input(request.input); !ok) return fail(ok.error());
  return std::unique_ptr<GenerationPlan>(std::make_unique<SocialPlan>(request.input));
}

}  // namespace bedrock::server::api
