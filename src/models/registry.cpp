#include "bedrock/models/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace bedrock::models {
namespace {

using F = ModelFamily;

// Bedrock's modelId constraint (service model: length 1-2048).
constexpr std::size_t kMaxModelIdLength = 2048;

// Reference §7: us./eu./apac./global. are certain; the rest are listed by AWS for some
// profiles but unverified here. Accepting them costs nothing: the id is sent as given.
constexpr std::array<std::string_view, 8> kGeoPrefixes{"us",     "eu", "apac", "global",
                                                       "us-gov", "ca", "jp",   "au"};

struct ProviderRule {
  std::string_view prefix;
  F family;
};

// Longest prefix first where one provider prefix extends another (command-r vs command).
constexpr std::array<ProviderRule, 12> kProviderRules{{
    {"anthropic.", F::AnthropicMessages},
    {"amazon.titan-text", F::TitanText},
    {"amazon.nova", F::Nova},
    {"meta.llama2", F::Llama2},
    {"meta.llama3", F::Llama3},
    {"mistral.", F::MistralChat},
    {"cohere.command-r", F::CohereCommandR},
    {"cohere.command", F::CohereCommand},
    {"ai21.j2", F::Ai21Jurassic},
    {"ai21.jamba", F::Ai21Jamba},
    {"deepseek.", F::DeepSeek},
    {"openai.", F::OpenAiGptOss},
}};

std::optional<F> family_by_provider(std::string_view base_id) {
  for (const auto& rule : kProviderRules) {
    if (base_id.starts_with(rule.prefix)) return rule.family;
  }
  return std::nullopt;
}

// Splits "us.anthropic.claude..." into ("us", "anthropic.claude..."); no prefix -> ("", id).
std::pair<std::string, std::string_view> split_geo(std::string_view id) {
  for (std::string_view geo : kGeoPrefixes) {
    if (id.size() > geo.size() + 1 && id.starts_with(geo) && id[geo.size()] == '.') {
      return {std::string(geo), id.substr(geo.size() + 1)};
    }
  }
  return {std::string(), id};
}

Status check_id_shape(std::string_view id) {
  if (id.empty()) return fail(ErrorCode::Validation, "model id is empty");
  if (id.size() > kMaxModelIdLength) {
    return fail(ErrorCode::Validation,
                fmt::format("model id is {} bytes long; Bedrock accepts at most {}", id.size(),
                            kMaxModelIdLength));
  }
  for (unsigned char c : id) {
    if (c <= 0x20 || c == 0x7f) {
      return fail(ErrorCode::Validation,
                  "model id contains whitespace or a control character; check for a stray "
                  "newline or space");
    }
  }
  return {};
}

struct ParsedArn {
  std::string resource_type;  // "foundation-model", "inference-profile", ...
  std::string tail;           // everything after the first '/'
};

// arn:PARTITION:bedrock:REGION:ACCOUNT:TYPE/TAIL. The tail itself contains ':' (model id
// versions), so only the first five separators split fields.
Result<ParsedArn> parse_arn(std::string_view arn) {
  std::array<std::string_view, 5> fields;
  std::string_view rest = arn;
  for (auto& field : fields) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
      return fail(ErrorCode::Validation, fmt::format("model ARN '{}' is malformed: expected "
                                                     "arn:aws:bedrock:REGION:ACCOUNT:TYPE/ID",
                                                     arn));
    }
    field = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  }
  if (fields[0] != "arn" || fields[1].empty() || fields[2] != "bedrock") {
    return fail(
        ErrorCode::Validation,
        fmt::format("model ARN '{}' is not a Bedrock ARN (expected arn:aws:bedrock:...)", arn));
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return fail(
        ErrorCode::Validation,
        fmt::format("model ARN '{}' has no resource (expected TYPE/ID after the account)", arn));
  }
  return ParsedArn{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

}  // namespace

ModelInfo conservative_defaults(ModelFamily family) {
  ModelInfo info;
  info.family = family;
  info.known = false;
  // Every Claude and Nova model released since prompt caching went GA takes it (§8.5).
  info.prompt_caching = family == F::AnthropicMessages || family == F::Nova;
  switch (family) {
    case F::AnthropicMessages:
      info.context_window = 200000;
      info.max_output_tokens = 4096;
      break;
    case F::AnthropicText:
      info.context_window = 100000;
      info.max_output_tokens = 4096;
      break;
    case F::TitanText:
      info.context_window = 4096;
      info.max_output_tokens = 3072;
      break;
    case F::Nova:
      info.context_window = 128000;
      info.max_output_tokens = 5000;
      break;
    case F::Llama2:
      info.context_window = 4096;
      info.max_output_tokens = 2048;
      break;
    case F::Llama3:
      info.context_window = 8192;
      info.max_output_tokens = 2048;
      break;
    case F::MistralText:
    case F::MistralChat:
      info.context_window = 32000;
      info.max_output_tokens = 4096;
      break;
    case F::CohereCommand:
      info.context_window = 4096;
      info.max_output_tokens = 4096;
      break;
    case F::CohereCommandR:
      info.context_window = 128000;
      info.max_output_tokens = 4096;
      break;
    case F::Ai21Jurassic:
      info.context_window = 8191;
      info.max_output_tokens = 8191;
      break;
    case F::Ai21Jamba:
      info.context_window = 70000;
      info.max_output_tokens = 4096;
      break;
    case F::DeepSeek:
      info.context_window = 128000;
      info.max_output_tokens = 8192;
      break;
    case F::OpenAiGptOss:
      info.context_window = 128000;
      info.max_output_tokens = 16384;
      break;
  }
  return info;
}

ModelRegistry::ModelRegistry(std::vector<ModelInfo> models) : models_(std::move(models)) {}

const ModelInfo* ModelRegistry::find(std::string_view base_id) const {
  const auto it = std::find_if(models_.begin(), models_.end(),
                               [&](const ModelInfo& m) { return m.id == base_id; });
  return it == models_.end() ? nullptr : &*it;
}

Result<ResolvedModel> ModelRegistry::resolve(std::string_view model_id,
                                             std::optional<ModelFamily> family) const {
  if (auto shape = check_id_shape(model_id); !shape) return fail(shape.error());

  ResolvedModel out;
  out.requested_id = std::string(model_id);
  std::string_view lookup = model_id;
  std::string arn_tail;
  // Whether `lookup` is a model id (as opposed to an opaque profile/deployment id).
  bool tail_is_model_id = true;

  if (model_id.starts_with("arn:")) {
    auto arn = parse_arn(model_id);
    if (!arn) return fail(arn.error());
    out.arn_resource = arn->resource_type;
    arn_tail = std::move(arn->tail);
    lookup = arn_tail;
    if (out.arn_resource == "custom-model") {
      // custom-model/BASE_ID[:ctx]/SUFFIX: the base id names the request format.
      lookup = lookup.substr(0, lookup.find('/'));
    } else if (out.arn_resource != "foundation-model" && out.arn_resource != "inference-profile") {
      tail_is_model_id = false;
    }
  }

  if (!tail_is_model_id) {
    out.base_id = arn_tail;
    if (!family) {
      return fail(ErrorCode::Validation,
                  fmt::format("model ARN '{}' names a {} whose id does not reveal the model "
                              "family; pass the family explicitly (e.g. --family "
                              "anthropic-messages)",
                              model_id, out.arn_resource));
    }
    out.info = conservative_defaults(*family);
    out.info.id = arn_tail;
    return out;
  }

  auto [geo, base] = split_geo(lookup);
  out.geo_prefix = std::move(geo);
  out.base_id = std::string(base);

  const ModelInfo* row = out.arn_resource == "custom-model" ? nullptr : find(out.base_id);
  if (row != nullptr) {
    out.info = *row;
    if (family) out.info.family = *family;
    return out;
  }

  std::optional<F> inferred = family ? family : family_by_provider(out.base_id);
  if (!inferred) {
    return fail(ErrorCode::ResourceNotFound,
                fmt::format("model '{}' is not a known Bedrock text model and its provider "
                            "prefix is not recognised; check the id or pass the family",
                            model_id));
  }
  out.info = conservative_defaults(*inferred);
  out.info.id = out.base_id;
  out.info.display_name = out.base_id;
  return out;
}

double estimate_cost(const ModelInfo& model, int input_tokens, int output_tokens) {
  const double in = std::max(input_tokens, 0);
  const double out = std::max(output_tokens, 0);
  return in / 1000.0 * model.input_price_per_1k + out / 1000.0 * model.output_price_per_1k;
}

double estimate_cost(const ModelInfo& model, const TokenUsage& usage) {
  const auto rate = [&](double cached) { return cached > 0 ? cached : model.input_price_per_1k; };
  const double read = std::max(usage.cache_read_input_tokens, 0);
  const int write = std::max(usage.cache_write_input_tokens, 0);
  // A 1h count above the total is a peer's inconsistency: the total bounds what is billed.
  const int write_1h = std::clamp(usage.cache_write_1h_input_tokens.value_or(0), 0, write);
  const double write_5m_rate = rate(model.cache_write_price_per_1k);
  const double write_1h_rate =
      model.cache_write_1h_price_per_1k > 0 ? model.cache_write_1h_price_per_1k : write_5m_rate;
  return estimate_cost(model, usage.input_tokens, usage.output_tokens) +
         read / 1000.0 * rate(model.cache_read_price_per_1k) +
         (write - write_1h) / 1000.0 * write_5m_rate + write_1h / 1000.0 * write_1h_rate;
}

TokenUsage with_requested_ttl(TokenUsage usage, const Prompt& prompt) {
  if (usage.cache_write_1h_input_tokens) return usage;
  std::optional<CachePoint> last = prompt.tools.cache_point;
  if (prompt.system_cache_point) last = prompt.system_cache_point;
  for (const Message& m : prompt.messages) {
    if (m.cache_point) last = m.cache_point;
  }
  const bool one_hour = last && last->ttl == CacheTtl::OneHour;
  usage.cache_write_1h_input_tokens = one_hour ? std::max(usage.cache_write_input_tokens, 0) : 0;
  return usage;
}

double estimate_cost(const ModelInfo& model, const TokenUsage& usage, const Prompt& prompt) {
  return estimate_cost(model, with_requested_ttl(usage, prompt));
}

bool needs_inference_profile(std::string_view base_id) {
  // Models AWS lists as in-region on-demand "no" (cross-region inference only); §10 marks
  // Nova Premier, Llama 3.3 70B and DeepSeek-R1, the rest are AWS's supported-models table.
  // The emulator refuses the same ids, so client and emulator agree by construction.
  static constexpr std::array<std::string_view, 11> kProfileOnly = {
      "amazon.nova-premier-v1:0",
      "anthropic.claude-3-7-sonnet-20250219-v1:0",
      "anthropic.claude-haiku-4-5-20251001-v1:0",
      "anthropic.claude-opus-4-20250514-v1:0",
      "anthropic.claude-sonnet-4-20250514-v1:0",
      "deepseek.r1-v1:0",
      "meta.llama3-2-11b-instruct-v1:0",
      "meta.llama3-2-1b-instruct-v1:0",
      "meta.llama3-2-3b-instruct-v1:0",
      "meta.llama3-2-90b-instruct-v1:0",
      "meta.llama3-3-70b-instruct-v1:0",
  };
  static_assert(std::is_sorted(kProfileOnly.begin(), kProfileOnly.end()));
  return std::binary_search(kProfileOnly.begin(), kProfileOnly.end(), base_id);
}

std::vector<std::string> inference_profile_prefixes(std::string_view region) {
  std::vector<std::string> out;
  if (region.starts_with("us-") && !region.starts_with("us-gov-")) {
    out.emplace_back("us");
  } else if (region.starts_with("eu-")) {
    out.emplace_back("eu");
  } else if (region.starts_with("ap-")) {
    out.emplace_back("apac");
  }
  out.emplace_back("global");
  return out;
}

}  // namespace bedrock::models
