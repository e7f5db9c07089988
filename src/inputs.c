#define _DEFAULT_SOURCE /* the file types readdir gives (DT_DIR, DT_UNKNOWN) */
#include "hw_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "hw_pool.h"
#include "hw_util.h"

enum { M_FOLDER_OPEN, M_FOLDER_EMPTY };

/* English, then Chinese. */
static const char *const messages[][2] = {
    [M_FOLDER_OPEN] = {"cannot search the folder: %s", "无法读取文件夹：%s"},
    [M_FOLDER_EMPTY] = {"this folder (and its subfolders) holds no .csv file",
                        "此文件夹（含子文件夹）中没有 .csv 文件"},
};

void hw_inputs_init(hw_inputs *in, hw_lang lang, hw_error_sink sink) {
    memset(in, 0, sizeof *in);
    in->lang = lang;
    in->sink = sink;
    in->jobs = 1;
}

void hw_inputs_free(hw_inputs *in) {
    for (size_t i = 0; i < in->n; i++)
        free(in->path[i]);
    free(in->path);
    free(in->size);
    free(in->id);
    memset(in, 0, sizeof *in);
}

/* The ids of the files listed are an open-addressed set, so that each of a
 * district's thousands of files is looked up at once, not compared with
 * every file before it. A slot holds a device and an inode number plus one
 * (so that an empty slot, all zero, is never an id). */
static uint64_t id_hash(hw_input_id id) {
    return hw_hash(&id, sizeof id);
}

static bool id_empty(const hw_input_id *x) {
    return x->dev == 0 && x->ino == 0;
}

/* The slot of id in a set of cap slots (a power of two), or the empty
 * slot where it would go. */
static hw_input_id *id_slot(hw_input_id *set, size_t cap, hw_input_id id) {
    size_t i = id_hash(id) & (cap - 1);
    while (!id_empty(&set[i]) && (set[i].dev != id.dev || set[i].ino != id.ino))
        i = (i + 1) & (cap - 1);
    return &set[i];
}

/* Whether the regular file id is already in the list; remembers it if not. */
static bool seen(hw_inputs *in, hw_input_id id) {
    id.ino++; /* (0, 0) marks an empty slot */
    if (in->capids && !id_empty(id_slot(in->id, in->capids, id)))
        return true;
    if ((in->nids + 1) * 2 > in->capids) {
        size_t cap = in->capids ? in->capids * 2 : 64;
        hw_input_id *set = hw_xcalloc(cap, sizeof *set);
        for (size_t i = 0; i < in->capids; i++)
            if (!id_empty(&in->id[i]))
                *id_slot(set, cap, in->id[i]) = in->id[i];
        free(in->id);
        in->id = set;
        in->capids = cap;
    }
    *id_slot(in->id, in->capids, id) = id;
    in->nids++;
    return false;
}

static void push(hw_inputs *in, char *owned, long long size) {
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 16;
        in->path = hw_xreallocarray(in->path, in->cap, sizeof *in->path);
        in->size = hw_xreallocarray(in->size, in->cap, sizeof *in->size);
    }
    in->size[in->n] = size;
    in->path[in->n++] = owned;
}

/* A file found in a folder, with what its one stat said (once looked up). */
typedef struct {
    char *path;
    hw_input_id id;
    long long size;
    bool pending; /* a regular file by readdir's type, not looked up yet */
} found;

typedef struct {
    found *f;
    size_t n, cap;
} found_list;

static hw_input_id id_of(const struct stat *st) {
    return (hw_input_id){(unsigned long long)st->st_dev, (unsigned long long)st->st_ino};
}

/* The size hw_inputs.size keeps: the bytes of a regular file, else -1
 * (anything else, a FIFO say, is read as it is). */
static long long size_of(const struct stat *st) {
    return S_ISREG(st->st_mode) ? (long long)st->st_size : -1;
}

long long hw_inputs_size(const char *path) {
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 ? size_of(&st) : -1;
}

static void problem(hw_inputs *in, const char *path, int id, const char *arg) {
    hw_buf m;
    hw_buf_init(&m);
    hw_buf_printf(&m, messages[id][in->lang == HW_LANG_ZH], arg ? arg : "");
    hw_input_error e = {path, 0, 0, NULL, NULL, 0, m.data};
    in->errors++;
    if (in->sink.report)
        in->sink.report(in->sink.ctx, &e);
    hw_buf_free(&m);
}

bool hw_inputs_is_csv(const char *name) {
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

/* ---- Looking files up ---------------------------------------------------
 * A district's folder or list names thousands of files, and each needs a
 * stat (its id, so that none is read twice, and its size): 1 to 2 us
 * apiece, on the thread every reader waits for. Many are looked up on
 * in->jobs threads at once, then taken in order as one thread would. */

/* Below this many files one thread looks them up sooner than two start. */
#define LOOK_PARALLEL_MIN 128
#define LOOK_CHUNK 64

typedef struct {
    const char *path; /* NULL: not looked up ("-") */
    struct stat st;
    bool ok; /* the stat succeeded */
} looked;

typedef struct {
    looked *l;
    size_t n;
} look_job;

static void look_chunk(void *ctx, size_t k) {
    look_job *job = ctx;
    size_t end = (k + 1) * LOOK_CHUNK < job->n ? (k + 1) * LOOK_CHUNK : job->n;
    for (size_t i = k * LOOK_CHUNK; i < end; i++)
        job->l[i].ok = job->l[i].path && stat(job->l[i].path, &job->l[i].st) == 0;
}

static void look_all(const hw_inputs *in, looked *l, size_t n) {
    look_job job = {l, n};
    hw_pool_run((n + LOOK_CHUNK - 1) / LOOK_CHUNK, n >= LOOK_PARALLEL_MIN ? in->jobs : 1,
                look_chunk, &job);
}

static int cmp_found(const void *a, const void *b) {
    return strcmp(((const found *)a)->path, ((const found *)b)->path);
}

static void add_found(found_list *out, found f) {
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->f = hw_xreallocarray(out->f, out->cap, sizeof *out->f);
    }
    out->f[out->n++] = f;
}

/* Looks up the files of list that readdir's type alone told: a file gone
 * since, or now a folder, is left out (its path freed to NULL). */
static void look_found(const hw_inputs *in, found_list *list) {
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->f[i].pending;
    if (n == 0)
        return;
    looked *l = hw_xcalloc(n, sizeof *l);
    for (size_t i = 0, k = 0; i < list->n; i++)
        if (list->f[i].pending)
            l[k++].path = list->f[i].path;
    look_all(in, l, n);
    for (size_t i = 0, k = 0; i < list->n; i++) {
        found *f = &list->f[i];
        if (!f->pending)
            continue;
        const looked *x = &l[k++];
        f->pending = false;
        if (x->ok && !S_ISDIR(x->st.st_mode)) {
            f->id = id_of(&x->st);
            f->size = size_of(&x->st);
        } else {
            free(f->path);
            f->path = NULL;
        }
    }
    free(l);
}

/* Lists the CSV files under dir in out (unsorted). */
static void walk(hw_inputs *in, const char *dir, found_list *out) {
    DIR *d = opendir(dir);
    if (!d) {
        problem(in, dir, M_FOLDER_OPEN, strerror(errno));
        return;
    }
    size_t dlen = strlen(dir);
    bool slash = dlen && dir[dlen - 1] == '/';
    struct dirent *de;
    hw_buf p;
    hw_buf_init(&p);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
#if defined(_DIRENT_HAVE_D_TYPE)
        /* Only a CSV file needs its stat (id and size): a name that is a
         * folder or no CSV file by the type readdir gives is not looked up. */
        bool is_dir = de->d_type == DT_DIR;
        if (!is_dir && de->d_type != DT_UNKNOWN && !hw_inputs_is_csv(de->d_name))
            continue;
#else
        bool is_dir = false;
#endif
        hw_buf_clear(&p);
        /* "." names its files as the user would: a.csv, not ./a.csv. */
        if (strcmp(dir, ".") != 0 && strcmp(dir, "./") != 0) {
            hw_buf_puts(&p, dir);
            if (!slash)
                hw_buf_puts(&p, "/");
        }
        hw_buf_puts(&p, de->d_name);
#if defined(_DIRENT_HAVE_D_TYPE)
        if (de->d_type == DT_REG) { /* a CSV file: looked up with the others (look_all) */
            add_found(out, (found){hw_xstrndup(p.data, p.len), {0, 0}, -1, true});
            continue;
        }
#endif
        /* Looked up in the open folder: the path before it is not walked again. */
        struct stat st;
        if (!is_dir) {
            if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            is_dir = S_ISDIR(st.st_mode);
        }
        if (is_dir) {
            walk(in, p.data, out);
        } else if (hw_inputs_is_csv(de->d_name)) {
            /* A link to a file is read; a link to a folder is not followed (no loops). */
            if (S_ISLNK(st.st_mode) && (stat(p.data, &st) != 0 || S_ISDIR(st.st_mode)))
                continue;
            add_found(out, (found){hw_xstrndup(p.data, p.len), id_of(&st), size_of(&st), false});
        }
    }
    closedir(d);
    hw_buf_free(&p);
}

/* Adds arg, looked up as x. */
static void add_looked(hw_inputs *in, const char *arg, const looked *x) {
    const struct stat *st = &x->st;
    if (!x->ok || !S_ISDIR(st->st_mode)) {
        long long size = x->ok ? size_of(st) : -1;
        /* Only a regular file can be named twice; anything else is kept for
         * the checker to read or report. */
        if (size < 0 || !seen(in, id_of(st)))
            push(in, hw_xstrndup(arg, strlen(arg)), size);
        return;
    }
    found_list list = {NULL, 0, 0};
    walk(in, arg, &list);
    look_found(in, &list);
    size_t kept = 0;
    for (size_t i = 0; i < list.n; i++)
        if (list.f[i].path)
            list.f[kept++] = list.f[i];
    list.n = kept;
    if (list.n == 0) {
        problem(in, arg, M_FOLDER_EMPTY, NULL);
        free(list.f);
        return;
    }
    qsort(list.f, list.n, sizeof *list.f, cmp_found);
    /* Leave out the files already listed, keeping the order. */
    for (size_t i = 0; i < list.n; i++) {
        found *f = &list.f[i];
        if (f->size >= 0 && seen(in, f->id))
            free(f->path);
        else
            push(in, f->path, f->size);
    }
    free(list.f);
}

void hw_inputs_add_all(hw_inputs *in, const char *const *args, size_t n) {
    looked *l = hw_xcalloc(n ? n : 1, sizeof *l);
    for (size_t i = 0; i < n; i++)
        l[i].path = strcmp(args[i], "-") != 0 ? args[i] : NULL;
    look_all(in, l, n);
    for (size_t i = 0; i < n; i++)
        add_looked(in, args[i], &l[i]);
    free(l);
}

void hw_inputs_add(hw_inputs *in, const char *arg) {
    hw_inputs_add_all(in, &arg, 1);
}

bool hw_inputs_add_list(hw_inputs *in, FILE *f) {
    char *line = NULL;
    size_t cap = 0, n = 0, capnames = 0;
    char **names = NULL;
    ssize_t len;
    errno = 0;
    while ((len = getline(&line, &cap, f)) != -1) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        size_t k = 0;
        while (line[k] == ' ' || line[k] == '\t')
            k++;
        if (line[k] == '\0')
            continue;
        if (n == capnames) {
            capnames = capnames ? capnames * 2 : 64;
            names = hw_xreallocarray(names, capnames, sizeof *names);
        }
        names[n++] = hw_xstrndup(line, (size_t)len);
    }
    free(line);
    bool ok = !ferror(f);
    if (ok)
        hw_inputs_add_all(in, (const char *const *)names, n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}
