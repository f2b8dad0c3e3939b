#include "server/request_id.h"

#include <random>

namespace bedrock::server {

bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string request_id_for(std::string_view offered) {
  if (is_acceptable_request_id(offered)) return std::string(offered);
  // Unique, not secret: a per-thread 64-bit generator seeded once from the system.
  thread_local std::mt19937_64 generator{
      (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = generator();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) id[static_cast<std::size_t>(i)] = kHex[v & 0xf];
  return id;
}

}  // namespace bedrock::server
