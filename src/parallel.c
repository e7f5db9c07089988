/* hw_check_files: the pipeline on several threads. Files, and the parts of a
 * large file (see check_large) or of a pipe on standard input (see
 * check_pipe), are read by worker threads into totals of their own, with
 * their input errors held, and merged in input order (the parts by the
 * calling thread, groups of files by the worker that finds the next one
 * read), so the totals and the errors are those of reading everything in
 * order. A share whose grades do not agree with what was read before it is
 * read again, in order, by the merging thread (see hw_check.speculative). The
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
/* The bytes at the start of a pipe kept for each part to read the header
 * from, if the header is within them (else the whole first part), and no
 * more than a part's size. */
#define PIPE_HEAD ((size_t)64 * 1024)
/* Input errors a part of a pipe holds at most: one with more is read again
 * in order, with the rest, its errors written as they are found (an input
 * with an error in every row is read on one thread, in flat memory, as
 * before it was read in parts; see check_pipe). */
#define PIPE_HELD_MOST 1000
/* Buffer for scanning a range. */
#define SCAN_BUF ((size_t)256 * 1024)

/* ------------------------------------------------------------ held errors */

typedef struct {
    hw_input_error *e;
    size_t n, cap;
    size_t most; /* errors held at most, 0: no bound; past it they are dropped */
    bool over;   /* and some were */
} held_errors;

static char *dup_or_null(const char *s, size_t len) {
    return s ? hw_xstrndup(s, len) : NULL;
}

static void hold_error(void *ctx, const hw_input_error *e) {
    held_errors *h = ctx;
    if (h->most && h->n == h->most) {
        h->over = true;
        return;
    }
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
    hw_part_bytes mem; /* a part of standard input held in memory (mem.bytes not NULL) */
    class_hint *hint;  /* the parts of one file share one */
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
    s->status = s->mem.bytes ? hw_check_part_bytes(&s->local, &s->mem, 0, &s->part, &s->next_line)
                             : hw_check_part(&s->local, s->path, 0, &s->part, &s->next_line);
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

/* The part of share s, read again by this thread, in order, into c. */
static void read_again(hw_check *c, const share *s, uint32_t file, unsigned long *line) {
    hw_part part = s->part;
    part.line = *line;
    part.check_utf8 = false;
    if (s->mem.bytes)
        hw_check_part_bytes(c, &s->mem, file, &part, line);
    else
        hw_check_part(c, s->path, file, &part, line);
}

/* A part of a pipe found not to be valid UTF-8 (a stray byte), read again
 * into share s by this thread, decoded, as a thread reads a part. */
static void read_decoded(hw_check *c, share *s) {
    share t = *s;
    share_free(s);
    share_init(s, c, NULL);
    s->hint = t.hint;
    s->mem = t.mem;
    s->part = t.part;
    s->part.valid_utf8 = s->part.check_utf8 = false;
    s->held.most = PIPE_HELD_MOST;
    hw_totals_add_file(&s->local.totals, "<stdin>");
    run_part(s, 0);
}

/* Reads the parts of file number file in c held in shares s[0..n) on the
 * threads, each merged into c in order, and frees them; *line is the line
 * of the first part's start and moves on as they merge. meanwhile (when
 * not NULL) is called once the threads have started. size: the file's,
 * 0 when not known. Returns the first part that could not be read as a
 * part (or held more input errors than it may), neither it nor those
 * after it merged, or n. */
static size_t read_shares(hw_check *c, share *s, size_t n, uint32_t file, long long size,
                          unsigned long *line, void (*meanwhile)(void *), void *ctx) {
    hw_pool p;
    bool threads = hw_pool_start(&p, n, c->opts.jobs, (size_t)c->opts.jobs * 4, run_part, s);
    if (meanwhile)
        meanwhile(ctx);
    size_t i = 0;
    for (; i < n; i++) {
        if (threads)
            hw_pool_take(&p, i);
        if (threads && s[i].status == HW_PART_NOT_UTF8 && s[i].mem.bytes)
            read_decoded(c, &s[i]);
        if (!threads || s[i].status != HW_PART_OK || s[i].held.over) {
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
            if (i == 0 && n > 1 && size > 0) {
                /* The rest holds about as many rows a byte. */
                const hw_totals *t = &s[0].local.totals;
                long long first = s[1].part.start - s[0].part.start;
                double more = (double)(size - s[1].part.start) / (double)first * 1.05;
                hw_totals_reserve(&c->totals, c->totals.nrows + (size_t)(t->nrows * more),
                                  c->totals.ndays + c->totals.npend + (size_t)(t->ndays * more));
            }
            if (c->opts.progress)
                hw_progress_update(c->opts.progress, c->totals.nfiles, c->rows);
        } else {
            /* grades that disagree with the parts before: read again in order */
            read_again(c, &s[i], file, line);
        }
        share_free(&s[i]);
    }
    hw_pool_end(&p); /* also when no thread started: the pool holds memory */
    return i;
}

/* Reads parts starts[0..n) of the file at path (file number file in c, the
 * parts' input errors naming it name) as read_shares does. */
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
    size_t i = read_shares(c, s, n, file, size, line, NULL, NULL);
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

/* ------------------------------------------------------------ a pipe */

/* Bytes asked of a pipe at a time (what Linux holds in one). */
#define PIPE_READ ((size_t)64 * 1024)
/* How far past its size a part's end is looked for: as far as
 * hw_split_feed looks. With no line end outside quotes there, the rest of
 * the pipe is read in order. */
#define PIPE_LOOK ((size_t)64 * 1024)
/* Parts read ahead, a thread: the threads read one batch of parts while this
 * thread reads the next from the pipe. */
#define PIPE_BATCH 1

/* Standard input from a pipe, cut into parts as it comes: each part starts
 * where a row starts, and ends at the first line end outside quotes (by
 * the count of quotes since its start) part_size bytes or more on, or where
 * the input ends. A stray quote may mislead the count, as in a file: the
 * part then does not end between rows, and the rest is read in order. */
typedef struct {
    int fd;
    size_t part_size;
    unsigned char *buf; /* what is read of the next part */
    size_t len, cap;
    long long at; /* where buf[0] lies in the input */
    bool end;     /* the input has ended */
    bool failed;  /* or could not be read further (read again in order, which says why) */
    bool stuck;   /* no line end outside quotes near where the next part should end */
} pipe_reader;

/* Reads until r holds want bytes or the input ends. */
static void pipe_fill(pipe_reader *r, size_t want) {
    while (!r->end && r->len < want) {
        if (r->cap - r->len < PIPE_READ) {
            r->cap = r->len + PIPE_READ > 2 * r->cap ? r->len + PIPE_READ : 2 * r->cap;
            r->buf = hw_xreallocarray(r->buf, r->cap, 1);
        }
        ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            r->end = true;
            r->failed = n < 0;
            break;
        }
        r->len += (size_t)n;
    }
}

/* The next part: its bytes (the caller frees them), length and start in the
 * input; *last when the input ends with it (not when it could not be read
 * further). False when nothing is left, or when r is stuck: the rest, from
 * r->at, is then to be read in order (a quoted field of megabytes, or no
 * line end at all: memory stays bounded by the row bound, as in order). */
static bool pipe_next(pipe_reader *r, unsigned char **part, size_t *len, long long *start,
                      bool *last) {
    size_t size = r->part_size, look = PIPE_LOOK;
    pipe_fill(r, size + look + 1);
    if (r->len == 0)
        return false;
    if (r->len > size) {
        /* the first line end after size bytes that the quotes of the
         * bytes before it leave outside quotes */
        hw_split_range head, w;
        hw_split_range_init(&head, 0, (long long)size);
        hw_split_feed(&head, r->buf, size, 0);
        size_t n = r->len - size < look + 1 ? r->len - size : look + 1;
        hw_split_range_init(&w, (long long)size, (long long)(size + n));
        hw_split_feed(&w, r->buf + size, n, (long long)size);
        int parity = (int)(head.quotes & 1);
        long long cut = w.after_lf[parity] >= 0 ? w.after_lf[parity] : w.after_cr[parity];
        if (cut > 0 && (size_t)cut < r->len) {
            /* room for the next part as it is read, with no copy */
            size_t rest = r->len - (size_t)cut, cap = rest + size + look + PIPE_READ + 1;
            unsigned char *next = hw_xmalloc(cap);
            memcpy(next, r->buf + cut, rest);
            *part = r->buf;
            *len = (size_t)cut;
            *start = r->at;
            *last = false;
            r->buf = next;
            r->len = rest;
            r->cap = cap;
            r->at += cut;
            return true;
        }
        if (!r->end || r->len > size + look + 1) {
            r->stuck = true;
            return false;
        }
    }
    /* the input ends within the part, or soon after: all of it is the last */
    *part = r->buf;
    *len = r->len;
    *start = r->at;
    *last = !r->failed;
    r->at += (long long)r->len;
    r->buf = NULL;
    r->len = r->cap = 0;
    return true;
}

/* Feeds p[0..n) to d a block at a time until it decides. */
static void feed_until_decided(hw_decoder *d, const unsigned char *p, size_t n, hw_buf *out) {
    for (size_t at = 0; at < n && hw_decoder_encoding(d) == HW_ENC_AUTO; at += PIPE_READ) {
        hw_buf_clear(out);
        hw_decoder_feed(d, p + at, n - at < PIPE_READ ? n - at : PIPE_READ, out);
    }
}

/* The encoding that reading standard input in order would decide on from
 * its first bytes: p[0..n), then what r holds (see hw_decoder_new); or
 * HW_ENC_AUTO when they do not tell (all ASCII). */
static hw_encoding pipe_encoding(const unsigned char *p, size_t n, const pipe_reader *r) {
    hw_decoder *d = hw_decoder_new(HW_ENC_AUTO);
    hw_buf out;
    hw_buf_init(&out);
    feed_until_decided(d, p, n, &out);
    feed_until_decided(d, r->buf, r->len, &out);
    if (hw_decoder_encoding(d) == HW_ENC_AUTO && r->end && !r->failed) {
        /* all of it held: decided as at its end, where all ASCII reads the
         * same in either */
        hw_buf_clear(&out);
        hw_decoder_finish(d, &out);
        if (hw_decoder_encoding(d) == HW_ENC_AUTO) {
            hw_buf_free(&out);
            hw_decoder_free(d);
            return HW_ENC_UTF8;
        }
    }
    hw_encoding enc = hw_decoder_encoding(d);
    hw_buf_free(&out);
    hw_decoder_free(d);
    return enc;
}

/* Whether p[0..n) is valid UTF-8 (a character cut at n is). */
static bool valid_utf8(const unsigned char *p, size_t n) {
    hw_utf8_check chk;
    hw_utf8_check_init(&chk);
    return hw_utf8_check_feed(&chk, p, n);
}

/* What check_pipe reads with. */
typedef struct {
    hw_check *c;
    pipe_reader r;
    const unsigned char *head; /* the first part: the input from its start */
    size_t head_len;
    hw_encoding enc;
    bool utf8; /* parts are taken to be valid UTF-8, each checking its bytes */
    class_hint hint;
    share *next; /* the batch read while the one before is read by the threads */
    size_t nnext, batch;
    bool over; /* every part is in a batch */
} pipe_job;

/* Adds the part after the last one to the batch j->next, if there is one. */
static void pipe_take(pipe_job *j) {
    unsigned char *p;
    size_t len;
    long long start;
    bool last;
    if (!pipe_next(&j->r, &p, &len, &start, &last)) {
        j->over = true;
        return;
    }
    share *s = &j->next[j->nnext++];
    share_init(s, j->c, NULL);
    s->hint = &j->hint;
    hw_totals_add_file(&s->local.totals, "<stdin>");
    s->held.most = PIPE_HELD_MOST;
    s->mem = (hw_part_bytes){j->head, j->head_len, p, len, -1};
    s->part = (hw_part){start, last ? -1 : start + (long long)len, 1, j->enc, j->utf8, j->utf8};
    j->over = last || j->r.failed;
}

/* Reads the next batch into j->next (while the threads read the one before). */
static void pipe_batch(void *ctx) {
    pipe_job *j = ctx;
    j->nnext = 0;
    while (j->nnext < j->batch && !j->over)
        pipe_take(j);
}

/* Appends the bytes of part b to out and frees them: the rest of a pipe is
 * gathered to be read in order holding each part's bytes once. */
static void move_bytes(hw_buf *out, hw_part_bytes *b) {
    hw_buf_append(out, b->bytes, b->len);
    free((unsigned char *)b->bytes);
    b->bytes = NULL;
}

/* Appends the bytes of shares s[0..n) and what r holds after them to out
 * (to be read in order), freeing each once copied. */
static void pipe_rest(hw_buf *out, share *s, size_t n, pipe_reader *r) {
    for (size_t i = 0; i < n; i++)
        move_bytes(out, &s[i].mem);
    if (r->len)
        hw_buf_append(out, r->buf, r->len);
    free(r->buf);
    r->buf = NULL;
    r->len = r->cap = 0;
}

/* Reads the rest of the pipe in order into file number file of j->c,
 * from start on: the bytes of held[0..n), then of the batch read ahead,
 * then the pipe; *line is start's line and moves on. */
static void pipe_in_order(pipe_job *j, hw_part_bytes *held, size_t n, long long start,
                          uint32_t file, unsigned long *line) {
    hw_buf rest;
    hw_buf_init(&rest);
    for (size_t k = 0; k < n; k++)
        move_bytes(&rest, &held[k]);
    pipe_rest(&rest, j->next, j->nnext, &j->r);
    hw_part_bytes b = {j->head, j->head_len, (const unsigned char *)rest.data, rest.len,
                       STDIN_FILENO};
    hw_part part = {start, -1, *line, j->enc, false, false};
    hw_check_part_bytes(j->c, &b, file, &part, line);
    hw_buf_free(&rest);
    for (size_t k = 0; k < j->nnext; k++)
        share_free(&j->next[k]);
    j->nnext = 0;
}

/* Whether the input's first bytes, p[0..n) then what r holds, are text
 * with no NUL byte, as hw_check_file looks at them (it reports the rest). */
static bool plain_text(const unsigned char *p, size_t n, const pipe_reader *r) {
    unsigned char sniff[512];
    size_t nsniff = n < sizeof sniff ? n : sizeof sniff;
    if (nsniff)
        memcpy(sniff, p, nsniff);
    size_t more = r->len < sizeof sniff - nsniff ? r->len : sizeof sniff - nsniff;
    if (more)
        memcpy(sniff + nsniff, r->buf, more);
    nsniff += more;
    return hw_sniff_bytes(sniff, nsniff) == HW_SNIFF_TEXT && !memchr(sniff, 0, nsniff);
}

/* Standard input from a pipe (a large register piped in: unzip -p, a
 * converter, ssh), read on the threads: this thread reads it a part at a
 * time (see pipe_reader) and a batch ahead, the threads read the parts, and
 * each is merged in order, as a split file's parts are. The encoding is
 * decided on the first part as reading it in order would decide it; valid
 * UTF-8 is parsed where it was read, and a part with a stray byte is read
 * again, in order, decoded. What cannot be read in parts (one part's worth
 * or less, not text, all ASCII at first, a part that does not end between
 * rows) is read in order from there, held bytes first, as hw_check_file
 * reads standard input. */
static void check_pipe(hw_check *c, size_t part_size) {
    pipe_job j = {.c = c, .batch = (size_t)c->opts.jobs * PIPE_BATCH};
    j.r = (pipe_reader){.fd = STDIN_FILENO, .part_size = part_size};
    share *cur = hw_xcalloc(j.batch, sizeof *cur);
    j.next = hw_xcalloc(j.batch, sizeof *j.next);
    pipe_take(&j);
    pipe_fill(&j.r, PIPE_READ); /* the 64 KiB that decide the encoding, with the first part */
    const unsigned char *first = j.nnext ? j.next[0].mem.bytes : NULL;
    unsigned char *head = NULL; /* the input's first bytes, for each part's header */
    size_t nfirst = j.nnext ? j.next[0].mem.len : 0;
    j.enc = c->opts.encoding == HW_ENC_AUTO && first ? pipe_encoding(first, nfirst, &j.r)
                                                     : c->opts.encoding;
    if (!first || j.over || j.enc == HW_ENC_AUTO || !plain_text(first, nfirst, &j.r)) {
        hw_buf all;
        hw_buf_init(&all);
        pipe_rest(&all, j.next, j.nnext, &j.r);
        hw_check_stdin_after(c, (const unsigned char *)all.data, all.len);
        hw_buf_free(&all);
        if (j.nnext)
            share_free(&j.next[0]);
    } else {
        uint32_t file = hw_totals_add_file(&c->totals, "<stdin>");
        c->files++;
        /* Every part reads the header from the input's first bytes: only
         * those are kept to the end, the first 64 KiB if the header is
         * within them, else the whole first part (a header further on
         * makes the first part NO_HEADER, and all is read in order). Each
         * part reads the header as it reads itself: where those bytes are
         * not valid UTF-8, no part is taken to be. */
        size_t nhead = part_size < PIPE_HEAD ? part_size : PIPE_HEAD; /* small in the tests */
        if (nhead > nfirst)
            nhead = nfirst;
        j.utf8 = j.enc == HW_ENC_UTF8 && valid_utf8(first, nhead);
        if (nhead < nfirst && !hw_check_header_within(c, file, first, nhead, j.enc, j.utf8)) {
            nhead = nfirst;
            j.utf8 = j.enc == HW_ENC_UTF8 && valid_utf8(first, nhead);
        }
        head = hw_xmalloc(nhead);
        memcpy(head, first, nhead);
        j.head = head;
        j.head_len = nhead;
        j.next[0].mem.head = head;
        j.next[0].mem.head_len = nhead;
        j.next[0].part.valid_utf8 = j.next[0].part.check_utf8 = j.utf8;
        j.next[0].part.encoding = j.enc;
        unsigned long line = 1;
        while (j.nnext < j.batch && !j.over) /* the rest of the first batch */
            pipe_take(&j);
        for (;;) {
            share *t = cur;
            cur = j.next;
            j.next = t;
            size_t n = j.nnext;
            if (n == 0)
                break;
            /* the parts' bytes outlive their shares, which read_shares frees */
            hw_part_bytes *held = hw_xcalloc(n, sizeof *held);
            long long *start = hw_xcalloc(n, sizeof *start);
            for (size_t i = 0; i < n; i++) {
                held[i] = cur[i].mem;
                start[i] = cur[i].part.start;
            }
            size_t i = read_shares(c, cur, n, file, 0, &line, pipe_batch, &j);
            /* the rest in order: from part i on (or where the pipe failed,
             * to say why, or where no part could end) */
            if (i < n || ((j.r.failed || j.r.stuck) && j.nnext == 0))
                pipe_in_order(&j, held + i, n - i, i < n ? start[i] : j.r.at, file, &line);
            for (size_t k = 0; k < n; k++)
                free((unsigned char *)held[k].bytes);
            free(held);
            free(start);
            if (i < n)
                break;
        }
    }
    free(head);
    free(j.r.buf);
    free(cur);
    free(j.next);
}

/* ------------------------------------------------------------ entry */

static void run_settle(void *ctx, size_t i) {
    hw_totals_settle_part(ctx, i);
}

static void run_place(void *ctx, size_t i) {
    hw_totals_settle_place(ctx, i);
}

/* What standard input is, for reading it on the threads: its size when it
 * is a regular file read from its start (hwcheck < register.csv), which may
 * then be split as a file named is (opened again as STDIN_PATH), else -1;
 * *pipe when it is a pipe or FIFO (see check_pipe). A terminal, or a file
 * read from elsewhere, is read in order where it stands. */
static long long stdin_kind(bool *pipe) {
    struct stat st;
    *pipe = false;
    if (fstat(STDIN_FILENO, &st) != 0)
        return -1;
    *pipe = S_ISFIFO(st.st_mode);
    return S_ISREG(st.st_mode) && lseek(STDIN_FILENO, 0, SEEK_CUR) == 0 ? (long long)st.st_size
                                                                        : -1;
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
         * regular file or a pipe, else by this thread. */
        if (strcmp(paths[i], "-") == 0) {
            bool pipe;
            if (stdin_kind(&pipe) >= large)
                check_large(c, paths[i], part_size);
            else if (pipe && large < LLONG_MAX)
                check_pipe(c, part_size);
            else
                hw_check_file(c, paths[i]);
            i++;
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
