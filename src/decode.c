/* Decode stage: UTF-8 or GB18030/GBK bytes in, UTF-8 out (see hw_decode.h).
 *
 * Every decoder mode works the same way: run_*() decodes a span of bytes and
 * returns how many it consumed; the only bytes it may leave unconsumed (when
 * the span is not the end of the stream) are a sequence cut at the end of the
 * span, at most 3 bytes, which the decoder holds and puts in front of the next
 * feed. What a mode produces for a sequence depends only on the bytes of that
 * sequence, so the output is the same however the input is cut into feeds.
 *
 * Bad bytes: each input byte that is not part of a valid sequence becomes one
 * HW_BAD_BYTE. In UTF-8 mode the lead byte of a broken sequence becomes
 * HW_BAD_BYTE and the decoding restarts at the next byte (so the continuation
 * bytes that followed become HW_BAD_BYTE each, and a byte that broke the
 * sequence is read afresh). GB18030 mode does the same with what iconv calls
 * invalid (EILSEQ): one HW_BAD_BYTE, skip one byte, go on. A sequence that is
 * still incomplete at the end of the stream is handled the same way: its first
 * byte becomes HW_BAD_BYTE and the rest is read again (for UTF-8 these are
 * continuation bytes, so each one becomes HW_BAD_BYTE; for GB18030 an ASCII
 * byte that glibc held back with a lone lead byte is kept).
 */
#include "hw_decode.h"
#include "hw_utf8_fast.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

/* The AUTO window: how many bytes are looked at before deciding. */
#define WINDOW_SIZE ((size_t)64 * 1024)
/* GB18030: a pure-ASCII run at least this long is copied without iconv. */
#define GB_ASCII_RUN 64
/* GB18030 bytes all decoders of a run convert through iconv before the
 * two-byte table is made (see gb_table_make). */
#define GB_TABLE_AFTER ((size_t)256 * 1024)
/* Bytes iconv converts from a sequence the table does not hold (a
 * four-byte character, a bad byte): a few characters, so that a text full
 * of them does not call iconv for each. */
#define GB_ICONV_WINDOW 32
/* How many bytes of the next feed are joined to held bytes at once. */
#define JOIN_SIZE 16

#define HIGH_BITS UINT64_C(0x8080808080808080)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};
/* U+FEFF written in GB18030. */
static const unsigned char gb_bom[4] = {0x84, 0x31, 0x95, 0x33};

/* ---------------------------------------------------------------- sniff */

hw_sniff hw_sniff_bytes(const unsigned char *p, size_t n) {
    static const unsigned char zip[4] = {'P', 'K', 0x03, 0x04};
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (!p || n == 0)
        return HW_SNIFF_TEXT;
    if (n >= sizeof zip && memcmp(p, zip, sizeof zip) == 0)
        return HW_SNIFF_XLSX;
    if (n >= sizeof ole && memcmp(p, ole, sizeof ole) == 0)
        return HW_SNIFF_XLS;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return HW_SNIFF_UTF16LE;
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return HW_SNIFF_UTF16BE;
    if (n < 4)
        return HW_SNIFF_TEXT;
    /* No BOM: ASCII text in UTF-16 has a NUL in every other byte. Allow one
     * in ten to be something else (non-ASCII characters), and require the
     * other half to be mostly non-NUL (so a run of zeros is not UTF-16).
     * Chinese text has fewer NULs, but a CSV's commas, digits and line ends
     * still put them on one side only, which UTF-8 and GBK text never does. */
    size_t m = n < 512 ? n : 512;
    size_t pairs = m / 2, zero_even = 0, zero_odd = 0;
    for (size_t i = 0; i < pairs; i++) {
        zero_even += p[2 * i] == 0;
        zero_odd += p[2 * i + 1] == 0;
    }
    if (zero_odd * 10 >= pairs * 9 && zero_even * 10 <= pairs)
        return HW_SNIFF_UTF16LE;
    if (zero_even * 10 >= pairs * 9 && zero_odd * 10 <= pairs)
        return HW_SNIFF_UTF16BE;
    /* Chinese text in UTF-16 has NUL only beside its ASCII characters (the
     * commas, digits and dates of a register): a fifth of the pairs or more
     * with a NUL on one side, and few on the other (U+4E00 一 has one). UTF-8
     * and GBK text has none, and other binary files have them on both sides. */
    if (zero_odd * 5 >= pairs && zero_even * 8 <= zero_odd)
        return HW_SNIFF_UTF16LE;
    if (zero_even * 5 >= pairs && zero_odd * 8 <= zero_even)
        return HW_SNIFF_UTF16BE;
    return HW_SNIFF_TEXT;
}

/* ---------------------------------------------------------------- UTF-8 */

/* Index of the first byte at or after i that is not ASCII, or n. */
static size_t ascii_end(const unsigned char *p, size_t i, size_t n) {
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & HIGH_BITS)
            break;
        i += 8;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

enum seq_status { SEQ_OK, SEQ_BAD, SEQ_SHORT };

/* Looks at the UTF-8 sequence that starts at p[0] (not ASCII), n >= 1 bytes
 * available. SEQ_OK: *len is its length. SEQ_BAD: p[0..*len) are bad bytes
 * (the lead and the continuation bytes before the byte that broke the
 * sequence) and p[*len] must be read afresh. SEQ_SHORT: all n bytes are a
 * valid start of a longer sequence. */
static enum seq_status utf8_seq(const unsigned char *p, size_t n, size_t *len) {
    unsigned b0 = p[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (b0 < 0xC2) {               /* continuation byte, or overlong C0/C1 */
        *len = 1;
        return SEQ_BAD;
    } else if (b0 < 0xE0) {
        need = 2;
    } else if (b0 < 0xF0) {
        need = 3;
        if (b0 == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b0 == 0xED)
            hi = 0x9F; /* surrogates D800..DFFF */
    } else if (b0 < 0xF5) {
        need = 4;
        if (b0 == 0xF0)
            lo = 0x90; /* overlong */
        else if (b0 == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        *len = 1;
        return SEQ_BAD;
    }
    if (n < 2)
        return SEQ_SHORT;
    if (p[1] < lo || p[1] > hi) {
        *len = 1;
        return SEQ_BAD;
    }
    for (size_t j = 2; j < need; j++) {
        if (j >= n)
            return SEQ_SHORT;
        if ((p[j] & 0xC0) != 0x80) {
            *len = j;
            return SEQ_BAD;
        }
    }
    *len = need;
    return SEQ_OK;
}

void hw_utf8_check_init(hw_utf8_check *c) {
    memset(c->pending, 0, sizeof c->pending);
    c->npending = 0;
    c->valid = true;
    c->nseq = 0;
    c->nbad = 0;
    c->gave_up = false;
}

/* Counts an invalid sequence; false when counting further cannot change the
 * answer of hw_utf8_check_mostly (64 invalid and too few valid so far). */
static bool count_bad(hw_utf8_check *c) {
    c->valid = false;
    c->nbad++;
    if (c->nbad >= 64 && c->nbad * HW_UTF8_MOSTLY_RATIO > c->nseq)
        c->gave_up = true;
    return !c->gave_up;
}

bool hw_utf8_check_mostly(const hw_utf8_check *c) {
    return c->valid || (!c->gave_up && c->nbad * HW_UTF8_MOSTLY_RATIO <= c->nseq);
}

bool hw_utf8_check_feed(hw_utf8_check *c, const unsigned char *p, size_t n) {
    if (c->gave_up || n == 0)
        return c->valid;
    size_t i = 0, len = 0;
    if (c->npending) {
        /* Complete the held sequence one byte at a time. */
        enum seq_status st = SEQ_SHORT;
        while (st == SEQ_SHORT && i < n) {
            c->pending[c->npending++] = p[i++];
            st = utf8_seq(c->pending, c->npending, &len);
        }
        if (st == SEQ_SHORT)
            return c->valid;
        c->npending = 0;
        if (st == SEQ_BAD) {
            /* The bytes taken into pending are not looked at again: a count
             * off by a few bytes does not change the answer. */
            if (!count_bad(c))
                return false;
        } else {
            c->nseq++;
        }
    }
    for (;;) {
        /* Valid text goes sixteen bytes at a time, up to a bad sequence. */
        uint64_t leads;
        i += hw_utf8_valid_prefix(p + i, n - i, &leads);
        c->nseq += leads;
        /* Chinese text is mostly 3-byte characters between short ASCII runs:
         * those are taken here, anything else by utf8_seq. */
        size_t n3 = 0; /* hw_utf8_check_mostly weighs these against bad bytes */
        while (i + 3 <= n) {
            unsigned b0 = p[i];
            if (b0 < 0x80) {
                i++;
            } else if (b0 >= 0xE1 && b0 <= 0xEF && b0 != 0xED && (p[i + 1] & 0xC0) == 0x80 &&
                       (p[i + 2] & 0xC0) == 0x80) {
                n3++;
                i += 3;
            } else {
                break;
            }
        }
        c->nseq += n3;
        i = ascii_end(p, i, n);
        if (i >= n)
            return c->valid;
        enum seq_status st = utf8_seq(p + i, n - i, &len);
        if (st == SEQ_OK) {
            c->nseq++;
            i += len;
        } else if (st == SEQ_BAD) {
            if (!count_bad(c))
                return false;
            i += len;
        } else {
            c->npending = (unsigned)(n - i);
            memcpy(c->pending, p + i, n - i);
            return c->valid;
        }
    }
}

bool hw_utf8_check_end(hw_utf8_check *c) {
    if (c->npending)
        count_bad(c);
    c->npending = 0;
    return c->valid;
}

/* ---------------------------------------------------------------- decoder */

struct hw_decoder {
    hw_encoding enc;  /* in use; HW_ENC_AUTO while undecided */
    bool windowing;   /* AUTO: still collecting the first WINDOW_SIZE bytes */
    bool bom_pending; /* the stream start has not been checked for a BOM */
    bool have_cd;     /* cd is open (false: iconv has no GB18030) */
    bool tried_cd;    /* iconv_open was called */
    iconv_t cd;
    uint64_t consumed;     /* stream bytes decoded so far (not counting held) */
    hw_buf win;            /* AUTO: the window collected so far */
    hw_utf8_check chk;     /* AUTO: UTF-8 check of the window */
    unsigned char hold[8]; /* a sequence cut at the end of the last feed */
    size_t nhold;
};

static void append_bad(hw_buf *out, size_t n) {
    hw_buf_reserve(out, n);
    memset(out->data + out->len, HW_BAD_BYTE, n);
    out->len += n;
    out->data[out->len] = '\0';
}

static void open_iconv(hw_decoder *d) {
    if (d->tried_cd)
        return;
    d->tried_cd = true;
    d->cd = iconv_open("UTF-8", "GB18030");
    /* Without a GB18030 converter the decoder still works: every non-ASCII
     * byte then comes out as HW_BAD_BYTE. */
    d->have_cd = d->cd != (iconv_t)-1;
}

/* Switches an undecided decoder to enc at stream offset off. */
static void decide(hw_decoder *d, hw_encoding enc, uint64_t off) {
    d->enc = enc;
    d->bom_pending = off == 0;
    if (enc == HW_ENC_GB18030)
        open_iconv(d);
}

/* Checks the start of the stream for bom. Returns true if the caller must
 * wait for more bytes (p[0..n) is a proper prefix of the BOM); otherwise sets
 * *skip to the length of a BOM found (or leaves it 0). */
static bool check_bom(hw_decoder *d, const unsigned char *p, size_t n, bool final,
                      const unsigned char *bom, size_t bomlen, size_t *skip) {
    if (!d->bom_pending)
        return false;
    size_t k = n < bomlen ? n : bomlen;
    if (k && memcmp(p, bom, k) != 0) {
        d->bom_pending = false;
        return false;
    }
    if (k == bomlen) {
        *skip = bomlen;
        d->bom_pending = false;
        return false;
    }
    if (!final)
        return true;
    d->bom_pending = false;
    return false;
}

/* Text shorter than this is checked byte by byte only. */
#define UTF8_BLOCKS_MIN 64

static size_t run_utf8(hw_decoder *d, const unsigned char *p, size_t n, bool final, hw_buf *out) {
    size_t i = 0;
    if (check_bom(d, p, n, final, utf8_bom, sizeof utf8_bom, &i))
        return 0;
    size_t span = i; /* start of the valid bytes not yet appended */
    while (i < n) {
        /* Valid text in blocks of 16 or 32 bytes (a pipe, or a file with a
         * stray byte somewhere, comes this way), the rest byte by byte. */
        if (n - i >= UTF8_BLOCKS_MIN) {
            uint64_t leads;
            i += hw_utf8_valid_prefix(p + i, n - i, &leads);
        }
        i = ascii_end(p, i, n);
        if (i >= n)
            break;
        size_t len = 0;
        enum seq_status st = utf8_seq(p + i, n - i, &len);
        if (st == SEQ_OK) {
            i += len;
            continue;
        }
        if (i > span)
            hw_buf_append(out, p + span, i - span);
        if (st == SEQ_SHORT) {
            if (!final)
                return i;
            len = n - i; /* a valid start then the end: each byte is bad */
        }
        append_bad(out, len);
        i += len;
        span = i;
    }
    if (n > span)
        hw_buf_append(out, p + span, n - span);
    return n;
}

/* End of the span starting at i (not ASCII) to give iconv at once: 8 bytes
 * into the first run of at least GB_ASCII_RUN ASCII bytes (counted in whole
 * 8-byte words), or n. A GB18030 sequence is at most 4 bytes (and glibc looks
 * at no more than 4 to decide), so a sequence begun before the run is over,
 * or found invalid, within its first 3 bytes: the span ends between
 * characters, and what follows it is plain ASCII again. */
static size_t gb_span_end(const unsigned char *p, size_t i, size_t n) {
    size_t run = 0, k = i;
    while (k + 8 <= n) {
        uint64_t w;
        memcpy(&w, p + k, 8);
        k += 8;
        if (w & HIGH_BITS) {
            run = 0;
        } else {
            run += 8;
            if (run >= GB_ASCII_RUN)
                return k - run + 8;
        }
    }
    return n;
}

/* ---- The two-byte table -------------------------------------------------
 * Nearly every character of a GBK export is two bytes, a lead 81..FE and a
 * second byte 40..FE. iconv converts each through UCS-4 and finds it by a
 * search; once a run has converted GB_TABLE_AFTER bytes, what iconv gives
 * for each of the 126 x 191 two-byte codes is asked once and kept in a
 * table, and those characters are looked up. Every other sequence (four
 * bytes, bad bytes, a code iconv does not convert to one character of at
 * most 3 UTF-8 bytes) still goes to iconv, so the output is iconv's,
 * whatever its version maps. */
#define GB_TRAILS 191 /* second bytes 40..FE (7F is never one) */
/* The UTF-8 bytes of code (lead, trail), their count in the high byte; 0
 * for a code left to iconv. */
static uint32_t gb_table[126 * GB_TRAILS];
static atomic_bool gb_table_ready;
static atomic_bool gb_table_off;     /* hw_decode_gb_table(false) */
static atomic_size_t gb_iconv_bytes; /* converted by iconv before the table */
static pthread_once_t gb_table_once = PTHREAD_ONCE_INIT;

/* Fills gb_table's row of one lead byte from iconv: the row's codes each
 * followed by a line end, converted in one call, a code iconv cannot
 * convert skipped with its line end (its entry stays 0). */
static void gb_table_row(iconv_t cd, unsigned lead) {
    unsigned char in[GB_TRAILS * 3];
    char conv[GB_TRAILS * 5 + 8];
    for (unsigned t = 0; t < GB_TRAILS; t++) {
        in[3 * t] = (unsigned char)lead;
        in[3 * t + 1] = (unsigned char)(0x40 + t);
        in[3 * t + 2] = '\n';
    }
    char *ip = (char *)in, *op = conv;
    size_t ileft = sizeof in, oleft = sizeof conv;
    bool skipped[GB_TRAILS] = {false};
    while (ileft > 0) {
        if (iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1)
            break;
        size_t at = (size_t)((unsigned char *)ip - in);
        if (errno != EILSEQ || at % 3 != 0)
            return; /* not as expected: the row stays with iconv */
        skipped[at / 3] = true;
        ip += 3;
        ileft -= 3;
        *op++ = '\n';
        oleft--;
    }
    iconv(cd, NULL, NULL, NULL, NULL);
    const char *c = conv;
    for (unsigned t = 0; t < GB_TRAILS; t++) {
        const char *end = memchr(c, '\n', (size_t)(op - c));
        if (!end)
            return;
        size_t len = (size_t)(end - c);
        const unsigned char *u = (const unsigned char *)c;
        /* one character of 2 or 3 UTF-8 bytes (every two-byte code's is) */
        bool one = (len == 2 && (u[0] & 0xE0) == 0xC0) || (len == 3 && (u[0] & 0xF0) == 0xE0);
        if (!skipped[t] && one)
            gb_table[(lead - 0x81) * GB_TRAILS + t] = (uint32_t)u[0] | (uint32_t)u[1] << 8 |
                                                      (uint32_t)(len == 3 ? u[2] : 0) << 16 |
                                                      (uint32_t)len << 24;
        c = end + 1;
    }
}

static void gb_table_make(void) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return;
    for (unsigned lead = 0x81; lead <= 0xFE; lead++)
        gb_table_row(cd, lead);
    iconv_close(cd);
    atomic_store_explicit(&gb_table_ready, true, memory_order_release);
}

void hw_decode_gb_table(bool use) {
    atomic_store(&gb_table_off, !use);
    if (use)
        pthread_once(&gb_table_once, gb_table_make);
}

/* Whether the table is there to use, made once GB_TABLE_AFTER bytes went
 * to iconv (n more now). */
static bool gb_table_wanted(size_t n) {
    if (atomic_load_explicit(&gb_table_off, memory_order_relaxed))
        return false;
    if (atomic_load_explicit(&gb_table_ready, memory_order_acquire))
        return true;
    if (atomic_fetch_add_explicit(&gb_iconv_bytes, n, memory_order_relaxed) + n < GB_TABLE_AFTER)
        return false;
    pthread_once(&gb_table_once, gb_table_make);
    return atomic_load_explicit(&gb_table_ready, memory_order_acquire);
}

/* Decodes ASCII and the table's two-byte characters from p[i..e) on; returns
 * where it stopped: e, or a sequence the table does not hold. out has room
 * for 3 bytes per 2 of input, and 1 more. */
static size_t gb_table_run(const unsigned char *p, size_t i, size_t e, hw_buf *out) {
    unsigned char *o = (unsigned char *)out->data + out->len;
    while (i < e) {
        unsigned c = p[i];
        if (c < 0x80) {
            *o++ = (unsigned char)c;
            i++;
            continue;
        }
        if (i + 1 >= e || c == 0x80 || c == 0xFF || p[i + 1] < 0x40 || p[i + 1] == 0xFF)
            break;
        uint32_t v = gb_table[(c - 0x81) * GB_TRAILS + (p[i + 1] - 0x40u)];
        if (!v)
            break;
        o[0] = (unsigned char)v;
        o[1] = (unsigned char)(v >> 8);
        o[2] = (unsigned char)(v >> 16);
        o += v >> 24;
        i += 2;
    }
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return i;
}

/* Converts p[i..e) with iconv; returns where it stopped (e, or the start of a
 * sequence cut at e if the stream goes on after e). */
static size_t gb_iconv(hw_decoder *d, const unsigned char *p, size_t i, size_t e, bool more,
                       hw_buf *out) {
    char *in = (char *)(uintptr_t)(p + i);
    size_t inleft = e - i;
    /* A GB18030 character of 2 bytes is at most 3 in UTF-8, one of 4 is at
     * most 4, a bad byte is 1: one and a half times the input is enough. */
    hw_buf_reserve(out, inleft + inleft / 2 + 8);
    while (inleft > 0) {
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r = iconv(d->cd, &in, &inleft, &o, &oleft);
        int err = errno;
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (err == E2BIG) {
            hw_buf_reserve(out, out->cap - out->len + inleft * 2 + 16);
        } else if (err == EINVAL && more) {
            return e - inleft; /* cut at the end: hold it */
        } else {
            /* EILSEQ, or a sequence cut by the end of the stream: the first
             * byte is bad, go on with the next one. */
            append_bad(out, 1);
            in++;
            inleft--;
        }
    }
    return e;
}

/* Converts p[i..e) as gb_iconv does, by the table where it can: from a
 * sequence it does not hold, iconv takes GB_ICONV_WINDOW bytes (which hold
 * that sequence whole: one is at most 4 bytes), then the table goes on at
 * the first character iconv left. */
static size_t gb_convert(hw_decoder *d, const unsigned char *p, size_t i, size_t e, bool more,
                         hw_buf *out) {
    if (!gb_table_wanted(e - i))
        return gb_iconv(d, p, i, e, more, out);
    while (i < e) {
        hw_buf_reserve(out, (e - i) + (e - i) / 2 + 8);
        i = gb_table_run(p, i, e, out);
        if (more && e - i == 1 && p[i] >= 0x81 && p[i] != 0xFF)
            return i; /* a lead byte cut at the end: held, as iconv would */
        if (e - i <= GB_ICONV_WINDOW)
            return i < e ? gb_iconv(d, p, i, e, more, out) : e;
        size_t stop = gb_iconv(d, p, i, i + GB_ICONV_WINDOW, true, out);
        if (stop == i) /* cannot be: a sequence is at most 4 bytes */
            return gb_iconv(d, p, i, e, more, out);
        i = stop;
    }
    return e;
}

static size_t run_gb(hw_decoder *d, const unsigned char *p, size_t n, bool final, hw_buf *out) {
    size_t i = 0;
    if (check_bom(d, p, n, final, gb_bom, sizeof gb_bom, &i))
        return 0;
    while (i < n) {
        size_t j = ascii_end(p, i, n);
        if (j > i)
            hw_buf_append(out, p + i, j - i);
        i = j;
        if (i >= n)
            break;
        if (!d->have_cd) {
            append_bad(out, 1);
            i++;
            continue;
        }
        size_t e = gb_span_end(p, i, n);
        size_t stop = gb_convert(d, p, i, e, e < n || !final, out);
        if (stop < e)
            return stop;
        i = e;
    }
    return n;
}

/* AUTO after an all-ASCII window: ASCII passes, the first other sequence
 * decides. Returns early (with the encoding set) when it decides. */
static size_t run_lazy(hw_decoder *d, const unsigned char *p, size_t n, bool final, hw_buf *out) {
    size_t i = ascii_end(p, 0, n);
    if (i > 0)
        hw_buf_append(out, p, i);
    if (i >= n)
        return n;
    size_t len = 0;
    enum seq_status st = utf8_seq(p + i, n - i, &len);
    if (st == SEQ_SHORT && !final)
        return i; /* wait for the rest of the sequence */
    decide(d, st == SEQ_OK ? HW_ENC_UTF8 : HW_ENC_GB18030, d->consumed + i);
    return i;
}

/* Decodes p[0..n) in the current mode (which may get decided on the way);
 * returns the bytes consumed: n if final, else at least n - 3. */
static size_t decode_span(hw_decoder *d, const unsigned char *p, size_t n, bool final,
                          hw_buf *out) {
    size_t done = 0;
    for (;;) {
        hw_encoding before = d->enc;
        size_t c;
        if (d->enc == HW_ENC_UTF8)
            c = run_utf8(d, p + done, n - done, final, out);
        else if (d->enc == HW_ENC_GB18030)
            c = run_gb(d, p + done, n - done, final, out);
        else
            c = run_lazy(d, p + done, n - done, final, out);
        done += c;
        d->consumed += c;
        if (d->enc == before)
            return done;
    }
}

/* Decodes held bytes then p[0..n), holding a cut sequence at the end. */
static void feed_decided(hw_decoder *d, const unsigned char *p, size_t n, hw_buf *out) {
    if (n == 0)
        return;
    if (d->nhold) {
        /* Join the held bytes with the start of p in a small buffer; once the
         * held sequence is done the rest of p is decoded in place. */
        unsigned char tmp[sizeof d->hold + JOIN_SIZE];
        size_t m = n < JOIN_SIZE ? n : JOIN_SIZE;
        size_t total = d->nhold + m;
        memcpy(tmp, d->hold, d->nhold);
        memcpy(tmp + d->nhold, p, m);
        size_t c = decode_span(d, tmp, total, false, out);
        if (m == n) {
            d->nhold = total - c;
            memmove(d->hold, tmp + c, d->nhold);
            return;
        }
        /* At most 3 bytes are left unconsumed, so all held bytes went. */
        p += c - d->nhold;
        n -= c - d->nhold;
        d->nhold = 0;
    }
    size_t c = decode_span(d, p, n, false, out);
    while (n - c > sizeof d->hold) { /* cannot happen (at most 3 are left) */
        append_bad(out, 1);
        c++;
    }
    d->nhold = n - c;
    memcpy(d->hold, p + c, d->nhold);
}

/* AUTO: decides on the window collected so far (final: the stream ended). */
static void decide_window(hw_decoder *d) {
    const unsigned char *w = (const unsigned char *)d->win.data;
    d->windowing = false;
    if (d->win.len >= sizeof utf8_bom && memcmp(w, utf8_bom, sizeof utf8_bom) == 0)
        decide(d, HW_ENC_UTF8, 0);
    else if (!hw_utf8_check_mostly(&d->chk))
        decide(d, HW_ENC_GB18030, 0);
    else if (d->chk.nseq != 0)
        decide(d, HW_ENC_UTF8, 0);
    /* else all ASCII (but maybe a cut sequence at the end): stays undecided,
     * run_lazy decides on the first non-ASCII sequence. */
}

hw_decoder *hw_decoder_new(hw_encoding enc) {
    hw_decoder *d = hw_xcalloc(1, sizeof *d);
    d->enc = enc;
    d->windowing = enc == HW_ENC_AUTO;
    d->bom_pending = true;
    d->have_cd = false;
    d->tried_cd = false;
    d->cd = (iconv_t)-1;
    d->consumed = 0;
    d->nhold = 0;
    hw_buf_init(&d->win);
    hw_utf8_check_init(&d->chk);
    if (enc == HW_ENC_GB18030)
        open_iconv(d);
    return d;
}

void hw_decoder_free(hw_decoder *d) {
    if (!d)
        return;
    if (d->have_cd)
        iconv_close(d->cd);
    hw_buf_free(&d->win);
    free(d);
}

void hw_decoder_mid_stream(hw_decoder *d) {
    d->bom_pending = false;
}

void hw_decoder_feed(hw_decoder *d, const unsigned char *in, size_t len, hw_buf *out) {
    if (len == 0)
        return;
    if (d->windowing) {
        size_t take = WINDOW_SIZE - d->win.len;
        if (take > len)
            take = len;
        size_t before = d->win.len;
        hw_buf_append(&d->win, in, take);
        hw_utf8_check_feed(&d->chk, in, take);
        in += take;
        len -= take;
        const unsigned char *w = (const unsigned char *)d->win.data;
        /* Decide as soon as the answer is known: a UTF-8 BOM, so many
         * invalid sequences that it cannot be UTF-8 with stray bytes, or a
         * full window. The answer is the same as at the end of the window,
         * so the output does not depend on when this happens. */
        bool bom = before < sizeof utf8_bom && d->win.len >= sizeof utf8_bom &&
                   memcmp(w, utf8_bom, sizeof utf8_bom) == 0;
        if (!bom && !d->chk.gave_up && d->win.len < WINDOW_SIZE)
            return;
        decide_window(d);
        feed_decided(d, w, d->win.len, out);
        hw_buf_free(&d->win);
    }
    feed_decided(d, in, len, out);
}

void hw_decoder_finish(hw_decoder *d, hw_buf *out) {
    if (d->windowing) {
        decide_window(d);
        feed_decided(d, (const unsigned char *)d->win.data, d->win.len, out);
        hw_buf_free(&d->win);
    }
    size_t n = d->nhold;
    unsigned char tmp[sizeof d->hold];
    memcpy(tmp, d->hold, n);
    d->nhold = 0;
    decode_span(d, tmp, n, true, out);
}

hw_encoding hw_decoder_encoding(const hw_decoder *d) {
    return d->enc;
}

const char *hw_encoding_name(hw_encoding e) {
    switch (e) {
    case HW_ENC_UTF8:
        return "UTF-8";
    case HW_ENC_GB18030:
        return "GB18030";
    case HW_ENC_AUTO:
        break;
    }
    return "auto";
}
