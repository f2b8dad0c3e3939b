#include "server/api/attachment_models.h"

#include <fmt/format.h>

#include <vector>

#include "bedrock/content/model_limits.h"
#include "server/service.h"

namespace bedrock::server::api {

HttpResult<bool> check_attachment_models(const Service& service, content::Task task,
                                         const content::Attachments& attachments,
                                         const std::string& model) {
  if (attachments.empty()) return true;
  const content::TaskConfig& config = service.content_config().task(task);
  std::vector<std::string> chain{model.empty() ? config.model : model};
  chain.insert(chain.end(), config.fallbacks.begin(), config.fallbacks.end());
  static const content::LimitsLookup limits = content::registry_limits();
  for (const std::string& id : chain) {
    auto l = limits(id);
    if (!l) continue;  // an unknown model is the model call's to refuse
    if ((attachments.images.empty() || l->reads_images) &&
        (attachments.documents.empty() || l->reads_documents)) {
      return true;
    }
  }
  const std::string_view what = attachments.images.empty()      ? "documents"
                                : attachments.documents.empty() ? "pictures"
                                                                : "pictures and documents";
  return refuse(bad_field(
      "attachments",
      fmt::format("The field 'attachments' cannot go to {}: it reads no {}{}. Choose a model that "
                  "does (Claude 3, 3.7 or 4, Nova Lite or Pro{}).",
                  chain.front(), what, chain.size() > 1 ? ", nor do its fallbacks" : "",
                  attachments.images.empty() ? ", Claude 3.5 Haiku" : "")));
}

}  // namespace bedrock::server::api
