#include "hw_baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_report_fmt.h"
#include "hw_util.h"

/* Joins the parts of a finding's identity (hw_finding_id), one that is
 * missing as an empty string; \x1f cannot stand in a name that reached a
 * report (control characters are not kept in class names by accident, and
 * a report writes them escaped anyway). */
static void make_key(hw_buf *k, const char *const part[HW_FINDING_ID_PARTS]) {
    hw_buf_clear(k);
    for (size_t i = 0; i < HW_FINDING_ID_PARTS; i++) {
        if (i)
            hw_buf_append(k, "\x1f", 1);
        hw_buf_puts(k, part[i] ? part[i] : "");
    }
}

static int by_key(const void *a, const void *b) {
    const hw_baseline_entry *x = *(const hw_baseline_entry *const *)a;
    const hw_baseline_entry *y = *(const hw_baseline_entry *const *)b;
    return strcmp(x->key, y->key);
}

/* A string member, or NULL when absent or null; false when of another type. */
static bool get_str(const cJSON *o, const char *key, char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v))
        return false;
    *out = hw_xstrndup(v->valuestring, strlen(v->valuestring));
    return true;
}

static void entry_free(hw_baseline_entry *e) {
    char *s[] = {e->key,  e->rule,    e->school,   e->cls,  e->date,
                 e->week, e->subject, e->cap_rule, e->type, e->message};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(s[i]);
    hw_strlist_free(&e->files);
}

/* Adds a file name (relative to the working directory) once. */
static void add_file(hw_baseline_entry *e, const cJSON *v, hw_buf *scratch) {
    if (!cJSON_IsString(v))
        return;
    hw_buf_clear(scratch);
    hw_report_relpath(scratch, v->valuestring);
    for (size_t i = 0; i < e->files.n; i++)
        if (strcmp(e->files.item[i], scratch->data) == 0)
            return;
    hw_strlist_add(&e->files, scratch->data);
}

void hw_baseline_free(hw_baseline *b) {
    for (size_t i = 0; i < b->n; i++)
        entry_free(&b->entry[i]);
    free(b->entry);
    free(b->sorted);
    free(b->path);
    memset(b, 0, sizeof *b);
}

/* Reads the entries of a parsed report; on failure sets err. */
static bool read_entries(hw_baseline *b, const cJSON *root, hw_lang lang, hw_buf *err) {
    const cJSON *findings =
        cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "findings") : NULL;
    if (!cJSON_IsArray(findings)) {
        hw_buf_puts(err, hw_msg(lang, HW_M_BASELINE_NO_FINDINGS));
        return false;
    }
    size_t n = (size_t)cJSON_GetArraySize(findings);
    b->entry = hw_xcalloc(n ? n : 1, sizeof *b->entry);
    b->sorted = hw_xcalloc(n ? n : 1, sizeof *b->sorted);
    hw_buf key;
    hw_buf_init(&key);
    const cJSON *f;
    cJSON_ArrayForEach(f, findings) {
        hw_baseline_entry *e = &b->entry[b->n];
        const char *bad = NULL;
        if (!cJSON_IsObject(f))
            bad = "rule";
        else if (!get_str(f, "rule", &e->rule) || !e->rule)
            bad = "rule";
        else if (!get_str(f, "school", &e->school))
            bad = "school";
        else if (!get_str(f, "class", &e->cls) || !e->cls)
            bad = "class";
        else if (!get_str(f, "date", &e->date))
            bad = "date";
        else if (!get_str(f, "week", &e->week) || (!e->date && !e->week))
            bad = e->week || e->date ? "week" : "date";
        else if (!get_str(f, "subject", &e->subject))
            bad = "subject";
        else if (!get_str(f, "cap_rule", &e->cap_rule))
            bad = "cap_rule";
        else if (!get_str(f, "type", &e->type))
            bad = "type";
        else if (!get_str(f, "message", &e->message))
            bad = "message";
        b->n++;
        if (bad) {
            hw_buf_printf(err, hw_msg(lang, HW_M_BASELINE_ENTRY), b->n - 1, bad);
            hw_buf_free(&key);
            return false;
        }
        if (!e->message)
            e->message = hw_xstrndup("", 0);
        add_file(e, cJSON_GetObjectItemCaseSensitive(f, "file"), &key);
        const cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(f, "rows")) {
            add_file(e, cJSON_GetObjectItemCaseSensitive(row, "file"), &key);
        }
        const char *part[HW_FINDING_ID_PARTS] = {
            e->rule,    e->school,   e->cls, e->date ? e->date : e->week,
            e->subject, e->cap_rule, e->type};
        make_key(&key, part);
        e->key = hw_xstrndup(key.data, key.len);
        b->sorted[b->n - 1] = e;
    }
    hw_buf_free(&key);
    qsort(b->sorted, b->n, sizeof *b->sorted, by_key);
    return true;
}

bool hw_baseline_load(hw_baseline *b, const char *path, hw_lang lang, hw_buf *err) {
    memset(b, 0, sizeof *b);
    hw_buf_clear(err);
    hw_buf text;
    hw_buf_init(&text);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        hw_buf_printf(err, hw_msg(lang, HW_M_BASELINE_OPEN), strerror(errno));
        return false;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        hw_buf_append(&text, chunk, n);
    int read_errno = ferror(fp) ? (errno ? errno : EIO) : 0;
    fclose(fp);
    if (read_errno) {
        hw_buf_printf(err, hw_msg(lang, HW_M_BASELINE_OPEN), strerror(read_errno));
        hw_buf_free(&text);
        return false;
    }
    const char *end = NULL;
    const char *data = text.data ? text.data : "";
    /* The length takes in the final NUL, which is how cJSON checks that
     * nothing follows the report. */
    cJSON *root = cJSON_ParseWithLengthOpts(data, text.len + 1, &end, 1);
    bool ok = root != NULL;
    if (!ok)
        hw_buf_printf(err, hw_msg(lang, HW_M_BASELINE_NOT_JSON),
                      end && end >= data ? (size_t)(end - data) : (size_t)0);
    else
        ok = read_entries(b, root, lang, err);
    cJSON_Delete(root);
    hw_buf_free(&text);
    if (!ok)
        hw_baseline_free(b);
    else
        b->path = hw_xstrndup(path, strlen(path));
    return ok;
}

/* The first unused entry with this key, or NULL. */
static hw_baseline_entry *find_unused(hw_baseline *b, const char *key) {
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->sorted[mid]->key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < b->n && strcmp(b->sorted[lo]->key, key) == 0; lo++)
        if (!b->sorted[lo]->used)
            return b->sorted[lo];
    return NULL;
}

size_t hw_baseline_apply(hw_baseline *b, const hw_totals *t, hw_findings *f) {
    hw_buf key;
    hw_buf_init(&key);
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < f->n; i++) {
        hw_finding *x = &f->item[i];
        hw_finding_id id;
        hw_finding_identity(&id, t, x);
        make_key(&key, id.part);
        hw_baseline_entry *e = find_unused(b, key.data);
        if (e) {
            e->used = true;
            if (x->severity == HW_SEV_ERROR)
                f->errors--;
            else
                f->warnings--;
            removed++; /* its rows stay in the blocks of f */
        } else {
            f->item[kept++] = *x;
        }
    }
    f->n = kept;
    hw_buf_free(&key);
    return removed;
}

/* Whether any file of the entry was read in this run (read: the run's nread
 * files, relative to the working directory); an entry that names no file is
 * always in scope. */
static bool in_scope(const hw_baseline_entry *e, char *const *read, uint32_t nread) {
    if (e->files.n == 0)
        return true;
    for (uint32_t i = 0; i < nread; i++)
        for (size_t k = 0; k < e->files.n; k++)
            if (strcmp(e->files.item[k], read[i]) == 0)
                return true;
    return false;
}

size_t hw_baseline_report_unmatched(const hw_baseline *b, const hw_totals *t, hw_report *r) {
    /* The files read, named as the baseline names them: once, not per entry. */
    char **read = hw_xcalloc(t->nfiles ? t->nfiles : 1, sizeof *read);
    hw_buf rel;
    hw_buf_init(&rel);
    for (uint32_t i = 0; i < t->nfiles; i++) {
        hw_buf_clear(&rel);
        hw_report_relpath(&rel, t->file[i]);
        read[i] = hw_xstrndup(rel.data, rel.len);
    }
    hw_buf_free(&rel);
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const hw_baseline_entry *e = &b->entry[i];
        if (e->used || !in_scope(e, read, t->nfiles))
            continue;
        hw_unmatched u = {b->path, e->rule,    e->school,   e->cls,  e->date,
                          e->week, e->subject, e->cap_rule, e->type, e->message};
        hw_report_unmatched(r, &u);
        n++;
    }
    for (uint32_t i = 0; i < t->nfiles; i++)
        free(read[i]);
    free(read);
    return n;
}
