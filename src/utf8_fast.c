/* The longest valid UTF-8 prefix of a buffer, sixteen bytes at a time.
 *
 * The check is the lookup algorithm of Keiser and Lemire ("Validating UTF-8
 * in less than one instruction per byte", 2021): three table lookups on the
 * nibbles of each byte and of the byte before it classify every error that
 * involves two bytes, and a comparison with the bytes two and three back
 * finds the continuation bytes a three- or four-byte sequence needs. It runs
 * where the processor has SSSE3 (pshufb); elsewhere the prefix is empty and
 * the byte-at-a-time validator in decode.c does all the work. */
#include "hw_utf8_fast.h"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_SSSE3_PATH 1
#include <tmmintrin.h>
#endif

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

#define TABLE(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                      \
    _mm_setr_epi8((char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g),     \
                  (char)(h), (char)(i), (char)(j), (char)(k), (char)(l), (char)(m), (char)(n),     \
                  (char)(o), (char)(p))

__attribute__((target("ssse3"))) static __m128i block_errors(__m128i in, __m128i prev) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    /* the previous byte's high nibble */
    const __m128i byte_1_high_tbl = TABLE(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS,
        TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
        TOO_SHORT | OVERLONG_3 | SURROGATE, TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    /* the previous byte's low nibble */
    const __m128i byte_1_low_tbl =
        TABLE(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
              CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000,
              CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
              CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
              CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
              CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
              CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);
    /* this byte's high nibble */
    const __m128i byte_2_high_tbl = TABLE(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
        TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_SHORT);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i b1h = _mm_shuffle_epi8(byte_1_high_tbl, _mm_and_si128(_mm_srli_epi16(prev1, 4), low4));
    __m128i b1l = _mm_shuffle_epi8(byte_1_low_tbl, _mm_and_si128(prev1, low4));
    __m128i b2h = _mm_shuffle_epi8(byte_2_high_tbl, _mm_and_si128(_mm_srli_epi16(in, 4), low4));
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

__attribute__((target("ssse3,popcnt"))) static size_t prefix_ssse3(const unsigned char *p, size_t n,
                                                                   uint64_t *nlead) {
    const __m128i zero = _mm_setzero_si128();
    /* lead bytes C0..FF are those above 3F once 80 is flipped (signed compare) */
    const __m128i flip = _mm_set1_epi8((char)0x80);
    const __m128i above = _mm_set1_epi8(0x3F);
    __m128i prev = zero;
    size_t i = 0;
    uint64_t leads = 0;
    while (i + 16 <= n) {
        __m128i in = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(block_errors(in, prev), zero)) != 0xFFFF)
            break;
        __m128i lead = _mm_cmpgt_epi8(_mm_xor_si128(in, flip), above);
        leads += (uint64_t)__builtin_popcount((unsigned)_mm_movemask_epi8(lead));
        prev = in;
        i += 16;
    }
    size_t end = back_to_boundary(p, i);
    /* the lead of a sequence cut off at the end is not counted */
    for (size_t k = end; k < i; k++)
        if (p[k] >= 0xC0)
            leads--;
    *nlead = leads;
    return end;
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

size_t hw_utf8_valid_prefix(const unsigned char *p, size_t n, uint64_t *nlead) {
    *nlead = 0;
#ifdef HAVE_SSSE3_PATH
    if (hw_utf8_fast_available())
        return prefix_ssse3(p, n, nlead);
#endif
    (void)p;
    (void)n;
    return 0;
}
