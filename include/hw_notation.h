/* Notations found in homework registers: grades, dates, minutes, class names.
 * Every parser takes UTF-8 text that has already been folded with hw_fold
 * (full-width ASCII made ASCII, surrounding spaces removed). */
#ifndef HW_NOTATION_H
#define HW_NOTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hw_util.h"

/* Minutes are kept exactly as integers in micro-minutes: 0.1小时 is 6000000. */
#define HW_UMIN_PER_MIN INT64_C(1000000)
/* The largest minutes value a row may hold (a whole day). */
#define HW_MAX_ROW_MINUTES 1440

/* Why a value could not be read; the record stage turns these into messages. */
typedef enum {
    HW_PARSE_OK = 0,
    HW_PARSE_EMPTY,     /* nothing there */
    HW_PARSE_SYNTAX,    /* not a notation we know */
    HW_PARSE_RANGE,     /* a grade outside 1..12, a month 13, a day 31 in November */
    HW_PARSE_NEGATIVE,  /* minutes below 0 */
    HW_PARSE_TOO_LARGE, /* minutes above HW_MAX_ROW_MINUTES */
    HW_PARSE_WEEKDAY,   /* a date followed by another day of the week */
} hw_parse_status;

/* Every character hw_fold changes begins with one of these bytes: U+FF01..
 * U+FF5E with EF, U+3000 with E3. A text without them needs no folding but
 * of its edges (hw_fold_needed; the CSV stage's fast path looks for them
 * as it splits a line). */
#define HW_FOLD_LEAD_A 0xEF
#define HW_FOLD_LEAD_B 0xE3

/* Folds s[0..len) into out: U+FF01..U+FF5E become ASCII 0x21..0x7E, U+3000
 * becomes a space, then spaces, tabs and CR/LF at both ends are removed.
 * out must hold len + 1 bytes; returns the folded length and NUL-terminates.
 * Bytes that are not valid UTF-8 are copied unchanged. */
size_t hw_fold(const char *s, size_t len, char *out);
/* False when hw_fold would give s[0..len) back unchanged (most cells): the
 * caller may then use s as it is. Inline: it runs for every cell read. */
static inline bool hw_fold_needed(const char *s, size_t len) {
    if (len == 0)
        return false;
    char first = s[0], last = s[len - 1];
    if (first == ' ' || first == '\t' || first == '\r' || first == '\n' || last == ' ' ||
        last == '\t' || last == '\r' || last == '\n')
        return true;
    /* Look for HW_FOLD_LEAD_A and _B eight bytes at a time, the last eight
     * (or two fours) overlapping those before instead of a loop over the
     * bytes left: most cells are shorter than 16 bytes. */
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 4) {
        for (size_t i = 0;; i += 8) {
            uint64_t v;
            if (len >= 8) {
                memcpy(&v, p + (i + 8 <= len ? i : len - 8), sizeof v);
            } else {
                uint32_t a, b;
                memcpy(&a, p, sizeof a);
                memcpy(&b, p + len - 4, sizeof b);
                v = (uint64_t)a | (uint64_t)b << 32;
            }
            if (hw_bytes_equal(v, HW_FOLD_LEAD_A) | hw_bytes_equal(v, HW_FOLD_LEAD_B))
                return true;
            if (i + 8 >= len)
                return false;
        }
    }
    for (size_t i = 0; i < len; i++)
        if (p[i] == HW_FOLD_LEAD_A || p[i] == HW_FOLD_LEAD_B)
            return true;
    return false;
}

/* Reads a grade: 1..12, 3年级, 三年级, 初一..初三 (7..9), 七年级, 高一..高三
 * (10..12), Grade 3, G3 (case-insensitive). */
hw_parse_status hw_parse_grade(const char *s, size_t len, int *grade);

/* Finds the grade a class name states: N年级 / 一..十二年级 at the start,
 * 初一..初三, 高一..高三 at the start, or a number or Chinese numeral right
 * before '(' (七(3)班 is 7, 3(2)班 is 3). Returns false when it states none. */
bool hw_grade_from_class(const char *s, size_t len, int *grade);

/* Reads a date Y-M-D, Y/M/D, Y.M.D or Y年M月D日 (leading zeros optional) into
 * days since 1970-01-01. Years 1900..9999; months and days must exist. A day
 * of the week may follow (星期一, 周一, (周一)), or a time of day (0:00,
 * 08:30:00); HW_PARSE_WEEKDAY, with *days set, when the day is not the date's. */
hw_parse_status hw_parse_date(const char *s, size_t len, int32_t *days);

/* Reads minutes: 30, 12.5, 30分钟, 30分, 30 min, 0.5小时, 1.5h, 1小时20分钟,
 * 1h20m, 半小时, 0, 无, into micro-minutes (exact for up to 6 decimals of a
 * minute or 7 of an hour; finer digits are rounded). 约30分钟 and 30分钟左右
 * read as 30; a range that goes up (20-30分钟, 1~1.5小时) as its upper end. */
hw_parse_status hw_parse_minutes(const char *s, size_t len, int64_t *umin);

/* Writes days since 1970-01-01 as "YYYY-MM-DD" into out (11 bytes). */
void hw_format_date(int32_t days, char out[11]);

/* Writes an ISO week as "YYYY-Www" (2026-W53) into out (16 bytes). */
void hw_format_week(int iso_year, int week, char out[16]);

/* The ISO 8601 week of a day: year and week number (1..53), and the day
 * number of that week's Monday. 2026-12-31 is in 2026-W53. */
void hw_iso_week(int32_t days, int *iso_year, int *week, int32_t *monday);

/* Day of the week, 1 = Monday .. 7 = Sunday. */
int hw_weekday(int32_t days);

/* Writes a micro-minute amount rounded to 0.1 minute, without a trailing
 * ".0" ("45", "12.5") into out (32 bytes). */
void hw_format_minutes_text(int64_t umin, char out[32]);

/* Writes an exact JSON number for a micro-minute amount ("36", "12.5",
 * "0.333333") into out (32 bytes). */
void hw_format_minutes_json(int64_t umin, char out[32]);

#endif
