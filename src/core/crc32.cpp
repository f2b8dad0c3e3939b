#include "bedrock/core/crc32.h"

#include <array>
#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BEDROCK_CRC32_CLMUL 1
#include <immintrin.h>
#endif

namespace bedrock {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0xEDB88320u;

// tables[0] is the classic byte-at-a-time table; tables[k][b] is the CRC contribution of byte b
// followed by k zero bytes, which lets eight bytes be looked up independently (slice-by-8).
using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int bit = 0; bit < 8; ++bit) c = (c >> 1) ^ ((c & 1u) ? kReflectedPolynomial : 0u);
    t[0][b] = c;
  }
  for (std::size_t k = 1; k < t.size(); ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
    }
  }
  return t;
}

constexpr Tables kTables = make_tables();

// Byte order is spelled out so the tables work on any host; compilers turn this into one load.
std::uint32_t load_le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// `state` is the CRC register (the running CRC with its final XOR undone).
std::uint32_t slice_by_8(const unsigned char* p, std::size_t n, std::uint32_t state) {
  const auto& t = kTables;
  for (; n >= 8; n -= 8, p += 8) {
    const std::uint32_t lo = state ^ load_le32(p);
    const std::uint32_t hi = load_le32(p + 4);
    state = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^ t[4][lo >> 24] ^
            t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^ t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
  }
  // The fold leaves up to 15 bytes: one 4-byte step keeps the serial byte loop to 3 at most.
  if (n >= 4) {
    const std::uint32_t word = state ^ load_le32(p);
    state = t[3][word & 0xFFu] ^ t[2][(word >> 8) & 0xFFu] ^ t[1][(word >> 16) & 0xFFu] ^
            t[0][word >> 24];
    p += 4;
    n -= 4;
  }
  for (; n > 0; --n, ++p) state = (state >> 8) ^ t[0][(state ^ *p) & 0xFFu];
  return state;
}

#ifdef BEDROCK_CRC32_CLMUL

// Folding with carry-less multiplication (Gopal, Ozturk et al., "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction", Intel, 2009), in the bit-reflected domain. The
// constants are x^k mod P for the fold distances the paper lists for this polynomial: 4x128
// bits (k1, k2), 128 bits (k3, k4), 64 bits (k5), then P and mu for the Barrett reduction.
constexpr long long kFold4x128Lo = 0x154442BD4;
constexpr long long kFold4x128Hi = 0x1C6E41596;
constexpr long long kFold128Lo = 0x1751997D0;
constexpr long long kFold128Hi = 0x0CCAA009E;
constexpr long long kFold64 = 0x163CD6124;
constexpr long long kPolynomial = 0x1DB710641;
constexpr long long kBarrettMu = 0x1F7011641;

__attribute__((target("pclmul,sse4.1"))) inline __m128i fold(__m128i acc, __m128i k, __m128i next) {
  const __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
  const __m128i hi = _mm_clmulepi64_si128(acc, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i load(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// The CRC register after `n` bytes, n a non-zero multiple of 16.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t clmul_fold(const unsigned char* p,
                                                                  std::size_t n,
                                                                  std::uint32_t state) {
  const __m128i fold128 = _mm_set_epi64x(kFold128Hi, kFold128Lo);
  __m128i acc = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  p += 16;
  n -= 16;
  if (n >= 48) {
    // Four independent lanes hide the multiplier's latency; they fold into one at the end.
    const __m128i fold4 = _mm_set_epi64x(kFold4x128Hi, kFold4x128Lo);
    __m128i a1 = load(p);
    __m128i a2 = load(p + 16);
    __m128i a3 = load(p + 32);
    p += 48;
    n -= 48;
    for (; n >= 64; n -= 64, p += 64) {
      acc = fold(acc, fold4, load(p));
      a1 = fold(a1, fold4, load(p + 16));
      a2 = fold(a2, fold4, load(p + 32));
      a3 = fold(a3, fold4, load(p + 48));
    }
    acc = fold(acc, fold128, a1);
    acc = fold(acc, fold128, a2);
    acc = fold(acc, fold128, a3);
  }
  for (; n >= 16; n -= 16, p += 16) acc = fold(acc, fold128, load(p));

  // 128 bits to 64: the low half times x^96 mod P (k4) folds onto the high half.
  const __m128i low32_of_each = _mm_setr_epi32(-1, 0, -1, 0);
  acc = _mm_xor_si128(_mm_srli_si128(acc, 8), _mm_clmulepi64_si128(acc, fold128, 0x10));
  // 64 bits to 32 bits plus 64 for the reduction: the low word times x^64 mod P (k5).
  const __m128i fold64 = _mm_set_epi64x(0, kFold64);
  acc = _mm_xor_si128(_mm_srli_si128(acc, 4),
                      _mm_clmulepi64_si128(_mm_and_si128(acc, low32_of_each), fold64, 0x00));
  // Barrett reduction to the 32-bit remainder.
  const __m128i barrett = _mm_set_epi64x(kBarrettMu, kPolynomial);
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(acc, low32_of_each), barrett, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32_of_each), barrett, 0x00);
  acc = _mm_xor_si128(acc, t);
  return static_cast<std::uint32_t>(_mm_extract_epi32(acc, 1));
}

bool cpu_has_clmul() {
  // Needed when this runs from a static initialiser, before libgcc's own has filled the model.
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

const bool kHasClmul = cpu_has_clmul();

// Below this the fold's fixed cost (reductions, constant loads) exceeds the table's per-byte cost.
constexpr std::size_t kClmulMinimumBytes = 32;

#endif

}  // namespace

std::uint32_t crc32_portable(std::string_view bytes, std::uint32_t running) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  return ~slice_by_8(p, bytes.size(), ~running);
}

std::uint32_t crc32(std::string_view bytes, std::uint32_t running) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::uint32_t state = ~running;
#ifdef BEDROCK_CRC32_CLMUL
  if (kHasClmul && n >= kClmulMinimumBytes) {
    const std::size_t whole = n & ~std::size_t{15};
    state = clmul_fold(p, whole, state);
    p += whole;
    n -= whole;
  }
#endif
  return ~slice_by_8(p, n, state);
}

}  // namespace bedrock
