/* hw_check_files: the pipeline on several threads. Files, and the parts of a
 * large file (see check_large), are read by worker threads into totals of
 * their own, with their input errors held, and merged in input order (the parts by the calling
 * thread, groups of files by the worker that finds the next one read), so
 * the totals and the errors are those of reading everything in order. A
 * share whose grades do not agree with what was read before it is read
 * again, in order, by the merging thread (see hw_check.speculative). The
 * class-days kept apart (rows out of date order, and merged class-days that
 * wait) are settled once at the end, on all threads (hw_totals_settle). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "hw_check.h"
#include "hw_inputs.h"
#include "hw_pool.h"
#include "hw_split.h"
#include "hw_util.h"

/* A file is split into parts of about this size when it has at least two.
 * A part holds a table of the classes it meets: in a register whose rows
 * come in no order of classes, a part meets a class every row or two, and
 * a part of 1 MiB keeps its table near the size of a core's L2 cache, where
 * one of 8 MiB made every row's lookup a miss into the L3. */
#define PART_SIZE ((size_t)1024 * 1024)
/* Standard input opened again, by each part of it (see stdin_size). */
#define STDIN_PATH "/dev/stdin"
/* Buffer for scanning a range. */
#define SCAN_BUF ((size_t)256 * 1024)

/* ------------------------------------------------------------ held errors */

typedef struct {
    hw_input_error *e;
    size_t n, cap;
} held_errors;

static char *dup_or_null(const char *s, size_t len) {
    return s ? hw_xstrndup(s, len) : NULL;
}

static void hold_error(void *ctx, const hw_input_error *e) {
    held_errors *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 16;
        h->e = hw_xreallocarray(h->e, h->cap, sizeof *h->e);
    }
    hw_input_error *d = &h->e[h->n++];
    *d = *e;
    d->file = dup_or_null(e->file, e->file ? strlen(e->file) : 0);
    d->header = dup_or_null(e->header, e->header ? strlen(e->header) : 0);
    d->value = dup_or_null(e->value, e->value_len);
    d->message = dup_or_null(e->message, e->message ? strlen(e->message) : 0);
}

static void held_free(held_errors *h) {
    for (size_t i = 0; i < h->n; i++) {
        free((char *)h->e[i].file);
        free((char *)h->e[i].header);
        free((char *)h->e[i].value);
        free((char *)h->e[i].message);
    }
    free(h->e);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------ shares */

/* The most classes, and bytes of their names, that a part of a file has
 * held so far: the parts after it make room for as many at once, instead
 * of growing their tables (and copying them) a doubling at a time. */
typedef struct {
    atomic_size_t classes, key_bytes;
} class_hint;

/* Raises *h from seen (what was read of it) to now, unless it is higher. */
static void raise_hint(atomic_size_t *h, size_t seen, size_t now) {
    while (seen < now && !atomic_compare_exchange_weak_explicit(h, &seen, now, memory_order_relaxed,
                                                                memory_order_relaxed))
        ;
}

/* One thread's share: a group of files or a part of one, read ahead. */
typedef struct {
    const char *path;
    hw_part part;
    class_hint *hint; /* the parts of one file share one */
    hw_check local;
    held_errors held;
    hw_part_status status;
    unsigned long next_line;
} share;

static void share_init(share *s, const hw_check *c, const char *path) {
    memset(s, 0, sizeof *s);
    s->path = path;
    hw_check_opts o = c->opts;
    o.sink = (hw_error_sink){hold_error, &s->held};
    o.jobs = 1;
    o.progress = NULL; /* the progress line is drawn by the merging thread only */
    hw_check_init(&s->local, &o);
    s->local.speculative = true;
    s->local.totals.merge_only = true; /* settled by the reading thread */
}

static void share_free(share *s) {
    hw_check_free(&s->local);
    held_free(&s->held);
}

/* Adds a share read ahead to c, its files as file numbers file on, moving
 * its lines by line_offset; false, with c unchanged, when the share does not
 * agree with what c holds on a grade (it is read again then). */
static bool merge_share(hw_check *c, share *s, uint32_t file, unsigned long line_offset) {
    if (!hw_totals_merge(&c->totals, &s->local.totals, file, line_offset))
        return false;
    size_t k = 0; /* the next of the share's grade conflicts */
    for (size_t i = 0; i < s->held.n; i++) {
        hw_input_error e = s->held.e[i];
        if (e.line)
            e.line += line_offset;
        c->errors++;
        if (k < s->local.nconflicts && s->local.conflict[k].error == i)
            hw_check_report_conflict(c, &s->local, file, &s->local.conflict[k++], &e);
        else
            c->opts.sink.report(c->opts.sink.ctx, &e);
    }
    c->rows += s->local.rows;
    c->bad_rows += s->local.bad_rows;
    return true;
}

/* ------------------------------------------------------------ many files */

/* Files are handed to the threads a group at a time, each group read into
 * totals of its own and merged once: a class's weekly file reads in a tenth
 * of a millisecond, about what it costs to wake a thread or merge totals.
 * Groups hold about equal bytes, GROUPS_PER_THREAD a thread, and get
 * smaller towards the end, so that the threads finish together. */
#define GROUPS_PER_THREAD 16

typedef struct {
    hw_check *c;
    const char *const *paths;
    share *s;
    size_t *first; /* group g is files first[g] to first[g + 1] */
    size_t ngroups;
    hw_pool *pool;
    /* Groups are merged into c in order by the thread that reads them: the
     * one that finds the next group to merge read, and no thread merging,
     * merges it and every group read after it. */
    pthread_mutex_t mu;
    bool *read;    /* group g is read */
    size_t merged; /* groups 0 to merged - 1 are in c */
    bool merging;  /* a thread is merging */
} batch;

/* Adds group g, read ahead, to c; reads its files again in order when its
 * grades do not agree with what c holds. Frees its share. */
static void merge_group(batch *b, size_t g) {
    hw_check *c = b->c;
    share *s = &b->s[g];
    size_t nfiles = b->first[g + 1] - b->first[g];
    if (s->local.files == nfiles && merge_share(c, s, c->totals.nfiles, 0)) {
        for (size_t k = 0; k < nfiles; k++)
            hw_totals_add_file(&c->totals, s->local.totals.file[k]);
        c->files += nfiles;
        if (c->opts.progress)
            hw_progress_update(c->opts.progress, c->totals.nfiles, c->rows);
    } else {
        for (size_t i = b->first[g]; i < b->first[g + 1]; i++)
            hw_check_file(c, b->paths[i]);
    }
    share_free(s);
}

static void run_group(void *ctx, size_t g) {
    batch *b = ctx;
    share *s = &b->s[g];
    share_init(s, b->c, NULL);
    for (size_t i = b->first[g]; i < b->first[g + 1]; i++)
        hw_check_file(&s->local, b->paths[i]);
    hw_totals_settle(&s->local.totals);
    /* Merged here, not by the calling thread: waking it for each group cost
     * as much as merging the group. The check that ends the merging and
     * the clearing of merging are one step, so no group read is left. */
    pthread_mutex_lock(&b->mu);
    b->read[g] = true;
    if (!b->merging) {
        b->merging = true;
        while (b->merged < b->ngroups && b->read[b->merged]) {
            size_t k = b->merged;
            pthread_mutex_unlock(&b->mu);
            merge_group(b, k);
            hw_pool_release(b->pool, k); /* the threads may read further ahead */
            pthread_mutex_lock(&b->mu);
            b->merged = k + 1;
        }
        b->merging = false;
    }
    pthread_mutex_unlock(&b->mu);
}

/* What a file weighs in a group: its bytes, at least 1 (an empty file, or
 * one that is not a regular file, still takes a turn). */
static long long weight(long long size) {
    return size > 0 ? size : 1;
}

/* Cuts n files of the given sizes, of total weight left, into groups (see
 * GROUPS_PER_THREAD): fills first and returns the number of groups. */
static size_t make_groups(const long long *sizes, size_t n, long long left, unsigned jobs,
                          size_t *first) {
    long long most = left / (jobs * GROUPS_PER_THREAD);
    size_t g = 0, i = 0;
    while (i < n) {
        long long want = left / (jobs * 4);
        if (want > most)
            want = most;
        long long got = 0;
        first[g++] = i;
        do {
            got += weight(sizes[i]);
        } while (++i < n && got < want);
        left -= got;
    }
    first[g] = n;
    return g;
}

/* Bytes per row that totals are first sized for: registers run at
 * 60 to 120 bytes a row, and a class has a few rows a day. */
#define ROW_BYTES_GUESS 64
#define DAY_BYTES_GUESS 256

/* Bytes of files read together that the merged totals are sized for ahead:
 * beyond that they grow as they fill. */
#define BATCH_RESERVE_BYTES (256LL << 20)

static void check_batch(hw_check *c, const char *const *paths, const long long *sizes, size_t n) {
    if (n == 1) {
        hw_check_file(c, paths[0]);
        return;
    }
    long long total = 0;
    for (size_t i = 0; i < n; i++)
        total += weight(sizes[i]);
    /* Sized once, not grown (and copied) as each file's totals come in. */
    long long bytes = total < BATCH_RESERVE_BYTES ? total : BATCH_RESERVE_BYTES;
    hw_totals_reserve(&c->totals, c->totals.nrows + (size_t)(bytes / ROW_BYTES_GUESS),
                      c->totals.ndays + c->totals.npend + (size_t)(bytes / DAY_BYTES_GUESS));
    size_t *first = hw_xcalloc(n + 1, sizeof *first);
    size_t ngroups = make_groups(sizes, n, total, c->opts.jobs, first);
    share *s = hw_xcalloc(ngroups, sizeof *s);
    hw_pool p;
    batch b = {c,
               paths,
               s,
               first,
               ngroups,
               &p,
               PTHREAD_MUTEX_INITIALIZER,
               hw_xcalloc(ngroups, sizeof *b.read),
               0,
               false};
    /* This thread reads groups too. Every group has started once the last
     * is done; the threads end when the groups are merged. */
    hw_pool_start(&p, ngroups, c->opts.jobs - 1, (size_t)c->opts.jobs * 4, run_group, &b);
    hw_pool_help(&p, ngroups - 1);
    hw_pool_end(&p);
    pthread_mutex_destroy(&b.mu);
    free(b.read);
    free(first);
    free(s);
}

/* ------------------------------------------------------------ one large file */

typedef struct {
    hw_split_range *range;
    int fd;
    long long size;
    bool check_utf8;
} scan_job;

static void run_scan(void *ctx, size_t i) {
    scan_job *j = ctx;
    unsigned char *buf = hw_xmalloc(SCAN_BUF);
    hw_split_scan_fd(&j->range[i], j->fd, j->size, j->check_utf8, buf, SCAN_BUF);
    free(buf);
}

static void run_part(void *ctx, size_t i) {
    share *s = &((share *)ctx)[i];
    if (s->part.end > s->part.start) { /* the last part runs to the end of the file */
        long long bytes = s->part.end - s->part.start;
        hw_totals_reserve(&s->local.totals, (size_t)(bytes / ROW_BYTES_GUESS),
                          (size_t)(bytes / DAY_BYTES_GUESS));
    }
    size_t classes = atomic_load_explicit(&s->hint->classes, memory_order_relaxed);
    size_t key_bytes = atomic_load_explicit(&s->hint->key_bytes, memory_order_relaxed);
    hw_totals_reserve_classes(&s->local.totals, classes + classes / 4, key_bytes + key_bytes / 4);
    s->status = hw_check_part(&s->local, s->path, 0, &s->part, &s->next_line);
    const hw_totals *t = &s->local.totals;
    raise_hint(&s->hint->classes, classes, t->nclasses);
    raise_hint(&s->hint->key_bytes, key_bytes, t->nckey);
    /* A part whose rows come in no class order holds about a class-day a row:
     * settled here, few would become one; the final settle does it once. */
    if (!t->unsettled || (uint64_t)t->ndays * 2 < (uint64_t)t->nrows)
        hw_totals_settle(&s->local.totals);
}

/* Parts of about part_size in bytes from to size. */
static size_t count_parts(long long from, long long size, size_t part_size) {
    return (size_t)((size - from + (long long)part_size - 1) / (long long)part_size);
}

/* Finds the parts of bytes from to size of an open regular file (from
 * starts a row); returns their number (0: read them in order), decides *enc
 * and sets *valid_utf8 when it checked that they are valid UTF-8. Where they
 * are not, the encoding is the whole file's (hw_check_guess_encoding). */
static size_t find_parts(hw_check *c, int fd, long long from, long long size, size_t part_size,
                         hw_encoding *enc, bool *valid_utf8, long long **starts) {
    size_t n = count_parts(from, size, part_size);
    if (n == 0)
        return 0;
    hw_split_range *range = hw_xcalloc(n, sizeof *range);
    for (size_t i = 0; i < n; i++)
        hw_split_range_init(&range[i], from + (long long)(i * part_size),
                            i + 1 < n ? from + (long long)((i + 1) * part_size) : size);
    /* UTF-8, guessed or given, is checked: valid, the parts need not decode it. */
    scan_job job = {range, fd, size, *enc == HW_ENC_AUTO || *enc == HW_ENC_UTF8};
    hw_pool p;
    size_t parts = 0;
    /* This thread scans too. */
    hw_pool_start(&p, n, c->opts.jobs - 1, n, run_scan, &job);
    bool ok = true, utf8 = true;
    for (size_t i = 0; i < n; i++) {
        hw_pool_help(&p, i);
        ok = ok && !range[i].failed;
        utf8 = utf8 && range[i].utf8;
    }
    hw_pool_end(&p);
    if (ok && *enc == HW_ENC_AUTO) {
        /* Valid UTF-8 throughout is UTF-8. Anything else (GBK, UTF-8 with
         * stray bytes, a download cut inside a character) is decided as
         * one thread decides, by the prescan, which stops early on GBK. */
        bool valid = true;
        *enc = utf8 ? HW_ENC_UTF8 : hw_check_guess_encoding(fd, &valid);
        *valid_utf8 = utf8 && valid;
        ok = *enc != HW_ENC_AUTO;
    } else if (ok && *enc == HW_ENC_UTF8) {
        *valid_utf8 = utf8;
    }
    if (ok) {
        *starts = hw_xcalloc(n, sizeof **starts);
        parts = hw_split_starts(range, n, *starts);
    }
    free(range);
    return parts;
}

/* Bytes looked at after a cut for the line end that a guessed part starts
 * at: a row is a hundred bytes or so. */
#define GUESS_WINDOW ((size_t)4096)

/* Parts of a file guessed without reading it: each starts at the first line
 * end after a cut, as if the cut fell outside quotes. Each guess is checked
 * by the part before it (hw_csv_between_rows at its end). Returns their
 * number in *starts. */
static size_t guess_parts(int fd, long long size, size_t part_size, long long **starts) {
    size_t n = count_parts(0, size, part_size);
    *starts = hw_xcalloc(n ? n : 1, sizeof **starts);
    unsigned char *buf = hw_xmalloc(GUESS_WINDOW);
    size_t parts = 1; /* starts[0] is 0 */
    for (size_t k = 1; k < n; k++) {
        long long cut = (long long)(k * part_size);
        hw_split_range r;
        hw_split_range_init(
            &r, cut, size - cut > (long long)GUESS_WINDOW ? cut + (long long)GUESS_WINDOW : size);
        hw_split_scan_fd(&r, fd, size, false, buf, GUESS_WINDOW);
        long long at = r.after_lf[0] >= 0 ? r.after_lf[0] : r.after_cr[0];
        if (!r.failed && at > (*starts)[parts - 1] && at < size)
            (*starts)[parts++] = at;
    }
    free(buf);
    return parts;
}

/* Reads parts starts[0..n) of the file at path (file number file in c, the
 * parts' input errors naming it name) on the threads, each merged into c in
 * order; *line is the line of starts[0] and moves on as they merge. Returns
 * the first part that could not be read as a part (neither it nor those
 * after it are merged), or n. */
static size_t read_parts(hw_check *c, const char *path, const char *name, uint32_t file,
                         const long long *starts, size_t n, hw_encoding enc, bool valid,
                         bool check_utf8, long long size, unsigned long *line) {
    share *s = hw_xcalloc(n, sizeof *s);
    class_hint hint = {0, 0};
    for (size_t i = 0; i < n; i++) {
        share_init(&s[i], c, path);
        s[i].hint = &hint;
        hw_totals_add_file(&s[i].local.totals, name);
        s[i].part = (hw_part){starts[i], i + 1 < n ? starts[i + 1] : -1, 1, enc, valid, check_utf8};
    }
    hw_pool p;
    bool threads = hw_pool_start(&p, n, c->opts.jobs, (size_t)c->opts.jobs * 4, run_part, s);
    size_t i = 0;
    for (; i < n; i++) {
        if (threads)
            hw_pool_take(&p, i);
        if (!threads || s[i].status != HW_PART_OK) {
            if (threads)
                hw_pool_cancel(&p);
            for (size_t k = i; k < n; k++) {
                if (threads && k > i)
                    hw_pool_take(&p, k);
                share_free(&s[k]);
            }
            break;
        }
        if (merge_share(c, &s[i], file, *line - 1)) {
            *line += s[i].next_line - 1;
            if (i == 0 && n > 1) {
                /* The rest holds about as many rows a byte. */
                const hw_totals *t = &s[0].local.totals;
                double more = (double)(size - starts[1]) / (double)(starts[1] - starts[0]) * 1.05;
                hw_totals_reserve(&c->totals, c->totals.nrows + (size_t)(t->nrows * more),
                                  c->totals.ndays + c->totals.npend + (size_t)(t->ndays * more));
            }
            if (c->opts.progress)
                hw_progress_update(c->opts.progress, c->totals.nfiles, c->rows);
        } else {
            /* grades that disagree with the parts before: read again in order */
            hw_part part = {starts[i], i + 1 < n ? starts[i + 1] : -1, *line, enc, valid, false};
            hw_check_part(c, path, file, &part, line);
        }
        share_free(&s[i]);
    }
    hw_pool_end(&p); /* also when no thread started: the pool holds memory */
    free(s);
    return i;
}

/* Whether a file whose first bytes are head may be read in guessed parts
 * (see check_large): UTF-8, guessed or given, with nothing read before it
 * that a wrong guess would take back. */
static bool may_guess(const hw_check *c, const unsigned char *head, size_t n) {
    if (c->files || c->rows || c->errors || c->totals.nfiles)
        return false;
    if (c->opts.encoding != HW_ENC_AUTO && c->opts.encoding != HW_ENC_UTF8)
        return false;
    hw_utf8_check chk;
    hw_utf8_check_init(&chk);
    return hw_utf8_check_feed(&chk, head, n); /* a character cut at n is fine */
}

/* Input errors of guessed parts, held until the file's encoding is certain
 * (they are taken back with the parts if it is GB18030 after all). Past
 * HELD_MOST of them the encoding is made certain by reading the whole file
 * (hw_check_guess_encoding), so that a file with an error in every row
 * holds no more than that. */
#define HELD_MOST 10000

typedef struct {
    held_errors held;
    hw_error_sink sink; /* where they go once certain */
    int fd;
    enum { UNSURE, UTF8, NOT_UTF8 } known;
} guess_errors;

static void guess_error(void *ctx, const hw_input_error *e) {
    guess_errors *g = ctx;
    if (g->known == UNSURE && g->held.n == HELD_MOST) {
        bool valid = false;
        hw_encoding enc = hw_check_guess_encoding(g->fd, &valid);
        g->known = enc == HW_ENC_UTF8 ? UTF8 : NOT_UTF8;
        for (size_t i = 0; g->known == UTF8 && i < g->held.n; i++)
            g->sink.report(g->sink.ctx, &g->held.e[i]);
        held_free(&g->held);
    }
    if (g->known == UNSURE)
        hold_error(&g->held, e);
    else if (g->known == UTF8)
        g->sink.report(g->sink.ctx, e);
    /* NOT_UTF8: what the guessed parts read is to be taken back */
}

/* A large file, read in parts at once. The first file of a run that starts
 * as UTF-8 is read in guessed parts (guess_parts), each checking that its
 * bytes are valid UTF-8 as it reads them: the file is read once. Where a
 * guess fails (a cut inside a quoted line break, a byte that is not UTF-8,
 * a header row again), the rest is split by the scan of its bytes (quotes
 * counted, UTF-8 checked), as any other large file is; if that finds the
 * file is GB18030 after all, what the guessed parts read is taken back and
 * the file read again. Input errors wait until the file's encoding is
 * certain. arg is the file as given: "-" for standard input that is a
 * regular file from its start (hwcheck < register.csv), which the parts
 * open again as STDIN_PATH and which is left read to its end. */
static void check_large(hw_check *c, const char *arg, size_t part_size) {
    bool is_stdin = strcmp(arg, "-") == 0;
    const char *path = is_stdin ? STDIN_PATH : arg;
    const char *name = is_stdin ? "<stdin>" : arg; /* as hw_check_file names it */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    unsigned char head[512];
    ssize_t got = fd < 0 || fstat(fd, &st) != 0 ? -1 : pread(fd, head, sizeof head, 0);
    /* What is not plain text (a workbook, UTF-16, a binary file with NUL
     * bytes) is left to hw_check_file, which says what it is. */
    if (got <= 0 || hw_sniff_bytes(head, (size_t)got) != HW_SNIFF_TEXT ||
        memchr(head, 0, (size_t)got)) {
        if (fd >= 0)
            close(fd);
        hw_check_file(c, arg);
        return;
    }
    long long size = (long long)st.st_size;
    hw_check_opts opts = c->opts;
    uint32_t file = HW_NONE; /* registered in c */
    unsigned long line = 1;  /* the line at from */
    long long from = 0;      /* what the guessed parts did not read */
    guess_errors waiting = {{0}, opts.sink, fd, UNSURE};
    if (may_guess(c, head, (size_t)got)) {
        long long *guess = NULL;
        size_t n = guess_parts(fd, size, part_size, &guess);
        if (n >= 2) {
            file = hw_totals_add_file(&c->totals, name);
            c->files++;
            c->opts.sink = (hw_error_sink){guess_error, &waiting};
            size_t i =
                read_parts(c, path, name, file, guess, n, HW_ENC_UTF8, true, true, size, &line);
            c->opts.sink = opts.sink;
            from = i < n ? guess[i] : size;
        }
        free(guess);
    }
    hw_encoding enc = c->opts.encoding;
    bool valid = false;
    long long *starts = NULL;
    size_t nparts = 0;
    if (from < size) {
        nparts = find_parts(c, fd, from, size, part_size, &enc, &valid, &starts);
        if (file != HW_NONE && (enc != HW_ENC_UTF8 || !starts)) {
            /* Not UTF-8 after all (or not to be told): start again. */
            held_free(&waiting.held);
            free(starts);
            hw_check_free(c);
            hw_check_init(c, &opts);
            file = HW_NONE;
            line = 1;
            from = 0;
            enc = c->opts.encoding;
            starts = NULL;
            nparts = find_parts(c, fd, 0, size, part_size, &enc, &valid, &starts);
        }
    }
    close(fd);
    for (size_t i = 0; i < waiting.held.n; i++) /* the encoding is certain now */
        c->opts.sink.report(c->opts.sink.ctx, &waiting.held.e[i]);
    held_free(&waiting.held);
    if (file == HW_NONE && nparts < 2) {
        free(starts);
        hw_check_file(c, arg);
        return;
    }
    if (is_stdin) /* read here: a second "-" finds it read, as it would */
        lseek(STDIN_FILENO, 0, SEEK_END);
    if (from == size) { /* the guessed parts read it all */
        free(starts);
        return;
    }
    if (file == HW_NONE) {
        file = hw_totals_add_file(&c->totals, name);
        c->files++;
    }
    /* No boundary where the quotes suggested one, a header row again (the
     * parts after it were read by the old one), or too little left to
     * split: the rest of the file is read in order. */
    long long rest = from;
    if (nparts >= 2) {
        size_t i = read_parts(c, path, name, file, starts, nparts, enc, valid, false, size, &line);
        rest = i < nparts ? starts[i] : -1;
    }
    if (rest >= 0) {
        hw_part part = {rest, -1, line, enc, valid, false};
        hw_check_part(c, path, file, &part, &line);
    }
    free(starts);
}

/* ------------------------------------------------------------ entry */

static void run_settle(void *ctx, size_t i) {
    hw_totals_settle_part(ctx, i);
}

static void run_place(void *ctx, size_t i) {
    hw_totals_settle_place(ctx, i);
}

/* The size of standard input when it is a regular file read from its
 * start (hwcheck < register.csv), which may then be split as a file named
 * is (opened again as STDIN_PATH); -1 otherwise (a pipe, a terminal, or
 * a file read from elsewhere, which is read in order where it stands). */
static long long stdin_size(void) {
    struct stat st;
    if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode) ||
        lseek(STDIN_FILENO, 0, SEEK_CUR) != 0)
        return -1;
    return (long long)st.st_size;
}

/* Settles the class-days of c kept apart (hw_totals_settle), a range of
 * classes at a time on each thread. */
static void settle(hw_check *c) {
    unsigned jobs = c->opts.jobs ? c->opts.jobs : 1;
    hw_settle *s = hw_totals_settle_begin(&c->totals);
    if (!s)
        return;
    hw_pool_run(hw_totals_settle_parts(s), jobs, run_settle, s);
    hw_pool_run(hw_totals_settle_parts(s), jobs, run_place, s);
    hw_totals_settle_end(s);
}

/* hw_check_files with more than one thread, but for the final settle. */
static void check_parallel(hw_check *c, const char *const *paths, const long long *sizes,
                           size_t n) {
#if defined(__GLIBC__)
    /* Every part's totals grow and are freed while other threads run: with
     * glibc's defaults each large block is an mmap, and every munmap or
     * mremap stops the other cores to flush their TLBs (a tenth of the time
     * on two cores). Blocks up to 32 MiB come from the heap instead, and
     * freed memory is kept for the next part. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
    size_t part_size = c->opts.part_size ? c->opts.part_size : PART_SIZE;
    /* A cell filled from above needs the rows above: no file is split. */
    long long large = c->opts.fill_down ? LLONG_MAX : 2 * (long long)part_size;
    long long *looked = NULL;
    if (!sizes) {
        looked = hw_xcalloc(n ? n : 1, sizeof *looked);
        for (size_t i = 0; i < n; i++)
            looked[i] = hw_inputs_size(paths[i]);
        sizes = looked;
    }
    size_t i = 0;
    while (i < n) {
        /* Standard input is read in its place: split when it is a large
         * regular file, else by this thread. */
        if (strcmp(paths[i], "-") == 0) {
            if (stdin_size() >= large)
                check_large(c, paths[i++], part_size);
            else
                hw_check_file(c, paths[i++]);
            continue;
        }
        if (sizes[i] >= large) {
            check_large(c, paths[i++], part_size);
            continue;
        }
        size_t j = i + 1;
        while (j < n && strcmp(paths[j], "-") != 0 && sizes[j] < large)
            j++;
        check_batch(c, paths + i, sizes + i, j - i);
        i = j;
    }
    free(looked);
}

void hw_check_files(hw_check *c, const char *const *paths, const long long *sizes, size_t n) {
    if (c->opts.jobs > 1) {
        check_parallel(c, paths, sizes, n);
    } else {
        for (size_t i = 0; i < n; i++) {
            hw_check_file(c, paths[i]);
            if (c->opts.progress)
                hw_progress_update(c->opts.progress, i + 1, c->rows);
        }
    }
    settle(c);
}
