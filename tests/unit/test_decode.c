/* Unit tests for the decode stage (src/decode.c). */
#define _GNU_SOURCE /* RTLD_NEXT, to wrap iconv_open below */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_decode.h"
#include "hw_utf8_fast.h"
#include "hw_util.h"

/* A string literal as (bytes, length). */
#define S(x) (const unsigned char *)(x), (sizeof(x) - 1)

/* ---------------------------------------------------------------------------
 * iconv_open and iconv wrappers: these definitions take precedence over the
 * C library's for the decoder linked into this program, so a test can make
 * iconv_open fail as it does on a system without the GB18030 converter, and
 * count the calls to iconv. */

static bool fail_iconv_open;
static int iconv_open_calls;
static long iconv_calls;

/* The C library's own function of that name, into *fn; false if none. */
static bool real_fn(const char *name, void *fn, size_t size) {
    void *sym = dlsym(RTLD_NEXT, name);
    if (sym)
        memcpy(fn, &sym, size);
    return sym != NULL;
}

typedef iconv_t (*iconv_open_fn)(const char *, const char *);

iconv_t iconv_open(const char *tocode, const char *fromcode) {
    static iconv_open_fn real;
    iconv_open_calls++;
    if (fail_iconv_open || (!real && !real_fn("iconv_open", &real, sizeof real))) {
        errno = EINVAL;
        return (iconv_t)-1;
    }
    return real(tocode, fromcode);
}

typedef size_t (*iconv_fn)(iconv_t, char **, size_t *, char **, size_t *);

size_t iconv(iconv_t cd, char **in, size_t *inleft, char **out, size_t *outleft) {
    static iconv_fn real;
    iconv_calls++;
    if (!real && !real_fn("iconv", &real, sizeof real)) {
        errno = EBADF;
        return (size_t)-1;
    }
    return real(cd, in, inleft, out, outleft);
}

/* ---------------------------------------------------------------------------
 * Helpers */

/* A deterministic random generator (xorshift64*). */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint32_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * UINT64_C(2685821657736338717)) >> 32);
}

static size_t rnd_below(size_t n) {
    return n ? (size_t)rnd() % n : 0;
}

static void print_hex(const char *what, const unsigned char *p, size_t n) {
    fprintf(stderr, "%s (%zu bytes):", what, n);
    size_t show = n < 200 ? n : 200;
    for (size_t i = 0; i < show; i++)
        fprintf(stderr, " %02x", p[i]);
    fprintf(stderr, "%s\n", show < n ? " ..." : "");
}

static void assert_same_bytes(const unsigned char *got, size_t gotlen, const unsigned char *exp,
                              size_t explen, const char *what, size_t chunk) {
    if (gotlen == explen && (explen == 0 || memcmp(got, exp, explen) == 0))
        return;
    size_t first = 0;
    while (first < gotlen && first < explen && got[first] == exp[first])
        first++;
    fprintf(stderr, "%s, chunk %zu: first difference at byte %zu\n", what, chunk, first);
    size_t from = first > 16 ? first - 16 : 0;
    print_hex("expected", exp + from, explen - from);
    print_hex("got     ", got + from, gotlen - from);
    fail_msg("%s: output differs (chunk size %zu)", what, chunk);
}

/* Feeds in[0..len) to a new decoder in pieces of the given sizes (cycled;
 * each piece is copied into its own heap block so that reading beyond it is
 * caught by the address sanitizer), then finishes. */
static void decode_pieces(hw_encoding enc, const unsigned char *in, size_t len, const size_t *sizes,
                          size_t nsizes, hw_buf *out, hw_encoding *used) {
    hw_decoder *d = hw_decoder_new(enc);
    assert_non_null(d);
    size_t i = 0, k = 0;
    while (i < len) {
        size_t c = sizes[k++ % nsizes];
        if (c == 0 || c > len - i)
            c = len - i;
        unsigned char *piece = malloc(c);
        assert_non_null(piece);
        memcpy(piece, in + i, c);
        hw_decoder_feed(d, piece, c, out);
        free(piece);
        i += c;
    }
    hw_decoder_finish(d, out);
    *used = hw_decoder_encoding(d);
    hw_decoder_free(d);
}

static void decode_chunk(hw_encoding enc, const unsigned char *in, size_t len, size_t chunk,
                         hw_buf *out, hw_encoding *used) {
    decode_pieces(enc, in, len, &chunk, 1, out, used);
}

/* Decodes in with every chunk size from 1 to len (a selection of sizes and
 * random cuttings when len is large) and checks that the output is always
 * exp and the encoding used is exp_enc. When exp_enc is decided, decoding
 * with it explicitly must give the same output too. */
static void check_decode(hw_encoding enc, const unsigned char *in, size_t len,
                         const unsigned char *exp, size_t explen, hw_encoding exp_enc) {
    hw_buf out;
    hw_buf_init(&out);
    hw_encoding used;
    char what[64];
    snprintf(what, sizeof what, "decode as %s", hw_encoding_name(enc));

    /* All at once. */
    decode_chunk(enc, in, len, len ? len : 1, &out, &used);
    assert_same_bytes((const unsigned char *)out.data, out.len, exp, explen, what, len);
    assert_int_equal(used, exp_enc);

    /* Every chunk size (or a selection for long inputs). */
    static const size_t big_sizes[] = {1,    2,     3,     4,     5,     7,     13,   16,
                                       17,   63,    64,    65,    1000,  4095,  4096, 4097,
                                       8191, 65535, 65536, 65537, 65538, 131072};
    size_t nchunks = len <= 4096 ? len : sizeof big_sizes / sizeof big_sizes[0];
    for (size_t k = 0; k < nchunks; k++) {
        size_t chunk = len <= 4096 ? k + 1 : big_sizes[k];
        hw_buf_clear(&out);
        decode_chunk(enc, in, len, chunk, &out, &used);
        assert_same_bytes((const unsigned char *)out.data, out.len, exp, explen, what, chunk);
        assert_int_equal(used, exp_enc);
    }

    /* Random cuttings. */
    size_t sizes[64];
    for (int round = 0; round < 20; round++) {
        size_t max = round % 2 ? 9 : (len < 200 ? 9 : len / 8 + 1);
        for (size_t k = 0; k < 64; k++)
            sizes[k] = 1 + rnd_below(max);
        hw_buf_clear(&out);
        decode_pieces(enc, in, len, sizes, 64, &out, &used);
        assert_same_bytes((const unsigned char *)out.data, out.len, exp, explen, what, 0);
        assert_int_equal(used, exp_enc);
    }

    /* The decided encoding from the start gives the same output. */
    if (enc == HW_ENC_AUTO && exp_enc != HW_ENC_AUTO) {
        hw_buf_clear(&out);
        decode_chunk(exp_enc, in, len, len ? len : 1, &out, &used);
        assert_same_bytes((const unsigned char *)out.data, out.len, exp, explen,
                          "explicit decided encoding", len);
        assert_int_equal(used, exp_enc);
    }
    hw_buf_free(&out);
}

/* Checks that in, decoded as GB18030, comes out as iconv decodes it one
 * character at a time (ref_gb_decode, below). */
static void ref_gb_decode(const unsigned char *p, size_t n, hw_buf *out);
static void check_gb_as_iconv(const hw_buf *in) {
    hw_buf exp;
    hw_buf_init(&exp);
    ref_gb_decode((const unsigned char *)in->data, in->len, &exp);
    check_decode(HW_ENC_GB18030, (const unsigned char *)in->data, in->len,
                 (const unsigned char *)exp.data, exp.len, HW_ENC_GB18030);
    hw_buf_free(&exp);
}

/* Reference UTF-8 decoder, written independently of the one under test: at
 * each position a complete valid sequence is copied, anything else is one bad
 * byte; a leading BOM is dropped. */
static size_t ref_utf8_seq(const unsigned char *p, size_t n) {
    unsigned b = p[0];
    size_t len;
    uint32_t cp;
    if (b < 0x80)
        return 1;
    if ((b & 0xE0) == 0xC0) {
        len = 2;
        cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        len = 3;
        cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        len = 4;
        cp = b & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t j = 1; j < len; j++) {
        if ((p[j] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[j] & 0x3F);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static void ref_utf8_decode(const unsigned char *p, size_t n, hw_buf *out) {
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n) {
        size_t k = ref_utf8_seq(p + i, n - i);
        if (k) {
            hw_buf_append(out, p + i, k);
            i += k;
        } else {
            unsigned char bad = HW_BAD_BYTE;
            hw_buf_append(out, &bad, 1);
            i++;
        }
    }
}

static bool ref_utf8_valid(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t k = ref_utf8_seq(p + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* Reference GB18030 decoder: one character at a time, asking iconv about at
 * most 4 bytes; a leading GB18030 BOM is dropped. */
static void ref_gb_decode(const unsigned char *p, size_t n, hw_buf *out) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    size_t i = 0;
    if (n >= 4 && memcmp(p, "\x84\x31\x95\x33", 4) == 0)
        i = 4;
    while (i < n) {
        if (p[i] < 0x80) {
            hw_buf_append(out, p + i, 1);
            i++;
            continue;
        }
        size_t done = 0;
        for (size_t k = 2; k <= 4 && i + k <= n; k++) {
            char *in = (char *)(uintptr_t)(p + i);
            size_t inleft = k;
            char buf[16];
            char *o = buf;
            size_t oleft = sizeof buf;
            size_t r = iconv(cd, &in, &inleft, &o, &oleft);
            if (r != (size_t)-1) {
                hw_buf_append(out, buf, (size_t)(o - buf));
                done = k;
                break;
            }
            if (errno != EINVAL)
                break;
        }
        if (done) {
            i += done;
        } else {
            unsigned char bad = HW_BAD_BYTE;
            hw_buf_append(out, &bad, 1);
            i++;
        }
    }
    iconv_close(cd);
}

static bool has_bad_byte(const hw_buf *b) {
    return memchr(b->data ? b->data : "", HW_BAD_BYTE, b->len) != NULL;
}

/* ---------------------------------------------------------------------------
 * Test data */

/* 三年级(2)班,数学,30分钟 */
static const unsigned char sample_utf8[] = {
    0xe4, 0xb8, 0x89, 0xe5, 0xb9, 0xb4, 0xe7, 0xba, 0xa7, 0x28, 0x32, 0x29, 0xe7, 0x8f, 0xad, 0x2c,
    0xe6, 0x95, 0xb0, 0xe5, 0xad, 0xa6, 0x2c, 0x33, 0x30, 0xe5, 0x88, 0x86, 0xe9, 0x92, 0x9f};
/* The same in GBK (printf ... | iconv -f utf-8 -t gbk | xxd -i). */
static const unsigned char sample_gbk[] = {0xc8, 0xfd, 0xc4, 0xea, 0xbc, 0xb6, 0x28, 0x32,
                                           0x29, 0xb0, 0xe0, 0x2c, 0xca, 0xfd, 0xd1, 0xa7,
                                           0x2c, 0x33, 0x30, 0xb7, 0xd6, 0xd6, 0xd3};

/* A buffer of n copies of c followed by tail[0..tlen). */
static unsigned char *padded(unsigned char c, size_t n, const unsigned char *tail, size_t tlen) {
    unsigned char *p = malloc(n + tlen + 1);
    assert_non_null(p);
    memset(p, c, n);
    if (tlen)
        memcpy(p + n, tail, tlen);
    p[n + tlen] = 0;
    return p;
}

/* ---------------------------------------------------------------------------
 * Sniffing */

static void test_sniff_zip_and_ole(void **state) {
    (void)state;
    assert_int_equal(hw_sniff_bytes(S("PK\x03\x04\x14\x00\x06\x00")), HW_SNIFF_XLSX);
    assert_int_equal(hw_sniff_bytes(S("PK\x03\x04")), HW_SNIFF_XLSX);
    assert_int_equal(hw_sniff_bytes(S("PK\x03")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("PK\x05\x06 empty zip")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("PKZIP,name,grade\n")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00")),
                     HW_SNIFF_XLS);
    assert_int_equal(hw_sniff_bytes(S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")), HW_SNIFF_XLS);
    /* Seven bytes of the signature are not enough; a wrong last byte neither. */
    assert_int_equal(hw_sniff_bytes(S("\xD0\xCF\x11\xE0\xA1\xB1\x1A")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE2")), HW_SNIFF_TEXT);
}

static void test_sniff_utf16_bom(void **state) {
    (void)state;
    assert_int_equal(hw_sniff_bytes(S("\xFF\xFE")), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(S("\xFE\xFF")), HW_SNIFF_UTF16BE);
    /* FF FE then Chinese: 中文 in UTF-16LE. */
    assert_int_equal(hw_sniff_bytes(S("\xFF\xFE\x2D\x4E\x87\x65")), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(S("\xFE\xFF\x4E\x2D\x65\x87")), HW_SNIFF_UTF16BE);
    assert_int_equal(hw_sniff_bytes(S("\xFF")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("\xFE")), HW_SNIFF_TEXT);
}

static void test_sniff_utf16_no_bom(void **state) {
    (void)state;
    assert_int_equal(hw_sniff_bytes(S("n\0a\0m\0e\0,\0g\0r\0a\0d\0e\0\r\0\n\0")), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(S("\0n\0a\0m\0e\0,\0g\0r\0a\0d\0e\0\r\0\n")), HW_SNIFF_UTF16BE);
    /* The shortest that is looked at. */
    assert_int_equal(hw_sniff_bytes(S("a\0b\0")), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(S("\0a\0b")), HW_SNIFF_UTF16BE);
    assert_int_equal(hw_sniff_bytes(S("a\0b")), HW_SNIFF_TEXT);

    /* Mostly ASCII with a few Chinese characters (odd bytes not NUL). */
    unsigned char le[400], be[400];
    for (size_t i = 0; i < 200; i++) {
        bool cjk = i % 20 == 7;
        le[2 * i] = cjk ? 0x2D : (unsigned char)('a' + i % 26);
        le[2 * i + 1] = cjk ? 0x4E : 0;
        be[2 * i] = le[2 * i + 1];
        be[2 * i + 1] = le[2 * i];
    }
    assert_int_equal(hw_sniff_bytes(le, sizeof le), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(be, sizeof be), HW_SNIFF_UTF16BE);
    /* An odd length is fine. */
    assert_int_equal(hw_sniff_bytes(le, 7), HW_SNIFF_UTF16LE);

    /* Chinese text without a BOM: only the ASCII commas, digits and line
     * ends give NULs, but all on one side (here a third of the characters). */
    unsigned char zh_le[400], zh_be[400];
    for (size_t i = 0; i < 200; i++) {
        bool ascii = i % 3 == 0;
        zh_le[2 * i] = ascii ? ',' : (unsigned char)(0x01 + i % 200); /* 一 is 00 4E */
        zh_le[2 * i + 1] = ascii ? 0 : 0x4E;
        zh_be[2 * i] = zh_le[2 * i + 1];
        zh_be[2 * i + 1] = zh_le[2 * i];
    }
    zh_le[2] = 0; /* U+4E00 一: a NUL on the other side now and then is fine */
    zh_be[3] = 0;
    assert_int_equal(hw_sniff_bytes(zh_le, sizeof zh_le), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(zh_be, sizeof zh_be), HW_SNIFF_UTF16BE);

    /* NULs on both sides alike: not UTF-16 (a damaged or binary file, whose
     * NULs the reader reports). */
    for (size_t i = 0; i < 200; i += 2) {
        le[2 * i + 1] = 'x';
        le[2 * i] = 0;
    }
    assert_int_equal(hw_sniff_bytes(le, sizeof le), HW_SNIFF_TEXT);
    /* A few NULs in otherwise plain text are not UTF-16 either. */
    unsigned char plain[400];
    memset(plain, 'a', sizeof plain);
    plain[11] = plain[51] = plain[91] = 0;
    assert_int_equal(hw_sniff_bytes(plain, sizeof plain), HW_SNIFF_TEXT);

    /* Mostly Chinese: NUL beside the commas and digits only, and beside 一
     * (U+4E00) on the other side. */
    static const char cn[] = "\xED\x73\xA7\x7E\x2C\x00\xE5\x65\x1F\x67\x2C\x00\xD1\x79"
                             "\xEE\x76\x0D\x00\x0A\x00\x1D\x52\x00\x4E\x31\x00\x2C\x00"
                             "\x70\x65\x66\x5B\x2C\x00\x34\x00\x35\x00\x0D\x00\x0A\x00";
    unsigned char cn_be[sizeof cn - 1];
    for (size_t i = 0; i + 1 < sizeof cn; i += 2) {
        cn_be[i] = (unsigned char)cn[i + 1];
        cn_be[i + 1] = (unsigned char)cn[i];
    }
    assert_int_equal(hw_sniff_bytes((const unsigned char *)cn, sizeof cn - 1), HW_SNIFF_UTF16LE);
    assert_int_equal(hw_sniff_bytes(cn_be, sizeof cn_be), HW_SNIFF_UTF16BE);

    /* A few NUL bytes in UTF-8 text (a damaged file): text, its NULs are
     * reported on their lines. */
    unsigned char text[400];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = i % 10 == 9 ? '\n' : (unsigned char)('a' + i % 26);
    text[11] = text[101] = text[203] = 0;
    assert_int_equal(hw_sniff_bytes(text, sizeof text), HW_SNIFF_TEXT);
    /* NUL on both sides (a binary file) is not UTF-16 either. */
    for (size_t i = 0; i < sizeof text; i += 3)
        text[i] = 0;
    assert_int_equal(hw_sniff_bytes(text, sizeof text), HW_SNIFF_TEXT);

    /* All zeros is not text of any kind we read as UTF-16. */
    unsigned char zeros[64] = {0};
    assert_int_equal(hw_sniff_bytes(zeros, sizeof zeros), HW_SNIFF_TEXT);
}

static void test_sniff_text(void **state) {
    (void)state;
    assert_int_equal(hw_sniff_bytes(NULL, 0), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("P")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("a,b")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("name,grade,minutes\n")), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(sample_utf8, sizeof sample_utf8), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(sample_gbk, sizeof sample_gbk), HW_SNIFF_TEXT);
    assert_int_equal(hw_sniff_bytes(S("\xEF\xBB\xBFname,grade\n")), HW_SNIFF_TEXT);

    /* Only the first 512 bytes count: text there, UTF-16-like after. */
    unsigned char big[2048];
    memset(big, 'a', 512);
    for (size_t i = 512; i < sizeof big; i++)
        big[i] = i % 2 ? 0 : 'b';
    assert_int_equal(hw_sniff_bytes(big, sizeof big), HW_SNIFF_TEXT);
    /* And the other way round. */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i < 512 ? (i % 2 ? 0 : 'b') : 'a';
    assert_int_equal(hw_sniff_bytes(big, sizeof big), HW_SNIFF_UTF16LE);
}

/* ---------------------------------------------------------------------------
 * UTF-8 validation */

/* Checks p[0..n) fed in one piece and with every single cut point. */
static void check_valid(const unsigned char *p, size_t n, bool valid, bool nonascii) {
    for (size_t cut = 0; cut <= n; cut++) {
        hw_utf8_check c;
        hw_utf8_check_init(&c);
        hw_utf8_check_feed(&c, p, cut);
        hw_utf8_check_feed(&c, p + cut, n - cut);
        bool ok = hw_utf8_check_end(&c);
        if (ok != valid)
            print_hex("input", p, n);
        assert_int_equal(ok, valid);
        if (valid)
            assert_int_equal(c.nseq != 0, nonascii);
    }
    /* One byte at a time. */
    hw_utf8_check c;
    hw_utf8_check_init(&c);
    for (size_t i = 0; i < n; i++)
        hw_utf8_check_feed(&c, p + i, 1);
    assert_int_equal(hw_utf8_check_end(&c), valid);
}

static void test_utf8_check_valid(void **state) {
    (void)state;
    check_valid(sample_utf8, sizeof sample_utf8, true, true);
    check_valid(S(""), true, false);
    check_valid(S("name,grade,minutes\r\n1,2,3\r\n"), true, false);
    check_valid(S("\xC2\x80"), true, true);            /* U+0080 */
    check_valid(S("\xDF\xBF"), true, true);            /* U+07FF */
    check_valid(S("\xE0\xA0\x80"), true, true);        /* U+0800 */
    check_valid(S("\xED\x9F\xBF"), true, true);        /* U+D7FF */
    check_valid(S("\xEE\x80\x80"), true, true);        /* U+E000 */
    check_valid(S("\xEF\xBB\xBF"), true, true);        /* U+FEFF */
    check_valid(S("\xF0\x90\x80\x80"), true, true);    /* U+10000 */
    check_valid(S("\xF4\x8F\xBF\xBF"), true, true);    /* U+10FFFF */
    check_valid(S("\xF0\x9F\x98\x80 ok"), true, true); /* an emoji */
    check_valid(S("abcdefghijklmnop\xE4\xB8\xAD"), true, true);
}

static void test_utf8_check_invalid(void **state) {
    (void)state;
    check_valid(S("\xC0\x80"), false, false);         /* overlong NUL */
    check_valid(S("\xC1\xBF"), false, false);         /* overlong */
    check_valid(S("\xE0\x80\x80"), false, false);     /* overlong */
    check_valid(S("\xE0\x9F\xBF"), false, false);     /* overlong */
    check_valid(S("\xF0\x80\x80\x80"), false, false); /* overlong */
    check_valid(S("\xF0\x8F\xBF\xBF"), false, false); /* overlong */
    check_valid(S("\xED\xA0\x80"), false, false);     /* surrogate D800 */
    check_valid(S("\xED\xBF\xBF"), false, false);     /* surrogate DFFF */
    check_valid(S("\xF4\x90\x80\x80"), false, false); /* U+110000 */
    check_valid(S("\xF5\x80\x80\x80"), false, false);
    check_valid(S("\xFF"), false, false);
    check_valid(S("\xFE"), false, false);
    check_valid(S("\x80"), false, false); /* stray continuation */
    check_valid(S("abc\xBF"), false, false);
    check_valid(S("\xE4\xB8\xAD\xAD"), false, false); /* one too many */
    check_valid(S("\xE4\xB8\x41"), false, false);     /* broken */
    check_valid(S("\xE4\x41"), false, false);
    check_valid(S("\xE4\xB8"), false, false); /* cut at the end */
    check_valid(S("\xF0\x9F\x98"), false, false);
    check_valid(S("x\xC2"), false, false);
    check_valid(sample_gbk, sizeof sample_gbk, false, false);

    /* An invalid byte at every offset of a long ASCII run (fast path). */
    unsigned char buf[80];
    for (size_t at = 0; at < sizeof buf; at++) {
        memset(buf, 'a', sizeof buf);
        buf[at] = 0x80;
        hw_utf8_check c;
        hw_utf8_check_init(&c);
        assert_false(hw_utf8_check_feed(&c, buf, sizeof buf));
        assert_false(hw_utf8_check_end(&c));
    }
}

static void test_utf8_check_streaming(void **state) {
    (void)state;
    hw_utf8_check c;
    /* 中 cut in three feeds. */
    hw_utf8_check_init(&c);
    assert_true(hw_utf8_check_feed(&c, S("ab\xE4")));
    assert_int_equal(c.npending, 1);
    assert_false(c.nseq != 0);
    assert_true(hw_utf8_check_feed(&c, S("\xB8")));
    assert_int_equal(c.npending, 2);
    assert_true(hw_utf8_check_feed(&c, S("\xAD")));
    assert_int_equal(c.npending, 0);
    assert_true(c.nseq != 0);
    assert_true(hw_utf8_check_end(&c));

    /* A cut sequence that the next feed breaks. */
    hw_utf8_check_init(&c);
    assert_true(hw_utf8_check_feed(&c, S("\xE4\xB8")));
    assert_false(hw_utf8_check_feed(&c, S("Abc")));
    assert_false(hw_utf8_check_end(&c));

    /* Surrogate and above-range cut after the lead byte. */
    hw_utf8_check_init(&c);
    assert_true(hw_utf8_check_feed(&c, S("\xED")));
    assert_false(hw_utf8_check_feed(&c, S("\xA0\x80")));
    hw_utf8_check_init(&c);
    assert_true(hw_utf8_check_feed(&c, S("\xF4")));
    assert_false(hw_utf8_check_feed(&c, S("\x90")));

    /* Empty feeds change nothing; a cut sequence at the end is invalid. */
    hw_utf8_check_init(&c);
    assert_true(hw_utf8_check_feed(&c, S("\xF0\x9F")));
    assert_true(hw_utf8_check_feed(&c, NULL, 0));
    assert_true(hw_utf8_check_feed(&c, S("\x98")));
    assert_false(hw_utf8_check_end(&c));

    /* Once invalid, stays invalid. */
    hw_utf8_check_init(&c);
    assert_false(hw_utf8_check_feed(&c, S("\xC0")));
    assert_false(hw_utf8_check_feed(&c, S("abc")));
    assert_false(hw_utf8_check_end(&c));

    /* Random byte strings, cut at random points, agree with the reference. */
    static const unsigned char alphabet[] = {'a',  ',',  '\n', 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                             0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE4, 0xED,
                                             0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xB8, 0xAD, 0xBB};
    for (int round = 0; round < 20000; round++) {
        unsigned char buf[12];
        size_t n = rnd_below(sizeof buf + 1);
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[rnd_below(sizeof alphabet)];
        bool want = ref_utf8_valid(buf, n);
        hw_utf8_check_init(&c);
        size_t i = 0;
        while (i < n) {
            size_t k = 1 + rnd_below(n - i);
            hw_utf8_check_feed(&c, buf + i, k);
            i += k;
        }
        bool got = hw_utf8_check_end(&c);
        if (got != want)
            print_hex("input", buf, n);
        assert_int_equal(got, want);
    }
}

/* ---------------------------------------------------------------------------
 * Decoding UTF-8 */

static void test_utf8_decode_valid(void **state) {
    (void)state;
    check_decode(HW_ENC_UTF8, sample_utf8, sizeof sample_utf8, sample_utf8, sizeof sample_utf8,
                 HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("a,b\r\n"), S("a,b\r\n"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S(""), S(""), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xF0\x9F\x98\x80\xC2\x80\xF4\x8F\xBF\xBF"),
                 S("\xF0\x9F\x98\x80\xC2\x80\xF4\x8F\xBF\xBF"), HW_ENC_UTF8);
    /* NUL bytes pass. */
    check_decode(HW_ENC_UTF8, S("a\0b"), S("a\0b"), HW_ENC_UTF8);
}

static void test_utf8_decode_bom(void **state) {
    (void)state;
    /* Removed at the start (check_decode also cuts it into 1-byte feeds). */
    check_decode(HW_ENC_UTF8,
                 S("\xEF\xBB\xBF"
                   "a,b\n"),
                 S("a,b\n"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xEF\xBB\xBF\xE4\xB8\xAD"), S("\xE4\xB8\xAD"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xEF\xBB\xBF"), S(""), HW_ENC_UTF8);
    /* Only the first one. */
    check_decode(HW_ENC_UTF8, S("\xEF\xBB\xBF\xEF\xBB\xBFx"), S("\xEF\xBB\xBFx"), HW_ENC_UTF8);
    /* Not at the start: kept as it is. */
    check_decode(HW_ENC_UTF8,
                 S("a\xEF\xBB\xBF"
                   "b"),
                 S("a\xEF\xBB\xBF"
                   "b"),
                 HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S(" \xEF\xBB\xBF"), S(" \xEF\xBB\xBF"), HW_ENC_UTF8);
    /* A BOM cut by the end of the input, or broken: bad bytes. */
    check_decode(HW_ENC_UTF8, S("\xEF\xBB"), S("\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xEF"), S("\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8,
                 S("\xEF\xBB"
                   "A"),
                 S("\xFF\xFF"
                   "A"),
                 HW_ENC_UTF8);
    /* Another character with the same lead byte is not a BOM. */
    check_decode(HW_ENC_UTF8, S("\xEF\xBC\x88x"), S("\xEF\xBC\x88x"), HW_ENC_UTF8);

    /* The BOM split by hand across separate feeds. */
    hw_decoder *d = hw_decoder_new(HW_ENC_UTF8);
    hw_buf out;
    hw_buf_init(&out);
    hw_decoder_feed(d, S("\xEF"), &out);
    hw_decoder_feed(d, S("\xBB"), &out);
    assert_int_equal(out.len, 0);
    hw_decoder_feed(d, S("\xBF"), &out);
    hw_decoder_feed(d, S("\xEF\xBB\xBF"), &out);
    hw_decoder_finish(d, &out);
    assert_int_equal(out.len, 3);
    assert_memory_equal(out.data, "\xEF\xBB\xBF", 3);
    hw_decoder_free(d);
    hw_buf_free(&out);
}

static void test_utf8_decode_bad_bytes(void **state) {
    (void)state;
    check_decode(HW_ENC_UTF8,
                 S("a\x80"
                   "b"),
                 S("a\xFF"
                   "b"),
                 HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xC0\x80"), S("\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xC1\xBF"), S("\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xE0\x80\x80"), S("\xFF\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xED\xA0\x80"), S("\xFF\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xF4\x90\x80\x80"), S("\xFF\xFF\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xF5\xFE\xFF"), S("\xFF\xFF\xFF"), HW_ENC_UTF8);
    /* A broken sequence: lead and continuation bytes bad, the breaking byte
     * read afresh. */
    check_decode(HW_ENC_UTF8,
                 S("\xE4\xB8"
                   "A"),
                 S("\xFF\xFF"
                   "A"),
                 HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xE4\xE4\xB8\xAD"), S("\xFF\xE4\xB8\xAD"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("\xF0\x9F\x98\xE4\xB8\xAD"), S("\xFF\xFF\xFF\xE4\xB8\xAD"),
                 HW_ENC_UTF8);
    /* Cut at the end of the input: one bad byte each. */
    check_decode(HW_ENC_UTF8, S("ok\xE4\xB8"), S("ok\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_UTF8, S("ok\xF0\x9F\x98"), S("ok\xFF\xFF\xFF"), HW_ENC_UTF8);
    /* GBK read as UTF-8: every byte shows. */
    check_decode(HW_ENC_UTF8, S("\xD6\xD0\xCE\xC4"), S("\xFF\xFF\xFF\xFF"), HW_ENC_UTF8);

    /* A bad byte at every offset of a long run, around the 8-byte fast path. */
    unsigned char in[100], exp[100];
    for (size_t at = 0; at < sizeof in; at += 7) {
        for (size_t i = 0; i < sizeof in; i++)
            in[i] = exp[i] = (unsigned char)('a' + i % 26);
        in[at] = 0x80;
        exp[at] = 0xFF;
        check_decode(HW_ENC_UTF8, in, sizeof in, exp, sizeof exp, HW_ENC_UTF8);
    }
}

static void test_utf8_decode_random(void **state) {
    (void)state;
    static const unsigned char alphabet[] = {'a',  ',',  '\n', 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                             0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE4, 0xED, 0xEF,
                                             0xF0, 0xF4, 0xF5, 0xFF, 0xB8, 0xAD, 0xBB, 0x98};
    hw_buf exp;
    hw_buf_init(&exp);
    for (int round = 0; round < 300; round++) {
        unsigned char buf[40];
        size_t n = rnd_below(sizeof buf + 1);
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[rnd_below(sizeof alphabet)];
        if (round % 5 == 0 && n >= 3)
            memcpy(buf, "\xEF\xBB\xBF", 3);
        hw_buf_clear(&exp);
        ref_utf8_decode(buf, n, &exp);
        check_decode(HW_ENC_UTF8, buf, n, (const unsigned char *)exp.data, exp.len, HW_ENC_UTF8);
    }
    hw_buf_free(&exp);
}

/* Longer text, mostly valid characters of every length with a bad
 * sequence here and there: the decoder takes valid text in blocks (16 or
 * 32 bytes) and the rest byte by byte, and every chunking gives what the
 * reference decoder does. */
static void test_utf8_decode_random_long(void **state) {
    (void)state;
    static const char *const piece[] = {
        "a", ",", "\n", "\xC2\xA9", "\xE4\xB8\xAD", "\xEF\xBC\x89", "\xF0\x9F\x98\x80",
        /* bad, or cut */
        "\x80", "\xFF", "\xC0\x80", "\xED\xA0\x80", "\xE4\xB8", "\xF4\x90\x80\x80"};
    size_t nvalid = 7, npieces = sizeof piece / sizeof *piece;
    hw_buf exp;
    hw_buf_init(&exp);
    for (int wide = 1; wide >= 0; wide--) {
        hw_utf8_fast_wide(wide);
        for (int round = 0; round < 60; round++) {
            unsigned char buf[400];
            size_t n = 0;
            size_t want = 64 + rnd_below(sizeof buf - 64 - 4);
            while (n < want) {
                size_t pick = rnd_below(16) == 0 ? rnd_below(npieces) : rnd_below(nvalid);
                size_t len = strlen(piece[pick]);
                memcpy(buf + n, piece[pick], len);
                n += len;
            }
            hw_buf_clear(&exp);
            ref_utf8_decode(buf, n, &exp);
            check_decode(HW_ENC_UTF8, buf, n, (const unsigned char *)exp.data, exp.len,
                         HW_ENC_UTF8);
        }
    }
    hw_utf8_fast_wide(true);
    hw_buf_free(&exp);
}

/* ---------------------------------------------------------------------------
 * Decoding GB18030 */

static void test_gb_decode_gbk(void **state) {
    (void)state;
    check_decode(HW_ENC_GB18030, sample_gbk, sizeof sample_gbk, sample_utf8, sizeof sample_utf8,
                 HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\xD6\xD0\xCE\xC4"), S("中文"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("a,b\r\n"), S("a,b\r\n"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S(""), S(""), HW_ENC_GB18030);
    /* Full-width space (A1 A1), euro sign (A2 E3), a user-defined area. */
    check_decode(HW_ENC_GB18030, S("\xA1\xA1\xA2\xE3\xAA\xA1"),
                 S("\xE3\x80\x80\xE2\x82\xAC\xEE\x80\x80"), HW_ENC_GB18030);
    /* A trail byte that is ASCII: 81 61 is one character. */
    check_decode(HW_ENC_GB18030, S("\x81\x61"), S("\xE4\xB9\xA4"), HW_ENC_GB18030);
}

static void test_gb_decode_four_byte(void **state) {
    (void)state;
    check_decode(HW_ENC_GB18030, S("\x81\x30\x81\x30"), S("\xC2\x80"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("x\x81\x30\x81\x30y"), S("x\xC2\x80y"), HW_ENC_GB18030);
    /* U+10000, beyond the BMP. */
    check_decode(HW_ENC_GB18030, S("\x90\x30\x81\x30"), S("\xF0\x90\x80\x80"), HW_ENC_GB18030);
}

static void test_gb_decode_bom(void **state) {
    (void)state;
    /* A GB18030 U+FEFF at the start is removed, elsewhere it is kept. */
    check_decode(HW_ENC_GB18030, S("\x84\x31\x95\x33\xD6\xD0"), S("中"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\x84\x31\x95\x33"), S(""), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("A\x84\x31\x95\x33"), S("A\xEF\xBB\xBF"), HW_ENC_GB18030);
    /* A UTF-8 BOM is not one in GB18030: EF BB is 锘, BF 41 is 緼. */
    check_decode(HW_ENC_GB18030,
                 S("\xEF\xBB\xBF"
                   "A"),
                 S("\xE9\x94\x98\xE7\xB7\xBC"), HW_ENC_GB18030);
    /* The next four-byte character (U+FF00) is not a BOM. */
    check_decode(HW_ENC_GB18030, S("\x84\x31\x95\x34"), S("\xEF\xBC\x80"), HW_ENC_GB18030);
}

static void test_gb_decode_bad_bytes(void **state) {
    (void)state;
    check_decode(HW_ENC_GB18030, S("\x80"), S("\xFF"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\xFF"), S("\xFF"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030,
                 S("A\x80"
                   "B\xFF"
                   "C"),
                 S("A\xFF"
                   "B\xFF"
                   "C"),
                 HW_ENC_GB18030);
    /* A bad second byte: the lead is bad, the second read afresh. */
    check_decode(HW_ENC_GB18030, S("\xD6 x"), S("\xFF x"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\x81\x7F"), S("\xFF\x7F"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\xD6\xFF\xD6\xD0"), S("\xFF\xFF中"), HW_ENC_GB18030);
    /* A bad four-byte form: 81 30 then not 81..FE. */
    check_decode(HW_ENC_GB18030, S("\x81\x30 xy"),
                 S("\xFF"
                   "0 xy"),
                 HW_ENC_GB18030);
    /* A four-byte code with no character: 84 31 A5 30 (beyond U+FFFF in the
     * BMP table). Lead bad, then "1", then A5 30 cut by the end. */
    check_decode(HW_ENC_GB18030, S("\x84\x31\xA5\x30"),
                 S("\xFF"
                   "1\xFF"
                   "0"),
                 HW_ENC_GB18030);
}

static void test_gb_decode_cut_at_end(void **state) {
    (void)state;
    /* 三年级(2)班,数学,30分钟 without its last byte: 分 then a cut 钟. */
    size_t n = sizeof sample_gbk - 1;
    unsigned char exp[sizeof sample_utf8];
    memcpy(exp, sample_utf8, sizeof sample_utf8 - 3);
    exp[sizeof sample_utf8 - 3] = 0xFF;
    check_decode(HW_ENC_GB18030, sample_gbk, n, exp, sizeof sample_utf8 - 2, HW_ENC_GB18030);

    check_decode(HW_ENC_GB18030, S("\xD6"), S("\xFF"), HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\x81\x30"),
                 S("\xFF"
                   "0"),
                 HW_ENC_GB18030);
    check_decode(HW_ENC_GB18030, S("\x81\x30\x81"),
                 S("\xFF"
                   "0\xFF"),
                 HW_ENC_GB18030);
    /* glibc holds 81 30 20 back as incomplete; at the end the space stays. */
    check_decode(HW_ENC_GB18030, S("\x81\x30 "),
                 S("\xFF"
                   "0 "),
                 HW_ENC_GB18030);
    /* A GB18030 BOM cut at the end is not removed. */
    check_decode(HW_ENC_GB18030, S("\x84\x31\x95"),
                 S("\xFF"
                   "1\xFF"),
                 HW_ENC_GB18030);
}

/* Mixed text with long ASCII runs (copied without iconv) next to GB bytes,
 * and random bytes, against the one-character-at-a-time reference. */
static void test_gb_decode_random(void **state) {
    (void)state;
    static const unsigned char pieces[][5] = {
        {1, 'a'},
        {1, ','},
        {1, '0'},
        {1, '\n'},
        {2, 0xD6, 0xD0},
        {2, 0xB7, 0xD6},
        {1, 0x80},
        {1, 0xFF},
        {1, 0x81},
        {1, 0x30},
        {2, 0x81, 0x61},
        {1, 0xA5},
        {1, 0x95},
        {1, 0x84},
        {2, 0x84, 0x31},
        {4, 0x81, 0x30, 0x81, 0x30},
        {4, 0x84, 0x31, 0x95, 0x33},
        {4, 0x90, 0x30, 0x81, 0x30},
        {4, 0x84, 0x31, 0xA5, 0x30},
        {2, 0xFE, 0xFE},
    };
    hw_buf in;
    hw_buf_init(&in);
    for (int round = 0; round < 150; round++) {
        hw_buf_clear(&in);
        size_t npieces = rnd_below(round < 100 ? 20 : 200);
        for (size_t k = 0; k < npieces; k++) {
            if (rnd_below(8) == 0) {
                /* A long ASCII run, sometimes long enough to skip iconv. */
                size_t run = rnd_below(150);
                for (size_t j = 0; j < run; j++)
                    hw_buf_append(&in, j % 2 ? "3" : "x", 1);
            } else {
                const unsigned char *pc = pieces[rnd_below(sizeof pieces / sizeof pieces[0])];
                hw_buf_append(&in, pc + 1, pc[0]);
            }
        }
        check_gb_as_iconv(&in);
    }
    hw_buf_free(&in);
}

/* Without a GB18030 converter (iconv_open failing) nothing crashes and every
 * non-ASCII byte is bad. */
static void test_gb_without_iconv(void **state) {
    (void)state;
    fail_iconv_open = true;
    int calls = iconv_open_calls;
    check_decode(HW_ENC_GB18030,
                 S("A\xD6\xD0,\x81\x30\x81\x30"
                   "B"),
                 S("A\xFF\xFF,\xFF"
                   "0\xFF"
                   "0B"),
                 HW_ENC_GB18030);
    assert_true(iconv_open_calls > calls); /* the wrapper was really used */
    check_decode(HW_ENC_GB18030, S("\x84\x31\x95\x33x"), S("x"), HW_ENC_GB18030);
    check_decode(HW_ENC_AUTO, sample_gbk, sizeof sample_gbk,
                 S("\xFF\xFF\xFF\xFF\xFF\xFF(2)\xFF\xFF,\xFF\xFF\xFF\xFF,30\xFF\xFF\xFF\xFF"),
                 HW_ENC_GB18030);
    fail_iconv_open = false;

    /* UTF-8 needs no converter. */
    calls = iconv_open_calls;
    check_decode(HW_ENC_AUTO, sample_utf8, sizeof sample_utf8, sample_utf8, sizeof sample_utf8,
                 HW_ENC_UTF8);
    assert_int_equal(iconv_open_calls, calls);
}

/* ---------------------------------------------------------------------------
 * Deciding the encoding */

static void test_auto_short_inputs(void **state) {
    (void)state;
    check_decode(HW_ENC_AUTO, sample_utf8, sizeof sample_utf8, sample_utf8, sizeof sample_utf8,
                 HW_ENC_UTF8);
    check_decode(HW_ENC_AUTO, sample_gbk, sizeof sample_gbk, sample_utf8, sizeof sample_utf8,
                 HW_ENC_GB18030);
    check_decode(HW_ENC_AUTO, S("\xD6\xD0\xCE\xC4"), S("中文"), HW_ENC_GB18030);
    /* All ASCII: passes, stays undecided. */
    check_decode(HW_ENC_AUTO, S("name,grade\r\n1,2\r\n"), S("name,grade\r\n1,2\r\n"), HW_ENC_AUTO);
    check_decode(HW_ENC_AUTO, S(""), S(""), HW_ENC_AUTO);
    /* A UTF-8 BOM decides UTF-8 even if what follows is GBK. */
    check_decode(HW_ENC_AUTO, S("\xEF\xBB\xBF\xD6\xD0"), S("\xFF\xFF"), HW_ENC_UTF8);
    check_decode(HW_ENC_AUTO,
                 S("\xEF\xBB\xBF"
                   "a"),
                 S("a"), HW_ENC_UTF8);
    check_decode(HW_ENC_AUTO, S("\xEF\xBB\xBF"), S(""), HW_ENC_UTF8);
    /* A GB18030 BOM is invalid UTF-8: GB18030, BOM removed. */
    check_decode(HW_ENC_AUTO, S("\x84\x31\x95\x33\xD6\xD0"), S("中"), HW_ENC_GB18030);
    /* Nine UTF-8 characters then one stray GBK one: UTF-8 with a stray
     * byte, which comes out bad, the rest is not mojibake. */
    unsigned char mixed[sizeof sample_utf8 + 2];
    memcpy(mixed, sample_utf8, sizeof sample_utf8);
    memcpy(mixed + sizeof sample_utf8, "\xD6\xD0", 2);
    unsigned char mixed_out[sizeof sample_utf8 + 2];
    memcpy(mixed_out, sample_utf8, sizeof sample_utf8);
    memcpy(mixed_out + sizeof sample_utf8, "\xFF\xFF", 2);
    check_decode(HW_ENC_AUTO, mixed, sizeof mixed, mixed_out, sizeof mixed_out, HW_ENC_UTF8);
    /* Two UTF-8 characters for one invalid sequence are too few: GB18030 for
     * the whole input. */
    unsigned char few[6 + 2];
    memcpy(few, sample_utf8, 6);
    memcpy(few + 6, "\xD6\xD0", 2);
    hw_buf exp;
    hw_buf_init(&exp);
    ref_gb_decode(few, sizeof few, &exp);
    assert_int_equal(memcmp(exp.data + exp.len - 3, "中", 3), 0);
    check_decode(HW_ENC_AUTO, few, sizeof few, (const unsigned char *)exp.data, exp.len,
                 HW_ENC_GB18030);
    hw_buf_free(&exp);
    /* A UTF-8 sequence cut by the end of the input is not valid UTF-8, but
     * E4 B8 is a GBK character (涓). */
    check_decode(HW_ENC_AUTO, S("abc\xE4\xB8"), S("abc\xE6\xB6\x93"), HW_ENC_GB18030);
    check_decode(HW_ENC_AUTO, S("\xE4\xB8"), S("\xE6\xB6\x93"), HW_ENC_GB18030);
    check_decode(HW_ENC_AUTO, S("\xD6"), S("\xFF"), HW_ENC_GB18030);
    /* But cut after valid non-ASCII UTF-8 it is UTF-8 with bad bytes. */
    check_decode(HW_ENC_AUTO, S("\xE4\xB8\xAD\xE4\xB8"), S("\xE4\xB8\xAD\xFF\xFF"), HW_ENC_UTF8);
}

static void test_auto_undecided_while_buffering(void **state) {
    (void)state;
    hw_buf out;
    hw_buf_init(&out);
    hw_decoder *d = hw_decoder_new(HW_ENC_AUTO);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_AUTO);
    hw_decoder_feed(d, sample_utf8, sizeof sample_utf8, &out);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_AUTO);
    hw_decoder_finish(d, &out);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_UTF8);
    assert_int_equal(out.len, sizeof sample_utf8);
    assert_memory_equal(out.data, sample_utf8, sizeof sample_utf8);
    /* A second finish adds nothing. */
    hw_decoder_finish(d, &out);
    assert_int_equal(out.len, sizeof sample_utf8);
    hw_decoder_free(d);
    hw_buf_free(&out);

    hw_decoder_free(NULL);
}

/* What the window decides is known early for a UTF-8 BOM or for so many
 * invalid sequences that it cannot be UTF-8 with stray bytes: the decoder
 * decides then, and the output flows at once. */
static void test_auto_decides_early(void **state) {
    (void)state;
    hw_buf out;
    hw_buf_init(&out);
    hw_decoder *d = hw_decoder_new(HW_ENC_AUTO);
    hw_decoder_feed(d, NULL, 0, &out);
    hw_decoder_feed(d, sample_gbk, 2, &out);
    /* One invalid sequence could be a stray byte in UTF-8: not yet. */
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_AUTO);
    /* 64 of them with few valid ones cannot be: GB18030, long before the
     * window is full. */
    for (int i = 0; i < 20 && hw_decoder_encoding(d) == HW_ENC_AUTO; i++)
        hw_decoder_feed(d, sample_gbk, sizeof sample_gbk, &out);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_GB18030);
    assert_true(out.len > 3);
    assert_memory_equal(out.data, sample_utf8, 3);
    hw_decoder_free(d);

    hw_buf_clear(&out);
    d = hw_decoder_new(HW_ENC_AUTO);
    hw_decoder_feed(d, S("\xEF\xBB"), &out);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_AUTO);
    hw_decoder_feed(d, S("\xBF\xE4\xB8\xAD"), &out);
    assert_int_equal(hw_decoder_encoding(d), HW_ENC_UTF8);
    assert_int_equal(out.len, 3);
    assert_memory_equal(out.data, "\xE4\xB8\xAD", 3);
    hw_decoder_free(d);
    hw_buf_free(&out);
}

/* Inputs around and beyond the 64 KiB window. */
#define WIN ((size_t)64 * 1024)

static void check_auto_big(const unsigned char *in, size_t len, hw_encoding exp_enc) {
    hw_buf exp;
    hw_buf_init(&exp);
    if (exp_enc == HW_ENC_GB18030)
        ref_gb_decode(in, len, &exp);
    else
        ref_utf8_decode(in, len, &exp);
    check_decode(HW_ENC_AUTO, in, len, (const unsigned char *)exp.data, exp.len, exp_enc);
    hw_buf_free(&exp);
}

static void test_auto_lazy(void **state) {
    (void)state;
    size_t pad = 70000;
    /* ASCII for more than the window, then UTF-8. */
    unsigned char *in = padded('a', pad, S("中文,1\n"));
    check_auto_big(in, pad + 8, HW_ENC_UTF8);
    free(in);
    /* Then GBK. */
    in = padded('a', pad, S("\xD6\xD0\xCE\xC4,1\n\xE4\xB8\xAD"));
    check_auto_big(in, pad + 10, HW_ENC_GB18030);
    hw_buf out;
    hw_buf_init(&out);
    hw_encoding used;
    decode_chunk(HW_ENC_AUTO, in, pad + 10, pad + 10, &out, &used);
    assert_int_equal(out.len, pad + 6 + 3 + 3 + 1);
    assert_int_equal((unsigned char)out.data[pad + 12], 0xFF);
    assert_memory_equal(out.data + pad, "中文,1\n", 9);
    free(in);
    /* Then ASCII only: undecided to the end. */
    in = padded('a', pad, S("\n"));
    check_auto_big(in, pad + 1, HW_ENC_AUTO);
    free(in);
    /* Then a lone byte that could start UTF-8, cut by the end: GB18030. */
    in = padded('a', pad, S("\xD6"));
    check_auto_big(in, pad + 1, HW_ENC_GB18030);
    hw_buf_clear(&out);
    decode_chunk(HW_ENC_AUTO, in, pad + 1, 4096, &out, &used);
    assert_int_equal(out.len, pad + 1);
    assert_int_equal((unsigned char)out.data[pad], 0xFF);
    free(in);
    /* Then a BOM: not at the start of the stream, so it is kept. */
    in = padded('a', pad, S("\xEF\xBB\xBF\n"));
    check_auto_big(in, pad + 4, HW_ENC_UTF8);
    hw_buf_clear(&out);
    decode_chunk(HW_ENC_AUTO, in, pad + 4, 1, &out, &used);
    assert_int_equal(out.len, pad + 4);
    free(in);
    in = padded('a', pad, S("\x84\x31\x95\x33\n"));
    hw_buf_clear(&out);
    decode_chunk(HW_ENC_AUTO, in, pad + 5, 1, &out, &used);
    assert_int_equal(used, HW_ENC_GB18030);
    assert_int_equal(out.len, pad + 4);
    assert_memory_equal(out.data + pad, "\xEF\xBB\xBF\n", 4);
    free(in);
    /* Then a bad UTF-8 byte followed by valid UTF-8: GB18030 decided. */
    in = padded('a', pad, S("\x80\xE4\xB8\xAD"));
    check_auto_big(in, pad + 4, HW_ENC_GB18030);
    free(in);
    hw_buf_free(&out);
}

static void test_auto_window_edge(void **state) {
    (void)state;
    /* A UTF-8 character cut by the end of the window: the window is all
     * ASCII but for the cut sequence, which the bytes after it complete. */
    for (size_t before = WIN - 3; before <= WIN; before++) {
        unsigned char *in = padded('a', before, S("\xE4\xB8\xAD\n"));
        check_auto_big(in, before + 4, HW_ENC_UTF8);
        free(in);
        in = padded('a', before, S("\xD6\xD0\xCE\xC4\n"));
        check_auto_big(in, before + 5, HW_ENC_GB18030);
        free(in);
    }
    /* Exactly a window of ASCII and then the end. */
    unsigned char *in = padded('a', WIN, NULL, 0);
    check_auto_big(in, WIN, HW_ENC_AUTO);
    free(in);
    /* A window of ASCII ending in a cut UTF-8 sequence, then the end. */
    in = padded('a', WIN - 2, S("\xE4\xB8"));
    check_auto_big(in, WIN, HW_ENC_GB18030);
    free(in);
}

static void test_auto_window_decides(void **state) {
    (void)state;
    size_t pad = 80000;
    /* UTF-8 in the window, invalid bytes after it: stays UTF-8. */
    unsigned char *in = padded('a', pad, S("\xD6\xD0\n"));
    memcpy(in, "中", 3);
    check_auto_big(in, pad + 3, HW_ENC_UTF8);
    free(in);
    /* GBK in the window, UTF-8 after it: stays GB18030. */
    in = padded('a', pad, S("\xE4\xB8\xAD\n"));
    memcpy(in, "\xD6\xD0", 2);
    check_auto_big(in, pad + 4, HW_ENC_GB18030);
    free(in);
    /* The first invalid byte is just inside the window. */
    in = padded('a', pad, S("\n"));
    memcpy(in, "中", 3);
    in[WIN - 1] = 0x80;
    check_auto_big(in, pad + 1, HW_ENC_GB18030);
    /* ... or just outside it. */
    in[WIN - 1] = 'a';
    in[WIN] = 0x80;
    check_auto_big(in, pad + 1, HW_ENC_UTF8);
    free(in);
    /* A UTF-8 BOM, then ASCII beyond the window. */
    in = padded('a', pad, S("\xD6\xD0"));
    memcpy(in, "\xEF\xBB\xBF", 3);
    check_auto_big(in, pad + 2, HW_ENC_UTF8);
    free(in);
}

static void test_encoding_name(void **state) {
    (void)state;
    assert_string_equal(hw_encoding_name(HW_ENC_UTF8), "UTF-8");
    assert_string_equal(hw_encoding_name(HW_ENC_GB18030), "GB18030");
    assert_string_equal(hw_encoding_name(HW_ENC_AUTO), "auto");
}

/* A large GBK input decodes without bad bytes and as iconv decodes it. */
static void test_gb_large(void **state) {
    (void)state;
    hw_buf in, exp, out;
    hw_buf_init(&in);
    hw_buf_init(&exp);
    hw_buf_init(&out);
    for (int i = 0; i < 3000; i++) {
        hw_buf_append(&in, sample_gbk, sizeof sample_gbk);
        hw_buf_append(&in, "\r\n", 2);
        hw_buf_append(&exp, sample_utf8, sizeof sample_utf8);
        hw_buf_append(&exp, "\r\n", 2);
    }
    hw_encoding used;
    static const size_t sizes[] = {1, 3, 7, 4096, 100000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        hw_buf_clear(&out);
        decode_chunk(HW_ENC_AUTO, (const unsigned char *)in.data, in.len, sizes[k], &out, &used);
        assert_int_equal(used, HW_ENC_GB18030);
        assert_false(has_bad_byte(&out));
        assert_same_bytes((const unsigned char *)out.data, out.len, (const unsigned char *)exp.data,
                          exp.len, "large GBK", sizes[k]);
    }
    hw_buf_free(&in);
    hw_buf_free(&exp);
    hw_buf_free(&out);
}

/* ---- hw_utf8_valid_prefix ------------------------------------------------ */

/* Where the first invalid or cut sequence starts (n if none); *leads (unless
 * leads is NULL) counts the multi-byte characters before it, *ends marks
 * where characters end. */
static size_t ref_first_error(const unsigned char *p, size_t n, uint64_t *leads, bool *ends) {
    size_t i = 0;
    uint64_t nleads = 0;
    ends[0] = true;
    while (i < n) {
        size_t k = ref_utf8_seq(p + i, n - i);
        if (!k)
            break;
        nleads += k > 1;
        for (size_t j = 1; j < k; j++)
            ends[i + j] = false;
        i += k;
        ends[i] = true;
    }
    if (leads)
        *leads = nleads;
    return i;
}

static void check_prefix(const unsigned char *p, size_t n) {
    bool ends[600];
    assert_true(n < sizeof ends);
    size_t err = ref_first_error(p, n, NULL, ends);
    uint64_t nlead;
    size_t got = hw_utf8_valid_prefix(p, n, &nlead);
    /* valid, between characters, and its characters counted */
    assert_true(got <= err);
    assert_true(ends[got]);
    uint64_t want;
    bool e2[600];
    assert_int_equal(ref_first_error(p, got, &want, e2), got);
    assert_int_equal(nlead, want);
    /* Without SSSE3 the prefix is empty (the byte-at-a-time validator does
     * all the work); with it, it covers the valid text but for a block and a
     * cut character. */
    if (!hw_utf8_fast_available()) {
        assert_int_equal(got, 0);
        return;
    }
    if (err >= 19)
        assert_true(got + 16 + 3 >= (err / 16) * 16);
}

/* Runs with the blocks of 32 bytes (where the processor has AVX2), and
 * then of 16 (SSSE3) for test_valid_prefix_narrow. */
static void test_valid_prefix(void **state) {
    (void)state;
    /* pieces a generator draws from: valid characters of each length and
     * the byte pairs at the edges of the valid ranges */
    static const char *const piece[] = {
        "a", "1", ",", "\"", "\n", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xE4\xB8\xAD",
        "\xED\x9F\xBF", "\xEF\xBC\x89", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xE3\x80\x80",
        /* invalid */
        "\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\x80", "\xBF", "\xE4\xB8", "\xE4",
        "\xF0\x90\x80", "\xC2"};
    size_t nvalid = 14, npieces = sizeof piece / sizeof *piece;
    unsigned char buf[600];
    uint64_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        size_t count = (size_t)(round % 97);
        bool allow_bad = round % 3 != 0;
        for (size_t k = 0; k < count; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            size_t pick =
                (size_t)(seed >> 33) % (allow_bad && (seed >> 20) % 16 == 0 ? npieces : nvalid);
            size_t len = strlen(piece[pick]);
            if (n + len >= 500)
                break;
            memcpy(buf + n, piece[pick], len);
            n += len;
        }
        check_prefix(buf, n);
        /* and cut at every length near the end */
        for (size_t cut = n > 8 ? n - 8 : 0; cut < n; cut++)
            check_prefix(buf, cut);
    }
    /* all-ASCII and all-Chinese, long */
    memset(buf, 'x', 480);
    check_prefix(buf, 480);
    for (size_t i = 0; i + 3 <= 480; i += 3)
        memcpy(buf + i, "\xE4\xB8\xAD", 3);
    uint64_t nlead;
    assert_true(hw_utf8_valid_prefix(buf, 480, &nlead) % 3 == 0);
    check_prefix(buf, 480);
}

static void test_valid_prefix_narrow(void **state) {
    hw_utf8_fast_wide(false);
    test_valid_prefix(state);
    hw_utf8_fast_wide(true);
}

/* An error in each of the 64 places of two blocks of 32, after valid text of
 * each length of character: found in the block where it is, by both widths. */
static void test_valid_prefix_error_anywhere(void **state) {
    (void)state;
    static const char *const fill[] = {"a", "\xC2\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80"};
    unsigned char buf[160];
    for (int wide = 0; wide < 2; wide++) {
        hw_utf8_fast_wide(wide);
        for (size_t f = 0; f < 4; f++) {
            size_t flen = strlen(fill[f]);
            for (size_t at = 0; at < 64; at++) {
                size_t n = 0;
                while (n + flen <= at) {
                    memcpy(buf + n, fill[f], flen);
                    n += flen;
                }
                buf[n++] = 0x80; /* a continuation byte with no lead */
                while (n < sizeof buf)
                    buf[n++] = 'x';
                check_prefix(buf, sizeof buf);
            }
        }
    }
    hw_utf8_fast_wide(true);
}

/* ---------------------------------------------------------------------------
 * The two-byte table: the same output as iconv alone */

/* Every lead byte with every second byte (four-byte starts, bad bytes and
 * the table's codes among them), each pair then a comma. */
static void test_gb_table_every_code(void **state) {
    (void)state;
    hw_buf in;
    hw_buf_init(&in);
    for (unsigned lead = 0x80; lead <= 0xFF; lead++) {
        for (unsigned t = 0x20; t <= 0xFF; t++) {
            unsigned char code[3] = {(unsigned char)lead, (unsigned char)t, ','};
            hw_buf_append(&in, code, sizeof code);
        }
    }
    check_gb_as_iconv(&in);
    hw_buf_free(&in);
}

/* A GBK register of two-byte characters and ASCII is read without iconv. */
static void test_gb_table_spares_iconv(void **state) {
    (void)state;
    hw_buf in, out;
    hw_buf_init(&in);
    hw_buf_init(&out);
    for (int i = 0; i < 1000; i++) {
        hw_buf_append(&in, sample_gbk, sizeof sample_gbk);
        hw_buf_append(&in, "\r\n", 2);
    }
    long before = iconv_calls;
    hw_encoding used;
    decode_chunk(HW_ENC_GB18030, (const unsigned char *)in.data, in.len, 4096, &out, &used);
    assert_int_equal(iconv_calls, before);
    assert_false(has_bad_byte(&out));
    /* a four-byte character still goes to iconv */
    hw_buf_clear(&out);
    decode_chunk(HW_ENC_GB18030, S("\xD6\xD0\x81\x30\x81\x30"), 6, &out, &used);
    assert_true(iconv_calls > before);
    assert_same_bytes((const unsigned char *)out.data, out.len, S("中\xC2\x80"), "four-byte", 0);
    hw_buf_free(&in);
    hw_buf_free(&out);
}

static int table_off(void **state) {
    (void)state;
    hw_decode_gb_table(false);
    return 0;
}

static int table_on(void **state) {
    (void)state;
    hw_decode_gb_table(true);
    return 0;
}

/* The GB18030 cases, run with iconv alone and again by the table. */
#define GB18030_TESTS                                                                              \
    cmocka_unit_test(test_gb_decode_gbk), cmocka_unit_test(test_gb_decode_four_byte),              \
        cmocka_unit_test(test_gb_decode_bom), cmocka_unit_test(test_gb_decode_bad_bytes),          \
        cmocka_unit_test(test_gb_decode_cut_at_end), cmocka_unit_test(test_gb_decode_random)

int main(void) {
    /* GB18030 with iconv alone, then by the table. */
    const struct CMUnitTest by_table[] = {
        cmocka_unit_test(test_gb_table_every_code),
        cmocka_unit_test(test_gb_table_spares_iconv),
        GB18030_TESTS,
        cmocka_unit_test(test_auto_short_inputs),
        cmocka_unit_test(test_auto_decides_early),
        cmocka_unit_test(test_gb_large),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_zip_and_ole),
        cmocka_unit_test(test_valid_prefix),
        cmocka_unit_test(test_valid_prefix_narrow),
        cmocka_unit_test(test_valid_prefix_error_anywhere),
        cmocka_unit_test(test_sniff_utf16_bom),
        cmocka_unit_test(test_sniff_utf16_no_bom),
        cmocka_unit_test(test_sniff_text),
        cmocka_unit_test(test_utf8_check_valid),
        cmocka_unit_test(test_utf8_check_invalid),
        cmocka_unit_test(test_utf8_check_streaming),
        cmocka_unit_test(test_utf8_decode_valid),
        cmocka_unit_test(test_utf8_decode_bom),
        cmocka_unit_test(test_utf8_decode_bad_bytes),
        cmocka_unit_test(test_utf8_decode_random),
        cmocka_unit_test(test_utf8_decode_random_long),
        GB18030_TESTS,
        cmocka_unit_test(test_gb_without_iconv),
        cmocka_unit_test(test_auto_short_inputs),
        cmocka_unit_test(test_auto_undecided_while_buffering),
        cmocka_unit_test(test_auto_decides_early),
        cmocka_unit_test(test_auto_lazy),
        cmocka_unit_test(test_auto_window_edge),
        cmocka_unit_test(test_auto_window_decides),
        cmocka_unit_test(test_encoding_name),
        cmocka_unit_test(test_gb_large),
        cmocka_unit_test(test_gb_table_every_code),
    };
    int failed = cmocka_run_group_tests_name("iconv alone", tests, table_off, NULL);
    return failed + cmocka_run_group_tests_name("by the table", by_table, table_on, NULL);
}
