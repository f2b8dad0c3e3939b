#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace bedrock::auth::detail {
namespace {

constexpr size_t kBlockSize = 64;  // SHA-256 block size, the HMAC key pad length
constexpr size_t kDigestSize = 32;

// OpenSSL 3 resolves an algorithm by name on every implicit EVP_sha256() use; fetching it
// once and reusing one digest context per thread keeps a signature in the low microseconds
// (the client benchmark signs every request). Failures here mean a broken OpenSSL install,
// which no caller can handle, so they are reported like std::bad_alloc.
const EVP_MD* sha256_md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL: SHA256 unavailable");
    return fetched;
  }();
  return md;
}

struct ContextDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* thread_context() {
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::runtime_error("OpenSSL: cannot allocate a digest context");
  return ctx.get();
}

// digest = SHA-256(a || b)
void sha256_two(std::string_view a, std::string_view b, unsigned char* digest) {
  EVP_MD_CTX* ctx = thread_context();
  unsigned int length = 0;
  if (EVP_DigestInit_ex(ctx, sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx, b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &length) != 1 || length != kDigestSize) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
}

}  // namespace

std::string sha256_raw(std::string_view bytes) {
  unsigned char digest[kDigestSize];
  sha256_two(bytes, {}, digest);
  return std::string(reinterpret_cast<const char*>(digest), kDigestSize);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[kDigestSize];
  sha256_two(bytes, {}, digest);
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), kDigestSize));
}

// RFC 2104 over the pre-fetched digest: H((K ^ opad) || H((K ^ ipad) || m)).
std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char block[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    sha256_two(key, {}, block);
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char pad[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x36;
  unsigned char inner[kDigestSize];
  sha256_two(std::string_view(reinterpret_cast<const char*>(pad), kBlockSize), message, inner);
  for (size_t i = 0; i < kBlockSize; ++i) pad[i] = block[i] ^ 0x5c;
  unsigned char outer[kDigestSize];
  sha256_two(std::string_view(reinterpret_cast<const char*>(pad), kBlockSize),
             std::string_view(reinterpret_cast<const char*>(inner), kDigestSize), outer);
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
  return std::string(reinterpret_cast<const char*>(outer), kDigestSize);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bedrock::auth::detail
