/* Interned strings: each distinct string stored once and named by a number. */
#ifndef HW_INTERN_H
#define HW_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *bytes; /* all strings, each NUL-terminated */
    size_t len, cap;
    size_t *start; /* where string id begins in bytes */
    uint32_t *slen;
    uint32_t n, capn;
    uint32_t *slot; /* open-addressing table of id + 1, 0 = empty */
    size_t nslots;
} hw_intern;

/* Starts an empty table; id 0 is always the empty string. */
void hw_intern_init(hw_intern *t);
/* Frees a table's memory. */
void hw_intern_free(hw_intern *t);
/* The id of s[0..len), adding it if new. */
uint32_t hw_intern_add(hw_intern *t, const char *s, size_t len);
/* The string of an id (valid until the next add). */
static inline const char *hw_intern_str(const hw_intern *t, uint32_t id) {
    return t->bytes + t->start[id];
}
/* The length of the string of an id. */
static inline size_t hw_intern_len(const hw_intern *t, uint32_t id) {
    return t->slen[id];
}

#endif
