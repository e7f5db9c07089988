/* Inputs: folders searched for .csv in byte order of paths, hidden names
 * skipped, --files-from lists read line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw_inputs.h"

static char root[64];
static size_t nerrors;
static char last_error[256];

static void sink(void *ctx, const hw_input_error *e) {
    (void)ctx;
    nerrors++;
    snprintf(last_error, sizeof last_error, "%s: %s", e->file, e->message);
}

static void touch(const char *rel) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static void folder(const char *rel) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state) {
    (void)state;
    strcpy(root, "/tmp/hw_inputs_XXXXXX");
    if (!mkdtemp(root))
        return -1;
    nerrors = 0;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* The path of a found file relative to root. */
static const char *rel(const hw_inputs *in, size_t i) {
    return in->path[i] + strlen(root) + 1;
}

static void test_folder_order_and_filters(void **state) {
    (void)state;
    folder("b-school");
    folder("a-school");
    folder("a-school/w48");
    folder(".git");
    folder("empty");
    touch("a-school/w48/三年级.CSV");
    touch("a-school/z.csv");
    touch("a-school/.~lock.csv");
    touch("a-school/notes.txt");
    touch("a-school/csv");
    touch(".git/x.csv");
    touch("b-school/A.Csv");
    folder("b-school/w49.csv"); /* a folder, whatever its name says */
    touch("b-school/w49.csv/b.csv");
    touch("top.csv");
    char link[256], target[256];
    snprintf(target, sizeof target, "%s/a-school", root);
    snprintf(link, sizeof link, "%s/b-school/loop", root);
    assert_int_equal(symlink(target, link), 0);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, root);
    assert_int_equal(in.n, 5);
    assert_string_equal(rel(&in, 0), "a-school/w48/三年级.CSV");
    assert_string_equal(rel(&in, 1), "a-school/z.csv");
    assert_string_equal(rel(&in, 2), "b-school/A.Csv");
    assert_string_equal(rel(&in, 3), "b-school/w49.csv/b.csv");
    assert_string_equal(rel(&in, 4), "top.csv");
    assert_int_equal(nerrors, 0);
    hw_inputs_free(&in);
}

static void test_arguments_keep_their_order(void **state) {
    (void)state;
    touch("b.csv");
    touch("a.csv");
    folder("f");
    touch("f/y.csv");
    touch("f/x.csv");
    char f[256];
    snprintf(f, sizeof f, "%s/f/", root);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, "-");
    hw_inputs_add(&in, "no-such.txt");
    hw_inputs_add(&in, f);
    assert_int_equal(in.n, 4);
    assert_string_equal(in.path[0], "-");
    assert_string_equal(in.path[1], "no-such.txt");
    /* A trailing slash is not doubled. */
    assert_non_null(strstr(in.path[2], "/f/x.csv"));
    assert_null(strstr(in.path[2], "//"));
    assert_non_null(strstr(in.path[3], "/f/y.csv"));
    hw_inputs_free(&in);
}

static void test_folder_without_csv_is_an_error(void **state) {
    (void)state;
    folder("none");
    touch("none/a.xlsx");
    char p[256];
    snprintf(p, sizeof p, "%s/none", root);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_ZH, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, p);
    assert_int_equal(in.n, 0);
    assert_int_equal(nerrors, 1);
    assert_int_equal(in.errors, 1);
    assert_non_null(strstr(last_error, "没有 .csv 文件"));
    hw_inputs_free(&in);
}

static void test_list(void **state) {
    (void)state;
    folder("d");
    touch("d/1.csv");
    char text[512];
    snprintf(text, sizeof text, "a b.csv\r\n\n   \n%s/d\nlast.csv", root);
    FILE *f = fmemopen(text, strlen(text), "r");
    assert_non_null(f);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    assert_true(hw_inputs_add_list(&in, f));
    fclose(f);
    assert_int_equal(in.n, 3);
    assert_string_equal(in.path[0], "a b.csv");
    assert_non_null(strstr(in.path[1], "/d/1.csv"));
    assert_string_equal(in.path[2], "last.csv");
    hw_inputs_free(&in);
}

static void test_a_file_named_twice_is_read_once(void **state) {
    (void)state;
    folder("d");
    touch("d/1.csv");
    touch("d/2.csv");
    char dir[256], one[256], again[256];
    snprintf(dir, sizeof dir, "%s/d", root);
    snprintf(one, sizeof one, "%s/d/1.csv", root);
    snprintf(again, sizeof again, "%s/d/../d/1.csv", root);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, one);
    hw_inputs_add(&in, dir);
    hw_inputs_add(&in, again);
    hw_inputs_add(&in, "-");
    hw_inputs_add(&in, "-");
    assert_int_equal(in.n, 4);
    assert_string_equal(in.path[0], one);
    assert_non_null(strstr(in.path[1], "/d/2.csv"));
    assert_string_equal(in.path[2], "-");
    assert_int_equal(nerrors, 0);
    hw_inputs_free(&in);
}

/* A district's folder: hundreds of files, each known once however often it
 * is named, past the sizes where the set of files seen grows. */
static void test_many_files_each_read_once(void **state) {
    (void)state;
    enum { N = 300 };
    folder("d");
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/%03d.csv", i);
        touch(name);
    }
    char dir[256], again[256];
    snprintf(dir, sizeof dir, "%s/d", root);
    snprintf(again, sizeof again, "%s/d/../d", root);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, dir);
    hw_inputs_add(&in, again);
    for (int i = N - 1; i >= 0; i--) {
        char p[256];
        snprintf(p, sizeof p, "%s/d/./%03d.csv", root, i);
        hw_inputs_add(&in, p);
    }
    assert_int_equal(in.n, N);
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/%03d.csv", i);
        assert_string_equal(rel(&in, (size_t)i), name);
    }
    assert_int_equal(nerrors, 0);
    hw_inputs_free(&in);
}

/* Writes rel holding n bytes. */
static void write_bytes(const char *rel, size_t n) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('x', f);
    fclose(f);
}

/* Lists args in in, looking them up on jobs threads. */
static void list_args(hw_inputs *in, unsigned jobs, char **args, size_t n) {
    hw_inputs_init(in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    in->jobs = jobs;
    hw_inputs_add_all(in, (const char *const *)args, n);
}

/* Many files are looked up on two threads at once, named one by one and in
 * folders: the list is the one a single thread makes, in the same order,
 * each file once with its own size. */
static void test_many_files_looked_up_on_two_threads(void **state) {
    (void)state;
    enum { N = 400 };
    folder("d");
    folder("e");
    char *args[N + 4];
    size_t n = 0;
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof name, "%c/%03d.csv", i % 2 ? 'd' : 'e', i);
        write_bytes(name, (size_t)i);
        char p[256];
        snprintf(p, sizeof p, "%s/%s", root, name);
        if (i % 3 == 0) /* every third file named one by one, the rest by folder */
            args[n++] = strdup(p);
        if (i == 200) {
            args[n++] = strdup("-");
            args[n++] = strdup("no-such.csv");
            snprintf(p, sizeof p, "%s/d", root);
            args[n++] = strdup(p);
            snprintf(p, sizeof p, "%s/e/", root);
            args[n++] = strdup(p);
        }
    }
    hw_inputs one, two;
    list_args(&one, 1, args, n);
    list_args(&two, 2, args, n);
    assert_int_equal(one.n, N + 2);
    assert_int_equal(two.n, one.n);
    for (size_t i = 0; i < one.n; i++) {
        assert_string_equal(two.path[i], one.path[i]);
        assert_true(two.size[i] == one.size[i]);
        const char *base = strrchr(one.path[i], '/');
        if (base && strcmp(one.path[i], "-") != 0)
            assert_true(one.size[i] == atoi(base + 1)); /* file k holds k bytes */
    }
    assert_int_equal(nerrors, 0);
    hw_inputs_free(&one);
    hw_inputs_free(&two);
    for (size_t i = 0; i < n; i++)
        free(args[i]);
}

/* Each path comes with its size, which the checker groups files by and
 * decides splitting on; -1 for what is not a regular file. */
static void test_sizes_are_kept(void **state) {
    (void)state;
    folder("d");
    touch("d/empty.csv");
    char p[256], dir[256];
    snprintf(p, sizeof p, "%s/d/five.csv", root);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("a,b\n1", f);
    fclose(f);
    snprintf(dir, sizeof dir, "%s/d", root);
    hw_inputs in;
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, "-");
    hw_inputs_add(&in, dir);
    hw_inputs_add(&in, "no-such.csv");
    assert_int_equal(in.n, 4);
    assert_true(in.size[0] == -1);
    assert_non_null(strstr(in.path[1], "/d/empty.csv"));
    assert_true(in.size[1] == 0);
    assert_non_null(strstr(in.path[2], "/d/five.csv"));
    assert_true(in.size[2] == 5);
    assert_true(in.size[3] == -1);
    hw_inputs_free(&in);
    /* Given by name, a file has its size too. */
    hw_inputs_init(&in, HW_LANG_EN, (hw_error_sink){sink, NULL});
    hw_inputs_add(&in, p);
    assert_int_equal(in.n, 1);
    assert_true(in.size[0] == 5);
    hw_inputs_free(&in);
}

static void test_is_csv(void **state) {
    (void)state;
    assert_true(hw_inputs_is_csv("a.csv"));
    assert_true(hw_inputs_is_csv("周报.CsV"));
    assert_false(hw_inputs_is_csv(".csv"));
    assert_false(hw_inputs_is_csv("a.csv.bak"));
    assert_false(hw_inputs_is_csv("acsv"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_order_and_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arguments_keep_their_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_without_csv_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_file_named_twice_is_read_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_files_each_read_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_files_looked_up_on_two_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sizes_are_kept, setup, teardown),
        cmocka_unit_test(test_is_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
