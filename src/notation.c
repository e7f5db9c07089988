/* Notations found in homework registers: grades, class names, dates, minutes.
 *
 * Every parser walks s[0..len) with a bounds-checked cursor and never looks
 * at a byte past len, so text with NUL bytes, cut-off or invalid UTF-8 is just
 * "not a notation we know". Numbers are read with saturating digit loops and
 * minutes are converted with integer arithmetic only, so nothing overflows
 * however long a digit string is.
 *
 * Decisions the spec left open:
 * - Parsers do not trim: callers pass hw_fold output, so a leading or trailing
 *   space is SYNTAX. Spaces (and tabs) are allowed only between parts.
 * - On failure the output argument is left untouched.
 * - Minutes are judged after rounding to whole micro-minutes: "-0.0000001"
 *   rounds to 0 and is accepted as 0; "1440.0000001" rounds to 1440 and is
 *   accepted. A negative value wins over a too-large one ("-9999" NEGATIVE).
 *   In "1h20m" each part is rounded on its own before they are added.
 * - A class name that is only a number ("3") states no grade: without '(' or
 *   年级 it may as well be the class number.
 * - hw_format_date clamps days outside 0000-01-01..9999-12-31 to that range
 *   so the text always fits its 11 bytes. */
#include "hw_notation.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hw_util.h"

/* ---- Cursor over s[0..len) ------------------------------------------------ */

typedef struct {
    const unsigned char *s;
    size_t len;
    size_t pos; /* always <= len */
} cursor;

static cursor cursor_at(const char *s, size_t len) {
    cursor c = {(const unsigned char *)s, len, 0};
    return c;
}

static bool at_end(const cursor *c) {
    return c->pos >= c->len;
}

static bool at_digit(const cursor *c) {
    return c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9';
}

static bool at_byte(const cursor *c, unsigned char b) {
    return c->pos < c->len && c->s[c->pos] == b;
}

/* Consumes lit (UTF-8, NUL-terminated in our source) when the text goes on
 * with exactly those bytes. */
static bool eat(cursor *c, const char *lit) {
    /* Byte by byte up to lit's NUL: the first byte rules most words out, and
     * this runs per row. */
    size_t i = 0;
    for (; lit[i]; i++)
        if (c->pos + i >= c->len || c->s[c->pos + i] != (unsigned char)lit[i])
            return false;
    c->pos += i;
    return true;
}

/* As eat for a lowercase ASCII word, ignoring ASCII case in the text. */
static bool eat_ci(cursor *c, const char *lit) {
    size_t i = 0;
    for (; lit[i]; i++) {
        if (c->pos + i >= c->len)
            return false;
        unsigned char b = c->s[c->pos + i];
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (b != (unsigned char)lit[i])
            return false;
    }
    c->pos += i;
    return true;
}

static void skip_spaces(cursor *c) {
    while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
        c->pos++;
}

/* Reads a run of ASCII digits and returns how many there were. The value
 * saturates at cap + 1 (cap must stay below UINT32_MAX / 10 - 1), so a run of
 * any length reads as "too big" instead of wrapping. */
static size_t read_digits(cursor *c, uint32_t cap, uint32_t *value) {
    size_t n = 0;
    uint32_t v = 0;
    while (at_digit(c)) {
        if (v <= cap) {
            v = v * 10 + (uint32_t)(c->s[c->pos] - '0');
            if (v > cap)
                v = cap + 1;
        }
        c->pos++;
        n++;
    }
    *value = v;
    return n;
}

/* ---- Chinese numerals ------------------------------------------------------ */

static const struct {
    const char *text;
    int value;
} cn_digit_table[] = {
    {"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}, {"五", 5},
    {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9},
};

/* Consumes one of 一..九 and returns its value, or returns 0. */
static int eat_cn_digit(cursor *c) {
    for (size_t i = 0; i < sizeof cn_digit_table / sizeof cn_digit_table[0]; i++)
        if (eat(c, cn_digit_table[i].text))
            return cn_digit_table[i].value;
    return 0;
}

/* Reads a Chinese numeral from 零 to 九百九十九: 七, 十, 十二, 二十五, 一百,
 * 一百零五, 一百二十. With allow_liang, 两 counts as 2 when it stands alone or
 * before 百 (两十 is not Chinese). The colloquial 一百五 (150) is not read: it
 * stops after 一百 and the caller sees 五 as trailing text. Returns false
 * with the cursor unmoved when no numeral is there. */
static bool read_cn_number(cursor *c, bool allow_liang, int *value) {
    size_t start = c->pos;
    if (eat(c, "零")) {
        *value = 0;
        return true;
    }
    bool liang = allow_liang && eat(c, "两");
    int d = liang ? 2 : eat_cn_digit(c);
    if (d > 0 && eat(c, "百")) {
        int total = d * 100;
        if (eat(c, "零")) {
            int u = eat_cn_digit(c);
            if (u == 0)
                goto none;
            *value = total + u;
            return true;
        }
        size_t before_tens = c->pos;
        int t = eat_cn_digit(c);
        if (t > 0) {
            if (!eat(c, "十")) {
                c->pos = before_tens; /* 一百五: leave 五 to the caller */
                *value = total;
                return true;
            }
            total += t * 10 + eat_cn_digit(c);
        }
        *value = total;
        return true;
    }
    if (liang) {
        if (at_end(c) || !eat(c, "十")) {
            *value = 2;
            return true;
        }
        goto none;
    }
    if (eat(c, "十")) {
        *value = (d > 0 ? d : 1) * 10 + eat_cn_digit(c);
        return true;
    }
    if (d > 0) {
        *value = d;
        return true;
    }
none:
    c->pos = start;
    return false;
}

/* ---- Fold ----------------------------------------------------------------- */

static bool is_trim_byte(char b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* Writing never overtakes reading, so out may also be s itself. */
size_t hw_fold(const char *s, size_t len, char *out) {
    const unsigned char *in = (const unsigned char *)s;
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char b = in[i];
        if (b == 0xEF && len - i >= 3) {
            unsigned char b1 = in[i + 1], b2 = in[i + 2];
            /* EF BC 81..BF is U+FF01..U+FF3F, EF BD 80..9E is U+FF40..U+FF5E. */
            if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) {
                out[n++] = (char)(0x20 + (b2 & 0x3F));
                i += 3;
                continue;
            }
            if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) {
                out[n++] = (char)(0x60 + (b2 & 0x3F));
                i += 3;
                continue;
            }
        } else if (b == 0xE3 && len - i >= 3 && in[i + 1] == 0x80 && in[i + 2] == 0x80) {
            out[n++] = ' ';
            i += 3;
            continue;
        }
        out[n++] = (char)b;
        i++;
    }
    size_t start = 0;
    while (start < n && is_trim_byte(out[start]))
        start++;
    while (n > start && is_trim_byte(out[n - 1]))
        n--;
    if (start > 0)
        memmove(out, out + start, n - start);
    n -= start;
    out[n] = '\0';
    return n;
}

/* ---- Grades ---------------------------------------------------------------- */

/* Large enough that any grade-ish number past it is clearly out of range. */
#define GRADE_CAP 1000u

/* Reads the number of a grade: ASCII digits or a Chinese numeral (no 两). */
static bool read_grade_number(cursor *c, int *n) {
    if (at_digit(c)) {
        uint32_t v;
        read_digits(c, GRADE_CAP, &v);
        *n = (int)v;
        return true;
    }
    return read_cn_number(c, false, n);
}

/* Reads the one character after 初 or 高: a single digit or one Chinese
 * numeral character (一..九, 十). A second digit means it was something else,
 * such as the cohort year in 初2023级. */
static bool read_one_numeral(cursor *c, int *n) {
    if (at_digit(c)) {
        *n = c->s[c->pos++] - '0';
        return !at_digit(c);
    }
    if (eat(c, "十")) {
        *n = 10;
        return true;
    }
    *n = eat_cn_digit(c);
    return *n > 0;
}

/* Maps the number after 小学/初中/高中 to a grade, or 0 when that school has
 * no such year. 初中 and 高中 take both 初中一年级 and 初中七年级. */
static int school_grade(int school, int n) {
    switch (school) {
    case 0: /* 小学 */
        return n >= 1 && n <= 6 ? n : 0;
    case 1: /* 初中 */
        if (n >= 1 && n <= 3)
            return n + 6;
        return n >= 7 && n <= 9 ? n : 0;
    default: /* 高中 */
        if (n >= 1 && n <= 3)
            return n + 9;
        return n >= 10 && n <= 12 ? n : 0;
    }
}

/* Consumes 小学, 初中 or 高中 and returns 0, 1, 2; -1 when none is there. */
static int eat_school(cursor *c) {
    if (eat(c, "小学"))
        return 0;
    if (eat(c, "初中"))
        return 1;
    if (eat(c, "高中"))
        return 2;
    return -1;
}

/* Consumes "grade" or "g" (any case), optional spaces and the digits after
 * it. False with the cursor unmoved when there are no digits. */
static bool read_grade_word(cursor *c, int *n) {
    size_t start = c->pos;
    if (!eat_ci(c, "grade") && !eat_ci(c, "g"))
        return false;
    skip_spaces(c);
    if (!at_digit(c)) {
        c->pos = start;
        return false;
    }
    uint32_t v;
    read_digits(c, GRADE_CAP, &v);
    *n = (int)v;
    return true;
}

static bool grade_in_range(int n) {
    return n >= 1 && n <= 12;
}

static hw_parse_status grade_result(int n, int *grade) {
    if (!grade_in_range(n))
        return HW_PARSE_RANGE;
    *grade = n;
    return HW_PARSE_OK;
}

/* The digit 一 to 九 that the three bytes at s spell, or 0. */
static int cn_digit_at(const char *s) {
    for (size_t i = 0; i < sizeof cn_digit_table / sizeof cn_digit_table[0]; i++)
        if (memcmp(s, cn_digit_table[i].text, 3) == 0)
            return cn_digit_table[i].value;
    return 0;
}

/* The grade that s[0..len) starts with in the words registers mostly write
 * for one, looked for before the general readers (which read these the
 * same): D年级 (D from 一 to 九), 初D or 高D (一 to 三), 初D年级 or 高D年级.
 * 0 when s starts otherwise; *used: the bytes the words take. */
static int common_grade(const char *s, size_t len, size_t *used) {
    if (len >= 9 && memcmp(s + 3, "年级", 6) == 0) {
        *used = 9;
        return cn_digit_at(s);
    }
    bool chu = len >= 6 && memcmp(s, "初", 3) == 0;
    if (len >= 6 && (chu || memcmp(s, "高", 3) == 0)) {
        int d = cn_digit_at(s + 3);
        if (d < 1 || d > 3)
            return 0;
        *used = len >= 12 && memcmp(s + 6, "年级", 6) == 0 ? 12 : 6;
        return d + (chu ? 6 : 9);
    }
    return 0;
}

hw_parse_status hw_parse_grade(const char *s, size_t len, int *grade) {
    if (len == 0)
        return HW_PARSE_EMPTY;
    /* Most registers write the number alone: 3, 12. */
    if (len <= 2 && s[0] >= '1' && s[0] <= '9' && (len == 1 || (s[1] >= '0' && s[1] <= '9')))
        return grade_result(len == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0'), grade);
    size_t used = 0;
    int word = common_grade(s, len, &used);
    if (word && used == len) {
        *grade = word;
        return HW_PARSE_OK;
    }
    cursor c = cursor_at(s, len);
    int n;

    if (read_grade_word(&c, &n))
        return at_end(&c) ? grade_result(n, grade) : HW_PARSE_SYNTAX;

    int school = eat_school(&c);
    if (school >= 0) {
        if (!read_grade_number(&c, &n))
            return HW_PARSE_SYNTAX;
        skip_spaces(&c);
        if (!eat(&c, "年级") || !at_end(&c))
            return HW_PARSE_SYNTAX;
        int g = school_grade(school, n);
        return g ? grade_result(g, grade) : HW_PARSE_RANGE;
    }

    bool chu = eat(&c, "初");
    if (chu || eat(&c, "高")) {
        if (!read_one_numeral(&c, &n))
            return HW_PARSE_SYNTAX;
        eat(&c, "年级"); /* 初一年级 says the same as 初一 */
        if (!at_end(&c))
            return HW_PARSE_SYNTAX;
        if (n < 1 || n > 3)
            return HW_PARSE_RANGE; /* 初四, 高0 */
        return grade_result(n + (chu ? 6 : 9), grade);
    }

    if (at_digit(&c)) {
        read_grade_number(&c, &n);
        if (at_end(&c))
            return grade_result(n, grade);
        skip_spaces(&c);
        if (!eat(&c, "年级") || !at_end(&c))
            return HW_PARSE_SYNTAX;
        return grade_result(n, grade);
    }

    /* A bare Chinese numeral ("三") could be anything; only N年级 is a grade. */
    if (read_cn_number(&c, false, &n)) {
        skip_spaces(&c);
        if (!eat(&c, "年级") || !at_end(&c))
            return HW_PARSE_SYNTAX;
        return grade_result(n, grade);
    }
    return HW_PARSE_SYNTAX;
}

/* Each rule below reads from the start of the class name and either finds a
 * grade or leaves the next rule to try. */
bool hw_grade_from_class(const char *s, size_t len, int *grade) {
    if (len == 0)
        return false;
    size_t used; /* anything may follow the grade */
    int word = common_grade(s, len, &used);
    if (word) {
        *grade = word;
        return true;
    }
    cursor c = cursor_at(s, len);
    int n;

    /* Grade 3 Class 2, G3-2: the digits must end the number (read_digits
     * takes them all), anything may follow. */
    if (read_grade_word(&c, &n)) {
        if (grade_in_range(n)) {
            *grade = n;
            return true;
        }
        return false;
    }

    int school = eat_school(&c);
    if (school >= 0) {
        if (read_grade_number(&c, &n)) {
            skip_spaces(&c);
            int g = school_grade(school, n);
            if (eat(&c, "年级") && g) {
                *grade = g;
                return true;
            }
        }
        return false;
    }

    bool chu = eat(&c, "初");
    if (chu || eat(&c, "高")) {
        if (read_one_numeral(&c, &n) && n >= 1 && n <= 3) {
            *grade = n + (chu ? 6 : 9);
            return true;
        }
        return false;
    }

    /* N年级 / 三年级 at the start. */
    if (read_grade_number(&c, &n)) {
        skip_spaces(&c);
        if (eat(&c, "年级")) {
            if (grade_in_range(n)) {
                *grade = n;
                return true;
            }
            return false;
        }
        /* 七(3)班, 3(2)班: the whole text before '(' is the number. */
        if (at_byte(&c, '(') && grade_in_range(n)) {
            *grade = n;
            return true;
        }
    }
    return false;
}

/* ---- Calendar -------------------------------------------------------------- */

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian),
 * in 64 bits so that any int32_t day number is safe. */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads one to max digits of a date field; longer runs are SYNTAX. */
static bool read_date_field(cursor *c, size_t min, size_t max, int *v) {
    uint32_t u;
    size_t n = read_digits(c, 99999, &u);
    *v = (int)u;
    return n >= min && n <= max;
}

/* The time Excel appends to a date ("0:00", "08:30:00"): H or HH, then one or
 * two ":MM" groups. Its value is not checked, only its shape. */
static bool read_clock(cursor *c) {
    int v;
    if (!read_date_field(c, 1, 2, &v))
        return false;
    for (int groups = 0; groups < 2; groups++) {
        if (!at_byte(c, ':'))
            return groups > 0;
        c->pos++;
        if (!read_date_field(c, 2, 2, &v))
            return false;
    }
    return true;
}

/* One or two digits at s[*i], read on; false when there are none or more. */
static bool short_number(const char *s, size_t len, size_t *i, int *v) {
    int n = 0, k = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && k < 3) {
        n = n * 10 + (s[(*i)++] - '0');
        k++;
    }
    *v = n;
    return k == 1 || k == 2;
}

/* A date written in digits as registers and Chinese Excel write it:
 * 2026-09-07, 2026/9/7 (or 2026-9-7, 2026/09/07), or Excel's long date
 * without the day of the week, 2026年9月7日. Four digits, then a month and
 * a day of one or two digits, each after the same '-' or '/', or after 年
 * and 月 and before 日. The general reader reads these the same; this is
 * the short way for a register written so. */
static bool numeric_date(const char *s, size_t len, int *y, int *m, int *d) {
    bool words = len >= 15 && len <= 17 && memcmp(s + 4, "年", 3) == 0;
    if (!words && (len < 8 || len > 10 || (s[4] != '/' && s[4] != '-')))
        return false;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned k = (unsigned char)s[i] - (unsigned)'0';
        if (k > 9)
            return false;
        v = v * 10 + (int)k;
    }
    size_t i = words ? 7 : 5;
    if (!short_number(s, len, &i, m))
        return false;
    if (words ? i + 3 > len || memcmp(s + i, "月", 3) != 0 : i >= len || s[i] != s[4])
        return false;
    i += words ? 3 : 1;
    if (!short_number(s, len, &i, d))
        return false;
    if (words ? i + 3 != len || memcmp(s + i, "日", 3) != 0 : i != len)
        return false;
    *y = v;
    return true;
}

/* The day of the week Chinese Excel's long date appends (2026年11月23日星期一),
 * or a register writes after a date (2026/11/23 周一, 2026-11-23（周一）):
 * 星期, 周 or 礼拜, then 一 to 六, 日 or 天, in parentheses or not. Returns 1
 * (Monday) to 7, 0 when there is none; c moves past it only when there is. */
static int read_weekday(cursor *c) {
    static const char *const day[] = {"一", "二", "三", "四", "五", "六", "日", "天"};
    size_t before = c->pos;
    skip_spaces(c);
    bool paren = eat(c, "(");
    skip_spaces(c);
    if (eat(c, "星期") || eat(c, "周") || eat(c, "礼拜")) {
        for (int i = 0; i < 8; i++) {
            if (eat(c, day[i])) {
                if (paren)
                    skip_spaces(c);
                if (!paren || eat(c, ")"))
                    return i < 7 ? i + 1 : 7;
                break;
            }
        }
    }
    c->pos = before;
    return 0;
}

/* Any other date notation: 2026/9/7, 2026.09.07, 2026年9月7日, with a day of
 * the week (*weekday, 0 for none) or a time of day after it or not. */
static hw_parse_status general_date(const char *s, size_t len, int *y, int *m, int *d,
                                    int *weekday) {
    cursor c = cursor_at(s, len);
    if (!read_date_field(&c, 4, 4, y))
        return HW_PARSE_SYNTAX;

    bool chinese = false;
    unsigned char sep = 0;
    if (eat(&c, "年"))
        chinese = true;
    else if (at_byte(&c, '-') || at_byte(&c, '/') || at_byte(&c, '.'))
        sep = c.s[c.pos++];
    else
        return HW_PARSE_SYNTAX;

    if (!read_date_field(&c, 1, 2, m))
        return HW_PARSE_SYNTAX;
    if (chinese ? !eat(&c, "月") : !at_byte(&c, sep))
        return HW_PARSE_SYNTAX;
    if (!chinese)
        c.pos++;
    if (!read_date_field(&c, 1, 2, d))
        return HW_PARSE_SYNTAX;
    if (chinese)
        eat(&c, "日");
    *weekday = read_weekday(&c);

    if (!at_end(&c)) {
        size_t before = c.pos;
        skip_spaces(&c);
        if (c.pos == before || !read_clock(&c) || !at_end(&c))
            return HW_PARSE_SYNTAX;
    }
    return HW_PARSE_OK;
}

static hw_parse_status parse_date(const char *s, size_t len, int32_t *days) {
    if (len == 0)
        return HW_PARSE_EMPTY;
    int y, m, d, weekday = 0;
    if (!numeric_date(s, len, &y, &m, &d)) {
        hw_parse_status st = general_date(s, len, &y, &m, &d, &weekday);
        if (st != HW_PARSE_OK)
            return st;
    }
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return HW_PARSE_RANGE;
    *days = (int32_t)days_from_civil(y, m, d);
    return weekday && weekday != hw_weekday(*days) ? HW_PARSE_WEEKDAY : HW_PARSE_OK;
}

/* Dates of 8 to 16 bytes this thread read lately, by their length and
 * first and last eight bytes (which cover them), and what parsing gave: a
 * register's dates are the school days of a term or two, so whatever order
 * its rows come in, nearly every row's date was read before. A slot holds
 * the last date that fell in it. */
#define DATE_MEMO_BITS 8
typedef struct {
    uint64_t head, tail;
    uint32_t len; /* 0: none yet */
    int32_t days;
    hw_parse_status st;
} date_slot;
static _Thread_local date_slot date_memo[1u << DATE_MEMO_BITS];

hw_parse_status hw_parse_date(const char *s, size_t len, int32_t *days) {
    if (len < 8 || len > 16)
        return parse_date(s, len, days);
    uint64_t head, tail;
    memcpy(&head, s, sizeof head);
    memcpy(&tail, s + len - sizeof tail, sizeof tail);
    uint64_t k =
        (tail ^ (head * UINT64_C(0x9E3779B97F4A7C15)) ^ len) * UINT64_C(0xBF58476D1CE4E5B9);
    date_slot *m = &date_memo[k >> (64 - DATE_MEMO_BITS)];
    if (len != m->len || head != m->head || tail != m->tail) {
        int32_t v = 0;
        m->st = parse_date(s, len, &v);
        m->days = v;
        m->len = (uint32_t)len;
        m->head = head;
        m->tail = tail;
    }
    /* days is set as parse_date sets it: for a date, weekday or not */
    if (m->st == HW_PARSE_OK || m->st == HW_PARSE_WEEKDAY)
        *days = m->days;
    return m->st;
}

/* Day numbers of 0000-01-01 and 9999-12-31: the years four digits can hold. */
#define FIRST_4DIGIT_DAY (-719528)
#define LAST_4DIGIT_DAY 2932896

static void put_digits(char *out, int64_t v, int width) {
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void hw_format_date(int32_t days, char out[11]) {
    int64_t z = days;
    if (z < FIRST_4DIGIT_DAY)
        z = FIRST_4DIGIT_DAY;
    if (z > LAST_4DIGIT_DAY)
        z = LAST_4DIGIT_DAY;
    int64_t y;
    int m, d;
    civil_from_days(z, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

int hw_weekday(int32_t days) {
    /* Day 0 (1970-01-01) was a Thursday. */
    int64_t r = ((int64_t)days + 3) % 7;
    if (r < 0)
        r += 7;
    return (int)r + 1;
}

void hw_format_week(int iso_year, int week, char out[16]) {
    snprintf(out, 16, "%04d-W%02d", iso_year % 10000, week % 100);
}

void hw_iso_week(int32_t days, int *iso_year, int *week, int32_t *monday) {
    /* The week belongs to the year its Thursday falls in. */
    int64_t mon = (int64_t)days - (hw_weekday(days) - 1);
    int64_t thu = mon + 3;
    int64_t y;
    int m, d;
    civil_from_days(thu, &y, &m, &d);
    *iso_year = (int)y;
    *week = (int)((thu - days_from_civil(y, 1, 1)) / 7 + 1);
    *monday = mon < INT32_MIN ? INT32_MIN : (int32_t)mon;
}

/* ---- Minutes --------------------------------------------------------------- */

/* How a unit turns into micro-minutes. A digit past exact_decimals is worth
 * less than one micro-minute and is rounded; last_umin is what one unit of the
 * last exact decimal is worth (1e-6 min = 1, 1e-7 h = 6). */
typedef struct {
    int64_t per_unit;
    int exact_decimals;
    int last_umin;
    int64_t max_whole;
} unit_scale;

static const unit_scale MINUTE_SCALE = {HW_UMIN_PER_MIN, 6, 1, HW_MAX_ROW_MINUTES};
static const unit_scale HOUR_SCALE = {60 * HW_UMIN_PER_MIN, 7, 6, HW_MAX_ROW_MINUTES / 60};

/* A number as written: ASCII whole and fraction digits, or a Chinese numeral. */
typedef struct {
    size_t int_start, int_end;
    size_t frac_start, frac_end;
    bool has_point;
    bool chinese;
    int cn_value;
} number_text;

/* Reads 30, 12.5, .5, 5. or a Chinese numeral (二十, 两). */
static bool read_number(cursor *c, number_text *n) {
    memset(n, 0, sizeof *n);
    size_t start = c->pos;
    n->int_start = c->pos;
    while (at_digit(c))
        c->pos++;
    n->int_end = c->pos;
    if (at_byte(c, '.')) {
        c->pos++;
        n->has_point = true;
        n->frac_start = c->pos;
        while (at_digit(c))
            c->pos++;
        n->frac_end = c->pos;
    }
    if (n->int_end > n->int_start || n->frac_end > n->frac_start)
        return true;
    c->pos = start;
    n->has_point = false;
    if (read_cn_number(c, true, &n->cn_value)) {
        n->chinese = true;
        return true;
    }
    return false;
}

/* Converts a number in the given unit to micro-minutes, exactly up to the
 * unit's exact decimals and rounded half-up past them. Returns false when the
 * whole part alone is past a day. */
static bool number_to_umin(const cursor *c, const number_text *n, const unit_scale *u,
                           int64_t *out) {
    int64_t whole = 0;
    if (n->chinese) {
        whole = n->cn_value;
    } else {
        for (size_t i = n->int_start; i < n->int_end; i++) {
            whole = whole * 10 + (c->s[i] - '0');
            if (whole > u->max_whole)
                return false;
        }
    }
    if (whole > u->max_whole)
        return false;
    int64_t v = whole * u->per_unit;

    int64_t place = u->per_unit;
    size_t i = n->frac_start;
    for (int k = 0; k < u->exact_decimals && i < n->frac_end; k++, i++) {
        place /= 10;
        v += (c->s[i] - '0') * place;
    }
    /* The digits left over are a fraction r of one last_umin step; they add
     * round(last_umin * r) = floor((floor(2 * last_umin * r) + 1) / 2), and
     * floor(2 * last_umin * r) is the carry out of multiplying the digit
     * string by 2 * last_umin from its right end. The carry stays below
     * 2 * last_umin, so any number of digits is exact. */
    if (i < n->frac_end) {
        int mult = 2 * u->last_umin;
        int carry = 0;
        for (size_t j = n->frac_end; j > i; j--)
            carry = ((c->s[j - 1] - '0') * mult + carry) / 10;
        v += (carry + 1) / 2;
    }
    *out = v;
    return true;
}

typedef enum { UNIT_NONE, UNIT_MINUTE, UNIT_HOUR, UNIT_HOUR_AND_HALF } unit_kind;

/* Reads a unit word. Longer words are tried before their prefixes. */
static unit_kind read_unit(cursor *c) {
    static const char *const minute_words[] = {"minutes", "minute", "mins", "min", "m"};
    static const char *const hour_words[] = {"hours", "hour", "hrs", "hr", "h"};
    if (eat(c, "分钟") || eat(c, "分"))
        return UNIT_MINUTE;
    if (eat(c, "个半小时"))
        return UNIT_HOUR_AND_HALF;
    if (eat(c, "个小时") || eat(c, "小时"))
        return UNIT_HOUR;
    for (size_t i = 0; i < sizeof minute_words / sizeof minute_words[0]; i++)
        if (eat_ci(c, minute_words[i]))
            return UNIT_MINUTE;
    for (size_t i = 0; i < sizeof hour_words / sizeof hour_words[0]; i++)
        if (eat_ci(c, hour_words[i]))
            return UNIT_HOUR;
    return UNIT_NONE;
}

/* Spaces, then a unit; with no unit the spaces are not consumed either. */
static unit_kind read_spaced_unit(cursor *c) {
    size_t before = c->pos;
    skip_spaces(c);
    unit_kind k = read_unit(c);
    if (k == UNIT_NONE)
        c->pos = before;
    return k;
}

typedef struct {
    int64_t total;
    bool too_large;
} minutes_sum;

static void add_number(const cursor *c, const number_text *n, const unit_scale *u,
                       minutes_sum *sum) {
    int64_t v;
    if (number_to_umin(c, n, u, &v))
        sum->total += v;
    else
        sum->too_large = true;
}

/* The length of the range separator at c (20-30, 20~30, 20—30, 20至30,
 * 20到30; full-width ～ and － fold to ~ and -), 0 when there is none. */
static size_t range_sep(const cursor *c) {
    static const char *const sep[] = {"-", "~", "\u2014", "\u2013", "\u301C", "至", "到"};
    for (size_t i = 0; i < sizeof sep / sizeof *sep; i++) {
        size_t n = strlen(sep[i]);
        if (c->len - c->pos >= n && memcmp(c->s + c->pos, sep[i], n) == 0)
            return n;
    }
    return 0;
}

/* Reads one duration: hour part then minute part, one of them alone, or a
 * bare number of minutes, leaving c after it (at the end, or at a range's
 * separator). *first and *unit: its first number and that number's unit
 * (UNIT_NONE when bare). False on a syntax error. */
static bool parse_duration(cursor *c, minutes_sum *sum, number_text *first, unit_kind *unit) {
    const int64_t half_hour = 30 * HW_UMIN_PER_MIN;
    number_text n;
    *unit = UNIT_HOUR;

    if (eat(c, "半")) {
        skip_spaces(c);
        if (!eat(c, "个小时") && !eat(c, "小时"))
            return false;
        sum->total += half_hour;
        return true;
    }

    if (!read_number(c, first))
        return false;
    switch (*unit = read_spaced_unit(c)) {
    case UNIT_NONE:
    case UNIT_MINUTE:
        add_number(c, first, &MINUTE_SCALE, sum);
        return true;
    case UNIT_HOUR_AND_HALF:
        /* 1个半小时: whole hours only; 1.5个半小时 means nothing. */
        if (first->has_point)
            return false;
        add_number(c, first, &HOUR_SCALE, sum);
        sum->total += half_hour;
        return true;
    case UNIT_HOUR:
        break;
    }

    add_number(c, first, &HOUR_SCALE, sum);
    size_t after = c->pos;
    skip_spaces(c);
    if (at_end(c) || range_sep(c)) {
        c->pos = after;
        return true;
    }
    if (eat(c, "半")) {
        if (first->has_point)
            return false;
        sum->total += half_hour;
        return true;
    }
    /* The minute part; its unit may be left out ("1小时20"). */
    if (!read_number(c, &n))
        return false;
    unit_kind k = read_spaced_unit(c);
    if (k != UNIT_NONE && k != UNIT_MINUTE)
        return false;
    add_number(c, &n, &MINUTE_SCALE, sum);
    return true;
}

/* Leaves out the words that make a duration approximate: 约, 大约, 大概
 * before it, 左右, 以内 after it. The number written counts. */
static void skip_about(cursor *c) {
    if (eat(c, "大约") || eat(c, "大概") || eat(c, "约"))
        skip_spaces(c);
    static const char *const after[] = {"左右", "以内"};
    for (size_t i = 0; i < sizeof after / sizeof *after; i++) {
        size_t n = strlen(after[i]);
        if (c->len - c->pos > n && memcmp(c->s + c->len - n, after[i], n) == 0) {
            c->len -= n;
            while (c->len > c->pos && (c->s[c->len - 1] == ' ' || c->s[c->len - 1] == '\t'))
                c->len--;
            break;
        }
    }
}

/* Parses a duration, or a range of two that goes up (20-30分钟, 1~1.5小时,
 * 30分钟至1小时), which counts as its upper end: never under-report. A bare
 * number at the lower end has the upper end's unit. */
static bool parse_minutes_body(cursor *c, minutes_sum *sum) {
    number_text first;
    unit_kind unit;
    if (!parse_duration(c, sum, &first, &unit))
        return false;
    if (at_end(c))
        return true;
    skip_spaces(c);
    size_t sep = range_sep(c);
    if (!sep)
        return false;
    c->pos += sep;
    skip_spaces(c);
    minutes_sum upper = {0, false};
    number_text ufirst;
    unit_kind uunit;
    if (!parse_duration(c, &upper, &ufirst, &uunit) || !at_end(c))
        return false;
    if (unit == UNIT_NONE && uunit != UNIT_NONE && uunit != UNIT_MINUTE) {
        *sum = (minutes_sum){0, false};
        add_number(c, &first, &HOUR_SCALE, sum);
    }
    /* 30-20 or 1小时-20分钟 is no range that goes up: rather an error than a guess. */
    if (!upper.too_large && !sum->too_large && upper.total < sum->total)
        return false;
    *sum = upper;
    return true;
}

/* Most registers write minutes as a number alone: 0, 15, 120, or with a
 * few decimals as a spreadsheet exports them (20.0, 12.5), or with the
 * unit after it (30分钟, 30分). Up to three whole digits (at most 999,
 * within a day) and six decimals (exact in micro-minutes) are read here, as
 * the general path reads them. */
static bool plain_minutes(const char *s, size_t len, int64_t *umin) {
    size_t i = 0;
    int64_t v = 0;
    while (i < len && i < 3 && s[i] >= '0' && s[i] <= '9')
        v = v * 10 + (s[i++] - '0');
    if (i == 0 || (s[0] == '0' && i > 1))
        return false;
    v *= HW_UMIN_PER_MIN;
    /* the unit a register may write after each number */
    if (len >= 3 && memcmp(s + len - 3, "分", 3) == 0)
        len -= 3;
    else if (len >= 6 && memcmp(s + len - 6, "分钟", 6) == 0)
        len -= 6;
    if (i < len) {
        if (s[i] != '.' || len - i - 1 > 6)
            return false;
        int64_t place = HW_UMIN_PER_MIN;
        for (i++; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            place /= 10;
            v += (s[i] - '0') * place;
        }
    }
    *umin = v;
    return true;
}

hw_parse_status hw_parse_minutes(const char *s, size_t len, int64_t *umin) {
    if (len == 0)
        return HW_PARSE_EMPTY;
    if (plain_minutes(s, len, umin))
        return HW_PARSE_OK;
    cursor c = cursor_at(s, len);
    if (eat(&c, "无") && at_end(&c)) {
        *umin = 0;
        return HW_PARSE_OK;
    }
    c.pos = 0;
    skip_about(&c);
    bool negative = at_byte(&c, '-');
    if (negative)
        c.pos++;
    minutes_sum sum = {0, false};
    if (!parse_minutes_body(&c, &sum))
        return HW_PARSE_SYNTAX;
    if (negative) {
        if (sum.too_large || sum.total != 0)
            return HW_PARSE_NEGATIVE;
        *umin = 0;
        return HW_PARSE_OK;
    }
    if (sum.too_large || sum.total > HW_MAX_ROW_MINUTES * HW_UMIN_PER_MIN)
        return HW_PARSE_TOO_LARGE;
    *umin = sum.total;
    return HW_PARSE_OK;
}

/* ---- Formatting minutes ------------------------------------------------------ */

/* |v| without overflow for INT64_MIN. */
static uint64_t magnitude(int64_t v) {
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void hw_format_minutes_text(int64_t umin, char out[32]) {
    const uint64_t tenth = (uint64_t)HW_UMIN_PER_MIN / 10;
    uint64_t tenths = (magnitude(umin) + tenth / 2) / tenth; /* half away from zero */
    size_t n = 0;
    if (umin < 0 && tenths > 0)
        out[n++] = '-';
    n += hw_put_u64(out + n, tenths / 10);
    if (tenths % 10) {
        out[n++] = '.';
        out[n++] = (char)('0' + tenths % 10);
    }
    out[n] = '\0';
}

void hw_format_minutes_json(int64_t umin, char out[32]) {
    uint64_t a = magnitude(umin);
    uint64_t frac = a % (uint64_t)HW_UMIN_PER_MIN;
    size_t n = 0;
    if (umin < 0)
        out[n++] = '-';
    n += hw_put_u64(out + n, a / (uint64_t)HW_UMIN_PER_MIN);
    if (frac) {
        char digits[6];
        put_digits(digits, (int64_t)frac, 6);
        size_t keep = 6;
        while (digits[keep - 1] == '0')
            keep--;
        out[n++] = '.';
        memcpy(out + n, digits, keep);
        n += keep;
    }
    out[n] = '\0';
}
