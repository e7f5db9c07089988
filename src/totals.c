#include "hw_totals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_util.h"

/* A chunk of a list of class-days: about 24 KiB. */
#define DAY_CHUNK 1024
struct hw_day_chunk {
    hw_day_chunk *next;
    uint32_t n;
    hw_classday d[DAY_CHUNK];
};

/* Frees the class-days that wait (hw_totals.pend). */
static void free_pend(hw_totals *t) {
    for (uint32_t i = 0; i < t->npendlists; i++) {
        for (hw_day_chunk *k = t->pend[i].head, *next; k; k = next) {
            next = k->next;
            free(k);
        }
    }
    free(t->pend);
    t->pend = NULL;
    t->npend = t->npendlists = 0;
}

void hw_totals_init(hw_totals *t) {
    memset(t, 0, sizeof *t);
    hw_intern_init(&t->strings);
    t->nclass_slots = 64;
    t->class_slot = hw_xcalloc(t->nclass_slots, sizeof *t->class_slot);
    t->last_class = HW_NONE;
    t->last_day = HW_NONE;
}

void hw_totals_free(hw_totals *t) {
    hw_intern_free(&t->strings);
    for (uint32_t i = 0; i < t->nfiles; i++)
        free(t->file[i]);
    free(t->file);
    free(t->cls);
    free(t->day);
    free(t->row);
    free(t->note);
    free(t->ckey);
    free(t->class_slot);
    free(t->gnote);
    free_pend(t);
    memset(t, 0, sizeof *t);
}

static void too_many(const char *what) {
    fprintf(stderr, "hwcheck: too many %s\n", what);
    exit(2);
}

/* Grows an array of elements of size sz whose count has reached cap. */
static void *grow(void *p, uint32_t *cap, size_t sz, const char *what) {
    if (*cap >= UINT32_MAX / 2)
        too_many(what);
    *cap = *cap ? *cap * 2 : 256;
    return hw_xreallocarray(p, *cap, sz);
}

uint32_t hw_totals_add_file(hw_totals *t, const char *name) {
    if (t->nfiles == UINT32_MAX - 1)
        too_many("files");
    t->file = hw_xreallocarray(t->file, (size_t)t->nfiles + 1, sizeof *t->file);
    t->file[t->nfiles] = hw_xstrndup(name, strlen(name));
    return t->nfiles++;
}

const char *hw_totals_str(const hw_totals *t, uint32_t id) {
    return hw_intern_str(&t->strings, id);
}

/* Whether a[0..n) and b[0..n) are the same bytes: names are short, and a
 * loop the compiler sees beats a call to memcmp for each row. */
static bool same_bytes(const char *a, const char *b, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, sizeof x);
        memcpy(&y, b + i, sizeof y);
        if (x != y)
            return false;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* A class's hash, from its school and name bytes. */
static uint32_t class_hash(const char *school, size_t slen, const char *name, size_t nlen) {
    uint64_t h =
        hw_hash_mem(name, nlen) ^ (hw_hash_mem(school, slen) * UINT64_C(0x9e3779b97f4a7c15));
    return (uint32_t)(h ^ (h >> 32));
}

/* A class slot holds the class index + 1 in its high half and the class's
 * hash in the low half: probes skip other classes without loading them. */
static uint64_t class_slot(uint32_t c, uint32_t h) {
    return ((uint64_t)(c + 1) << 32) | h;
}

static void rehash_classes(hw_totals *t) {
    size_t n = t->nclass_slots * 2;
    uint64_t *slot = hw_xcalloc(n, sizeof *slot);
    for (uint32_t c = 0; c < t->nclasses; c++) {
        size_t i = t->cls[c].hash & (n - 1);
        while (slot[i])
            i = (i + 1) & (n - 1);
        slot[i] = class_slot(c, t->cls[c].hash);
    }
    free(t->class_slot);
    t->class_slot = slot;
    t->nclass_slots = n;
}

/* Whether class k is (school, name). */
static bool class_is(const hw_totals *t, const hw_class *k, const char *school, size_t slen,
                     const char *name, size_t nlen) {
    const char *key = t->ckey + k->key;
    return k->school_len == slen && k->name_len == nlen && same_bytes(key, school, slen) &&
           same_bytes(key + slen, name, nlen);
}

/* The class (school, name) of hash h, or HW_NONE with *at the free slot
 * where it would go. Rows name their class by bytes: they are compared with
 * the class's own copy, one cache line, not looked up as interned strings. */
static uint32_t probe_class(const hw_totals *t, uint32_t h, const char *school, size_t slen,
                            const char *name, size_t nlen, size_t *at) {
    size_t mask = t->nclass_slots - 1;
    size_t i = h & mask;
    for (uint64_t v; (v = t->class_slot[i]) != 0; i = (i + 1) & mask) {
        if ((uint32_t)v != h)
            continue;
        uint32_t c = (uint32_t)(v >> 32) - 1;
        if (class_is(t, &t->cls[c], school, slen, name, nlen))
            return c;
    }
    *at = i;
    return HW_NONE;
}

/* Adds class (school, name) of hash h in free slot at, with a grade origin. */
static uint32_t new_class(hw_totals *t, uint32_t h, size_t at, const char *school, size_t slen,
                          const char *name, size_t nlen, int grade, uint32_t file, uint32_t line) {
    if (t->nclasses == t->capclasses)
        t->cls = grow(t->cls, &t->capclasses, sizeof *t->cls, "classes");
    if (slen + nlen > UINT32_MAX - t->nckey)
        too_many("classes");
    if (t->nckey + slen + nlen > t->capckey) {
        while (t->nckey + slen + nlen > t->capckey)
            t->capckey = t->capckey ? t->capckey * 2 : 4096;
        t->ckey = hw_xreallocarray(t->ckey, t->capckey, 1);
    }
    if (slen)
        memcpy(t->ckey + t->nckey, school, slen);
    if (nlen)
        memcpy(t->ckey + t->nckey + slen, name, nlen);
    uint32_t c = t->nclasses++;
    bool names = !t->merge_only;
    t->cls[c] = (hw_class){names ? hw_intern_add(&t->strings, school, slen) : 0,
                           names ? hw_intern_add(&t->strings, name, nlen) : 0,
                           grade,
                           file,
                           line,
                           HW_NONE,
                           0,
                           h,
                           (uint32_t)t->nckey,
                           (uint32_t)slen,
                           (uint32_t)nlen};
    t->nckey += slen + nlen;
    t->class_slot[at] = class_slot(c, h);
    if ((size_t)t->nclasses * 2 > t->nclass_slots)
        rehash_classes(t);
    return c;
}

/* The index of a class, HW_NONE if unknown and !create. */
static uint32_t find_class(hw_totals *t, const hw_record *rec, bool create) {
    uint32_t last = t->last_class;
    if (last != HW_NONE &&
        class_is(t, &t->cls[last], rec->school, rec->school_len, rec->cls, rec->cls_len))
        return last;
    uint32_t h = class_hash(rec->school, rec->school_len, rec->cls, rec->cls_len);
    /* Rows by date list a school's classes in the same order each day: the
     * class made after the last one is worth a look before the table. */
    uint32_t next = last + 1; /* 0 when there is no last class */
    if (next < t->nclasses && t->cls[next].hash == h &&
        class_is(t, &t->cls[next], rec->school, rec->school_len, rec->cls, rec->cls_len))
        return t->last_class = next;
    size_t at;
    uint32_t c = probe_class(t, h, rec->school, rec->school_len, rec->cls, rec->cls_len, &at);
    if (c == HW_NONE && create)
        c = new_class(t, h, at, rec->school, rec->school_len, rec->cls, rec->cls_len, 0, 0, 0);
    if (c != HW_NONE)
        t->last_class = c;
    return c;
}

/* dst's index of class c of src, HW_NONE if none; *at as in probe_class.
 * guess: dst's class likeliest to be it (parts of a file by date hold the
 * same classes in the same order), HW_NONE for none. */
static uint32_t class_in(const hw_totals *dst, const hw_totals *src, uint32_t c, uint32_t guess,
                         size_t *at) {
    const hw_class *k = &src->cls[c];
    const char *key = src->ckey + k->key;
    if (guess < dst->nclasses && dst->cls[guess].hash == k->hash &&
        class_is(dst, &dst->cls[guess], key, k->school_len, key + k->school_len, k->name_len))
        return guess;
    return probe_class(dst, k->hash, key, k->school_len, key + k->school_len, k->name_len, at);
}

/* Fetches ahead what finding the class of hash h in t reads: step 0 its
 * slot, step 1 (once that has come) its class, step 2 its bytes. A hint. */
static void prefetch_class(const hw_totals *t, uint32_t h, int step) {
    size_t mask = t->nclass_slots - 1;
    size_t i = h & mask;
    if (step == 0) {
        __builtin_prefetch(&t->class_slot[i]);
        return;
    }
    for (uint64_t v; (v = t->class_slot[i]) != 0; i = (i + 1) & mask) {
        uint32_t c = (uint32_t)(v >> 32) - 1;
        if ((uint32_t)v == h && c < t->nclasses) {
            if (step == 1)
                __builtin_prefetch(&t->cls[c]);
            else
                __builtin_prefetch(t->ckey + t->cls[c].key);
            return;
        }
    }
}

int hw_totals_class_grade(hw_totals *t, const hw_record *rec) {
    uint32_t c = find_class(t, rec, false);
    return c == HW_NONE ? 0 : t->cls[c].grade;
}

void hw_totals_note_grade(hw_totals *t, const hw_record *rec) {
    if (t->ngnotes == t->capgnotes)
        t->gnote = grow(t->gnote, &t->capgnotes, sizeof *t->gnote, "grade notes");
    t->gnote[t->ngnotes++] =
        (hw_grade_note){hw_intern_add(&t->strings, rec->school, rec->school_len),
                        hw_intern_add(&t->strings, rec->cls, rec->cls_len), rec->grade};
}

bool hw_totals_grade_conflict(hw_totals *t, const hw_record *rec, hw_grade_origin *origin) {
    uint32_t c = find_class(t, rec, false);
    if (c == HW_NONE || t->cls[c].grade == rec->grade)
        return false;
    origin->grade = t->cls[c].grade;
    origin->file = t->cls[c].grade_file;
    origin->line = t->cls[c].grade_line;
    return true;
}

/* Appends class-day x; returns its index. */
static uint32_t add_day(hw_totals *t, hw_classday x) {
    if (t->ndays == t->capdays)
        t->day = grow(t->day, &t->capdays, sizeof *t->day, "class-days");
    uint32_t d = t->ndays++;
    t->day[d] = x;
    return d;
}

/* A new class-day (cls, date); late: there may be another of its class and
 * date (see hw_totals.unsettled). */
static uint32_t new_day(hw_totals *t, uint32_t cls, int32_t date, bool late) {
    t->unsettled |= late;
    return add_day(t, (hw_classday){cls, date, 0, HW_NONE, HW_NONE});
}

/* The class-day (cls, date), made if new. Registers list a class's days in
 * date order, so a date after the class's latest is new, and the latest
 * date is the class's latest class-day. A date before it (rows out of
 * order) makes a class-day of its own, joined with the others of its class
 * and date by hw_totals_settle: looking each one up in a table of the
 * class-days would cost a cache miss or more a row. */
static uint32_t find_day(hw_totals *t, uint32_t cls, int32_t date) {
    /* Exports list a class's rows of a day together: most rows hit this. */
    uint32_t last = t->last_day;
    if (last != HW_NONE && t->day[last].cls == cls && t->day[last].date == date)
        return last;
    hw_class *c = &t->cls[cls];
    if (c->top_day != HW_NONE && date <= c->top_date) {
        if (date == c->top_date)
            return t->last_day = c->top_day;
        return t->last_day = new_day(t, cls, date, true);
    }
    uint32_t d = new_day(t, cls, date, false);
    c->top_day = d;
    c->top_date = date;
    return t->last_day = d;
}

/* The string id of a subject. A register names a handful of subjects over
 * and over: a small cache, indexed by the length and the first and last
 * bytes, finds most without hashing. */
static uint32_t subject_id(hw_totals *t, const char *s, size_t len) {
    size_t k =
        len ? (len + (unsigned char)s[0] * 7u + (unsigned char)s[len - 1] * 13u) % HW_SUBJECT_CACHE
            : 0;
    uint32_t id = t->subject_cache[k];
    if (id && hw_intern_len(&t->strings, id - 1) == len &&
        same_bytes(hw_intern_str(&t->strings, id - 1), s, len))
        return id - 1;
    id = hw_intern_add(&t->strings, s, len);
    t->subject_cache[k] = id + 1;
    return id;
}

uint32_t hw_totals_find_class(hw_totals *t, const hw_record *rec) {
    return find_class(t, rec, false);
}

void hw_totals_add(hw_totals *t, uint32_t file, const hw_record *rec) {
    hw_totals_add_in(t, find_class(t, rec, true), file, rec);
}

void hw_totals_add_in(hw_totals *t, uint32_t c, uint32_t file, const hw_record *rec) {
    if (t->npend)
        hw_totals_settle(t);
    if (c == HW_NONE)
        c = find_class(t, rec, true);
    hw_class *cl = &t->cls[c];
    if (cl->grade == 0) {
        cl->grade = rec->grade;
        cl->grade_file = file;
        cl->grade_line = (uint32_t)rec->line;
    }
    uint32_t d = find_day(t, c, rec->date);
    if (rec->type == HW_TYPE_NOT_WRITTEN)
        return;
    if (t->nrows == t->caprows)
        t->row = grow(t->row, &t->caprows, sizeof *t->row, "rows");
    uint32_t r = t->nrows++;
    t->row[r] =
        (hw_row_ref){file, (uint32_t)rec->line, subject_id(t, rec->subject, rec->subject_len),
                     (int32_t)rec->umin, HW_NONE};
    hw_classday *day = &t->day[d];
    day->written += rec->umin;
    if (day->last == HW_NONE)
        day->first = r;
    else
        t->row[day->last].next = r;
    day->last = r;
    if (rec->type == HW_TYPE_UNKNOWN) {
        if (t->nnotes == t->capnotes)
            t->note = grow(t->note, &t->capnotes, sizeof *t->note, "type warnings");
        t->note[t->nnotes++] = (hw_type_note){
            r, c, rec->date, hw_intern_add(&t->strings, rec->type_text, rec->type_len)};
    }
}

/* p, an array of *cap elements of size sz, with room for want elements. */
static void *room(void *p, uint32_t *cap, size_t want, size_t sz) {
    if (want <= *cap)
        return p;
    *cap = (uint32_t)want;
    return hw_xreallocarray(p, want, sz);
}

void hw_totals_reserve_classes(hw_totals *t, size_t classes, size_t key_bytes) {
    if (classes > UINT32_MAX / 4 || key_bytes > UINT32_MAX / 2)
        return;
    t->cls = room(t->cls, &t->capclasses, classes, sizeof *t->cls);
    if (key_bytes > t->capckey) {
        t->ckey = hw_xreallocarray(t->ckey, key_bytes, 1);
        t->capckey = key_bytes;
    }
}

void hw_totals_reserve(hw_totals *t, size_t rows, size_t days) {
    if (rows > UINT32_MAX / 2 || days > UINT32_MAX / 2)
        return;
    t->row = room(t->row, &t->caprows, rows, sizeof *t->row);
    t->day = room(t->day, &t->capdays, days, sizeof *t->day);
}

/* A class's latest class-day and its date. */
typedef struct {
    uint32_t day;
    int32_t date;
} latest;

/* Adds class-day x to class-day y of the same class and date, which came
 * before it: written minutes add up, x's rows (in t) follow y's. */
static void join_day(hw_totals *t, hw_classday *y, const hw_classday *x) {
    y->written += x->written;
    if (x->first == HW_NONE)
        return;
    if (y->last == HW_NONE)
        y->first = x->first;
    else
        t->row[y->last].next = x->first;
    y->last = x->last;
}

/* Class-days of src ahead of the one being merged whose joins are fetched:
 * a register written date by date, each day's rows in no order of classes,
 * has each class-day of a day in several parts, and each part joins most of
 * its class-days to dst's of the same class and date, at a miss into dst's
 * class-days and one into its rows apiece. */
#define JOIN_AHEAD 48

/* The class-day of dst that src's class-day d joins as the merge stands
 * (top: each src class's latest in dst), HW_NONE when it joins none or d is
 * past src's class-days. */
static uint32_t joined(const hw_totals *src, const latest *top, uint32_t d) {
    if (d >= src->ndays)
        return HW_NONE;
    const latest *t = &top[src->day[d].cls];
    return t->day != HW_NONE && t->date == src->day[d].date ? t->day : HW_NONE;
}

/* dst's id of src's string id, added on first use; map[id] is HW_NONE until then. */
static uint32_t map_string(hw_totals *dst, const hw_totals *src, uint32_t *map, uint32_t id) {
    if (map[id] == HW_NONE)
        map[id] = hw_intern_add(&dst->strings, hw_intern_str(&src->strings, id),
                                hw_intern_len(&src->strings, id));
    return map[id];
}

/* Whether class c of t (HW_NONE: none) has no grade or the given one. */
static bool same_grade(const hw_totals *t, uint32_t c, int grade) {
    return c == HW_NONE || !t->cls[c].grade || t->cls[c].grade == grade;
}

/* Appends class-day x to those that wait for the settle, in its class's range. */
static void pend_add(hw_totals *t, hw_classday x) {
    uint32_t r = x.cls >> HW_SETTLE_SHIFT;
    if (r >= t->npendlists) {
        uint32_t n = t->npendlists ? t->npendlists : 16;
        while (n <= r)
            n *= 2;
        t->pend = hw_xreallocarray(t->pend, n, sizeof *t->pend);
        memset(t->pend + t->npendlists, 0, (n - t->npendlists) * sizeof *t->pend);
        t->npendlists = n;
    }
    hw_day_list *l = &t->pend[r];
    if (!l->tail || l->tail->n == DAY_CHUNK) {
        hw_day_chunk *k = hw_xmalloc(sizeof *k);
        k->next = NULL;
        k->n = 0;
        if (l->tail)
            l->tail->next = k;
        else
            l->head = k;
        l->tail = k;
    }
    l->tail->d[l->tail->n++] = x;
    l->n++;
    t->npend++;
}

bool hw_totals_merge(hw_totals *dst, const hw_totals *src, uint32_t file,
                     unsigned long line_offset) {
    /* Each class of src, and each grade noted, looked up once: dst must
     * agree on the grade, or nothing is merged. */
    uint32_t *cmap = hw_xcalloc(src->nclasses ? src->nclasses : 1, sizeof *cmap);
    size_t at;
    bool missed = false; /* the guess for the class before */
    for (uint32_t c = 0; c < src->nclasses; c++) {
        /* Parts of a file out of class order hold their classes in no order
         * dst knows: each lookup would wait on three cache misses in turn,
         * so while the guess misses, the classes ahead are fetched first. */
        if (missed)
            for (int step = 0; step < 3; step++)
                if (c + 12 - 4 * (uint32_t)step < src->nclasses)
                    prefetch_class(dst, src->cls[c + 12 - 4 * step].hash, step);
        uint32_t guess = c ? cmap[c - 1] + 1 : HW_NONE;
        cmap[c] = class_in(dst, src, c, guess, &at);
        missed = cmap[c] != guess;
        if (!same_grade(dst, cmap[c], src->cls[c].grade)) {
            free(cmap);
            return false;
        }
    }
    for (uint32_t i = 0; i < src->ngnotes; i++) {
        const hw_grade_note *g = &src->gnote[i];
        const char *school = hw_intern_str(&src->strings, g->school);
        const char *name = hw_intern_str(&src->strings, g->name);
        size_t slen = hw_intern_len(&src->strings, g->school);
        size_t nlen = hw_intern_len(&src->strings, g->name);
        uint32_t c =
            probe_class(dst, class_hash(school, slen, name, nlen), school, slen, name, nlen, &at);
        if (!same_grade(dst, c, g->grade)) {
            free(cmap);
            return false;
        }
    }
    uint32_t *smap = hw_xcalloc(src->strings.n, sizeof *smap);
    memset(smap, 0xFF, (size_t)src->strings.n * sizeof *smap);
    /* Classes, days and rows are taken in src's order, which is the order
     * in which reading src's input after dst's would have created them. */
    for (uint32_t c = 0; c < src->nclasses; c++) {
        if (cmap[c] != HW_NONE)
            continue;
        const hw_class *k = &src->cls[c];
        const char *key = src->ckey + k->key;
        class_in(dst, src, c, HW_NONE, &at); /* where it goes, now that classes before are in */
        cmap[c] =
            new_class(dst, k->hash, at, key, k->school_len, key + k->school_len, k->name_len,
                      k->grade, file + k->grade_file, (uint32_t)(k->grade_line + line_offset));
    }
    if ((uint64_t)dst->nrows + src->nrows >= UINT32_MAX / 2)
        too_many("rows");
    while (dst->caprows < dst->nrows + src->nrows)
        dst->row = grow(dst->row, &dst->caprows, sizeof *dst->row, "rows");
    uint32_t base = dst->nrows;
    for (uint32_t r = 0; r < src->nrows; r++) {
        const hw_row_ref *x = &src->row[r];
        dst->row[base + r] = (hw_row_ref){file + x->file, (uint32_t)(x->line + line_offset),
                                          map_string(dst, src, smap, x->subject), x->umin,
                                          x->next == HW_NONE ? HW_NONE : x->next + base};
    }
    dst->nrows += src->nrows;
    /* A class-day of src after its class's latest in dst (every one of a
     * class new to dst, and those of a part that goes on where the one
     * before stopped, by class or by date) goes in place; one of that date
     * joins it. An earlier one (rows out of order) waits in pend, to be
     * settled at the end with those of the parts after it: looking each one
     * up here would cost a cache miss or more apiece, on the thread that
     * every part waits for. Once class-days wait, one of the latest date
     * waits too: the settle to come joins it in its pass, where joining it
     * here would be a miss into dst's class-days and rows. Each class's
     * latest is read once, into top. */
    if ((uint64_t)dst->ndays + dst->npend + src->ndays >= UINT32_MAX / 2)
        too_many("class-days");
    latest *top = hw_xreallocarray(NULL, src->nclasses ? src->nclasses : 1, sizeof *top);
    for (uint32_t c = 0; c < src->nclasses; c++)
        top[c] = (latest){dst->cls[cmap[c]].top_day, dst->cls[cmap[c]].top_date};
    for (uint32_t d = 0; d < src->ndays; d++) {
        /* Joins fetched ahead: class-day d + JOIN_AHEAD's class-day in dst
         * now, and class-day d + JOIN_AHEAD / 2's last row once that has
         * come. Hints: top may change before the join. (The fetches are
         * here, not in a function: GCC drops a call that only prefetches.) */
        if (!dst->npend) {
            uint32_t j = joined(src, top, d + JOIN_AHEAD);
            if (j != HW_NONE)
                __builtin_prefetch(&dst->day[j]);
            j = joined(src, top, d + JOIN_AHEAD / 2);
            if (j != HW_NONE && dst->day[j].last < dst->nrows)
                __builtin_prefetch(&dst->row[dst->day[j].last]);
        }
        const hw_classday *x = &src->day[d];
        hw_classday y = {cmap[x->cls], x->date, x->written,
                         x->first == HW_NONE ? HW_NONE : x->first + base,
                         x->last == HW_NONE ? HW_NONE : x->last + base};
        latest *t = &top[x->cls];
        if (t->day == HW_NONE || y.date > t->date)
            *t = (latest){add_day(dst, y), y.date};
        else if (y.date == t->date && !dst->npend)
            join_day(dst, &dst->day[t->day], &y);
        else
            pend_add(dst, y);
    }
    for (uint32_t c = 0; c < src->nclasses; c++) {
        dst->cls[cmap[c]].top_day = top[c].day;
        dst->cls[cmap[c]].top_date = top[c].date;
    }
    free(top);
    for (uint32_t i = 0; i < src->nnotes; i++) {
        const hw_type_note *x = &src->note[i];
        if (dst->nnotes == dst->capnotes)
            dst->note = grow(dst->note, &dst->capnotes, sizeof *dst->note, "type warnings");
        dst->note[dst->nnotes++] = (hw_type_note){x->row + base, cmap[x->cls], x->date,
                                                  map_string(dst, src, smap, x->type)};
    }
    dst->last_class = HW_NONE;
    free(cmap);
    free(smap);
    return true;
}

/* A sort key that orders by date, then by position i. */
static uint64_t date_key(int32_t date, uint32_t i) {
    return ((uint64_t)((uint32_t)date ^ 0x80000000u) << 32) | i;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Room for sorting one class's class-days (see sort_by_date). */
typedef struct {
    hw_classday *tmp;
    uint64_t *key;
    uint32_t *count;
    size_t cap, ncount;
} date_sort;

/* Sorts a class's class-days d[0..n) by date, keeping the order of those of
 * one date. A register's dates for a class span a few weeks: they are
 * counted into place; a span much wider than n is sorted. */
static void sort_by_date(date_sort *s, hw_classday *d, size_t n) {
    if (n > s->cap) {
        s->cap = n;
        s->tmp = hw_xreallocarray(s->tmp, n, sizeof *s->tmp);
        s->key = hw_xreallocarray(s->key, n, sizeof *s->key);
    }
    int32_t lo = d[0].date, hi = d[0].date;
    for (size_t i = 1; i < n; i++) {
        lo = d[i].date < lo ? d[i].date : lo;
        hi = d[i].date > hi ? d[i].date : hi;
    }
    uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
    if (span <= 4 * (uint64_t)n + 64) {
        if (span + 1 > s->ncount) {
            s->ncount = (size_t)span + 1;
            s->count = hw_xreallocarray(s->count, s->ncount, sizeof *s->count);
        }
        memset(s->count, 0, ((size_t)span + 1) * sizeof *s->count);
        for (size_t i = 0; i < n; i++)
            s->count[d[i].date - lo + 1]++;
        for (size_t i = 1; i < span; i++)
            s->count[i] += s->count[i - 1];
        for (size_t i = 0; i < n; i++)
            s->tmp[s->count[d[i].date - lo]++] = d[i];
    } else {
        for (size_t i = 0; i < n; i++)
            s->key[i] = date_key(d[i].date, (uint32_t)i);
        qsort(s->key, n, sizeof *s->key, cmp_u64);
        for (size_t i = 0; i < n; i++)
            s->tmp[i] = d[(uint32_t)s->key[i]];
    }
    memcpy(d, s->tmp, n * sizeof *d);
}

/* Classes lo ... hi - 1 are range r's. */
static uint32_t range_lo(size_t r) {
    return (uint32_t)(r << HW_SETTLE_SHIFT);
}
static uint32_t range_hi(const hw_totals *t, size_t r) {
    uint32_t hi = range_lo(r) + (1u << HW_SETTLE_SHIFT);
    return hi < t->nclasses ? hi : t->nclasses;
}

struct hw_settle {
    hw_totals *t;
    size_t nranges;  /* of 2^HW_SETTLE_SHIFT classes each */
    uint32_t *first; /* day[ix[first[r]]] ... day[ix[first[r + 1] - 1]]: range r's */
    uint32_t *ix;
    hw_classday **out; /* range r's class-days, settled: nout[r] of them */
    uint32_t *nout;
};

hw_settle *hw_totals_settle_begin(hw_totals *t) {
    if (!t->npend && !t->unsettled)
        return NULL;
    hw_settle *s = hw_xcalloc(1, sizeof *s);
    s->t = t;
    s->nranges = ((size_t)t->nclasses >> HW_SETTLE_SHIFT) + 1;
    /* The class-days in day are taken by range through a list of their
     * indices, counted into place: 4 bytes each instead of a copy. */
    uint32_t *first = hw_xcalloc(s->nranges + 1, sizeof *first);
    for (uint32_t d = 0; d < t->ndays; d++)
        first[(t->day[d].cls >> HW_SETTLE_SHIFT) + 1]++;
    for (size_t r = 0; r < s->nranges; r++)
        first[r + 1] += first[r];
    uint32_t *next = hw_xreallocarray(NULL, s->nranges, sizeof *next);
    memcpy(next, first, s->nranges * sizeof *next);
    s->ix = hw_xreallocarray(NULL, t->ndays ? t->ndays : 1, sizeof *s->ix);
    for (uint32_t d = 0; d < t->ndays; d++)
        s->ix[next[t->day[d].cls >> HW_SETTLE_SHIFT]++] = d;
    free(next);
    s->first = first;
    s->out = hw_xcalloc(s->nranges, sizeof *s->out);
    s->nout = hw_xcalloc(s->nranges, sizeof *s->nout);
    /* The settled class-days go back in day, which has room for as many
     * as come in (room not written to costs no memory). */
    size_t most = (size_t)t->ndays + t->npend;
    if (most > t->capdays) {
        t->day = hw_xreallocarray(t->day, most, sizeof *t->day);
        t->capdays = (uint32_t)most;
    }
    return s;
}

size_t hw_totals_settle_parts(const hw_settle *s) {
    return s ? s->nranges : 0;
}

void hw_totals_settle_part(hw_settle *s, size_t part) {
    if (!s || part >= s->nranges)
        return;
    hw_totals *t = s->t;
    uint32_t lo = range_lo(part), hi = range_hi(t, part);
    const hw_day_list *wait = part < t->npendlists ? &t->pend[part] : NULL;
    uint32_t from = s->first[part], nday = s->first[part + 1] - from;
    size_t n = (size_t)nday + (wait ? wait->n : 0);
    for (uint32_t c = lo; c < hi; c++)
        t->cls[c].top_day = HW_NONE;
    if (!n)
        return;
    /* The range's class-days counted into place by class, those of day
     * first, then those that waited, each in the order they came. */
    uint32_t start[(1u << HW_SETTLE_SHIFT) + 1] = {0};
    for (uint32_t i = 0; i < nday; i++)
        start[t->day[s->ix[from + i]].cls - lo + 1]++;
    for (const hw_day_chunk *k = wait ? wait->head : NULL; k; k = k->next)
        for (uint32_t i = 0; i < k->n; i++)
            start[k->d[i].cls - lo + 1]++;
    for (uint32_t c = 0; c < hi - lo; c++)
        start[c + 1] += start[c];
    uint32_t next[1u << HW_SETTLE_SHIFT];
    memcpy(next, start, sizeof next);
    hw_classday *all = hw_xreallocarray(NULL, n, sizeof *all);
    for (uint32_t i = 0; i < nday; i++) {
        const hw_classday *x = &t->day[s->ix[from + i]];
        all[next[x->cls - lo]++] = *x;
    }
    for (const hw_day_chunk *k = wait ? wait->head : NULL; k; k = k->next)
        for (uint32_t i = 0; i < k->n; i++)
            all[next[k->d[i].cls - lo]++] = k->d[i];
    /* Each class's put in date order, then class-days of one date become
     * one: written minutes add up, rows chain in the order they came. d[i]
     * is read before all[m] is written, and m never passes d + i. */
    date_sort sort = {0};
    uint32_t m = 0;
    for (uint32_t c = lo; c < hi; c++) {
        hw_classday *d = all + start[c - lo];
        uint32_t k = start[c - lo + 1] - start[c - lo];
        for (uint32_t i = 1; i < k; i++) {
            if (d[i - 1].date > d[i].date) {
                sort_by_date(&sort, d, k);
                break;
            }
        }
        for (uint32_t i = 0; i < k; i++) {
            hw_classday x = d[i];
            hw_classday *y = t->cls[c].top_day == HW_NONE ? NULL : &all[m - 1];
            if (!y || y->date != x.date) {
                all[m] = x;
                t->cls[c].top_day = m++; /* in the range, until placed */
                t->cls[c].top_date = x.date;
                continue;
            }
            join_day(t, y, &x);
        }
    }
    free(sort.tmp);
    free(sort.key);
    free(sort.count);
    s->out[part] = hw_xreallocarray(all, m, sizeof *all);
    s->nout[part] = m;
}

void hw_totals_settle_place(hw_settle *s, size_t part) {
    if (!s || part >= s->nranges)
        return;
    hw_totals *t = s->t;
    uint32_t at = 0;
    for (size_t r = 0; r < part; r++)
        at += s->nout[r];
    if (s->nout[part])
        memcpy(t->day + at, s->out[part], s->nout[part] * sizeof *t->day);
    for (uint32_t c = range_lo(part); c < range_hi(t, part) && at; c++)
        if (t->cls[c].top_day != HW_NONE)
            t->cls[c].top_day += at;
    free(s->out[part]);
    s->out[part] = NULL;
}

void hw_totals_settle_end(hw_settle *s) {
    if (!s)
        return;
    hw_totals *t = s->t;
    uint32_t m = 0;
    for (size_t r = 0; r < s->nranges; r++)
        m += s->nout[r];
    free_pend(t);
    t->unsettled = false;
    t->ndays = m;
    t->last_day = HW_NONE;
    free(s->first);
    free(s->ix);
    free(s->out);
    free(s->nout);
    free(s);
}

void hw_totals_settle(hw_totals *t) {
    hw_settle *s = hw_totals_settle_begin(t);
    for (size_t r = 0; r < hw_totals_settle_parts(s); r++)
        hw_totals_settle_part(s, r);
    for (size_t r = 0; r < hw_totals_settle_parts(s); r++)
        hw_totals_settle_place(s, r);
    hw_totals_settle_end(s);
}
