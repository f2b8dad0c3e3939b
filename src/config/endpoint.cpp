#include "endpoint.h"

#include <array>

namespace bedrock::config {
namespace {

// A partition's regions are "<prefix>-<word>-<digits>" (botocore's regexes
// ^prefix\-\w+\-\d+$), matched here by a linear scan: the region comes from the environment
// or a file, and std::regex recursed once per character of it.
struct PartitionRule {
  Partition partition;
  std::array<std::string_view, 9> prefixes;  // unused slots are empty
};

// botocore 1.43 data/partitions.json; every partition supports FIPS and dual-stack.
// "aws" comes last so the more specific "us-gov-"/"us-iso-" prefixes win (they do not overlap
// with it anyway, since the word part excludes '-').
constexpr std::array<PartitionRule, 8> kPartitions = {{
    {{"aws-us-gov", "amazonaws.com", "api.aws"}, {"us-gov"}},
    {{"aws-iso", "c2s.ic.gov", "api.aws.ic.gov"}, {"us-iso"}},
    {{"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"}, {"us-isob"}},
    {{"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"}, {"eu-isoe"}},
    {{"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov"}, {"us-isof"}},
    {{"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu"}, {"eusc-de"}},
    {{"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"}, {"cn"}},
    {{"aws", "amazonaws.com", "api.aws"}, {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"}},
}};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "<word>-<digits>" with both parts non-empty: the \w+\-\d+ of botocore's patterns.
bool is_word_dash_digits(std::string_view rest) {
  const auto dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == rest.size()) return false;
  for (char c : rest.substr(0, dash)) {
    if (!is_word_char(c)) return false;
  }
  for (char c : rest.substr(dash + 1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool matches(const PartitionRule& rule, std::string_view region) {
  for (std::string_view prefix : rule.prefixes) {
    if (!prefix.empty() && region.size() > prefix.size() && region.starts_with(prefix) &&
        region[prefix.size()] == '-' && is_word_dash_digits(region.substr(prefix.size() + 1))) {
      return true;
    }
  }
  return false;
}

}  // namespace

const Partition& partition_for_region(std::string_view region) {
  // Longer than any valid region name (is_valid_region_name's 63): no partition claims it.
  if (region.size() > 63) return kPartitions.back().partition;
  for (const auto& rule : kPartitions) {
    if (matches(rule, region)) return rule.partition;
  }
  return kPartitions.back().partition;
}

bool is_valid_region_name(std::string_view region) {
  if (region.empty() || region.size() > 63) return false;
  for (char c : region) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return region.front() != '-' && region.back() != '-';
}

std::string default_endpoint(std::string_view region, bool use_fips, bool use_dualstack) {
  const Partition& p = partition_for_region(region);
  std::string url = use_fips ? "https://bedrock-runtime-fips." : "https://bedrock-runtime.";
  url.append(region).append(".");
  url.append(use_dualstack ? p.dual_stack_dns_suffix : p.dns_suffix);
  return url;
}

}  // namespace bedrock::config
