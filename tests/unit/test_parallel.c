/* hw_check_files on several threads (with the rules and the report on as
 * many) gives the report of one thread: files read at once, and files split into parts as small as
 * a few bytes, with quoted line breaks, CRLF, blank lines before the header, stray and unclosed
 * quotes, GBK, grade conflicts across parts and input errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_check.h"
#include "hw_policy.h"
#include "hw_util.h"
#include "pipeline.h"
#include "temp_file.h"

static hw_policy policy;

/* The whole report of checking paths[0..n) (text or JSON), read as enc;
 * caller frees. */
static char *run_as(const char *const *paths, size_t n, unsigned jobs, size_t part, hw_format fmt,
                    hw_encoding enc) {
    pipeline_opts o = {.policy = &policy,
                       .encoding = enc,
                       .lang = HW_LANG_EN,
                       .format = fmt,
                       .jobs = jobs,
                       .part_size = part};
    pipeline_result res;
    pipeline_run(&o, paths, n, &res);
    return res.text;
}

static char *run(const char *const *paths, size_t n, unsigned jobs, size_t part, hw_format fmt) {
    return run_as(paths, n, jobs, part, fmt, HW_ENC_AUTO);
}

/* Checks that every thread count and part size gives the one-thread report,
 * the files read as enc. */
static void expect_same_as(const char *const *paths, size_t n, hw_encoding enc) {
    static const size_t parts[] = {5, 16, 61, 333, 4096, 0};
    for (int fmt = 0; fmt < 2; fmt++) {
        char *want = run_as(paths, n, 1, 0, (hw_format)fmt, enc);
        for (unsigned jobs = 2; jobs <= 3; jobs++) {
            for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
                char *got = run_as(paths, n, jobs, parts[i], (hw_format)fmt, enc);
                if (strcmp(got, want) != 0) {
                    fprintf(stderr,
                            "-j %u, parts of %zu bytes, %s differs:\n--- want\n%s\n--- got\n%s\n",
                            jobs, parts[i], fmt ? "JSON" : "text", want, got);
                    fail();
                }
                free(got);
            }
        }
        free(want);
    }
}

static void expect_same(const char *const *paths, size_t n) {
    expect_same_as(paths, n, HW_ENC_AUTO);
}

static char paths[8][TEMP_FILE_PATH];
static size_t npaths;

static const char *write_file(const char *data, size_t len) {
    assert_true(npaths < sizeof paths / sizeof *paths);
    char *path = paths[npaths++];
    temp_file_write(path, "par", data, len);
    return path;
}

static const char *write_text(const char *text) {
    return write_file(text, strlen(text));
}

static void cleanup(void) {
    for (size_t i = 0; i < npaths; i++)
        unlink(paths[i]);
    npaths = 0;
}

/* A register of about 120 rows with everything that makes splitting hard. */
static void make_register(hw_buf *b, const char *extra_mid, const char *end) {
    hw_buf_puts(b, "\xEF\xBB\xBF学校,班级,年级,日期,科目,预计时长,类型,作业内容\r\n");
    static const char *const cls[] = {"三年级(1)班", "三年级（2）班", "五年级(1)班", "初一(3)班",
                                      "二年级(1)班"};
    static const int grade[] = {3, 3, 5, 7, 2};
    for (int i = 0; i < 120; i++) {
        int k = i % 5;
        const char *eol = i % 3 ? "\n" : "\r\n";
        if (i == 60 && extra_mid)
            hw_buf_puts(b, extra_mid);
        if (i % 17 == 0)
            hw_buf_puts(b, "\n,,,,,,,\n");
        int g = grade[k];
        if (i == 77 && k == 2)
            g = 6; /* a later row giving another grade */
        hw_buf_printf(b, "实验小学,%s,%d,2026-11-%02d,%s,%s,%s,", cls[k], g, 23 + (i / 5) % 5,
                      i % 2 ? "数学" : "语文",
                      i % 23 == 0 ? "半天"
                      : i % 7     ? "15"
                                  : "0.5小时",
                      i % 11 == 0   ? "听写"
                      : i % 13 == 0 ? "口头"
                                    : "书面");
        if (i % 4 == 0)
            hw_buf_printf(b, "\"练习册P%d,第1-5题\r\n订正\"\"错题\"\"\"%s", i, eol);
        else if (i % 4 == 1)
            hw_buf_printf(b, "\"背诵,默写\"%s", eol);
        else
            hw_buf_printf(b, "抄写%s", eol);
    }
    if (end)
        hw_buf_puts(b, end);
}

static void test_one_file_split(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    /* the same with every line end a CR alone, as "CSV (Macintosh)" */
    size_t m = 0;
    for (size_t i = 0; i < b.len; i++)
        if (!(b.data[i] == '\n' && i && b.data[i - 1] == '\r'))
            b.data[m++] = b.data[i] == '\n' ? '\r' : b.data[i];
    assert_null(memchr(b.data, '\n', m));
    const char *q[] = {write_file(b.data, m)};
    expect_same(q, 1);
    hw_buf_free(&b);
    cleanup();
}

static void test_stray_and_unclosed_quotes(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    /* a stray quote makes the quote count lie about where rows end */
    make_register(&b, "实验小学,三年级(1)班,3,2026-11-23,科学,5\"寸,书面,x\n", NULL);
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    hw_buf_clear(&b);
    make_register(&b, NULL, "实验小学,三年级(1)班,3,2026-11-24,科学,10,书面,\"never closed\n,,\n");
    const char *q[] = {write_file(b.data, b.len)};
    expect_same(q, 1);
    hw_buf_free(&b);
    cleanup();
}

/* Bytes of s in GB18030; caller frees. */
static char *to_gbk(const char *s, size_t *len) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = strlen(s) * 2 + 4, left = cap, inleft = strlen(s);
    char *out = malloc(cap), *o = out, *in = (char *)s;
    assert_non_null(out);
    assert_int_not_equal(iconv(cd, &in, &inleft, &o, &left), (size_t)-1);
    iconv_close(cd);
    *len = cap - left;
    return out;
}

/* Appends the row utf8 in GB18030, times times. */
static void append_gbk_rows(hw_buf *b, const char *utf8, int times) {
    size_t n;
    char *gbk = to_gbk(utf8, &n);
    for (int i = 0; i < times; i++)
        hw_buf_append(b, gbk, n);
    free(gbk);
}

static void test_gbk_and_bad_bytes(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    size_t n;
    char *gbk = to_gbk(b.data + 3, &n); /* without the BOM */
    const char *p[] = {write_file(gbk, n)};
    expect_same(p, 1);
    /* UTF-8 with a BOM and one bad byte near the end: UTF-8, the byte an
     * input error on its line */
    hw_buf_puts(&b, "实验小学,三年级(1)班,3,2026-11-25,科学,10,书面,\xFF\n");
    const char *q[] = {write_file(b.data, b.len)};
    expect_same(q, 1);
    free(gbk);
    hw_buf_free(&b);
    cleanup();
}

static void test_header_far_or_unusable(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    for (int i = 0; i < 200; i++)
        hw_buf_puts(&b, i % 2 ? ",,,\n" : "\n");
    make_register(&b, NULL, NULL);
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    hw_buf_clear(&b);
    make_register(&b, NULL, NULL);
    memcpy(strstr(b.data, "科目"), "XXXXXX", 6); /* no subject column */
    const char *q[] = {write_file(b.data, b.len)};
    expect_same(q, 1);
    hw_buf_free(&b);
    cleanup();
}

/* Registers joined end to end (copy a.csv + b.csv): the header again, with
 * its BOM, in another column order, then as at first. The rows after each
 * header are read by it, in parts as on one thread, and no header row is
 * an input error. */
static void test_files_joined_end_to_end(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    hw_buf_puts(&b, "\xEF\xBB\xBF日期,科目,班级,年级,预计时长\r\n");
    for (int i = 0; i < 40; i++)
        hw_buf_printf(&b, "2026/11/%d,英语,%s,%d,%d分钟\r\n", 23 + i % 5,
                      i % 2 ? "三年级(1)班" : "初一(3)班", i % 2 ? 3 : 7, 10 + i % 4);
    make_register(&b, NULL, NULL);
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    char *text = run(p, 1, 1, 0, HW_FORMAT_TEXT);
    assert_null(strstr(text, "is not a date"));
    assert_non_null(strstr(text, "2026-11-27, over the daily cap of 30 min for grade 3 ("));
    free(text);
    hw_buf_free(&b);
    cleanup();
}

/* A file that starts as UTF-8, so that its parts are first read as UTF-8
 * on a guess, and holds more GBK further on: it is GB18030 after all, and
 * what the guessed parts read is taken back (their input errors too). */
static void test_gbk_after_utf8(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "class,grade,date,subject,minutes\n");
    for (int i = 0; i < 120; i++)
        hw_buf_printf(&b, "3(%d),3,2026-11-%d,%s,%s\n", i % 4 + 1, 23 + i % 5,
                      i % 40 ? "math" : "数学", i % 17 ? "20" : "lots");
    append_gbk_rows(&b, "三年级(1)班,3,2026-11-24,数学,40\n", 30);
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    char *text = run(p, 1, 1, 0, HW_FORMAT_TEXT);
    assert_non_null(strstr(text, "三年级(1)班: 1200 min")); /* read as GB18030 */
    free(text);
    /* A header that lacks the class column: no row is read, but the GBK
     * rows still make the file GB18030, which the header is read in. */
    hw_buf c;
    hw_buf_init(&c);
    hw_buf_puts(&c, "继续,年级,日期,科目,预计时长\n");
    hw_buf_append(&c, strchr(b.data, '\n') + 1,
                  b.len - (size_t)(strchr(b.data, '\n') + 1 - b.data));
    const char *q[] = {write_file(c.data, c.len)};
    expect_same(q, 1);
    hw_buf_free(&c);
    hw_buf_free(&b);
    cleanup();
}

/* More input errors than guessed parts hold (an error in every row): past
 * 10,000 the encoding is made certain, and the errors go on to the report
 * (UTF-8) or are dropped with the parts (GB18030 after all), in both cases
 * as one thread reports them. */
static void test_an_error_in_every_row(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "班级,年级,日期,科目,预计时长\n");
    for (int i = 0; i < 12000; i++)
        hw_buf_printf(&b, "3(%d),3,2026-11-%d,math,x%d\n", i % 7 + 1, 1 + i % 28, i);
    for (int gbk = 0; gbk < 2; gbk++) {
        if (gbk)
            append_gbk_rows(&b, "三年级(1)班,3,2026-11-24,数学,40\n", 200);
        const char *p[] = {write_file(b.data, b.len)};
        char *want = run(p, 1, 1, 0, HW_FORMAT_JSON);
        char *got = run(p, 1, 2, 64 * 1024, HW_FORMAT_JSON);
        assert_string_equal(got, want);
        /* GB18030 after all: the UTF-8 header does not read, nor any row */
        assert_non_null(strstr(want, gbk ? "\"errors\":1}" : "\"errors\":12000}"));
        free(want);
        free(got);
    }
    hw_buf_free(&b);
    cleanup();
}

/* A register whose class and date cells were merged over each day's rows
 * (empty below the first), read with --fill-down: each row needs the rows
 * above it, so in parts of any size and on any threads the report is one
 * thread's, and no row is an input error. */
static void test_fill_down_reads_files_whole(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "班级,日期,科目,预计时长\n");
    for (int c = 0; c < 8; c++)
        for (int d = 23; d <= 27; d++)
            hw_buf_printf(&b, "三年级(%d)班,2026-11-%d,语文,20\n,,数学,15\n,,英语,%d\n", c + 1, d,
                          c + d);
    const char *p[] = {write_file(b.data, b.len)};
    static const size_t parts[] = {5, 61, 4096};
    pipeline_opts o = {.policy = &policy, .lang = HW_LANG_EN, .jobs = 1, .fill_down = true};
    pipeline_result want;
    pipeline_run(&o, p, 1, &want);
    assert_int_equal(want.summary.errors, 0);
    assert_int_equal(want.summary.rows, 8 * 5 * 3);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        o.jobs = 2;
        o.part_size = parts[i];
        pipeline_result got;
        pipeline_run(&o, p, 1, &got);
        assert_string_equal(got.text, want.text);
        free(got.text);
    }
    free(want.text);
    hw_buf_free(&b);
    cleanup();
}

/* Writes the register to *a, and to *c a file whose rows (after a header)
 * give some of its classes other grades. */
static void write_register_and(const char *rows, const char **a, const char **c) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    *a = write_file(b.data, b.len);
    hw_buf_clear(&b);
    hw_buf_puts(&b, "班级,年级,日期,科目,时长\n");
    hw_buf_puts(&b, rows);
    *c = write_file(b.data, b.len);
    hw_buf_free(&b);
}

/* A download cut inside the last character of a file with little other
 * non-ASCII text: the split scan judges the encoding as the one-thread
 * prescan does (UTF-8, the cut bytes an input error on the last line). */
static void test_cut_at_end_with_little_utf8(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "class,grade,date,subject,minutes\n");
    for (int i = 0; i < 40; i++)
        hw_buf_printf(&b, "G3-%d,3,2026-11-%02d,math,%d\n", i % 4, 23 + i % 5, 10 + i);
    hw_buf_puts(&b, "三\xE5");
    const char *p[] = {write_file(b.data, b.len)};
    expect_same(p, 1);
    hw_buf_free(&b);
    cleanup();
}

/* The bytes fed to the decoder (the Makefile links this test with
 * --wrap=hw_decoder_feed): text known to be valid UTF-8 is parsed where it
 * was read, and decoding it would take a third longer. */
static atomic_size_t decoded;
void __real_hw_decoder_feed(hw_decoder *d, const unsigned char *in, size_t len, hw_buf *out);
void __wrap_hw_decoder_feed(hw_decoder *d, const unsigned char *in, size_t len, hw_buf *out) {
    atomic_fetch_add(&decoded, len);
    __real_hw_decoder_feed(d, in, len, out);
}

/* Valid UTF-8 with a BOM (as Excel and WPS save "CSV UTF-8") or without,
 * guessed or given with --encoding utf-8, whole or in parts: not decoded.
 * A stray byte is decoded, and reported on its line either way. */
static void test_valid_utf8_not_decoded(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    const char *p[] = {write_file(b.data, b.len), write_file(b.data + 3, b.len - 3)};
    static const hw_encoding encs[] = {HW_ENC_AUTO, HW_ENC_UTF8};
    char *want = run(p, 2, 1, 0, HW_FORMAT_TEXT);
    for (size_t e = 0; e < 2; e++) {
        for (unsigned jobs = 1; jobs <= 2; jobs++) {
            for (size_t part = 0; part <= 333; part += 333) {
                atomic_store(&decoded, 0);
                char *got = run_as(p, 2, jobs, part, HW_FORMAT_TEXT, encs[e]);
                assert_string_equal(got, want);
                assert_int_equal(atomic_load(&decoded), 0);
                free(got);
            }
        }
    }
    free(want);
    expect_same_as(p, 2, HW_ENC_UTF8);
    hw_buf_puts(&b, "实验小学,三年级(1)班,3,2026-11-25,科学,10,书面,\xFF\n");
    const char *q[] = {write_file(b.data, b.len)};
    for (size_t e = 0; e < 2; e++) {
        atomic_store(&decoded, 0);
        char *got = run_as(q, 1, 1, 0, HW_FORMAT_TEXT, encs[e]);
        assert_true(atomic_load(&decoded) > 0); /* the wrapper is in use */
        assert_non_null(strstr(got, ":168:8: error: 作业内容 \"\xEF\xBF\xBD\" holds bytes that "
                                    "are not valid UTF-8 text"));
        free(got);
    }
    expect_same_as(q, 1, HW_ENC_UTF8);
    hw_buf_free(&b);
    cleanup();
}

static void test_many_files(void **state) {
    const char *a, *c;
    /* the same classes with other grades: conflicts across files */
    write_register_and("三年级(1)班,4,2026-11-23,英语,20\n五年级(1)班,5,2026-11-23,英语,50\n"
                       "初一(3)班,7,2026-11-24,英语,abc\n",
                       &a, &c);
    const char *e = write_file("", 0);
    const char *p[] = {a, "/nonexistent/x.csv", c, e, "/tmp", a, c};
    expect_same(p, sizeof p / sizeof *p);
    cleanup();
}

/* A district's folder: enough files that threads take them in groups, some
 * read again in order (a grade that conflicts with a file before them).
 * Groups are cut by bytes: a file four times the size of the others makes
 * them uneven. */
static void test_files_in_groups(void **state) {
    const char *a, *c;
    write_register_and("三年级(1)班,4,2026-11-23,英语,20\n六年级(2)班,6,2026-11-24,数学,70\n", &a,
                       &c);
    hw_buf b;
    hw_buf_init(&b);
    hw_buf_puts(&b, "班级,年级,日期,科目,时长\n");
    for (int i = 0; i < 1000; i++)
        hw_buf_printf(&b, "四年级(%d)班,4,2026-11-%02d,数学,%d\n", i % 7, 23 + i % 5, 5 + i % 9);
    const char *big = write_file(b.data, b.len);
    hw_buf_free(&b);
    const char *cycle[] = {a, c, "/nonexistent/x.csv", a, a, a, a, big, c};
    const char *p[100];
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        p[i] = cycle[i % (sizeof cycle / sizeof *cycle)];
    expect_same(p, sizeof p / sizeof *p);
    cleanup();
}

/* A grade fixed in a file in the middle of a group, and contradicted by a
 * later file: the message names the file that fixed it. */
static void test_grade_fixed_inside_a_group(void **state) {
    const char *filler = write_text("班级,年级,日期,科目,时长\n三年级(9)班,3,2026-11-23,数学,10\n"
                                    "三年级(9)班,3,2026-11-24,数学,40\n");
    const char *fixes = write_text("班级,年级,日期,科目,时长\n四年级(5)班,4,2026-11-23,数学,10\n");
    const char *later = write_text("班级,年级,日期,科目,时长\n四年级(5)班,5,2026-11-24,数学,50\n");
    const char *p[40];
    for (size_t i = 0; i < sizeof p / sizeof *p; i++)
        p[i] = i == 21 ? fixes : i == 39 ? later : filler;
    expect_same(p, sizeof p / sizeof *p);
    cleanup();
}

/* Files about as large as the block one thread reads at a time (256 KiB),
 * which a small file fits in: every row is read, at the edge or not. */
static void test_files_at_the_read_block_size(void **state) {
    static const long sizes[] = {256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 512 * 1024};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        hw_buf b;
        hw_buf_init(&b);
        hw_buf_puts(&b, "class,grade,date,subject,minutes\n");
        size_t rows = 0;
        /* Rows of 26 bytes, the last padded (in its subject) to the size. */
        while (b.len + 2 * 26 <= (size_t)sizes[k]) {
            hw_buf_printf(&b, "G3-%d,3,2026-11-%02d,math,%d\n", (int)(rows % 4),
                          23 + (int)(rows % 5), 10 + (int)(rows % 9));
            rows++;
        }
        size_t pad = (size_t)sizes[k] - b.len - 26;
        hw_buf_puts(&b, "G3-0,3,2026-11-23,math");
        for (size_t i = 0; i < pad; i++)
            hw_buf_puts(&b, "s");
        hw_buf_puts(&b, ",10\n");
        rows++;
        assert_int_equal(b.len, (size_t)sizes[k]);
        const char *p[] = {write_file(b.data, b.len)};
        for (unsigned jobs = 1; jobs <= 2; jobs++) {
            pipeline_opts o = {.policy = &policy,
                               .encoding = HW_ENC_AUTO,
                               .lang = HW_LANG_EN,
                               .format = HW_FORMAT_TEXT,
                               .jobs = jobs};
            pipeline_result res;
            pipeline_run(&o, p, 1, &res);
            assert_int_equal(res.summary.rows, rows);
            assert_int_equal(res.summary.bad_rows, 0);
            free(res.text);
        }
        hw_buf_free(&b);
        cleanup();
    }
}

/* The parts read (the Makefile links this test with --wrap=hw_check_part
 * and --wrap=hw_check_part_bytes):
 * whether an input was split. */
static atomic_size_t parts_read;
hw_part_status __real_hw_check_part(hw_check *c, const char *path, uint32_t file,
                                    const hw_part *part, unsigned long *next_line);
hw_part_status __wrap_hw_check_part(hw_check *c, const char *path, uint32_t file,
                                    const hw_part *part, unsigned long *next_line) {
    atomic_fetch_add(&parts_read, 1);
    return __real_hw_check_part(c, path, file, part, next_line);
}
hw_part_status __real_hw_check_part_bytes(hw_check *c, const hw_part_bytes *b, uint32_t file,
                                          const hw_part *part, unsigned long *next_line);
hw_part_status __wrap_hw_check_part_bytes(hw_check *c, const hw_part_bytes *b, uint32_t file,
                                          const hw_part *part, unsigned long *next_line) {
    atomic_fetch_add(&parts_read, 1);
    return __real_hw_check_part_bytes(c, b, file, part, next_line);
}

/* The report of "-" twice, standard input at offset at of the file on it. */
static char *run_stdin(off_t at, unsigned jobs, size_t part, hw_format fmt) {
    assert_int_equal(lseek(STDIN_FILENO, at, SEEK_SET), at);
    static const char *const in[] = {"-", "-"};
    atomic_store(&parts_read, 0);
    return run(in, 2, jobs, part, fmt);
}

/* Standard input that is a regular file (hwcheck - < register.csv) is split
 * as the file named would be, its rows and errors named <stdin>, and is then
 * read: a second "-" finds it empty. Read from elsewhere than its start, it
 * is read in order from there. */
static void test_stdin_file_split(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    const char *p[] = {write_file(b.data, b.len)};
    int saved = dup(STDIN_FILENO);
    int fd = open(p[0], O_RDONLY);
    assert_true(saved >= 0 && fd >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    close(fd);
    for (int fmt = 0; fmt < 2; fmt++) {
        char *want = run_stdin(0, 1, 0, (hw_format)fmt);
        assert_int_equal(atomic_load(&parts_read), 0);
        assert_non_null(strstr(want, fmt ? "\"<stdin>\"" : "<stdin>:"));
        assert_null(strstr(want, "/dev/stdin"));
        assert_non_null(
            strstr(want, fmt ? "the file is empty" : "<stdin>: error: the file is empty"));
        for (unsigned jobs = 2; jobs <= 3; jobs++) {
            static const size_t parts[] = {5, 61, 333};
            for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
                char *got = run_stdin(0, jobs, parts[i], (hw_format)fmt);
                assert_string_equal(got, want);
                assert_true(atomic_load(&parts_read) >= 2);
                free(got);
            }
        }
        free(want);
    }
    /* past the header: the rest is read in order, as one thread reads it */
    off_t at = (off_t)(strchr(b.data, '\n') - b.data + 1);
    char *want = run_stdin(at, 1, 0, HW_FORMAT_TEXT);
    char *got = run_stdin(at, 2, 61, HW_FORMAT_TEXT);
    assert_int_equal(atomic_load(&parts_read), 0);
    assert_string_equal(got, want);
    free(want);
    free(got);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    hw_buf_free(&b);
    cleanup();
}

/* A writer of bytes into a pipe, on a thread of its own. */
typedef struct {
    int fd;
    const char *data;
    size_t len;
} pipe_writer;

static void *write_pipe(void *arg) {
    pipe_writer *w = arg;
    for (size_t at = 0; at < w->len;) {
        ssize_t n = write(w->fd, w->data + at, w->len - at);
        if (n <= 0)
            break;
        at += (size_t)n;
    }
    close(w->fd);
    return NULL;
}

/* The report of "-" with data piped to standard input. */
static char *run_piped(const char *data, size_t len, unsigned jobs, size_t part, hw_format fmt,
                       hw_encoding enc) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0 && dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
    close(fds[0]);
    pipe_writer w = {fds[1], data, len};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_pipe, &w), 0);
    static const char *const in[] = {"-"};
    atomic_store(&parts_read, 0);
    char *text = run_as(in, 1, jobs, part, fmt, enc);
    /* what was not read (an unusable header stops a file) is drained */
    char sink[4096];
    while (read(STDIN_FILENO, sink, sizeof sink) > 0)
        ;
    pthread_join(t, NULL);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    return text;
}

/* Piped with two and three threads in parts of a few bytes up, data gives
 * the report of one thread reading the pipe in order; split: whether parts
 * are read (else the pipe is read in order, as it cannot be split). */
static void expect_piped_same(const char *data, size_t len, hw_encoding enc, bool split) {
    static const size_t parts[] = {5, 16, 61, 333, 4096, 0};
    for (int fmt = 0; fmt < 2; fmt++) {
        char *want = run_piped(data, len, 1, 0, (hw_format)fmt, enc);
        assert_int_equal(atomic_load(&parts_read), 0);
        for (unsigned jobs = 2; jobs <= 3; jobs++) {
            for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
                char *got = run_piped(data, len, jobs, parts[i], (hw_format)fmt, enc);
                if (strcmp(got, want) != 0) {
                    fprintf(stderr,
                            "piped, -j %u, parts of %zu bytes, %s differs:\n--- want\n%s\n--- "
                            "got\n%s\n",
                            jobs, parts[i], fmt ? "JSON" : "text", want, got);
                    fail();
                }
                /* a part of half the input or more leaves nothing to split */
                if (!split || (parts[i] && 2 * parts[i] < len))
                    assert_int_equal(atomic_load(&parts_read) > 0, split);
                free(got);
            }
        }
        free(want);
    }
}

/* Standard input from a pipe is read in parts as it comes (cut where the
 * quotes counted tell a row ends), each checked as a split file's are, and
 * merged in order: the report of one thread reading it in order, whatever
 * the pipe holds. */
static void test_pipe_in_parts(void **state) {
    hw_buf b;
    hw_buf_init(&b);
    make_register(&b, NULL, NULL);
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    expect_piped_same(b.data + 3, b.len - 3, HW_ENC_UTF8, true); /* without the BOM, given */
    /* GBK, decided by its first bytes */
    size_t n;
    char *gbk = to_gbk(b.data + 3, &n);
    expect_piped_same(gbk, n, HW_ENC_AUTO, true);
    free(gbk);
    /* a stray quote misleads the count: the rest is read in order */
    hw_buf_clear(&b);
    make_register(&b, "实验小学,三年级(1)班,3,2026-11-23,科学,5\"寸,书面,x\n", NULL);
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    /* an unclosed quote at the end, and a stray byte in UTF-8: the part
     * that holds it is read again, decoded */
    hw_buf_clear(&b);
    make_register(&b, "实验小学,三年级(1)班,3,2026-11-23,科学,10,书面,\xFF\n",
                  "实验小学,三年级(1)班,3,2026-11-24,科学,10,书面,\"never closed\n,,\n");
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    /* a stray byte and a stray quote in one part: read again decoded, it
     * ends inside quotes, and the rest is read in order */
    hw_buf_clear(&b);
    make_register(&b, "实验小学,三年级(1)班,3,2026-11-23,\xFF语\",\"15 min\",\"say \"\"hi\n", NULL);
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    /* a stray byte in the header (the first part): the parts after it read
     * the header decoded too, as one thread does */
    hw_buf_clear(&b);
    make_register(&b, NULL, NULL);
    memcpy(strstr(b.data, "作业内容"), "\xA0\xA1", 2);
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    /* a header that comes late or is unusable, and a header row again */
    hw_buf_clear(&b);
    for (int i = 0; i < 200; i++)
        hw_buf_puts(&b, ",,,,\n");
    make_register(&b, "学校,班级,年级,日期,科目,预计时长,类型,作业内容\n", NULL);
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    static const char unusable[] = "名字,分数\n张三,90\n李四,85\n";
    expect_piped_same(unusable, sizeof unusable - 1, HW_ENC_AUTO, true);
    /* all ASCII for longer than the first part and what is read after it
     * (the first 64 KiB and more), then Chinese: read in order, as the
     * encoding is told only there */
    hw_buf_clear(&b);
    hw_buf_puts(&b, "class,grade,date,subject,minutes\n");
    for (int i = 0; b.len < 300 * 1024; i++)
        hw_buf_printf(&b, "G3-%d,3,2026-11-%02d,math,%d\n", i % 9, 23 + i % 5, 5 + i % 7);
    hw_buf_puts(&b, "三年级1班,3,2026-11-23,数学,40\n");
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, false);
    /* a quoted cell of 100 KB over many lines: no row ends near where a
     * part would, and the rest is read in order */
    hw_buf_clear(&b);
    make_register(&b, NULL, NULL);
    hw_buf_puts(&b, "实验小学,三年级(1)班,3,2026-11-26,科学,10,书面,\"");
    for (int i = 0; i < 2000; i++)
        hw_buf_puts(&b, "一行又一行的作业内容写在同一个格子里\n");
    hw_buf_puts(&b, "\"\n实验小学,三年级(1)班,3,2026-11-27,科学,45,书面,x\n");
    expect_piped_same(b.data, b.len, HW_ENC_AUTO, true);
    /* an error in every row: a part holding more than a thousand is read
     * again in order, with the rest, as one thread writes them */
    hw_buf_clear(&b);
    hw_buf_puts(&b, "class,grade,date,subject,minutes\n");
    for (int i = 0; i < 5000; i++)
        hw_buf_printf(&b, "三年级%d班,3,2026-13-%02d,数学,10\n", i % 7, 1 + i % 28);
    for (unsigned jobs = 1; jobs <= 2; jobs++) {
        char *want = run_piped(b.data, b.len, 1, 0, HW_FORMAT_JSON, HW_ENC_AUTO);
        char *got = run_piped(b.data, b.len, jobs + 1, 40000, HW_FORMAT_JSON, HW_ENC_AUTO);
        assert_true(atomic_load(&parts_read) > 0);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    /* the header past the first 64 KiB (blank rows before it), within a
     * first part of 100,000 bytes: the parts after it, which read the
     * header from the first 64 KiB, leave the rest to be read in order */
    hw_buf_clear(&b);
    for (int i = 0; i < 16000; i++)
        hw_buf_puts(&b, ",,,,\n");
    hw_buf_puts(&b, "学校,班级,年级,日期,科目,预计时长,类型,作业内容\n");
    for (int i = 0; b.len < 300 * 1024; i++)
        hw_buf_printf(&b, "实验小学,三年级(%d)班,3,2026-11-%02d,数学,%d,书面,抄写\n", i % 7,
                      23 + i % 5, 10 + i % 30);
    for (int fmt = 0; fmt < 2; fmt++) {
        char *want = run_piped(b.data, b.len, 1, 0, (hw_format)fmt, HW_ENC_AUTO);
        char *got = run_piped(b.data, b.len, 2, 100000, (hw_format)fmt, HW_ENC_AUTO);
        assert_true(atomic_load(&parts_read) > 0);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    /* NUL bytes after the first part, within the first 512 bytes: no text
     * file, as one thread says */
    static const char nuls[] = "class,date,subject,minutes\nG3,\0\0\0\0\0\0\0\0\0\0\0\0,m,5\n"
                               "G3,2026-11-23,math,20\n";
    expect_piped_same(nuls, sizeof nuls - 1, HW_ENC_AUTO, false);
    /* a workbook, and nothing at all: as one thread says */
    static const char xlsx[] = "PK\x03\x04\x14\x00\x06\x00rest of a zip";
    expect_piped_same(xlsx, sizeof xlsx - 1, HW_ENC_AUTO, false);
    expect_piped_same("", 0, HW_ENC_AUTO, false);
    hw_buf_free(&b);
}

static int setup(void **state) {
    hw_policy_default(&policy);
    return 0;
}

static int teardown(void **state) {
    hw_policy_free(&policy);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_file_split),
        cmocka_unit_test(test_stray_and_unclosed_quotes),
        cmocka_unit_test(test_gbk_and_bad_bytes),
        cmocka_unit_test(test_header_far_or_unusable),
        cmocka_unit_test(test_files_joined_end_to_end),
        cmocka_unit_test(test_fill_down_reads_files_whole),
        cmocka_unit_test(test_gbk_after_utf8),
        cmocka_unit_test(test_an_error_in_every_row),
        cmocka_unit_test(test_valid_utf8_not_decoded),
        cmocka_unit_test(test_many_files),
        cmocka_unit_test(test_files_in_groups),
        cmocka_unit_test(test_grade_fixed_inside_a_group),
        cmocka_unit_test(test_files_at_the_read_block_size),
        cmocka_unit_test(test_cut_at_end_with_little_utf8),
        cmocka_unit_test(test_stdin_file_split),
        cmocka_unit_test(test_pipe_in_parts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
