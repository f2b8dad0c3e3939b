// An /api/ endpoint's work as a sequence of model calls: next() says which call to make, take()
// receives its output, fields() gives the endpoint's own answer fields once next() has nothing
// left. The calls are built and finished by the content layer's split generators
// (generator_steps.h), so the answers equal the CLI's for the same input. A plan is used by
// one call at a time (never concurrently); it is not thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "bedrock/content/generator_steps.h"
#include "server/api/api_inputs.h"

namespace bedrock::server::api {

class GenerationPlan {
 public:
  virtual ~GenerationPlan() = default;
  // The next model call, or nullopt when the answer is complete.
  virtual std::optional<content::TaskCall> next() = 0;
  // The output of the call next() gave; `streamed` when its text went to the client as it came.
  // An error ends the request with it.
  virtual Status take(content::CallOutput out, bool streamed) = 0;
  // The endpoint's own fields (summary, rephrased_text, ...), after next() gave nullopt.
  virtual nlohmann::json fields() const = 0;
  // A streamed event announcing a call (social: the platform and whether it is a rewrite), sent
  // before the call's text; nullopt for none.
  virtual std::optional<nlohmann::json> announce(const content::TaskCall& call) const {
    (void)call;
    return std::nullopt;
  }
};

// Summarize in one call (the text fits, or chunking is "never"). Validation errors come from
// summarize_call, checked when the plan is made.
Result<std::unique_ptr<GenerationPlan>> summarize_plan(const SummarizeRequest& request);
Result<std::unique_ptr<GenerationPlan>> rephrase_plan(const RephraseRequest& request);
Result<std::unique_ptr<GenerationPlan>> expand_plan(const ExpandRequest& request);
Result<std::unique_ptr<GenerationPlan>> blog_plan(const BlogRequest& request);
Result<std::unique_ptr<GenerationPlan>> product_plan(const ProductRequest& request);
// One draft per platform, and a rewrite after each draft over the platform's limit.
Result<std::unique_ptr<GenerationPlan>> social_plan(const SocialRequest& request);

// The summarize answer's own fields, for one call or map-reduce.
nlohmann::json summary_fields(const content::Summary& summary);

}  // namespace bedrock::server::api
