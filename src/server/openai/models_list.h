// GET /v1/models in OpenAI's list shape. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock::server::openai {

// {"object":"list","data":[{"id","object":"model","created","owned_by"}...]} with one entry per
// name, in order; owned_by is the provider of the model the name stands for ("anthropic" for
// "us.anthropic.claude-..." or an alias of it), "bedrock" when it has none.
// `resolved[i]` is the model id names[i] stands for (itself unless it is an alias).
std::string models_list_json(const std::vector<std::string>& names,
                             const std::vector<std::string>& resolved, std::int64_t created);

// The provider of a model id, an inference profile or an ARN ("anthropic", "amazon", "meta");
// empty when the id names none.
std::string_view model_provider(std::string_view model_id);

}  // namespace bedrock::server::openai
