/* Generates realistic homework-register exports for the benchmark.
 *
 * The output is deterministic for a given set of options. Rows come class by
 * class within each week (Monday to Friday, 3 to 5 subjects a day), as a
 * district register exports them: a school, a Chinese class name that states
 * its grade, a plain grade number, an ISO date, a subject, plain minutes, a
 * type word and a quoted title with commas. Plain minutes and ISO dates let
 * DuckDB read the same file hwcheck reads.
 *
 *   gen -o FILE   [--rows N] [--classes N] [--weeks N] [--breach P] [--gbk P] [--seed N]
 *                 [--order class|date|day|random]
 *   gen -d DIR    --files N ...   one file per class, a share P of them in GBK
 *
 * --order: rows class by class within each week (the default, as above),
 * date by date (every class's rows of a Monday, then of the Tuesday, ...),
 * date by date with each day's rows shuffled (as teachers enter a day's
 * homework, each class when it suits them), or shuffled, as a register
 * sorted by something else (a teacher, a subject) would come; the rows
 * themselves are the same.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *out;
    const char *dir;
    long rows;    /* stop after this many data rows (0: all weeks) */
    long classes; /* number of classes */
    long weeks;   /* 0: as many as rows needs */
    long files;   /* -d: number of class files */
    double breach;
    double gbk;
    uint64_t seed;
    const char *order; /* "class", "date" or "random" */
} options;

static uint64_t rng_state;

static uint64_t rnd(void) {
    /* splitmix64: small, fast and the same everywhere */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static unsigned below(unsigned n) {
    return (unsigned)(rnd() % n);
}

static double unit(void) {
    return (double)(rnd() >> 11) / (double)(UINT64_C(1) << 53);
}

static const char *const numeral[] = {"",   "一", "二", "三", "四",   "五",  "六",
                                      "七", "八", "九", "十", "十一", "十二"};
static const char *const junior[] = {"初一", "初二", "初三"};
static const char *const senior[] = {"高一", "高二", "高三"};
static const char *const district[] = {"海淀", "朝阳", "东城", "西城", "丰台", "石景山",
                                       "通州", "顺义", "昌平", "大兴", "房山", "门头沟"};
static const char *const subj_primary[] = {"语文", "数学", "英语", "科学", "道法"};
static const char *const subj_junior[] = {"语文", "数学", "英语", "物理",
                                          "历史", "地理", "生物", "道法"};
static const char *const verbs[] = {"完成", "订正", "背诵", "预习", "复习", "抄写", "默写"};
static const char *const things[] = {"练习册", "课时作业", "课本", "同步训练", "学案", "试卷"};
static const char *const not_written[] = {"口头", "阅读", "实践", "体育"};

/* One class: its school, name and grade. */
typedef struct {
    char school[64];
    char name[64];
    int grade;
} klass;

static void make_class(klass *k, long i) {
    /* 1 in 3 schools is a junior middle school (grades 7-9), some have a
     * senior section (10-12); primary schools have grades 1-6. */
    long school = i / 48;
    long in_school = i % 48;
    int junior_school = school % 3 == 2;
    snprintf(k->school, sizeof k->school, "%s%ld%s", district[school % 12], school / 12 + 1,
             junior_school ? "中" : "小");
    if (junior_school) {
        int g = (int)(in_school / 12); /* 0..3 */
        int n = (int)(in_school % 12) + 1;
        if (g < 3) {
            k->grade = 7 + g;
            snprintf(k->name, sizeof k->name, "%s(%d)班", junior[g], n);
        } else {
            k->grade = 10 + n % 3;
            snprintf(k->name, sizeof k->name, "%s(%d)班", senior[n % 3], n);
        }
    } else {
        int g = (int)(in_school / 8) + 1; /* 1..6 */
        int n = (int)(in_school % 8) + 1;
        k->grade = g;
        snprintf(k->name, sizeof k->name, "%s年级(%d)班", numeral[g], n);
    }
}

/* Days since 1970-01-01 of y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

typedef struct {
    FILE *fp;
    iconv_t cd; /* (iconv_t)-1: UTF-8 */
    char line[1024];
    /* --order date or random: rows are held, with their dates, and written
     * in that order when the sink is closed */
    int hold;
    char *text;
    size_t len, cap;
    size_t *start;
    long *date;
    size_t nrows, caprows;
    long row_date; /* the date of the rows put now */
} sink;

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return p;
    while (*cap < need)
        *cap = *cap ? *cap * 2 : 4096;
    p = realloc(p, *cap * size);
    if (!p) {
        fputs("gen: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* Holds a data row (UTF-8 output only). */
static void hold_row(sink *s, const char *text) {
    size_t n = strlen(text);
    s->text = grow(s->text, &s->cap, s->len + n, 1);
    size_t caprows = s->caprows;
    s->start = grow(s->start, &s->caprows, s->nrows + 1, sizeof *s->start);
    s->caprows = caprows;
    s->date = grow(s->date, &s->caprows, s->nrows + 1, sizeof *s->date);
    memcpy(s->text + s->len, text, n);
    s->start[s->nrows] = s->len;
    s->date[s->nrows] = s->row_date;
    s->len += n;
    s->nrows++;
}

static void put(sink *s, const char *text) {
    if (s->hold) {
        hold_row(s, text);
        return;
    }
    if (s->cd == (iconv_t)-1) {
        fputs(text, s->fp);
        return;
    }
    char out[2048];
    char *in = (char *)text, *o = out;
    size_t inleft = strlen(text), oleft = sizeof out;
    if (iconv(s->cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        fprintf(stderr, "gen: iconv: %s\n", strerror(errno));
        exit(1);
    }
    fwrite(out, 1, (size_t)(o - out), s->fp);
}

static void header(sink *s) {
    put(s, "学校,班级,年级,日期,科目,预计时长,作业类型,作业内容\n");
}

/* Minutes of one written item: normal days stay within the cap, breach days
 * go over it. */
static void day_plan(int grade, int breach, int nsub, int *minutes, int *written) {
    int cap = grade <= 2 ? 0 : grade <= 4 ? 30 : grade <= 6 ? 60 : grade <= 9 ? 90 : 120;
    for (int i = 0; i < nsub; i++)
        written[i] = 1;
    if (grade <= 2) {
        /* no written homework at all, unless this is a breach day */
        for (int i = 0; i < nsub; i++) {
            written[i] = 0;
            minutes[i] = 10 + 5 * (int)below(3);
        }
        if (breach)
            written[below((unsigned)nsub)] = 1;
        return;
    }
    int budget = breach ? cap + 5 + 5 * (int)below(8) : cap - 5 * (int)below(4);
    /* one in five items is not written (reading, oral): it makes the date
     * appear but adds nothing */
    int nwritten = 0;
    for (int i = 0; i < nsub; i++) {
        if (i > 0 && below(5) == 0)
            written[i] = 0;
        nwritten += written[i];
    }
    int left = budget;
    for (int i = 0; i < nsub; i++) {
        if (!written[i]) {
            minutes[i] = 20 + 10 * (int)below(3);
            continue;
        }
        nwritten--;
        minutes[i] = nwritten ? left / (nwritten + 1) : left;
        left -= minutes[i];
    }
}

static void title(char *out, size_t cap) {
    unsigned k = below(10);
    if (k == 0)
        snprintf(out, cap, "\"%s\"\"%s\"\"P%u,%u-%u题\"", verbs[below(7)], things[below(6)],
                 1 + below(120), 1 + below(5), 6 + below(5));
    else
        snprintf(out, cap, "\"%sP%u,%u-%u题\"", things[below(6)], 1 + below(120), 1 + below(5),
                 6 + below(5));
}

static long emit_week(sink *s, const klass *k, long monday, double breach_share, long limit,
                      long done) {
    long n = 0;
    /* grades 7-9: the whole week breaches or not (the rule is the weekly average) */
    int week_breach = unit() < breach_share;
    for (int wd = 0; wd < 5; wd++) {
        if (limit && done + n >= limit)
            break;
        int y, m, d;
        civil_from_days(monday + wd, &y, &m, &d);
        s->row_date = monday + wd;
        int nsub = 3 + (int)below(3);
        int minutes[8], written[8];
        int breach = k->grade >= 7 && k->grade <= 9 ? week_breach : unit() < breach_share;
        day_plan(k->grade, breach, nsub, minutes, written);
        const char *const *subj = k->grade >= 7 ? subj_junior : subj_primary;
        unsigned nsubj = k->grade >= 7 ? 8 : 5;
        unsigned first = below(nsubj);
        for (int i = 0; i < nsub; i++) {
            if (limit && done + n >= limit)
                break;
            char t[256];
            title(t, sizeof t);
            const char *type = written[i] ? "书面" : not_written[below(4)];
            snprintf(s->line, sizeof s->line, "%s,%s,%d,%04d-%02d-%02d,%s,%d,%s,%s\n", k->school,
                     k->name, k->grade, y, m, d, subj[(first + (unsigned)i) % nsubj], minutes[i],
                     type, t);
            put(s, s->line);
            n++;
        }
    }
    return n;
}

static int usage(void) {
    fputs("usage: gen -o FILE|-d DIR [--rows N] [--classes N] [--weeks N] [--files N]\n"
          "           [--breach P] [--gbk P] [--seed N] [--order class|date|day|random]\n",
          stderr);
    return 2;
}

static int open_sink(sink *s, const char *path, int gbk) {
    memset(s, 0, sizeof *s);
    s->fp = fopen(path, "wb");
    if (!s->fp) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    static char buf[1 << 20];
    setvbuf(s->fp, buf, _IOFBF, sizeof buf);
    s->cd = gbk ? iconv_open("GB18030", "UTF-8") : (iconv_t)-1;
    return 0;
}

/* Shuffles idx[0..n) (Fisher-Yates, with the generator's own numbers). */
static void shuffle(size_t *idx, size_t n) {
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rnd() % i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

/* Writes the rows held, by date (stable, or shuffled within each date) or
 * shuffled. */
static void write_held(sink *s, const char *order) {
    size_t n = s->nrows;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx) {
        fputs("gen: out of memory\n", stderr);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if (strcmp(order, "random") == 0) {
        shuffle(idx, n);
    } else if (n) {
        /* counting sort by date keeps each date's rows in class order */
        long lo = s->date[0], hi = s->date[0];
        for (size_t i = 0; i < n; i++) {
            lo = s->date[i] < lo ? s->date[i] : lo;
            hi = s->date[i] > hi ? s->date[i] : hi;
        }
        size_t span = (size_t)(hi - lo) + 2;
        size_t *at = calloc(span, sizeof *at);
        if (!at) {
            fputs("gen: out of memory\n", stderr);
            exit(1);
        }
        for (size_t i = 0; i < n; i++)
            at[s->date[i] - lo + 1]++;
        for (size_t k = 1; k < span; k++)
            at[k] += at[k - 1];
        for (size_t i = 0; i < n; i++)
            idx[at[s->date[i] - lo]++] = i;
        /* at[k] is now where date lo + k ends */
        for (size_t k = 0; strcmp(order, "day") == 0 && k + 1 < span; k++)
            shuffle(idx + (k ? at[k - 1] : 0), at[k] - (k ? at[k - 1] : 0));
        free(at);
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = idx[i];
        size_t end = r + 1 < n ? s->start[r + 1] : s->len;
        fwrite(s->text + s->start[r], 1, end - s->start[r], s->fp);
    }
    free(idx);
}

static int close_sink(sink *s, const char *order) {
    if (s->hold)
        write_held(s, order);
    free(s->text);
    free(s->start);
    free(s->date);
    if (s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    return fclose(s->fp);
}

int main(int argc, char **argv) {
    options o = {NULL, NULL, 0, 35000, 0, 0, 0.05, 0.0, 1, "class"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        if (strcmp(a, "-o") == 0)
            o.out = v;
        else if (strcmp(a, "-d") == 0)
            o.dir = v;
        else if (strcmp(a, "--rows") == 0)
            o.rows = atol(v);
        else if (strcmp(a, "--classes") == 0)
            o.classes = atol(v);
        else if (strcmp(a, "--weeks") == 0)
            o.weeks = atol(v);
        else if (strcmp(a, "--files") == 0)
            o.files = atol(v);
        else if (strcmp(a, "--breach") == 0)
            o.breach = atof(v);
        else if (strcmp(a, "--gbk") == 0)
            o.gbk = atof(v);
        else if (strcmp(a, "--seed") == 0)
            o.seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--order") == 0)
            o.order = v;
        else
            return usage();
        i++;
    }
    if ((!o.out) == (!o.dir) || o.classes <= 0)
        return usage();
    if (strcmp(o.order, "class") != 0 && strcmp(o.order, "date") != 0 &&
        strcmp(o.order, "day") != 0 && strcmp(o.order, "random") != 0)
        return usage();
    rng_state = o.seed;
    long monday = days_from_civil(2026, 9, 7); /* the first Monday of the school year */
    if (o.weeks <= 0)
        o.weeks = o.rows > 0 ? (o.rows + o.classes * 20 - 1) / (o.classes * 20) + 1 : 1;

    if (o.out) {
        sink s;
        if (open_sink(&s, o.out, o.gbk >= 0.5) != 0)
            return 1;
        header(&s);
        /* rows to reorder are held as UTF-8 (the header is written already) */
        s.hold = strcmp(o.order, "class") != 0 && s.cd == (iconv_t)-1;
        long done = 0;
        for (long w = 0; w < o.weeks && (!o.rows || done < o.rows); w++) {
            for (long c = 0; c < o.classes && (!o.rows || done < o.rows); c++) {
                klass k;
                make_class(&k, c);
                done += emit_week(&s, &k, monday + 7 * w, o.breach, o.rows, done);
            }
        }
        if (close_sink(&s, o.order) != 0) {
            fprintf(stderr, "gen: %s: write error\n", o.out);
            return 1;
        }
        return 0;
    }

    /* -d: one file per class, whole weeks */
    if (o.files <= 0)
        return usage();
    mkdir(o.dir, 0777);
    for (long f = 0; f < o.files; f++) {
        klass k;
        make_class(&k, f);
        int gbk = unit() < o.gbk;
        char path[4096];
        snprintf(path, sizeof path, "%s/%05ld-%s.csv", o.dir, f, gbk ? "gbk" : "utf8");
        sink s;
        if (open_sink(&s, path, gbk) != 0)
            return 1;
        header(&s);
        for (long w = 0; w < o.weeks; w++)
            emit_week(&s, &k, monday + 7 * w, o.breach, 0, 0);
        if (close_sink(&s, o.order) != 0) {
            fprintf(stderr, "gen: %s: write error\n", path);
            return 1;
        }
    }
    return 0;
}
