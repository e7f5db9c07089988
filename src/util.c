#include "hw_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
    /* Nothing sensible can go on without memory; say so and stop. */
    fputs("hwcheck: out of memory\n", stderr);
    exit(2);
}

void *hw_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *hw_xcalloc(size_t n, size_t sz) {
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *hw_xreallocarray(void *p, size_t n, size_t sz) {
    if (sz && n > SIZE_MAX / sz)
        out_of_memory();
    size_t total = n * sz;
    void *q = realloc(p, total ? total : 1);
    if (!q)
        out_of_memory();
    return q;
}

void *hw_need(void *p) {
    if (!p)
        out_of_memory();
    return p;
}

char *hw_xstrndup(const char *s, size_t len) {
    if (len == SIZE_MAX)
        out_of_memory();
    char *p = hw_xmalloc(len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void hw_buf_init(hw_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void hw_buf_free(hw_buf *b) {
    free(b->data);
    hw_buf_init(b);
}

void hw_buf_reserve(hw_buf *b, size_t extra) {
    if (extra > SIZE_MAX - b->len - 1)
        out_of_memory();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = hw_xreallocarray(b->data, cap, 1);
    b->cap = cap;
}

void hw_buf_append(hw_buf *b, const void *p, size_t n) {
    hw_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hw_buf_puts(hw_buf *b, const char *s) {
    hw_buf_append(b, s, strlen(s));
}

void hw_buf_vprintf(hw_buf *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        hw_buf_append(b, small, (size_t)n);
    } else if (n >= 0) {
        hw_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void hw_buf_printf(hw_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hw_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void hw_buf_clear(hw_buf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

uint64_t hw_hash(const void *p, size_t n) {
    const unsigned char *s = p;
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= UINT64_C(1099511628211);
    }
    /* Final mix so the low bits used by power-of-two tables are spread. */
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return h;
}
