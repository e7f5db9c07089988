/* Splitting a file at row boundaries: quote counts, the line end chosen in
 * each range, and the UTF-8 check of ranges cut inside characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_split.h"
#include "temp_file.h"

/* Scans text in ranges of size step fed in pieces of size piece; returns
 * the part starts as "0,12,30". */
static char *starts_of(const char *text, size_t step, size_t piece) {
    size_t len = strlen(text), n = (len + step - 1) / step;
    hw_split_range *r = calloc(n, sizeof *r);
    for (size_t i = 0; i < n; i++) {
        long long a = (long long)(i * step),
                  b = i + 1 < n ? (long long)((i + 1) * step) : (long long)len;
        hw_split_range_init(&r[i], a, b);
        for (long long at = a; at < b; at += (long long)piece) {
            size_t k = b - at < (long long)piece ? (size_t)(b - at) : piece;
            hw_split_feed(&r[i], (const unsigned char *)text + at, k, at);
        }
        hw_split_finish(&r[i], b < (long long)len ? (unsigned char)text[b] : -1);
    }
    long long *s = calloc(n, sizeof *s);
    size_t parts = hw_split_starts(r, n, s);
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < parts; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", i ? "," : "", s[i]);
    free(r);
    free(s);
    return out;
}

static void test_feed_counts(void **state) {
    const char *t = "a,\"b\nc\",d\ne\n";
    hw_split_range r;
    hw_split_range_init(&r, 0, (long long)strlen(t));
    hw_split_feed(&r, (const unsigned char *)t, strlen(t), 0);
    assert_int_equal(r.quotes, 2);
    assert_int_equal(r.after_lf[1], 5);  /* after "a,\"b\n": inside quotes */
    assert_int_equal(r.after_lf[0], 10); /* after the row */
}

static void test_starts_outside_quotes(void **state) {
    /* rows start at 0, 2, 10 and 12; 22 is the end. A range gives at most
     * one start: its first line end outside quotes, an LF or, in a file
     * whose lines end with CR alone ("CSV (Macintosh)"), such a CR, however
     * the range is cut into pieces. */
    char t[] = "h\n\"x\ny\",1\n2\n\"p\nq\nr\",3\n";
    for (int cr = 0; cr < 2; cr++) {
        for (char *c = t; cr && *c; c++)
            *c = *c == '\n' ? '\r' : *c;
        for (size_t piece = 1; piece <= 8; piece++) {
            assert_string_equal(starts_of(t, 4, piece), "0,10,22");
            assert_string_equal(starts_of(t, 11, piece), "0,12");
            assert_string_equal(starts_of(t, 2, piece), "0,10,12,22");
            assert_string_equal(starts_of(t, 100, piece), "0");
        }
    }
    /* CR LF: the start is after the LF, never between the two */
    for (size_t piece = 1; piece <= 8; piece++)
        assert_string_equal(starts_of("ab\r\ncd\r\nef\r\n", 3, piece), "0,4,8,12");
}

static void test_doubled_quotes(void **state) {
    const char *t = "h\n\"a\"\"b\n\"\"c\",1\n2\n";
    /* the line end inside the quoted field is at 8 and must not be chosen */
    assert_string_equal(starts_of(t, 3, 1), "0,15,17");
}

/* UTF-8 check over ranges of every size: the answer is the whole file's. */
static void expect_utf8(const char *data, size_t len, bool want) {
    char path[TEMP_FILE_PATH];
    temp_file_write(path, "split", data, len);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    int fd = fileno(fp);
    for (size_t step = 1; step <= len; step++) {
        size_t n = (len + step - 1) / step;
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            hw_split_range r;
            hw_split_range_init(&r, (long long)(i * step),
                                i + 1 < n ? (long long)((i + 1) * step) : (long long)len);
            unsigned char buf[8];
            hw_split_scan_fd(&r, fd, (long long)len, true, buf, sizeof buf);
            assert_false(r.failed);
            ok = ok && r.utf8;
        }
        if (ok != want) {
            fprintf(stderr, "step %zu: got %d\n", step, ok);
            fail();
        }
    }
    fclose(fp);
    unlink(path);
}

static void test_utf8_across_ranges(void **state) {
    const char ok[] = "班级,日期\n三年级(2)班,2026-11-23,\xF0\x9F\x98\x80\n";
    expect_utf8(ok, sizeof ok - 1, true);
    const char gbk[] = "a,\xB0\xE0\xBC\xB6\n"; /* 班级 in GBK */
    expect_utf8(gbk, sizeof gbk - 1, false);
    const char cut[] = "ab\xE4\xB8"; /* a character cut by the end of the file */
    expect_utf8(cut, sizeof cut - 1, false);
    const char stray[] = "abc\x80\x80\x80\x80xyz"; /* continuation bytes alone */
    expect_utf8(stray, sizeof stray - 1, false);
}

/* Quotes are counted exactly in long text, whatever the piece sizes: the
 * count runs sixteen bytes at a time and empties its lanes every 255 blocks. */
static void test_quote_count_long(void **state) {
    enum { N = 70001 };
    static unsigned char text[N];
    uint64_t seed = 99;
    for (size_t i = 0; i < N; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        unsigned pick = (unsigned)(seed >> 58); /* 0..63 */
        text[i] = pick < 20 ? '"' : pick < 22 ? 0xA2 : pick < 24 ? '\n' : 'x';
    }
    /* quotes in more than 255 blocks of sixteen in a row: every lane full */
    memset(text, '"', 16 * 300);
    uint64_t want = 0;
    for (size_t i = 0; i < N; i++)
        want += text[i] == '"';
    static const size_t pieces[] = {1, 15, 16, 17, 4080, 4096, N};
    for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
        hw_split_range r;
        hw_split_range_init(&r, 0, N);
        for (size_t at = 0; at < N; at += pieces[k]) {
            size_t n = N - at < pieces[k] ? N - at : pieces[k];
            hw_split_feed(&r, text + at, n, (long long)at);
        }
        assert_int_equal(r.quotes, want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_counts),           cmocka_unit_test(test_quote_count_long),
        cmocka_unit_test(test_starts_outside_quotes), cmocka_unit_test(test_doubled_quotes),
        cmocka_unit_test(test_utf8_across_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
