/* Small shared helpers: checked allocation, a growable byte buffer. */
#ifndef HW_UTIL_H
#define HW_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
/* Appends n bytes and keeps the data NUL-terminated. */
void hw_buf_append(hw_buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
void hw_buf_puts(hw_buf *b, const char *s);
/* Appends printf-style formatted text. */
void hw_buf_printf(hw_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends vprintf-style formatted text. */
void hw_buf_vprintf(hw_buf *b, const char *fmt, va_list ap);
/* Empties the buffer, keeping its memory. */
void hw_buf_clear(hw_buf *b);

/* 64-bit FNV-1a style hash of n bytes, mixed for use in power-of-two tables.
 * Stable: reports print values made from it. */
uint64_t hw_hash(const void *p, size_t n);
/* A hash of n bytes for tables in memory, eight bytes at a step: several
 * times faster than hw_hash on names, and free to change between versions. */
uint64_t hw_hash_mem(const void *p, size_t n);

#endif
