#include "hw_intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_util.h"

void hw_intern_init(hw_intern *t) {
    memset(t, 0, sizeof *t);
    t->nslots = 64;
    t->slot = hw_xcalloc(t->nslots, sizeof *t->slot);
    hw_intern_add(t, "", 0);
}

void hw_intern_free(hw_intern *t) {
    free(t->bytes);
    free(t->start);
    free(t->slen);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static void grow_slots(hw_intern *t) {
    size_t n = t->nslots * 2;
    uint32_t *slot = hw_xcalloc(n, sizeof *slot);
    for (uint32_t id = 0; id < t->n; id++) {
        size_t i = hw_hash_mem(t->bytes + t->start[id], t->slen[id]) & (n - 1);
        while (slot[i])
            i = (i + 1) & (n - 1);
        slot[i] = id + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = n;
}

uint32_t hw_intern_add(hw_intern *t, const char *s, size_t len) {
    size_t mask = t->nslots - 1;
    size_t i = hw_hash_mem(s, len) & mask;
    while (t->slot[i]) {
        uint32_t id = t->slot[i] - 1;
        if (t->slen[id] == len && memcmp(t->bytes + t->start[id], s, len) == 0)
            return id;
        i = (i + 1) & mask;
    }
    if (len >= UINT32_MAX || t->n == UINT32_MAX - 1) {
        fputs("hwcheck: too many distinct names\n", stderr);
        exit(2);
    }
    if (t->n == t->capn) {
        t->capn = t->capn ? t->capn * 2 : 64;
        t->start = hw_xreallocarray(t->start, t->capn, sizeof *t->start);
        t->slen = hw_xreallocarray(t->slen, t->capn, sizeof *t->slen);
    }
    if (len + 1 > t->cap - t->len) {
        size_t cap = t->cap ? t->cap : 4096;
        while (len + 1 > cap - t->len)
            cap *= 2;
        t->bytes = hw_xreallocarray(t->bytes, cap, 1);
        t->cap = cap;
    }
    uint32_t id = t->n++;
    t->start[id] = t->len;
    t->slen[id] = (uint32_t)len;
    if (len)
        memcpy(t->bytes + t->len, s, len);
    t->bytes[t->len + len] = '\0';
    t->len += len + 1;
    t->slot[i] = id + 1;
    /* Keep the table at most half full so probes stay short. */
    if ((size_t)t->n * 2 > t->nslots)
        grow_slots(t);
    return id;
}
