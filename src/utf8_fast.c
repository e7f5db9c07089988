/* The longest valid UTF-8 prefix of a buffer, sixteen bytes at a time.
 *
 * The check is the lookup algorithm of Keiser and Lemire ("Validating UTF-8
 * in less than one instruction per byte", 2021): three table lookups on the
 * nibbles of each byte and of the byte before it classify every error that
 * involves two bytes, and a comparison with the bytes two and three back
 * finds the continuation bytes a three- or four-byte sequence needs. It runs
 * thirty-two bytes at a time where the processor has AVX2, sixteen where it
 * has SSSE3 (pshufb); elsewhere the prefix is empty and the byte-at-a-time
 * validator in decode.c does all the work. */
#include "hw_utf8_fast.h"

#include <stdatomic.h>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_SSSE3_PATH 1
#include <immintrin.h>
#endif

/* hw_utf8_fast_wide(false) */
static atomic_bool narrow_only;

/* A lead byte whose sequence needs more bytes than are left in p[0..n):
 * the prefix ends before it. */
static size_t back_to_boundary(const unsigned char *p, size_t n) {
    for (size_t j = 1; j <= 3 && j <= n; j++) {
        unsigned char b = p[n - j];
        if (b < 0x80)
            return n; /* ASCII: every sequence before it is complete */
        if (b >= 0xC0) {
            size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return need > j ? n - j : n;
        }
    }
    return n;
}

#ifdef HAVE_SSSE3_PATH

/* The error classes of the lookup tables. */
enum {
    TOO_SHORT = 1 << 0,  /* a lead byte not followed by a continuation */
    TOO_LONG = 1 << 1,   /* ASCII followed by a continuation */
    OVERLONG_3 = 1 << 2, /* E0 followed by 80..9F */
    TOO_LARGE = 1 << 3,  /* F4 followed by 90..BF, or F5..FF */
    SURROGATE = 1 << 4,  /* ED followed by A0..BF */
    OVERLONG_2 = 1 << 5, /* C0 or C1 */
    TOO_LARGE_1000 = 1 << 6,
    OVERLONG_4 = 1 << 6, /* F0 followed by 80..8F */
    TWO_CONTS = 1 << 7,  /* two continuations in a row (fine after a 3/4-byte lead) */
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS,
};

/* The three lookup tables, indexed by a nibble: the previous byte's high
 * nibble, its low nibble, and this byte's high nibble. */
static const unsigned char tables[3][16] = {
    {TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS,
     TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
     TOO_SHORT | OVERLONG_3 | SURROGATE, TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4},
    {CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
     CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
     CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
     CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
     CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
     CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
     CARRY | TOO_LARGE | TOO_LARGE_1000},
    {TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
     TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
     TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
     TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
     TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT, TOO_SHORT,
     TOO_SHORT},
};

/* The errors of block in, whose sixteen bytes before are prev: zero where none. */
__attribute__((target("ssse3"))) static __m128i block_errors(__m128i in, __m128i prev) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i b1h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)tables[0]),
                                   _mm_and_si128(_mm_srli_epi16(prev1, 4), low4));
    __m128i b1l = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)tables[1]),
                                   _mm_and_si128(prev1, low4));
    __m128i b2h = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)tables[2]),
                                   _mm_and_si128(_mm_srli_epi16(in, 4), low4));
    __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
    /* Bytes two or three after a three- or four-byte lead must be
     * continuations: exactly where TWO_CONTS (bit 7) is expected. */
    __m128i prev2 = _mm_alignr_epi8(in, prev, 14);
    __m128i prev3 = _mm_alignr_epi8(in, prev, 13);
    __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23, special);
}

/* The same for thirty-two bytes: the tables are looked up in each 16-byte
 * lane, and the bytes before each lane come from the lane before it. */
__attribute__((target("avx2"))) static __m256i block_errors_wide(__m256i in, __m256i prev) {
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    __m256i before = _mm256_permute2x128_si256(prev, in, 0x21); /* prev's high lane, in's low */
    __m256i prev1 = _mm256_alignr_epi8(in, before, 15);
    __m256i b1h = _mm256_shuffle_epi8(
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)tables[0])),
        _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low4));
    __m256i b1l = _mm256_shuffle_epi8(
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)tables[1])),
        _mm256_and_si256(prev1, low4));
    __m256i b2h = _mm256_shuffle_epi8(
        _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)tables[2])),
        _mm256_and_si256(_mm256_srli_epi16(in, 4), low4));
    __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
    __m256i prev2 = _mm256_alignr_epi8(in, before, 14);
    __m256i prev3 = _mm256_alignr_epi8(in, before, 13);
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23, special);
}

/* Lead bytes C0..FF are those above 3F once 80 is flipped (signed compare). */
#define FLIP 0x80
#define ABOVE 0x3F

/* Checks p[i..n) sixteen bytes at a time from i, the sixteen bytes before
 * it being prev; adds the lead bytes of the valid blocks to *leads and
 * returns where the first block with an error (or the last whole block)
 * ends. */
__attribute__((target("ssse3,popcnt"))) static size_t
blocks(const unsigned char *p, size_t n, size_t i, __m128i prev, uint64_t *leads) {
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        __m128i in = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(block_errors(in, prev), zero)) != 0xFFFF)
            break;
        __m128i lead =
            _mm_cmpgt_epi8(_mm_xor_si128(in, _mm_set1_epi8((char)FLIP)), _mm_set1_epi8(ABOVE));
        *leads += (uint64_t)__builtin_popcount((unsigned)_mm_movemask_epi8(lead));
        prev = in;
        i += 16;
    }
    return i;
}

/* The prefix that ends between characters, of the i bytes the blocks found
 * valid; *nlead their lead bytes less those of a character cut off. */
static size_t finish(const unsigned char *p, size_t i, uint64_t leads, uint64_t *nlead) {
    size_t end = back_to_boundary(p, i);
    for (size_t k = end; k < i; k++)
        if (p[k] >= 0xC0)
            leads--;
    *nlead = leads;
    return end;
}

__attribute__((target("ssse3,popcnt"))) static size_t prefix_ssse3(const unsigned char *p, size_t n,
                                                                   uint64_t *nlead) {
    uint64_t leads = 0;
    size_t i = blocks(p, n, 0, _mm_setzero_si128(), &leads);
    return finish(p, i, leads, nlead);
}

/* Thirty-two bytes at a time; the block with an error, and the bytes left,
 * go on sixteen at a time. */
__attribute__((target("avx2,popcnt"))) static size_t prefix_avx2(const unsigned char *p, size_t n,
                                                                 uint64_t *nlead) {
    __m256i prev = _mm256_setzero_si256();
    size_t i = 0;
    uint64_t leads = 0;
    while (i + 32 <= n) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i err = block_errors_wide(in, prev);
        if (!_mm256_testz_si256(err, err))
            break;
        __m256i lead = _mm256_cmpgt_epi8(_mm256_xor_si256(in, _mm256_set1_epi8((char)FLIP)),
                                         _mm256_set1_epi8(ABOVE));
        leads += (uint64_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(lead));
        prev = in;
        i += 32;
    }
    i = blocks(p, n, i, _mm256_extracti128_si256(prev, 1), &leads);
    return finish(p, i, leads, nlead);
}

#endif

/* Asked on every call: the answer is read from the CPU model the runtime
 * filled in before main, so the worker threads share no state here. */
bool hw_utf8_fast_available(void) {
#ifdef HAVE_SSSE3_PATH
    return __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt");
#else
    return false;
#endif
}

bool hw_utf8_fast_wide_available(void) {
#ifdef HAVE_SSSE3_PATH
    return hw_utf8_fast_available() && __builtin_cpu_supports("avx2");
#else
    return false;
#endif
}

void hw_utf8_fast_wide(bool use) {
    atomic_store(&narrow_only, !use);
}

size_t hw_utf8_valid_prefix(const unsigned char *p, size_t n, uint64_t *nlead) {
    *nlead = 0;
#ifdef HAVE_SSSE3_PATH
    if (hw_utf8_fast_wide_available() && !atomic_load_explicit(&narrow_only, memory_order_relaxed))
        return prefix_avx2(p, n, nlead);
    if (hw_utf8_fast_available())
        return prefix_ssse3(p, n, nlead);
#endif
    (void)p;
    (void)n;
    return 0;
}
