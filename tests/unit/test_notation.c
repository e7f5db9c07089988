/* Unit tests for the notations module: fold, grades, class names, dates,
 * ISO weeks, minutes and their formatting. Every input is copied into a heap
 * block of exactly its length, so AddressSanitizer catches any read past len. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw_notation.h"

/* A string literal and its length, embedded NULs included. */
#define S(lit) lit, sizeof(lit) - 1

static char *dup_exact(const char *s, size_t len) {
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, s, len);
    return p;
}

/* Days since 1970-01-01 counted the slow way, independent of the module. */
static int is_leap_year(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m) {
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : dim[m - 1];
}

static int32_t naive_days(int y, int m, int d) {
    int32_t n = 0;
    for (int yy = 1970; yy < y; yy++)
        n += is_leap_year(yy) ? 366 : 365;
    for (int yy = y; yy < 1970; yy++)
        n -= is_leap_year(yy) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        n += month_days(y, mm);
    return n + d - 1;
}

/* ---- hw_fold ---------------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    const char *out;
    size_t out_len;
} fold_case;

static void test_fold(void **state) {
    (void)state;
    static const fold_case cases[] = {
        {S("三年级（2）班"), S("三年级(2)班")},
        {S("　３０分钟 "), S("30分钟")},
        {S("ＡＢＣｘｙｚ０９"), S("ABCxyz09")},
        {S("！～"), S("!~")},                   /* U+FF01 and U+FF5E, the ends */
        {S("\xEF\xBC\x80"), S("\xEF\xBC\x80")}, /* U+FF00 is not folded */
        {S("\xEF\xBD\x9F"), S("\xEF\xBD\x9F")}, /* U+FF5F neither */
        {S("\xEF\xBC"), S("\xEF\xBC")},         /* cut-off sequence copied */
        {S("a\xEF"), S("a\xEF")},
        {S("\xE3\x80"), S("\xE3\x80")},
        {S("\xFF\xE4 x"), S("\xFF\xE4 x")},
        {S("\xE4\xEF\xBC\x81"), S("\xE4!")},
        {S(" \t\r\n30\r\n"), S("30")},
        {S("a\0b"), S("a\0b")},
        {S("\0 "), S("\0")},
        {S("  "), S("")},
        {S("　"), S("")},
        {S("30　分"), S("30 分")},
        {S(""), S("")},
        {S("x"), S("x")},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = dup_exact(cases[i].in, cases[i].len);
        char *out = malloc(cases[i].len + 1);
        assert_non_null(out);
        size_t n = hw_fold(in, cases[i].len, out);
        if (n != cases[i].out_len || memcmp(out, cases[i].out, n) != 0)
            fail_msg("fold case %zu: got %zu bytes", i, n);
        assert_int_equal(out[n], '\0');
        /* Folding in place (out = s, with room for the NUL) gives the same. */
        char *same = malloc(cases[i].len + 1);
        assert_non_null(same);
        memcpy(same, in, cases[i].len);
        size_t m = hw_fold(same, cases[i].len, same);
        assert_int_equal(m, n);
        assert_memory_equal(same, cases[i].out, m);
        free(same);
        free(in);
        free(out);
    }

    /* Only a chunk: the full-width character cut in half stays bytes. */
    {
        char *in = dup_exact(S("３０"));
        char out[8];
        assert_int_equal(hw_fold(in, 4, out), 2);
        assert_memory_equal(out, "3\xEF", 2);
        free(in);
    }

    /* Every full-width ASCII character. */
    for (unsigned cp = 0xFF01; cp <= 0xFF5E; cp++) {
        char utf8[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                        (char)(0x80 | (cp & 0x3F))};
        char *in = dup_exact(utf8, 3);
        char out[4];
        assert_int_equal(hw_fold(in, 3, out), 1);
        assert_int_equal((unsigned char)out[0], cp - 0xFEE0);
        free(in);
    }
    assert_int_equal(hw_fold(NULL, 0, (char[1]){'x'}), 0);
}

/* ---- hw_parse_grade -------------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    hw_parse_status st;
    int grade;
} grade_case;

static void test_parse_grade(void **state) {
    (void)state;
    static const grade_case cases[] = {
        {S("1"), HW_PARSE_OK, 1},
        {S("12"), HW_PARSE_OK, 12},
        {S("03"), HW_PARSE_OK, 3},
        {S("000000000000000000000000000007"), HW_PARSE_OK, 7},
        {S("3年级"), HW_PARSE_OK, 3},
        {S("10年级"), HW_PARSE_OK, 10},
        {S("3 年级"), HW_PARSE_OK, 3},
        {S("一年级"), HW_PARSE_OK, 1},
        {S("三年级"), HW_PARSE_OK, 3},
        {S("七年级"), HW_PARSE_OK, 7},
        {S("九年级"), HW_PARSE_OK, 9},
        {S("十年级"), HW_PARSE_OK, 10},
        {S("十一年级"), HW_PARSE_OK, 11},
        {S("十二年级"), HW_PARSE_OK, 12},
        {S("初一"), HW_PARSE_OK, 7},
        {S("初二"), HW_PARSE_OK, 8},
        {S("初三"), HW_PARSE_OK, 9},
        {S("初1"), HW_PARSE_OK, 7},
        {S("初3"), HW_PARSE_OK, 9},
        {S("初一年级"), HW_PARSE_OK, 7},
        {S("高一"), HW_PARSE_OK, 10},
        {S("高二"), HW_PARSE_OK, 11},
        {S("高三"), HW_PARSE_OK, 12},
        {S("高2"), HW_PARSE_OK, 11},
        {S("高三年级"), HW_PARSE_OK, 12},
        {S("小学三年级"), HW_PARSE_OK, 3},
        {S("小学6年级"), HW_PARSE_OK, 6},
        {S("初中一年级"), HW_PARSE_OK, 7},
        {S("初中二年级"), HW_PARSE_OK, 8},
        {S("初中三年级"), HW_PARSE_OK, 9},
        {S("初中八年级"), HW_PARSE_OK, 8},
        {S("高中一年级"), HW_PARSE_OK, 10},
        {S("高中三年级"), HW_PARSE_OK, 12},
        {S("高中3年级"), HW_PARSE_OK, 12},
        {S("Grade 3"), HW_PARSE_OK, 3},
        {S("grade3"), HW_PARSE_OK, 3},
        {S("GRADE 3"), HW_PARSE_OK, 3},
        {S("GrAdE  12"), HW_PARSE_OK, 12},
        {S("G3"), HW_PARSE_OK, 3},
        {S("g3"), HW_PARSE_OK, 3},
        {S("G 11"), HW_PARSE_OK, 11},
        {S(""), HW_PARSE_EMPTY, 0},
        {S("0"), HW_PARSE_RANGE, 0},
        {S("00"), HW_PARSE_RANGE, 0},
        {S("13"), HW_PARSE_RANGE, 0},
        {S("99999999999999999999999999999999999999999999"), HW_PARSE_RANGE, 0},
        {S("13年级"), HW_PARSE_RANGE, 0},
        {S("0年级"), HW_PARSE_RANGE, 0},
        {S("十三年级"), HW_PARSE_RANGE, 0},
        {S("二十年级"), HW_PARSE_RANGE, 0},
        {S("零年级"), HW_PARSE_RANGE, 0},
        {S("Grade 0"), HW_PARSE_RANGE, 0},
        {S("G13"), HW_PARSE_RANGE, 0},
        {S("初四"), HW_PARSE_RANGE, 0},
        {S("高四"), HW_PARSE_RANGE, 0},
        {S("初0"), HW_PARSE_RANGE, 0},
        {S("高十"), HW_PARSE_RANGE, 0},
        {S("小学七年级"), HW_PARSE_RANGE, 0},
        {S("初中四年级"), HW_PARSE_RANGE, 0},
        {S("高中九年级"), HW_PARSE_RANGE, 0},
        {S("三"), HW_PARSE_SYNTAX, 0},
        {S("abc"), HW_PARSE_SYNTAX, 0},
        {S("3.5"), HW_PARSE_SYNTAX, 0},
        {S("3年"), HW_PARSE_SYNTAX, 0},
        {S("三年级2班"), HW_PARSE_SYNTAX, 0},
        {S("-3"), HW_PARSE_SYNTAX, 0},
        {S("+3"), HW_PARSE_SYNTAX, 0},
        {S(" 3"), HW_PARSE_SYNTAX, 0},
        {S("3 "), HW_PARSE_SYNTAX, 0},
        {S("初"), HW_PARSE_SYNTAX, 0},
        {S("初12"), HW_PARSE_SYNTAX, 0},
        {S("初一二"), HW_PARSE_SYNTAX, 0},
        {S("高"), HW_PARSE_SYNTAX, 0},
        {S("初中"), HW_PARSE_SYNTAX, 0},
        {S("初中一"), HW_PARSE_SYNTAX, 0},
        {S("小学"), HW_PARSE_SYNTAX, 0},
        {S("Grade"), HW_PARSE_SYNTAX, 0},
        {S("Grade 3A"), HW_PARSE_SYNTAX, 0},
        {S("Gr3"), HW_PARSE_SYNTAX, 0},
        {S("grades 3"), HW_PARSE_SYNTAX, 0},
        {S("两年级"), HW_PARSE_SYNTAX, 0},
        {S("3\0"), HW_PARSE_SYNTAX, 0},
        {S("\0"), HW_PARSE_SYNTAX, 0},
        {S("\xFF"), HW_PARSE_SYNTAX, 0},
        {S("\xE4"), HW_PARSE_SYNTAX, 0},
        {S("\xE4\xB8"), HW_PARSE_SYNTAX, 0}, /* 一 cut short */
        {S("3\xE5\xB9\xB4\xE7\xBA"), HW_PARSE_SYNTAX, 0},
        /* Chunks: only len bytes count. */
        {"12", 1, HW_PARSE_OK, 1},
        {"3年级", 1, HW_PARSE_OK, 3},
        {"十二年级", 3, HW_PARSE_SYNTAX, 0},
        {"十二年级", 9, HW_PARSE_SYNTAX, 0},
        {"十二年级x", 12, HW_PARSE_OK, 12},
        {"初三", 3, HW_PARSE_SYNTAX, 0},
        {"Grade 3", 6, HW_PARSE_SYNTAX, 0},
        {"13", 0, HW_PARSE_EMPTY, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = dup_exact(cases[i].in, cases[i].len);
        int g = -77;
        hw_parse_status st = hw_parse_grade(in, cases[i].len, &g);
        if (st != cases[i].st)
            fail_msg("grade case %zu: status %d, want %d", i, (int)st, (int)cases[i].st);
        /* Failure leaves the output alone. */
        assert_int_equal(g, st == HW_PARSE_OK ? cases[i].grade : -77);
        free(in);
    }
}

/* ---- hw_grade_from_class ----------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    int grade; /* 0: states no grade */
} class_case;

/* The grade words registers write most (D年级, 初D, 高D, 初D年级) are read
 * before the general readers: every one, as a grade cell and at the start
 * of a class name, and the words next to them that the general readers
 * take (or refuse) as before. */
static void test_grade_words(void **state) {
    (void)state;
    static const char *const digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    char text[64];
    for (int d = 1; d <= 9; d++) {
        for (int form = 0; form < 5; form++) {
            int want = form == 0 ? d : d <= 3 ? d + (form % 2 ? 6 : 9) : 0;
            if (form == 0)
                snprintf(text, sizeof text, "%s年级", digits[d - 1]);
            else
                snprintf(text, sizeof text, "%s%s%s", form % 2 ? "初" : "高", digits[d - 1],
                         form > 2 ? "年级" : "");
            char *in = dup_exact(text, strlen(text));
            int g = -1;
            hw_parse_status st = hw_parse_grade(in, strlen(text), &g);
            if (want ? st != HW_PARSE_OK || g != want : st == HW_PARSE_OK)
                fail_msg("grade %s: %d %d, want %d", text, (int)st, g, want);
            free(in);
            strcat(text, "(3)班");
            in = dup_exact(text, strlen(text));
            g = -1;
            bool ok = hw_grade_from_class(in, strlen(text), &g);
            if (want ? !ok || g != want : ok)
                fail_msg("class %s: %d %d, want %d", text, (int)ok, g, want);
            free(in);
        }
    }
    static const struct {
        const char *in;
        hw_parse_status st;
        int grade;
    } near[] = {{"十年级", HW_PARSE_OK, 10},    {"十二年级", HW_PARSE_OK, 12},
                {"初中一年级", HW_PARSE_OK, 7}, {"高中三年级", HW_PARSE_OK, 12},
                {"初四", HW_PARSE_RANGE, 0},    {"一年", HW_PARSE_SYNTAX, 0},
                {"初一班", HW_PARSE_SYNTAX, 0}, {"一年级二", HW_PARSE_SYNTAX, 0},
                {"〇年级", HW_PARSE_SYNTAX, 0}};
    for (size_t i = 0; i < sizeof near / sizeof *near; i++) {
        char *in = dup_exact(near[i].in, strlen(near[i].in));
        int g = -1;
        hw_parse_status st = hw_parse_grade(in, strlen(near[i].in), &g);
        if (st != near[i].st || (st == HW_PARSE_OK && g != near[i].grade))
            fail_msg("%s: %d %d", near[i].in, (int)st, g);
        free(in);
    }
}

static void test_grade_from_class(void **state) {
    (void)state;
    static const class_case cases[] = {
        {S("三年级(2)班"), 3},
        {S("初一3班"), 7},
        {S("七(3)班"), 7},
        {S("3年级2班"), 3},
        {S("高二(5)班"), 11},
        {S("初三(10)班"), 9},
        {S("七年级3班"), 7},
        {S("一年级"), 1},
        {S("3(2)班"), 3},
        {S("12(1)班"), 12},
        {S("十一(2)班"), 11},
        {S("十二年级1班"), 12},
        {S("03(1)班"), 3},
        {S("七 (3)班"), 7},
        {S("初1班"), 7},
        {S("初3(2)班"), 9},
        {S("高1(2)班"), 10},
        {S("高三十班"), 12}, /* 高三 + 十班, not 高 + 三十 */
        {S("初一年级2班"), 7},
        {S("小学三年级(2)班"), 3},
        {S("初中一年级2班"), 7},
        {S("高中二年级3班"), 11},
        {S("初中八年级1班"), 8},
        {S("Grade 3 Class 2"), 3},
        {S("G3-2"), 3},
        {S("g12"), 12},
        {S("grade 3"), 3},
        {S("3"), 0}, /* no '(' and no 年级: could be a class number */
        {S("实验班"), 0},
        {S("(3)班"), 0},
        {S("13(2)班"), 0},
        {S("0(2)班"), 0},
        {S("3班"), 0},
        {S("初2023级3班"), 0},
        {S("高2025级(1)班"), 0},
        {S("初12班"), 0},
        {S("初四(1)班"), 0},
        {S("高新班"), 0},
        {S("十三年级"), 0},
        {S("13年级"), 0},
        {S("三班"), 0},
        {S("三"), 0},
        {S("G13"), 0},
        {S("Gym"), 0},
        {S("Grade"), 0},
        {S("小学部1班"), 0},
        {S("小学七年级"), 0},
        {S("3.5(1)班"), 0},
        {S("99999999999999999999999(1)班"), 0},
        {S(""), 0},
        {S("\0(1)"), 0},
        {S("\xFF(1)"), 0},
        {S("\xE4"), 0},
        {S("\xE5\x88"), 0}, /* 初 cut short */
        {"3(2)班", 1, 0},
        {"3(2)班", 2, 3},
        {"三年级", 3, 0},
        {"三年级", 9, 3},
        {"初一", 3, 0},
        {"初2023", 4, 8}, /* the cut leaves 初2 */
        {"G12", 2, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = dup_exact(cases[i].in, cases[i].len);
        int g = -77;
        bool ok = hw_grade_from_class(in, cases[i].len, &g);
        if (ok != (cases[i].grade != 0) || g != (ok ? cases[i].grade : -77))
            fail_msg("class case %zu: ok %d grade %d, want %d", i, ok, g, cases[i].grade);
        free(in);
    }
}

/* ---- hw_parse_date / hw_format_date ------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    hw_parse_status st;
    int y, m, d;
} date_case;

/* Dates written 2026/9/7, 2026-9-7, 2026/09/07 or 2026年9月7日 are read by a
 * short path;
 * the same date followed by its day of the week is read by the general
 * one: the two must agree on every day of eleven years. Months and days
 * out of range are out of range, as the general reader has them. */
static void test_parse_date_short(void **state) {
    (void)state;
    static const char *const forms[] = {"%04d/%d/%d",         "%04d-%d-%d",      "%04d/%02d/%02d",
                                        "%04d/%d/%02d",       "%04d-%02d-%d",    "%04d年%d月%d日",
                                        "%04d年%02d月%02d日", "%04d年%d月%02d日"};
    static const char *const weekday[] = {"一", "二", "三", "四", "五", "六", "日"};
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char text[64], longer[96];
    for (int y = 2020; y <= 2030; y++) {
        for (int m = 0; m <= 13; m++) {
            for (int d = 0; d <= 32; d++) {
                for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
                    int n = snprintf(text, sizeof text, forms[f], y, m, d);
                    char *a = dup_exact(text, (size_t)n);
                    int32_t da = 0, db = 0;
                    hw_parse_status sa = hw_parse_date(a, (size_t)n, &da);
                    if (m < 1 || m > 12 || d < 1 || d > days_in[m - 1] + (m == 2 && y % 4 == 0)) {
                        if (sa != HW_PARSE_RANGE)
                            fail_msg("%s: %d, want out of range", text, (int)sa);
                        free(a);
                        continue;
                    }
                    int w = sa == HW_PARSE_OK ? hw_weekday(da) : 1;
                    snprintf(longer, sizeof longer, "%s(周%s)", text, weekday[w - 1]);
                    char *b = dup_exact(longer, strlen(longer));
                    hw_parse_status sb = hw_parse_date(b, strlen(longer), &db);
                    if (sa != sb || (sa == HW_PARSE_OK && da != db))
                        fail_msg("%s: %d %d, %s: %d %d", text, (int)sa, (int)da, longer, (int)sb,
                                 (int)db);
                    free(a);
                    free(b);
                }
            }
        }
    }
}

/* A date read again in a row (rows come a class-day or a day at a time)
 * gives what it gave the first time, days set or left alone as then. */
static void test_parse_date_again(void **state) {
    (void)state;
    static const struct {
        const char *s;
        hw_parse_status st;
        int32_t days; /* -1: left alone */
    } seq[] = {
        {"2026-11-23", HW_PARSE_OK, 20780},          {"2026-11-23", HW_PARSE_OK, 20780},
        {"2026-11-31", HW_PARSE_RANGE, -1},          {"2026-11-31", HW_PARSE_RANGE, -1},
        {"2026-11-24", HW_PARSE_OK, 20781},          {"2026/11/23周二", HW_PARSE_WEEKDAY, 20780},
        {"2026/11/23周二", HW_PARSE_WEEKDAY, 20780}, {"2026/11/23周一", HW_PARSE_OK, 20780},
        {"2026年9月17日", HW_PARSE_OK, 20713},       {"2026年9月27日", HW_PARSE_OK, 20723},
        {"2026-1-23", HW_PARSE_OK, 20476},           {"2026-1-2x", HW_PARSE_SYNTAX, -1},
        {"2026-1-23", HW_PARSE_OK, 20476},           {"2026-11-23", HW_PARSE_OK, 20780},
    };
    for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
        size_t n = strlen(seq[i].s);
        char *a = dup_exact(seq[i].s, n);
        int32_t days = -1;
        hw_parse_status st = hw_parse_date(a, n, &days);
        if (st != seq[i].st || days != seq[i].days)
            fail_msg("%zu %s: %d %d, want %d %d", i, seq[i].s, (int)st, (int)days, (int)seq[i].st,
                     (int)seq[i].days);
        free(a);
    }
}

static void test_parse_date(void **state) {
    (void)state;
    static const date_case cases[] = {
        {S("2026-11-23"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026/11/23"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026.11.23"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026年11月23日"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026年11月23"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026年1月5日"), HW_PARSE_OK, 2026, 1, 5},
        {S("2026/1/5"), HW_PARSE_OK, 2026, 1, 5},
        {S("2026-01-05"), HW_PARSE_OK, 2026, 1, 5},
        {S("2026-1-05"), HW_PARSE_OK, 2026, 1, 5},
        {S("1970-01-01"), HW_PARSE_OK, 1970, 1, 1},
        {S("1969-12-31"), HW_PARSE_OK, 1969, 12, 31},
        {S("1900-01-01"), HW_PARSE_OK, 1900, 1, 1},
        {S("9999-12-31"), HW_PARSE_OK, 9999, 12, 31},
        {S("2024-02-29"), HW_PARSE_OK, 2024, 2, 29},
        {S("2000-02-29"), HW_PARSE_OK, 2000, 2, 29},
        {S("2026/11/23 0:00"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026-11-23 08:30:00"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026-11-23   8:30"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026年11月23日 8:30"), HW_PARSE_OK, 2026, 11, 23},
        /* Chinese Excel's long date, and days of the week written after a date */
        {S("2026年11月23日星期一"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026年11月23日 星期一"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026/11/23(周一)"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026/11/23 ( 周一 )"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026-11-29 周日"), HW_PARSE_OK, 2026, 11, 29},
        {S("2026-11-29 星期天"), HW_PARSE_OK, 2026, 11, 29},
        {S("2026.11.28礼拜六"), HW_PARSE_OK, 2026, 11, 28},
        {S("2026/11/23 周一 8:00"), HW_PARSE_OK, 2026, 11, 23},
        {S("2026/11/24 周一"), HW_PARSE_WEEKDAY, 2026, 11, 24},
        {S("2026年11月29日星期六"), HW_PARSE_WEEKDAY, 2026, 11, 29},
        {S("2026-02-30 周一"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026/11/23 周八"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11/23 周"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11/23(周一"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11/23周一)"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11/23 周一8:00"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11/23 Monday"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S(""), HW_PARSE_EMPTY, 0, 0, 0},
        {S("0000-00-00"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-13-01"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-00-10"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-02-29"), HW_PARSE_RANGE, 0, 0, 0},
        {S("1900-02-29"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-11-31"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-11-00"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026-12-32"), HW_PARSE_RANGE, 0, 0, 0},
        {S("1899-12-31"), HW_PARSE_RANGE, 0, 0, 0},
        {S("2026年2月30日"), HW_PARSE_RANGE, 0, 0, 0},
        {S("11/23/2026"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("20261123"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("yesterday"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23x"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11/23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026/11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026.11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026年11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11月23日"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("26-11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("02026-11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-011-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-023"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 "), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 8"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 8:3"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 8:30:"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 8:30:00:00"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23 123:30"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-238:30"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23T08:30"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23日"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S(" 2026-11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026 -11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("-2026-11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-+1-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-23\0"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11\0-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-11-2\xFF"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026\xE5\xB9"), HW_PARSE_SYNTAX, 0, 0, 0}, /* 年 cut short */
        {S("2026\xE4-11-23"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("99999999999999999999999999999999-1-1"), HW_PARSE_SYNTAX, 0, 0, 0},
        {S("2026-99999999999999999999999999-1"), HW_PARSE_SYNTAX, 0, 0, 0},
        /* Chunks. */
        {"2026-11-23", 9, HW_PARSE_OK, 2026, 11, 2},
        {"2026-11-23", 8, HW_PARSE_SYNTAX, 0, 0, 0},
        {"2026-11-23 0:00", 11, HW_PARSE_SYNTAX, 0, 0, 0},
        {"2026-11-23 0:00", 13, HW_PARSE_SYNTAX, 0, 0, 0},
        {"2026-11-23 0:00", 14, HW_PARSE_SYNTAX, 0, 0, 0},
        {"2026-11-23 0:00", 15, HW_PARSE_OK, 2026, 11, 23},
        {"2026年11月23日", 17, HW_PARSE_OK, 2026, 11, 23},
        {"2026年11月23日", 18, HW_PARSE_SYNTAX, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = dup_exact(cases[i].in, cases[i].len);
        int32_t days = -77;
        hw_parse_status st = hw_parse_date(in, cases[i].len, &days);
        if (st != cases[i].st)
            fail_msg("date case %zu: status %d, want %d", i, (int)st, (int)cases[i].st);
        if (st == HW_PARSE_OK || st == HW_PARSE_WEEKDAY) /* the date the row gives */
            assert_int_equal(days, naive_days(cases[i].y, cases[i].m, cases[i].d));
        else
            assert_int_equal(days, -77);
        free(in);
    }
    assert_int_equal(naive_days(1970, 1, 1), 0);
    assert_int_equal(naive_days(1969, 12, 31), -1);
}

/* Walks every day from 1900-01-01 to 9999-12-31 by hand and checks that
 * formatting, parsing, the weekday and the ISO week all agree with it. */
static void test_calendar_walk(void **state) {
    (void)state;
    int y = 1900, m = 1, d = 1;
    int32_t days = naive_days(1900, 1, 1);
    int wd = hw_weekday(days);
    assert_int_equal(wd, 1); /* 1900-01-01 was a Monday */
    int prev_week = 1, prev_iso_year = 1900;
    for (;;) {
        char want[40], got[11], in[11];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        hw_format_date(days, got);
        if (strcmp(want, got) != 0)
            fail_msg("format %d: %s, want %s", (int)days, got, want);
        memcpy(in, want, 10);
        int32_t back = 0;
        assert_int_equal(hw_parse_date(in, 10, &back), HW_PARSE_OK);
        assert_int_equal(back, days);
        assert_int_equal(hw_weekday(days), wd);

        int iy, wk;
        int32_t mon;
        hw_iso_week(days, &iy, &wk, &mon);
        assert_int_equal(mon, days - (wd - 1));
        if (wd == 1 && !(m == 1 && d == 1 && y == 1900)) {
            /* A new week: either the next one, or week 1 of a new year. */
            if (wk == 1) {
                assert_int_equal(iy, prev_iso_year + 1);
                assert_true(prev_week == 52 || prev_week == 53);
            } else {
                assert_int_equal(iy, prev_iso_year);
                assert_int_equal(wk, prev_week + 1);
            }
        } else if (!(m == 1 && d == 1 && y == 1900)) {
            assert_int_equal(wk, prev_week);
            assert_int_equal(iy, prev_iso_year);
        }
        /* Week 1 is the week with 4 January in it. */
        if (m == 1 && d == 4)
            assert_true(wk == 1 && iy == y);
        prev_week = wk;
        prev_iso_year = iy;

        if (y == 9999 && m == 12 && d == 31)
            break;
        days++;
        wd = wd == 7 ? 1 : wd + 1;
        if (++d > month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

static void test_iso_week(void **state) {
    (void)state;
    static const struct {
        int y, m, d;
        int iso_year, week;
        int my, mm, md; /* that week's Monday */
        int weekday;
    } cases[] = {
        {2026, 12, 31, 2026, 53, 2026, 12, 28, 4}, {2027, 1, 1, 2026, 53, 2026, 12, 28, 5},
        {2027, 1, 3, 2026, 53, 2026, 12, 28, 7},   {2027, 1, 4, 2027, 1, 2027, 1, 4, 1},
        {2021, 1, 3, 2020, 53, 2020, 12, 28, 7},   {2021, 1, 4, 2021, 1, 2021, 1, 4, 1},
        {2024, 12, 30, 2025, 1, 2024, 12, 30, 1},  {2025, 1, 1, 2025, 1, 2024, 12, 30, 3},
        {2026, 11, 23, 2026, 48, 2026, 11, 23, 1}, {2026, 11, 29, 2026, 48, 2026, 11, 23, 7},
        {2026, 11, 30, 2026, 49, 2026, 11, 30, 1}, {1970, 1, 1, 1970, 1, 1969, 12, 29, 4},
        {1969, 12, 28, 1969, 52, 1969, 12, 22, 7}, {2008, 12, 29, 2009, 1, 2008, 12, 29, 1},
        {2010, 1, 3, 2009, 53, 2009, 12, 28, 7},   {1900, 1, 1, 1900, 1, 1900, 1, 1, 1},
        {9999, 12, 31, 9999, 52, 9999, 12, 27, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t days = naive_days(cases[i].y, cases[i].m, cases[i].d);
        int iy = 0, wk = 0;
        int32_t mon = 0;
        hw_iso_week(days, &iy, &wk, &mon);
        if (iy != cases[i].iso_year || wk != cases[i].week)
            fail_msg("iso case %zu: %d-W%02d, want %d-W%02d", i, iy, wk, cases[i].iso_year,
                     cases[i].week);
        assert_int_equal(mon, naive_days(cases[i].my, cases[i].mm, cases[i].md));
        assert_int_equal(hw_weekday(days), cases[i].weekday);
        assert_int_equal(hw_weekday(mon), 1);
    }
    assert_int_equal(hw_weekday(0), 4);
    assert_int_equal(hw_weekday(-1), 3);
    assert_int_equal(hw_weekday(-4), 7);
    assert_int_equal(hw_weekday(4), 1);

    /* Extreme day numbers stay defined. */
    int32_t extremes[] = {INT32_MIN, INT32_MIN + 1, -719529, -719528, 2932896, 2932897, INT32_MAX};
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++) {
        char out[11];
        int iy, wk;
        int32_t mon;
        hw_format_date(extremes[i], out);
        assert_int_equal(strlen(out), 10);
        hw_iso_week(extremes[i], &iy, &wk, &mon);
        assert_true(wk >= 1 && wk <= 53);
        int wd = hw_weekday(extremes[i]);
        assert_true(wd >= 1 && wd <= 7);
    }
    char out[11];
    hw_format_date(INT32_MIN, out);
    assert_string_equal(out, "0000-01-01");
    hw_format_date(INT32_MAX, out);
    assert_string_equal(out, "9999-12-31");
    hw_format_date(-1, out);
    assert_string_equal(out, "1969-12-31");
}

/* ---- hw_parse_minutes ----------------------------------------------------------------- */

typedef struct {
    const char *in;
    size_t len;
    hw_parse_status st;
    int64_t umin;
} minutes_case;

#define MIN_(x) ((int64_t)(x)*1000000)

static void test_parse_minutes(void **state) {
    (void)state;
    static const minutes_case cases[] = {
        {S("0"), HW_PARSE_OK, 0},
        {S("无"), HW_PARSE_OK, 0},
        {S("-0"), HW_PARSE_OK, 0},
        {S("-0.000"), HW_PARSE_OK, 0},
        {S("-0分钟"), HW_PARSE_OK, 0},
        {S("30"), HW_PARSE_OK, MIN_(30)},
        {S("0030"), HW_PARSE_OK, MIN_(30)},
        {S("12.5"), HW_PARSE_OK, 12500000},
        {S("0.5"), HW_PARSE_OK, 500000},
        {S(".5"), HW_PARSE_OK, 500000},
        {S("5."), HW_PARSE_OK, MIN_(5)},
        {S("0.333333"), HW_PARSE_OK, 333333},
        {S("0.000001"), HW_PARSE_OK, 1},
        {S("0.0000005"), HW_PARSE_OK, 1},     /* half rounds up */
        {S("0.00000049999"), HW_PARSE_OK, 0}, /* below half rounds down */
        {S("0.3333335"), HW_PARSE_OK, 333334},
        {S("0.9999995"), HW_PARSE_OK, MIN_(1)},
        {S("30分钟"), HW_PARSE_OK, MIN_(30)},
        {S("30分"), HW_PARSE_OK, MIN_(30)},
        {S("30 分钟"), HW_PARSE_OK, MIN_(30)},
        {S("30min"), HW_PARSE_OK, MIN_(30)},
        {S("30 min"), HW_PARSE_OK, MIN_(30)},
        {S("30 mins"), HW_PARSE_OK, MIN_(30)},
        {S("30 MINUTES"), HW_PARSE_OK, MIN_(30)},
        {S("1 minute"), HW_PARSE_OK, MIN_(1)},
        {S("30m"), HW_PARSE_OK, MIN_(30)},
        {S("30M"), HW_PARSE_OK, MIN_(30)},
        {S("12.5分钟"), HW_PARSE_OK, 12500000},
        {S("0.5小时"), HW_PARSE_OK, MIN_(30)},
        {S("1.5h"), HW_PARSE_OK, MIN_(90)},
        {S("1.5 H"), HW_PARSE_OK, MIN_(90)},
        {S("2hr"), HW_PARSE_OK, MIN_(120)},
        {S("2 hrs"), HW_PARSE_OK, MIN_(120)},
        {S("1 hour"), HW_PARSE_OK, MIN_(60)},
        {S("2 Hours"), HW_PARSE_OK, MIN_(120)},
        {S("1个小时"), HW_PARSE_OK, MIN_(60)},
        {S("1.5个小时"), HW_PARSE_OK, MIN_(90)},
        {S("0.1小时"), HW_PARSE_OK, 6000000},
        {S("0.0000001小时"), HW_PARSE_OK, 6},
        {S("0.00000001小时"), HW_PARSE_OK, 1},         /* 0.6 rounds to 1 */
        {S("0.000000008小时"), HW_PARSE_OK, 0},        /* 0.48 rounds to 0 */
        {S("0.0000000083333333小时"), HW_PARSE_OK, 0}, /* 0.49999998 */
        {S("0.00000000833333334h"), HW_PARSE_OK, 1},   /* 0.500000004 */
        {S("0.000000025h"), HW_PARSE_OK, 2},           /* exactly 1.5: half up */
        {S("0.0000000249999h"), HW_PARSE_OK, 1},
        {S("0.12345678h"), HW_PARSE_OK, 7407407},  /* 7407406.8 */
        {S("0.123456789h"), HW_PARSE_OK, 7407407}, /* 7407407.34 */
        {S("1小时20分钟"), HW_PARSE_OK, MIN_(80)},
        {S("1小时20分"), HW_PARSE_OK, MIN_(80)},
        {S("1小时20"), HW_PARSE_OK, MIN_(80)},
        {S("1h20m"), HW_PARSE_OK, MIN_(80)},
        {S("1H20M"), HW_PARSE_OK, MIN_(80)},
        {S("1h 20min"), HW_PARSE_OK, MIN_(80)},
        {S("1 小时 20 分钟"), HW_PARSE_OK, MIN_(80)},
        {S("1.5小时10分"), HW_PARSE_OK, MIN_(100)},
        {S("1hr20"), HW_PARSE_OK, MIN_(80)},
        {S("1小时0.5分钟"), HW_PARSE_OK, MIN_(60) + 500000},
        {S("1小时90分钟"), HW_PARSE_OK, MIN_(150)},
        {S("23小时60分钟"), HW_PARSE_OK, MIN_(1440)},
        {S("半小时"), HW_PARSE_OK, MIN_(30)},
        {S("半个小时"), HW_PARSE_OK, MIN_(30)},
        {S("1个半小时"), HW_PARSE_OK, MIN_(90)},
        {S("一个半小时"), HW_PARSE_OK, MIN_(90)},
        {S("两个半小时"), HW_PARSE_OK, MIN_(150)},
        {S("1小时半"), HW_PARSE_OK, MIN_(90)},
        {S("2h半"), HW_PARSE_OK, MIN_(150)},
        {S("十分钟"), HW_PARSE_OK, MIN_(10)},
        {S("二十分钟"), HW_PARSE_OK, MIN_(20)},
        {S("二十五分钟"), HW_PARSE_OK, MIN_(25)},
        {S("十五"), HW_PARSE_OK, MIN_(15)},
        {S("一百分钟"), HW_PARSE_OK, MIN_(100)},
        {S("一百零五分钟"), HW_PARSE_OK, MIN_(105)},
        {S("一百二十分钟"), HW_PARSE_OK, MIN_(120)},
        {S("两百分钟"), HW_PARSE_OK, MIN_(200)},
        {S("零分钟"), HW_PARSE_OK, 0},
        {S("一小时"), HW_PARSE_OK, MIN_(60)},
        {S("两小时"), HW_PARSE_OK, MIN_(120)},
        {S("一小时二十分钟"), HW_PARSE_OK, MIN_(80)},
        {S("1440"), HW_PARSE_OK, MIN_(1440)},
        {S("1440.000000"), HW_PARSE_OK, MIN_(1440)},
        {S("24小时"), HW_PARSE_OK, MIN_(1440)},
        {S("1440.0000001"), HW_PARSE_OK, MIN_(1440)}, /* rounds to 1440 */
        /* about so much: the number counts */
        {S("约30分钟"), HW_PARSE_OK, MIN_(30)},
        {S("大约 半小时"), HW_PARSE_OK, MIN_(30)},
        {S("大概1小时"), HW_PARSE_OK, MIN_(60)},
        {S("20分钟左右"), HW_PARSE_OK, MIN_(20)},
        {S("30 分钟 以内"), HW_PARSE_OK, MIN_(30)},
        {S("约"), HW_PARSE_SYNTAX, 0},
        {S("左右"), HW_PARSE_SYNTAX, 0},
        /* a range counts as its upper end; a bare lower end has its unit */
        {S("20-30"), HW_PARSE_OK, MIN_(30)},
        {S("20-30分钟"), HW_PARSE_OK, MIN_(30)},
        {S("20 ~ 30 分钟"), HW_PARSE_OK, MIN_(30)},
        {S("20\u201430分钟"), HW_PARSE_OK, MIN_(30)},
        {S("20\u201330分钟"), HW_PARSE_OK, MIN_(30)},
        {S("20\u301C30分钟"), HW_PARSE_OK, MIN_(30)},
        {S("20至30分钟"), HW_PARSE_OK, MIN_(30)},
        {S("二十到三十分钟"), HW_PARSE_OK, MIN_(30)},
        {S("1-1.5小时"), HW_PARSE_OK, MIN_(90)},
        {S("2-1.5小时"), HW_PARSE_SYNTAX, 0}, /* a range that goes down */
        {S("30-20"), HW_PARSE_SYNTAX, 0},
        {S("20-20"), HW_PARSE_OK, MIN_(20)},
        {S("30分钟-1小时"), HW_PARSE_OK, MIN_(60)},
        {S("1小时-1小时20分"), HW_PARSE_OK, MIN_(80)},
        {S("半小时到1小时"), HW_PARSE_OK, MIN_(60)},
        {S("约20-30分钟左右"), HW_PARSE_OK, MIN_(30)},
        {S("20-1441"), HW_PARSE_TOO_LARGE, 0},
        {S("20-30-40"), HW_PARSE_SYNTAX, 0},
        {S("20--30"), HW_PARSE_SYNTAX, 0},
        {S("20-"), HW_PARSE_SYNTAX, 0},
        {S("20至"), HW_PARSE_SYNTAX, 0},
        {S("-5-10"), HW_PARSE_NEGATIVE, 0},
        {S("-5"), HW_PARSE_NEGATIVE, 0},
        {S("-5分钟"), HW_PARSE_NEGATIVE, 0},
        {S("-0.5"), HW_PARSE_NEGATIVE, 0},
        {S("-1h"), HW_PARSE_NEGATIVE, 0},
        {S("-半小时"), HW_PARSE_NEGATIVE, 0},
        {S("-99999"), HW_PARSE_NEGATIVE, 0},
        {S("1441"), HW_PARSE_TOO_LARGE, 0},
        {S("1440.0000005"), HW_PARSE_TOO_LARGE, 0},
        {S("1440.5"), HW_PARSE_TOO_LARGE, 0},
        {S("25小时"), HW_PARSE_TOO_LARGE, 0},
        {S("24.1h"), HW_PARSE_TOO_LARGE, 0},
        {S("23小时61分钟"), HW_PARSE_TOO_LARGE, 0},
        {S("24h1m"), HW_PARSE_TOO_LARGE, 0},
        {S("二十五小时"), HW_PARSE_TOO_LARGE, 0},
        {S("九百九十九小时"), HW_PARSE_TOO_LARGE, 0},
        {S("9999999999999999999999999999999999999999999999999999999999999999999999999999999"
           "999999999999999999999"),
         HW_PARSE_TOO_LARGE, 0},
        {S("99999999999999999999999999999999999999999.5小时"), HW_PARSE_TOO_LARGE, 0},
        {S(""), HW_PARSE_EMPTY, 0},
        {S("+5"), HW_PARSE_SYNTAX, 0},
        {S("--5"), HW_PARSE_SYNTAX, 0},
        {S("- 5"), HW_PARSE_SYNTAX, 0},
        {S("-"), HW_PARSE_SYNTAX, 0},
        {S("-无"), HW_PARSE_SYNTAX, 0},
        {S("无无"), HW_PARSE_SYNTAX, 0},
        {S("."), HW_PARSE_SYNTAX, 0},
        {S("1.2.3"), HW_PARSE_SYNTAX, 0},
        {S("1,000"), HW_PARSE_SYNTAX, 0},
        {S("1e309"), HW_PARSE_SYNTAX, 0},
        {S("1E3"), HW_PARSE_SYNTAX, 0},
        {S("nan"), HW_PARSE_SYNTAX, 0},
        {S("NaN"), HW_PARSE_SYNTAX, 0},
        {S("inf"), HW_PARSE_SYNTAX, 0},
        {S("0x10"), HW_PARSE_SYNTAX, 0},
        {S("abc"), HW_PARSE_SYNTAX, 0},
        {S("半天"), HW_PARSE_SYNTAX, 0},
        {S("半"), HW_PARSE_SYNTAX, 0},
        {S("30 30"), HW_PARSE_SYNTAX, 0},
        {S("30分钟30分钟"), HW_PARSE_SYNTAX, 0},
        {S("20分钟1小时"), HW_PARSE_SYNTAX, 0},
        {S("1小时1小时"), HW_PARSE_SYNTAX, 0},
        {S("1小时20分钟5"), HW_PARSE_SYNTAX, 0},
        {S("1小时半20分"), HW_PARSE_SYNTAX, 0},
        {S("1.5小时半"), HW_PARSE_SYNTAX, 0},
        {S("1.5个半小时"), HW_PARSE_SYNTAX, 0},
        {S("1小时-20分钟"), HW_PARSE_SYNTAX, 0},
        {S("1时"), HW_PARSE_SYNTAX, 0},
        {S("30秒"), HW_PARSE_SYNTAX, 0},
        {S("30mn"), HW_PARSE_SYNTAX, 0},
        {S("30 minutesx"), HW_PARSE_SYNTAX, 0},
        {S("30 "), HW_PARSE_SYNTAX, 0},
        {S(" 30"), HW_PARSE_SYNTAX, 0},
        {S("1小时 "), HW_PARSE_SYNTAX, 0},
        {S("两十分钟"), HW_PARSE_SYNTAX, 0},
        {S("一百五分钟"), HW_PARSE_SYNTAX, 0},
        {S("百分钟"), HW_PARSE_SYNTAX, 0},
        {S("1十分钟"), HW_PARSE_SYNTAX, 0},
        {S("30\0"), HW_PARSE_SYNTAX, 0},
        {S("3\0"
           "0"),
         HW_PARSE_SYNTAX, 0},
        {S("\0"), HW_PARSE_SYNTAX, 0},
        {S("\xFF"), HW_PARSE_SYNTAX, 0},
        {S("30\xFF"), HW_PARSE_SYNTAX, 0},
        {S("\xE4"), HW_PARSE_SYNTAX, 0},
        {S("30\xE5\x88"), HW_PARSE_SYNTAX, 0}, /* 分 cut short */
        {S("\xE5\x8D"), HW_PARSE_SYNTAX, 0},   /* 半 cut short */
        {S("999999999999999999999999999999x"), HW_PARSE_SYNTAX, 0},
        /* Chunks. */
        {"30分钟", 2, HW_PARSE_OK, MIN_(30)},
        {"30分钟", 5, HW_PARSE_OK, MIN_(30)},
        {"30分钟", 6, HW_PARSE_SYNTAX, 0},
        {"30分钟", 1, HW_PARSE_OK, MIN_(3)},
        {"1h20m", 4, HW_PARSE_OK, MIN_(80)},
        {"1h20m", 3, HW_PARSE_OK, MIN_(62)},
        {"12.5", 3, HW_PARSE_OK, MIN_(12)},
        {"无", 2, HW_PARSE_SYNTAX, 0},
        {"-5", 1, HW_PARSE_SYNTAX, 0},
        {"1441", 3, HW_PARSE_OK, MIN_(144)},
        {"30", 0, HW_PARSE_EMPTY, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *in = dup_exact(cases[i].in, cases[i].len);
        int64_t v = -77;
        hw_parse_status st = hw_parse_minutes(in, cases[i].len, &v);
        if (st != cases[i].st)
            fail_msg("minutes case %zu: status %d, want %d", i, (int)st, (int)cases[i].st);
        if (v != (st == HW_PARSE_OK ? cases[i].umin : -77))
            fail_msg("minutes case %zu: %lld, want %lld", i, (long long)v,
                     (long long)cases[i].umin);
        free(in);
    }

    /* 0.1小时 six times is 36 minutes exactly. */
    int64_t sum = 0;
    for (int i = 0; i < 6; i++) {
        int64_t v;
        assert_int_equal(hw_parse_minutes(S("0.1小时"), &v), HW_PARSE_OK);
        sum += v;
    }
    assert_int_equal(sum, MIN_(36));
}

/* Very long numbers: nothing overflows and the rounding still looks at the
 * last digit. */
static void test_parse_minutes_long(void **state) {
    (void)state;
    const size_t n = 200000;
    char *buf = malloc(n + 16);
    assert_non_null(buf);
    int64_t v = -77;

    memset(buf, '9', n);
    assert_int_equal(hw_parse_minutes(buf, n, &v), HW_PARSE_TOO_LARGE);
    assert_int_equal(hw_parse_minutes(buf, 100, &v), HW_PARSE_TOO_LARGE);
    assert_int_equal(v, -77);

    memset(buf, '0', n);
    buf[n - 2] = '4';
    buf[n - 1] = '5';
    assert_int_equal(hw_parse_minutes(buf, n, &v), HW_PARSE_OK);
    assert_int_equal(v, MIN_(45));

    /* 0.0000004999...9 is just below half a micro-minute... */
    memset(buf, '9', n);
    memcpy(buf, "0.0000004", 9);
    assert_int_equal(hw_parse_minutes(buf, n, &v), HW_PARSE_OK);
    assert_int_equal(v, 0);
    /* ...and 0.0000005000...0 is exactly half, which rounds up. */
    memcpy(buf, "0.0000005", 9);
    memset(buf + 9, '0', n - 9);
    assert_int_equal(hw_parse_minutes(buf, n, &v), HW_PARSE_OK);
    assert_int_equal(v, 1);

    /* Hours: 1e-7 h is 6 umin, so 0.00000000833...3 h is just under half a
     * micro-minute and a last digit 4 tips it over. */
    memcpy(buf, "0.000000008", 11);
    memset(buf + 11, '3', n - 11);
    buf[n] = 'h';
    assert_int_equal(hw_parse_minutes(buf, n + 1, &v), HW_PARSE_OK);
    assert_int_equal(v, 0);
    buf[n - 1] = '4';
    assert_int_equal(hw_parse_minutes(buf, n + 1, &v), HW_PARSE_OK);
    assert_int_equal(v, 1);

    /* Many leading zeros on an hour value. */
    memset(buf, '0', n);
    memcpy(buf + n - 1, "2小时", 7);
    assert_int_equal(hw_parse_minutes(buf, n + 6, &v), HW_PARSE_OK);
    assert_int_equal(v, MIN_(120));

    /* A negative with a huge magnitude is still just negative. */
    memset(buf, '9', n);
    buf[0] = '-';
    assert_int_equal(hw_parse_minutes(buf, n, &v), HW_PARSE_NEGATIVE);

    /* Long strings for the other parsers. */
    int g = -77;
    int32_t d = -77;
    memset(buf, '9', n);
    assert_int_equal(hw_parse_grade(buf, n, &g), HW_PARSE_RANGE);
    assert_false(hw_grade_from_class(buf, n, &g));
    memcpy(buf + n - 1, "(", 1);
    assert_false(hw_grade_from_class(buf, n, &g));
    assert_int_equal(hw_parse_date(buf, n, &d), HW_PARSE_SYNTAX);
    memset(buf, '0', n);
    memcpy(buf + n - 4, "3(1)", 4);
    assert_true(hw_grade_from_class(buf, n, &g));
    assert_int_equal(g, 3);
    assert_int_equal(hw_parse_grade(buf, n - 3, &g), HW_PARSE_OK);
    assert_int_equal(d, -77);
    free(buf);
}

/* The rounding of long hour and minute fractions against exact arithmetic
 * in 128 bits, for random digit strings of up to 20 decimals. */
__extension__ typedef unsigned __int128 u128;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void) {
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

static void test_parse_minutes_rounding(void **state) {
    (void)state;
    for (int iter = 0; iter < 200000; iter++) {
        int hours = rng() % 2;
        int whole = (int)(rng() % (hours ? 24 : 1440));
        int decimals = (int)(rng() % 21);
        char text[64];
        int n = snprintf(text, sizeof text, "%d.", whole);
        u128 frac = 0, scale = 1;
        /* Digits biased towards 0, 3, 9 to hit the edges of rounding. */
        for (int i = 0; i < decimals; i++) {
            static const char pool[] = "0123456789003399";
            char c = pool[rng() % 16];
            text[n++] = c;
            frac = frac * 10 + (u128)(c - '0');
            scale *= 10;
        }
        if (hours)
            n += snprintf(text + n, sizeof text - (size_t)n, "h");
        u128 per = hours ? 60000000u : 1000000u;
        /* round(whole * per + frac * per / scale), ties up. */
        u128 want = (u128)whole * per + (2 * frac * per + scale) / (2 * scale);
        char *in = dup_exact(text, (size_t)n);
        int64_t v = -1;
        assert_int_equal(hw_parse_minutes(in, (size_t)n, &v), HW_PARSE_OK);
        if ((u128)v != want)
            fail_msg("%s: %lld, want %lld", text, (long long)v, (long long)want);
        free(in);
    }
}

/* A number alone, or with 分钟 or 分 right after it, is read by a short
 * path; with a space before the unit it is read by the general one: all
 * must give the same. */
static void test_parse_minutes_plain(void **state) {
    (void)state;
    static const char *const fracs[] = {"",        ".",       ".0",      ".5",       ".25",
                                        ".125",    ".000001", ".999999", ".1234567", ".00",
                                        ".333333", ".5x",     "..5",     "5"};
    static const char *const wholes[] = {"", "0", "00", "05", "0000", "1000", "9999", "x"};
    static const char *const units[] = {"", "分钟", "分"};
    char text[64], other[80];
    for (int w = -(int)(sizeof wholes / sizeof *wholes); w < 1000; w++) {
        for (size_t f = 0; f < sizeof fracs / sizeof *fracs; f++) {
            int n = w < 0 ? snprintf(text, sizeof text, "%s%s", wholes[-w - 1], fracs[f])
                          : snprintf(text, sizeof text, "%d%s", w, fracs[f]);
            if (n == 0)
                continue;
            /* with a space before the unit, the general path reads it */
            snprintf(other, sizeof other, "%s 分钟", text);
            char *b = dup_exact(other, strlen(other));
            int64_t vb = -1;
            hw_parse_status sb = hw_parse_minutes(b, strlen(other), &vb);
            free(b);
            for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
                snprintf(other, sizeof other, "%s%s", text, units[u]);
                char *a = dup_exact(other, strlen(other));
                int64_t va = -1;
                hw_parse_status sa = hw_parse_minutes(a, strlen(other), &va);
                if (sa != sb || (sa == HW_PARSE_OK && va != vb))
                    fail_msg("%s: %d %lld, the general path %d %lld", other, (int)sa, (long long)va,
                             (int)sb, (long long)vb);
                free(a);
            }
        }
    }
}

/* ---- formatting minutes ------------------------------------------------------------ */

static void test_format_minutes_text(void **state) {
    (void)state;
    static const struct {
        int64_t umin;
        const char *want;
    } cases[] = {
        {45000000, "45"},
        {12500000, "12.5"},
        {12340000, "12.3"},
        {12350000, "12.4"},
        {12349999, "12.3"},
        {0, "0"},
        {1, "0"},
        {49999, "0"},
        {50000, "0.1"},
        {-49999, "0"},
        {-50000, "-0.1"},
        {-12350000, "-12.4"},
        {-45000000, "-45"},
        {36000000, "36"},
        {1440000000, "1440"},
        {59950000, "60"},
        {99999, "0.1"},
        {INT64_MAX, "9223372036854.8"},
        {INT64_MIN, "-9223372036854.8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        memset(out, 'x', sizeof out);
        hw_format_minutes_text(cases[i].umin, out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("text %lld: %s, want %s", (long long)cases[i].umin, out, cases[i].want);
    }
}

static void test_format_minutes_json(void **state) {
    (void)state;
    static const struct {
        int64_t umin;
        const char *want;
    } cases[] = {
        {36000000, "36"},
        {12500000, "12.5"},
        {333333, "0.333333"},
        {1, "0.000001"},
        {10, "0.00001"},
        {0, "0"},
        {1000000, "1"},
        {1000001, "1.000001"},
        {1234567890, "1234.56789"},
        {-1, "-0.000001"},
        {-12500000, "-12.5"},
        {-36000000, "-36"},
        {INT64_MAX, "9223372036854.775807"},
        {INT64_MIN, "-9223372036854.775808"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        memset(out, 'x', sizeof out);
        hw_format_minutes_json(cases[i].umin, out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("json %lld: %s, want %s", (long long)cases[i].umin, out, cases[i].want);
    }
    /* Parsing the JSON text gives the same amount back. */
    for (int iter = 0; iter < 100000; iter++) {
        int64_t v = (int64_t)(((uint64_t)rng() << 32 | rng()) % 1440000001u);
        char out[32];
        hw_format_minutes_json(v, out);
        int64_t back = -1;
        assert_int_equal(hw_parse_minutes(out, strlen(out), &back), HW_PARSE_OK);
        assert_int_equal(back, v);
    }
}

/* ---- random inputs --------------------------------------------------------------------- */

/* Glues random pieces of notation together and checks that nothing crashes
 * and that every accepted value is within its contract. */
static void test_random_pieces(void **state) {
    (void)state;
    static const char *const pieces[] = {
        "0",
        "1",
        "2",
        "3",
        "9",
        "12",
        "2026",
        "-",
        "/",
        ".",
        ":",
        " ",
        "(",
        ")",
        "年",
        "月",
        "日",
        "年级",
        "初",
        "高",
        "中",
        "小学",
        "一",
        "二",
        "三",
        "十",
        "两",
        "百",
        "零",
        "半",
        "个",
        "小时",
        "分钟",
        "分",
        "h",
        "m",
        "min",
        "G",
        "Grade",
        "无",
        "\xFF",
        "\xE4",
        "\xE5\x8D",
        "\xEF\xBC",
        "\xEF\xBC\x90",
        "\xE3\x80\x80",
        "\0",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    for (int iter = 0; iter < 300000; iter++) {
        char text[64];
        size_t n = 0;
        int count = (int)(rng() % 8);
        for (int k = 0; k < count; k++) {
            const char *p = pieces[rng() % np];
            size_t pl = p[0] ? strlen(p) : 1;
            if (n + pl > sizeof text)
                break;
            memcpy(text + n, p, pl);
            n += pl;
        }
        size_t len = n ? rng() % (n + 1) : 0;
        if (rng() % 2)
            len = n;
        char *in = dup_exact(text, len);

        char *folded = malloc(len + 1);
        assert_non_null(folded);
        size_t fl = hw_fold(in, len, folded);
        assert_true(fl <= len);
        free(folded);

        int g;
        if (hw_parse_grade(in, len, &g) == HW_PARSE_OK)
            assert_true(g >= 1 && g <= 12);
        if (hw_grade_from_class(in, len, &g))
            assert_true(g >= 1 && g <= 12);
        int32_t d;
        if (hw_parse_date(in, len, &d) == HW_PARSE_OK) {
            char out[11];
            int32_t back;
            hw_format_date(d, out);
            assert_int_equal(hw_parse_date(out, 10, &back), HW_PARSE_OK);
            assert_int_equal(back, d);
        }
        int64_t v;
        if (hw_parse_minutes(in, len, &v) == HW_PARSE_OK)
            assert_true(v >= 0 && v <= MIN_(1440));
        free(in);
    }
}

/* hw_fold_needed says false only where hw_fold changes nothing, and true
 * for each thing hw_fold changes, wherever it stands in a long cell. */
static void test_fold_needed(void **state) {
    static const char *const plain[] = {"",   "海淀1小", "三年级(2)班", "2026-09-07",
                                        "15", "书面",    "a b",         "初一（3）班x"};
    char out[64];
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        size_t n = strlen(plain[i]);
        bool needed = hw_fold_needed(plain[i], n);
        size_t m = hw_fold(plain[i], n, out);
        if (!needed) {
            assert_int_equal(m, n);
            assert_memory_equal(out, plain[i], n);
        }
    }
    assert_false(hw_fold_needed("海淀1小", strlen("海淀1小")));
    assert_true(hw_fold_needed("初一（3）班", strlen("初一（3）班")));
    static const char *const changed[] = {"\xEF\xBC\x91", "\xE3\x80\x80", " ", "\t", "\r", "\n"};
    for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
        /* at every position of a 20-byte cell: in a word of 8 or in the tail */
        for (size_t at = 0; at < 18; at++) {
            char cell[32];
            memset(cell, 'x', 20);
            size_t k = strlen(changed[i]);
            memcpy(cell + at, changed[i], k);
            bool edge = at == 0 || at + k == 20;
            bool blank = k == 1;
            if (blank && !edge)
                continue; /* a blank inside a cell is kept */
            assert_true(hw_fold_needed(cell, 20));
            assert_true(hw_fold(cell, 20, out) != 20 || memcmp(out, cell, 20) != 0);
        }
    }
    /* Every length, short cells and cells of whole words and more: a lead
     * byte of what hw_fold changes is seen wherever it stands. */
    for (size_t len = 1; len <= 25; len++) {
        char cell[32];
        memset(cell, 'x', len);
        assert_false(hw_fold_needed(cell, len));
        for (size_t at = 0; at < len; at++) {
            for (int k = 0; k < 2; k++) {
                memset(cell, 'x', len);
                cell[at] = (char)(k ? 0xE3 : 0xEF);
                if (!hw_fold_needed(cell, len))
                    fail_msg("a lead byte at %zu of %zu bytes not seen", at, len);
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_fold_needed),
        cmocka_unit_test(test_parse_grade),
        cmocka_unit_test(test_grade_words),
        cmocka_unit_test(test_grade_from_class),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_date_short),
        cmocka_unit_test(test_parse_date_again),
        cmocka_unit_test(test_calendar_walk),
        cmocka_unit_test(test_iso_week),
        cmocka_unit_test(test_parse_minutes),
        cmocka_unit_test(test_parse_minutes_long),
        cmocka_unit_test(test_parse_minutes_rounding),
        cmocka_unit_test(test_parse_minutes_plain),
        cmocka_unit_test(test_format_minutes_text),
        cmocka_unit_test(test_format_minutes_json),
        cmocka_unit_test(test_random_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
