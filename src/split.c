#include "hw_split.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hw_util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void hw_split_range_init(hw_split_range *r, long long start, long long end) {
    memset(r, 0, sizeof *r);
    r->start = start;
    r->end = end;
    r->after_lf[0] = r->after_lf[1] = -1;
    r->after_cr[0] = r->after_cr[1] = -1;
    r->cr_end = -1;
    r->utf8 = true;
}

/* Line ends are looked for only this far into a range: a part boundary is
 * missed only where a quoted field spans more than this. */
#define LF_WINDOW ((long long)64 * 1024)

/* The number of '"' bytes in p[0..n): sixteen at a time with SSE2 (every
 * x86-64 has it), eight at a time elsewhere. */
static uint64_t count_quotes(const unsigned char *p, size_t n) {
    uint64_t count = 0;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"');
    while (i + 16 <= n) {
        /* each byte of acc counts the quotes of its lane, up to 255 blocks */
        __m128i acc = _mm_setzero_si128();
        size_t blocks = (n - i) / 16;
        if (blocks > 255)
            blocks = 255;
        for (size_t b = 0; b < blocks; b++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, quote));
        }
        __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        count += (uint64_t)_mm_cvtsi128_si32(sums) +
                 (uint64_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#else
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F), quotes = UINT64_C(0x2222222222222222);
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t x = w ^ quotes; /* a zero byte where there was a quote */
        /* the high bit of each zero byte, exactly (no borrow between bytes) */
        uint64_t z = ~(((x & low7) + low7) | x | low7);
        count += ((z >> 7) * UINT64_C(0x0101010101010101)) >> 56;
    }
#endif
    for (; i < n; i++)
        count += p[i] == '"';
    return count;
}

/* A CR alone ends a line just before end: noted for its parity. */
static void lone_cr(hw_split_range *r, int parity, long long end) {
    if (r->after_cr[parity] < 0)
        r->after_cr[parity] = end;
}

void hw_split_finish(hw_split_range *r, int next) {
    if (r->cr_end >= 0 && next != '\n')
        lone_cr(r, r->cr_parity, r->cr_end);
    r->cr_end = -1;
}

void hw_split_feed(hw_split_range *r, const unsigned char *p, size_t n, long long at) {
    if (n) /* a CR that ended the bytes fed before */
        hw_split_finish(r, p[0]);
    size_t i = 0;
    hw_eol_scan eols = {0};
    while (i < n && (r->after_lf[0] < 0 || r->after_lf[1] < 0) &&
           at + (long long)i < r->start + LF_WINDOW) {
        const char *eol = hw_eol_next(&eols, (const char *)p + i, n - i);
        size_t e = eol ? (size_t)(eol - (const char *)p) : n;
        r->quotes += count_quotes(p + i, e - i);
        if (!eol)
            return;
        int parity = (int)(r->quotes & 1);
        if (*eol == '\n') {
            if (r->after_lf[parity] < 0)
                r->after_lf[parity] = at + (long long)e + 1;
        } else if (e + 1 < n) {
            if (p[e + 1] != '\n')
                lone_cr(r, parity, at + (long long)e + 1);
        } else {
            r->cr_end = at + (long long)e + 1; /* the next bytes tell */
            r->cr_parity = parity;
        }
        i = e + 1;
    }
    r->quotes += count_quotes(p + i, n - i);
}

/* Reads up to n bytes at off; returns the count, -1 on error. */
static ssize_t pread_full(int fd, unsigned char *buf, size_t n, long long off) {
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, buf + got, n - got, (off_t)(off + (long long)got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* Where the first character starting at or after off begins: continuation
 * bytes (10xxxxxx) belong to a character that starts before. At most 3 are
 * skipped; more cannot be valid and are left to the check. */
static long long char_start(int fd, long long off, long long size, bool *failed) {
    unsigned char b[3];
    if (off <= 0 || off >= size)
        return off < 0 ? 0 : off > size ? size : off;
    ssize_t k = pread_full(fd, b, sizeof b, off);
    if (k < 0) {
        *failed = true;
        return off;
    }
    for (ssize_t i = 0; i < k; i++)
        if ((b[i] & 0xC0) != 0x80)
            return off + i;
    return off + k;
}

void hw_split_scan_fd(hw_split_range *r, int fd, long long size, bool check_utf8,
                      unsigned char *buf, size_t cap) {
    hw_utf8_check chk;
    hw_utf8_check_init(&chk);
    long long from = r->start, to = r->end;
    if (check_utf8) {
        from = char_start(fd, r->start, size, &r->failed);
        to = char_start(fd, r->end, size, &r->failed);
    }
    /* Quotes and line ends are counted over [start, end), UTF-8 checked over
     * [from, to): read the union. */
    long long lo = from < r->start ? from : r->start;
    long long hi = to > r->end ? to : r->end;
    for (long long off = lo; off < hi && !r->failed;) {
        size_t want = hi - off < (long long)cap ? (size_t)(hi - off) : cap;
        ssize_t k = pread_full(fd, buf, want, off);
        if (k <= 0) {
            r->failed = k < 0 || off < r->end;
            break;
        }
        long long a = off > r->start ? off : r->start;
        long long b = off + k < r->end ? off + k : r->end;
        if (a < b)
            hw_split_feed(r, buf + (a - off), (size_t)(b - a), a);
        a = off > from ? off : from;
        b = off + k < to ? off + k : to;
        if (check_utf8 && a < b && chk.valid)
            hw_utf8_check_feed(&chk, buf + (a - off), (size_t)(b - a));
        off += k;
    }
    if (check_utf8)
        r->utf8 = hw_utf8_check_end(&chk) && !r->failed;
    if (r->cr_end >= 0 && !r->failed) {
        unsigned char next;
        ssize_t k = r->cr_end < size ? pread_full(fd, &next, 1, r->cr_end) : 0;
        if (k >= 0)
            hw_split_finish(r, k == 1 ? next : -1);
    }
}

size_t hw_split_starts(const hw_split_range *r, size_t n, long long *starts) {
    size_t parts = 0;
    uint64_t quotes = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            starts[parts++] = r[0].start;
        } else {
            /* outside quotes when the quotes before the line end are even */
            long long at = r[i].after_lf[quotes & 1];
            if (at < 0)
                at = r[i].after_cr[quotes & 1];
            if (at >= 0 && at > starts[parts - 1])
                starts[parts++] = at;
        }
        quotes += r[i].quotes;
    }
    return parts;
}
