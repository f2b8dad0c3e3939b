#include "crypto.h"

// SHA-256 through the low-level SHA256_* functions, which OpenSSL 3 marks deprecated but
// still ships: its EVP layer allocates and frees a provider context on every digest init,
// and sign() hashes four times per request (in the bench/client profile, EVP digests were
// about a third of the signer's time and most of its OpenSSL allocations). The low-level
// context lives on the stack and runs the same SHA-NI/AVX code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>
#include <stdexcept>

namespace bedrock::auth::detail {
namespace {

constexpr size_t kBlockSize = 64;  // SHA-256 block size, the HMAC key pad length
constexpr size_t kDigestSize = 32;
static_assert(SHA256_DIGEST_LENGTH == kDigestSize && SHA256_CBLOCK == kBlockSize);

// digest = SHA-256(a || b). Failures mean a broken OpenSSL, which no caller can handle, so
// they are reported like std::bad_alloc.
void sha256_two(std::string_view a, std::string_view b, unsigned char* digest) {
  SHA256_CTX ctx;
  if (SHA256_Init(&ctx) != 1 || SHA256_Update(&ctx, a.data(), a.size()) != 1 ||
      SHA256_Update(&ctx, b.data(), b.size()) != 1 || SHA256_Final(digest, &ctx) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  OPENSSL_cleanse(&ctx, sizeof(ctx));  // it held HMAC key material
}

void write_hex(const unsigned char* bytes, std::size_t n, char* hex) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)).
void hmac_sha256_raw(std::string_view key, std::string_view message, unsigned char* outer) {
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
  sha256_two(std::string_view(reinterpret_cast<const char*>(pad), kBlockSize),
             std::string_view(reinterpret_cast<const char*>(inner), kDigestSize), outer);
  OPENSSL_cleanse(block, sizeof(block));
  OPENSSL_cleanse(pad, sizeof(pad));
}

}  // namespace

std::string sha256_raw(std::string_view bytes) {
  unsigned char digest[kDigestSize];
  sha256_two(bytes, {}, digest);
  return std::string(reinterpret_cast<const char*>(digest), kDigestSize);
}

std::string sha256_hex(std::string_view bytes) {
  std::string hex(kHexDigestSize, '0');
  sha256_hex_into(bytes, hex.data());
  return hex;
}

void sha256_hex_into(std::string_view bytes, char* hex) {
  unsigned char digest[kDigestSize];
  sha256_two(bytes, {}, digest);
  write_hex(digest, kDigestSize, hex);
}

void hmac_sha256_hex_into(std::string_view key, std::string_view message, char* hex) {
  unsigned char digest[kDigestSize];
  hmac_sha256_raw(key, message, digest);
  write_hex(digest, kDigestSize, hex);
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char digest[kDigestSize];
  hmac_sha256_raw(key, message, digest);
  return std::string(reinterpret_cast<const char*>(digest), kDigestSize);
}

std::string to_hex(std::string_view bytes) {
  std::string out(bytes.size() * 2, '0');
  write_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out.data());
  return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bedrock::auth::detail
