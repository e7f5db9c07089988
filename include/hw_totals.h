/* Totals stage: readable rows in, each class's written minutes per day out.
 * Keeps per row only a small fixed record (where it came from, its subject,
 * its minutes) so that findings can list their rows. */
#ifndef HW_TOTALS_H
#define HW_TOTALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_intern.h"
#include "hw_record.h"

#define HW_NONE UINT32_MAX

/* A written row kept for the findings. */
typedef struct {
    uint32_t file;
    uint32_t line;
    uint32_t subject; /* id in hw_totals.strings */
    int32_t umin;     /* at most 1440 minutes, so it fits */
    uint32_t next;    /* the next written row of the same class-day, or HW_NONE */
} hw_row_ref;

/* Subjects remembered by hw_totals_add (see subject_id in totals.c). */
#define HW_SUBJECT_CACHE 32

/* One class (school and class name after folding). */
typedef struct {
    uint32_t school;     /* id in strings; 0 (the empty string) when none */
    uint32_t name;       /* (both 0 in merge_only totals) */
    int grade;           /* fixed by the first readable row */
    uint32_t grade_file; /* where that row was */
    uint32_t grade_line;
    uint32_t top_day; /* its class-day of the latest date so far, or HW_NONE */
    int32_t top_date; /* that class-day's date, kept here to spare a cache miss */
    uint32_t hash;    /* of its school and name bytes (see class_hash in totals.c) */
    uint32_t key;     /* where its school then name bytes are in hw_totals.ckey */
    uint32_t school_len, name_len;
} hw_class;

/* One class on one date. Any readable row makes it; written rows add up. */
typedef struct {
    uint32_t cls;
    int32_t date;
    int64_t written;      /* micro-minutes of written homework */
    uint32_t first, last; /* its written rows, in reading order */
} hw_classday;

/* Classes a range of the settle holds: 128, whose class-days sort in the
 * second-level cache (see hw_totals_settle). */
#define HW_SETTLE_SHIFT 7

/* Class-days in the order they came, in chunks (see totals.c). */
typedef struct hw_day_chunk hw_day_chunk;
typedef struct {
    hw_day_chunk *head, *tail;
    uint32_t n;
} hw_day_list;

/* A row whose type hwcheck does not know (counted as written). */
typedef struct {
    uint32_t row; /* index in rows */
    uint32_t cls;
    int32_t date;
    uint32_t type; /* id in strings */
} hw_type_note;

/* A grade given by a row of a class that had no readable row yet (totals
 * read ahead of the ones before them check it when they are merged). */
typedef struct {
    uint32_t school, name; /* ids in strings */
    int grade;
} hw_grade_note;

typedef struct {
    hw_intern strings; /* school, class, subject and type names */
    char **file;       /* names of the input files, in the order given */
    uint32_t nfiles;
    hw_class *cls;
    uint32_t nclasses, capclasses;
    hw_classday *day;
    uint32_t ndays, capdays;
    hw_row_ref *row;
    uint32_t nrows, caprows;
    hw_type_note *note;
    uint32_t nnotes, capnotes;
    char *ckey; /* each class's school and name bytes, side by side */
    size_t nckey, capckey;
    uint64_t *class_slot; /* hash of (school, name): class index + 1, hash */
    size_t nclass_slots;
    uint32_t last_class;                      /* the class of the previous row, a cheap cache */
    uint32_t last_day;                        /* the class-day of the previous row, likewise */
    uint32_t subject_cache[HW_SUBJECT_CACHE]; /* string id + 1 of recent subjects */
    hw_grade_note *gnote;                     /* see hw_totals_note_grade */
    uint32_t ngnotes, capgnotes;
    /* Class-days merged in, not yet in day (hw_totals_settle): npend in all,
     * in lists by class range (classes c >> HW_SETTLE_SHIFT), so that the
     * settle takes a range's class-days without a pass over them all. */
    hw_day_list *pend;
    uint32_t npend, npendlists;
    /* Totals read only to be merged into others (hw_totals_merge): class
     * names are not interned (hw_class school and name are 0), as the
     * totals merged into intern them. */
    bool merge_only;
    /* day may hold more than one class-day of a class and date (a date
     * before its class's latest makes one of its own): hw_totals_settle */
    bool unsettled;
} hw_totals;

/* Where a class's grade was fixed. */
typedef struct {
    int grade;
    uint32_t file;
    unsigned long line;
} hw_grade_origin;

/* Starts empty totals; free with hw_totals_free. */
void hw_totals_init(hw_totals *t);
/* Frees all the totals hold. */
void hw_totals_free(hw_totals *t);
/* Registers an input file; returns its index. */
uint32_t hw_totals_add_file(hw_totals *t, const char *name);
/* True when rec's class already has a grade other than rec->grade; fills origin. */
bool hw_totals_grade_conflict(hw_totals *t, const hw_record *rec, hw_grade_origin *origin);
/* Adds a readable row (call hw_totals_grade_conflict first): the first row of a
 * class fixes its grade; the row makes its date appear; written minutes add up.
 * A row dated before its class's latest date makes a class-day apart: call
 * hw_totals_settle before reading the class-days. */
void hw_totals_add(hw_totals *t, uint32_t file, const hw_record *rec);
/* The index of rec's class, HW_NONE when it has no readable row yet. */
uint32_t hw_totals_find_class(hw_totals *t, const hw_record *rec);
/* hw_totals_add for a row whose class the caller has looked up already
 * (hw_totals_find_class, with rec unchanged since): looked up once a row. */
void hw_totals_add_in(hw_totals *t, uint32_t cls, uint32_t file, const hw_record *rec);
/* The grade fixed for rec's class, or 0 when the class has no readable row. */
int hw_totals_class_grade(hw_totals *t, const hw_record *rec);
/* Remembers that a row gave rec->grade for a class with no readable row yet;
 * hw_totals_merge checks it against the totals merged into. */
void hw_totals_note_grade(hw_totals *t, const hw_record *rec);
/* Adds src (the totals of files read in order, or of a part of one), read on
 * its own from input that follows everything dst holds, to dst as if its rows
 * were read after dst's: src's file number k becomes dst's file + k, and its
 * line numbers are moved by line_offset. Only if src agrees with dst on every
 * grade (each class of src has dst's grade for it, and so has every row noted
 * with hw_totals_note_grade): otherwise returns false and dst is unchanged. A
 * class-day of src earlier than its class's latest in dst waits in
 * dst->pend, and once one waits, so does one of the latest date: call
 * hw_totals_settle before reading dst's class-days (hw_totals_add settles
 * what waits before it adds a row). */
bool hw_totals_merge(hw_totals *dst, const hw_totals *src, uint32_t file,
                     unsigned long line_offset);
/* Puts the class-days merged in since the last call into t->day, one per
 * class and date (class-days made apart, see hw_totals_add, become one),
 * each class's by date: what adding the rows one by one in date order would
 * give, in one pass over class-days sorted by class instead of a lookup for
 * each. */
void hw_totals_settle(hw_totals *t);
/* hw_totals_settle in steps that threads can share: begin; then parts 0 to
 * hw_totals_settle_parts - 1 (at once, in any order, on any threads), each
 * settling a range of 2^HW_SETTLE_SHIFT classes; once all are done, place
 * each part likewise, which puts its class-days in t->day; then end. begin
 * returns NULL when there is nothing to settle; the others then do nothing
 * (and there are 0 parts). */
typedef struct hw_settle hw_settle;
hw_settle *hw_totals_settle_begin(hw_totals *t);
size_t hw_totals_settle_parts(const hw_settle *s);
void hw_totals_settle_part(hw_settle *s, size_t part);
void hw_totals_settle_place(hw_settle *s, size_t part);
void hw_totals_settle_end(hw_settle *s);
/* Makes room for rows written rows and days class-days in all, so that a
 * large input does not copy its arrays as they grow (a guess: more grow on). */
void hw_totals_reserve(hw_totals *t, size_t rows, size_t days);
/* Makes room for classes classes in all, their school and name bytes
 * key_bytes in all, likewise. */
void hw_totals_reserve_classes(hw_totals *t, size_t classes, size_t key_bytes);
/* The name of a string id. */
const char *hw_totals_str(const hw_totals *t, uint32_t id);

#endif
