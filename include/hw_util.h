/* Small shared helpers: checked allocation, a growable byte buffer, line
 * ends found in a buffer. */
#ifndef HW_UTIL_H
#define HW_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A growable byte buffer; data is always NUL-terminated after hw_buf_append. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} hw_buf;

/* Allocation that never returns NULL: on exhaustion it prints
 * "hwcheck: out of memory" and exits with status 2 (the one exit outside main). */
void *hw_xmalloc(size_t n);
/* As hw_xmalloc, for n elements of size sz, checking the product for overflow. */
void *hw_xcalloc(size_t n, size_t sz);
/* As realloc for n elements of size sz, checking overflow; never returns NULL. */
void *hw_xreallocarray(void *p, size_t n, size_t sz);
/* Returns p; a NULL p (a library that could not allocate, such as cJSON) ends
 * the run as hw_xmalloc does. */
void *hw_need(void *p);
/* A NUL-terminated copy of s[0..len); the caller frees it. */
char *hw_xstrndup(const char *s, size_t len);

/* Starts an empty buffer (no allocation). */
void hw_buf_init(hw_buf *b);
/* Releases the buffer's memory and leaves it empty. */
void hw_buf_free(hw_buf *b);
/* Makes room for extra more bytes (plus a NUL). */
void hw_buf_reserve(hw_buf *b, size_t extra);
/* Appends n bytes and keeps the data NUL-terminated. Inline where the
 * buffer has room: reports append a few bytes at a time, millions of times. */
static inline void hw_buf_append(hw_buf *b, const void *p, size_t n) {
    if (n >= b->cap - b->len) /* no room for n and the NUL, or no memory yet */
        hw_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}
/* Appends a NUL-terminated string. */
static inline void hw_buf_puts(hw_buf *b, const char *s) {
    hw_buf_append(b, s, strlen(s));
}
/* Appends printf-style formatted text. */
void hw_buf_printf(hw_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends vprintf-style formatted text. */
void hw_buf_vprintf(hw_buf *b, const char *fmt, va_list ap);
/* Appends fmt with its conversions replaced by arg[0..n), each given as
 * text: %s and %d take the next argument, %N$s and %N$d the Nth, %% is %.
 * That is all the formats of hw_msg's findings use, and a district's report
 * formats hundreds of thousands of them, where printf took a fifth of the
 * time. A conversion past the arguments appends nothing. */
void hw_buf_format(hw_buf *b, const char *fmt, const char *const *arg, size_t n);
/* Writes v in decimal at out (room for 20 characters, no NUL) and returns
 * the number of characters. */
size_t hw_put_u64(char *out, uint64_t v);
/* Empties the buffer, keeping its memory. */
void hw_buf_clear(hw_buf *b);

/* 64-bit FNV-1a style hash of n bytes, mixed for use in power-of-two tables.
 * Stable: reports print values made from it. */
uint64_t hw_hash(const void *p, size_t n);
/* A hash of n bytes for tables in memory, eight bytes at a step: several
 * times faster than hw_hash on names, and free to change between versions. */
uint64_t hw_hash_mem(const void *p, size_t n);

/* The zero-byte test on v with every byte c removed: nonzero exactly when
 * a byte of v is c, in that byte's high bit. Of eight bytes loaded little-
 * endian, the lowest bit set marks the first such byte (bits above it may
 * be set falsely). Word-at-a-time scans of text use it. */
static inline uint64_t hw_bytes_equal(uint64_t v, unsigned char c) {
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t x = v ^ (ones * c);
    return (x - ones) & ~x & (ones * 0x80);
}

/* Line ends (CR or LF) found in one buffer from front to back, for the CSV
 * stage and the split scan alike. The first LF and the first CR at or after
 * the search are each kept until the search passes them, so that a buffer of
 * lines ended by LF alone is searched once to its end for a CR, not on every
 * line, and one of lines ended by CR alone (Excel's "CSV (Macintosh)") once
 * for an LF. Zeroed for each buffer. */
typedef struct {
    const char *lf, *cr; /* NULL when known: none before the buffer's end */
    bool lf_known, cr_known;
} hw_eol_scan;

/* The first CR or LF in p[0..n), or NULL; p + n is the buffer's end. */
static inline const char *hw_eol_next(hw_eol_scan *s, const char *p, size_t n) {
    if (!s->lf_known || (s->lf && s->lf < p)) {
        s->lf = memchr(p, '\n', n);
        s->lf_known = true;
    }
    if (!s->cr_known || (s->cr && s->cr < p)) {
        s->cr = memchr(p, '\r', n);
        s->cr_known = true;
    }
    if (!s->cr)
        return s->lf;
    return s->lf && s->lf < s->cr ? s->lf : s->cr;
}

#endif
