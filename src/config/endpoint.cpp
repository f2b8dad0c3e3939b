#include "endpoint.h"

#include <array>
#include <regex>

namespace bedrock::config {
namespace {

struct PartitionRule {
  Partition partition;
  const char* region_regex;
};

// botocore 1.43 data/partitions.json; every partition supports FIPS and dual-stack.
// "aws" comes last among the matches so the more specific "us-gov-"/"us-iso-" patterns win
// (they do not overlap with it anyway, since \w excludes '-').
constexpr std::array<PartitionRule, 8> kPartitions = {{
    {{"aws-us-gov", "amazonaws.com", "api.aws"}, R"(^us\-gov\-\w+\-\d+$)"},
    {{"aws-iso", "c2s.ic.gov", "api.aws.ic.gov"}, R"(^us\-iso\-\w+\-\d+$)"},
    {{"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"}, R"(^us\-isob\-\w+\-\d+$)"},
    {{"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"}, R"(^eu\-isoe\-\w+\-\d+$)"},
    {{"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov"}, R"(^us\-isof\-\w+\-\d+$)"},
    {{"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu"}, R"(^eusc\-(de)\-\w+\-\d+$)"},
    {{"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"}, R"(^cn\-\w+\-\d+$)"},
    {{"aws", "amazonaws.com", "api.aws"}, R"(^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$)"},
}};

}  // namespace

const Partition& partition_for_region(std::string_view region) {
  static const std::array<std::regex, kPartitions.size()> patterns = [] {
    std::array<std::regex, kPartitions.size()> out;
    for (size_t i = 0; i < kPartitions.size(); ++i)
      out[i] = std::regex(kPartitions[i].region_regex);
    return out;
  }();
  // std::regex recurses once per character, so a region name from the environment or a file
  // is matched only at a length a real region has (is_valid_region_name's 63).
  if (region.size() > 63) return kPartitions.back().partition;
  std::string name(region);
  for (size_t i = 0; i < kPartitions.size(); ++i) {
    if (std::regex_match(name, patterns[i])) return kPartitions[i].partition;
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
