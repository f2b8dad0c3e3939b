// Bedrock Runtime host names from the region, as the service's endpoint rules derive them
// (docs/wire-protocol.md §1.1; partitions from botocore's partitions.json).
#pragma once

#include <string>
#include <string_view>

namespace bedrock::config {

struct Partition {
  std::string_view id;                     // "aws", "aws-cn", "aws-us-gov", ...
  std::string_view dns_suffix;             // "amazonaws.com"
  std::string_view dual_stack_dns_suffix;  // "api.aws"
};

// The partition whose region pattern matches; unknown regions fall back to "aws", as in
// the endpoint rules (so a made-up region such as "local" still yields a URL).
const Partition& partition_for_region(std::string_view region);

// botocore's region-name check: 1-63 letters, digits and '-', not starting or ending in '-'.
bool is_valid_region_name(std::string_view region);

// https://bedrock-runtime[-fips].{region}.{dnsSuffix | dualStackDnsSuffix}
std::string default_endpoint(std::string_view region, bool use_fips, bool use_dualstack);

}  // namespace bedrock::config
