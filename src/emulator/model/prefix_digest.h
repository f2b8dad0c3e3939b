// The digest that names a cached prompt prefix (emulator/prompt_cache_store.h): SHA-256 over
// tagged canonical pieces, shared by Converse cachePoint blocks (prompt_cache.h) and Anthropic
// cache_control blocks (anthropic_cache.h).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace bedrock::emulator::model::detail {

// Not copyable; snapshot() digests what was fed so far and lets feeding go on.
class PrefixDigest {
 public:
  PrefixDigest();
  // A dumped JSON value holds no raw newline, so tag '\n' value '\n' cannot be confused.
  void add(std::string_view tag, std::string_view value);
  // `value` as canonical JSON: sorted keys (nlohmann::json), compact.
  void add_json(std::string_view tag, const nlohmann::json& value);
  // The raw SHA-256 bytes of everything added so far.
  std::string snapshot() const;

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

}  // namespace bedrock::emulator::model::detail
