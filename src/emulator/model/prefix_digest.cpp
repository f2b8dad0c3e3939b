#include "prefix_digest.h"

#include <openssl/evp.h>

#include <array>

namespace bedrock::emulator::model::detail {

void PrefixDigest::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

PrefixDigest::PrefixDigest() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
}

void PrefixDigest::add(std::string_view tag, std::string_view value) {
  EVP_DigestUpdate(ctx_.get(), tag.data(), tag.size());
  EVP_DigestUpdate(ctx_.get(), "\n", 1);
  EVP_DigestUpdate(ctx_.get(), value.data(), value.size());
  EVP_DigestUpdate(ctx_.get(), "\n", 1);
}

void PrefixDigest::add_json(std::string_view tag, const nlohmann::json& value) {
  add(tag, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string PrefixDigest::snapshot() const {
  std::unique_ptr<evp_md_ctx_st, Free> copy(EVP_MD_CTX_new());
  EVP_MD_CTX_copy_ex(copy.get(), ctx_.get());
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(copy.get(), md.data(), &length);
  return std::string(reinterpret_cast<const char*>(md.data()), length);
}

}  // namespace bedrock::emulator::model::detail
