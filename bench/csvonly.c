/* How fast libcsv alone parses a file, fed in 256 KiB blocks or one line
 * at a time (as hwcheck feeds it, to know each row's line), with callbacks
 * that only count: the floor under hwcheck's CSV stage.
 * Usage: csvonly FILE [lines] */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int lines = argc > 2 && strcmp(argv[2], "lines") == 0;
    FILE *fp = fopen(argv[1], "rb");
    if (!fp)
        return 1;
    struct csv_parser p;
    csv_init(&p, 0);
    csv_set_blk_size(&p, 4096);
    static char buf[256 * 1024];
    size_t n, total = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        total += n;
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
    csv_fini(&p, on_field, on_row, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%s: %zu rows, %.1f MB in %.3f s: %.0f MB/s\n", lines ? "line by line" : "blocks", rows,
           (double)total / 1e6, s, (double)total / 1e6 / s);
    csv_free(&p);
    fclose(fp);
    return 0;
}
