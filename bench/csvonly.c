/* How fast a file's CSV is parsed, with callbacks that only count:
 *   blocks   libcsv alone, fed 256 KiB at a time
 *   lines    libcsv alone, fed one line at a time (as hwcheck feeds it, to
 *            know each row's line)
 *   stage    hwcheck's CSV stage (src/csv.c): plain lines split by its fast
 *            path, the others by libcsv
 *   libcsv   the same stage with the fast path off: every line to libcsv
 * Usage: csvonly FILE [blocks|lines|stage|libcsv] */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw_csv.h"

static size_t fields, rows;

static void on_field(void *s, size_t len, void *data) {
    (void)s;
    (void)len;
    (void)data;
    fields++;
}

static void on_row(int c, void *data) {
    (void)c;
    (void)data;
    rows++;
}

static void on_hw_row(void *ctx, const hw_row *row) {
    (void)ctx;
    fields += row->nfields;
    rows++;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    const char *how = argc > 2 ? argv[2] : "blocks";
    int lines = strcmp(how, "lines") == 0;
    int stage = strcmp(how, "stage") == 0 || strcmp(how, "libcsv") == 0;
    FILE *fp = fopen(argv[1], "rb");
    if (!fp)
        return 1;
    struct csv_parser p;
    csv_init(&p, 0);
    csv_set_blk_size(&p, 4096);
    hw_csv_reader *r = hw_csv_new(on_hw_row, NULL);
    if (!r)
        return 1;
    hw_csv_set_fast(r, strcmp(how, "stage") == 0);
    static char buf[256 * 1024];
    size_t n, total = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        total += n;
        if (stage) {
            hw_csv_feed(r, buf, n);
            continue;
        }
        if (!lines) {
            csv_parse(&p, buf, n, on_field, on_row, NULL);
            continue;
        }
        for (size_t i = 0; i < n;) {
            const char *lf = memchr(buf + i, '\n', n - i);
            size_t seg = lf ? (size_t)(lf - (buf + i)) + 1 : n - i;
            csv_parse(&p, buf + i, seg, on_field, on_row, NULL);
            i += seg;
        }
    }
    if (stage)
        hw_csv_finish(r);
    else
        csv_fini(&p, on_field, on_row, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%s: %zu rows, %.1f MB in %.3f s: %.0f MB/s\n", how, rows, (double)total / 1e6, s,
           (double)total / 1e6 / s);
    csv_free(&p);
    hw_csv_free(r);
    fclose(fp);
    return 0;
}
