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

void hw_buf_format(hw_buf *b, const char *fmt, const char *const *arg, size_t n) {
    size_t next = 0;
    for (const char *p = fmt;;) {
        const char *pc = strchr(p, '%');
        if (!pc) {
            hw_buf_puts(b, p);
            return;
        }
        hw_buf_append(b, p, (size_t)(pc - p));
        p = pc + 1;
        if (*p == '%') {
            hw_buf_append(b, "%", 1);
            p++;
            continue;
        }
        size_t k = next++;
        if (*p >= '1' && *p <= '9') {
            size_t pos = 0;
            const char *q = p;
            while (*q >= '0' && *q <= '9' && pos < 100)
                pos = pos * 10 + (size_t)(*q++ - '0');
            if (*q == '$') {
                k = pos - 1;
                p = q + 1;
            }
        }
        if (*p == 's' || *p == 'd') {
            if (k < n && arg[k])
                hw_buf_puts(b, arg[k]);
            p++;
        }
    }
}

size_t hw_put_u64(char *out, uint64_t v) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
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

static uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t load32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One step: the state and eight more bytes, multiplied as 128 bits and
 * folded (as in wyhash), so every input bit reaches every output bit. */
static uint64_t mix(uint64_t a, uint64_t b) {
    a ^= UINT64_C(0xa0761d6478bd642f);
    b ^= UINT64_C(0xe7037ed1a0b428db);
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 r = (u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t r = a * b;
    return r ^ (r >> 32) ^ (b >> 29);
#endif
}

uint64_t hw_hash_mem(const void *p, size_t n) {
    const unsigned char *s = p;
    uint64_t h = n;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            h = mix(h, load64(s + i));
        h = mix(h, load64(s + n - 8)); /* the last eight, overlapping if need be */
    } else if (n >= 4) {
        h = mix(h, (load32(s) << 32) | load32(s + n - 4));
    } else if (n > 0) {
        h = mix(h, ((uint64_t)s[0] << 16) | ((uint64_t)s[n / 2] << 8) | s[n - 1]);
    }
    return mix(h, UINT64_C(0x8ebc6af09c88c6e3));
}
