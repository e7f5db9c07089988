/* Policies as JSON: the built-in presets, reading a policy file with checks
 * that name the key path, and printing the effective policy. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_policy.h"

/* Each preset's source is cited in docs/policies.md. */
static const struct {
    const char *name;
    const char *description;
    const char *json;
} presets[] = {
    {"shuangjian",
     "the default: grades 1-2 no written homework, 3-4 at most 30 min a day, 5-6 at most 60 "
     "min a day, 7-9 a weekly average of at most 90 min",
     "{\"bands\":["
     "{\"name\":\"小学低年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"小学中年级\",\"grades\":[3,4],\"daily_cap\":30},"
     "{\"name\":\"小学高年级\",\"grades\":[5,6],\"daily_cap\":60},"
     "{\"name\":\"初中\",\"grades\":[7,9],\"weekly_average_cap\":90}]}"},
    {"national-2021",
     "the 2021 national rule read as averages: grades 1-2 no written homework, 3-6 a weekly "
     "average of at most 60 min, 7-9 at most 90 min",
     "{\"bands\":["
     "{\"name\":\"小学一二年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"小学其他年级\",\"grades\":[3,6],\"weekly_average_cap\":60},"
     "{\"name\":\"初中\",\"grades\":[7,9],\"weekly_average_cap\":90}]}"},
    {"national-strict",
     "the 2021 national rule on every day: grades 1-2 no written homework, 3-6 at most 60 min, "
     "7-9 at most 90 min",
     "{\"bands\":["
     "{\"name\":\"小学一二年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"小学其他年级\",\"grades\":[3,6],\"daily_cap\":60},"
     "{\"name\":\"初中\",\"grades\":[7,9],\"daily_cap\":90}]}"},
    {"guangdong-2019-draft",
     "Guangdong 2019 draft: grades 1-2 no written homework, 3-6 at most 60 min, 7-9 at most 90 "
     "min, 10-12 at most 120 min a day",
     "{\"bands\":["
     "{\"name\":\"小学一二年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"小学中高年级\",\"grades\":[3,6],\"daily_cap\":60},"
     "{\"name\":\"初中\",\"grades\":[7,9],\"daily_cap\":90},"
     "{\"name\":\"高中\",\"grades\":[10,12],\"daily_cap\":120}]}"},
    {"suixian-2019",
     "a 2019 county school rule: lower grades no written homework, middle grades (3-4) at most "
     "30 min, upper grades (5-6) at most 45 min a day",
     "{\"bands\":["
     "{\"name\":\"低年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"中年级\",\"grades\":[3,4],\"daily_cap\":30},"
     "{\"name\":\"高年级\",\"grades\":[5,6],\"daily_cap\":45}]}"},
    {"shanghai-5-4",
     "the 2021 national caps on Shanghai's 5+4 system, where grade 6 is junior middle school: "
     "grades 1-2 none, 3-5 at most 60 min a day, 6-9 a weekly average of at most 90 min",
     "{\"bands\":["
     "{\"name\":\"小学一二年级\",\"grades\":[1,2],\"written\":false},"
     "{\"name\":\"小学三至五年级\",\"grades\":[3,5],\"daily_cap\":60},"
     "{\"name\":\"初中(含预备年级)\",\"grades\":[6,9],\"weekly_average_cap\":90}]}"},
    {"jiaoxue-jihua-1981",
     "the 1981 teaching plan: grade 1 no written homework, grades 2-3 at most 30 min a day",
     "{\"bands\":["
     "{\"name\":\"一年级\",\"grades\":[1,1],\"written\":false},"
     "{\"name\":\"二三年级\",\"grades\":[2,3],\"daily_cap\":30}]}"},
};

#define NPRESETS (sizeof presets / sizeof presets[0])

static const char *const avg_names[] = {"dates", "school-days", "seven-days"};
static const char *const sev_names[] = {"error", "warning", "off"};

bool hw_policy_preset_info(size_t i, const char **name, const char **description) {
    if (i >= NPRESETS)
        return false;
    *name = presets[i].name;
    *description = presets[i].description;
    return true;
}

/* ---- checking ---------------------------------------------------------- */

typedef struct {
    hw_buf *err;
    hw_buf path; /* the key path being read, e.g. bands[1].daily_cap */
} reader;

static bool fail(reader *r, const char *fmt, const char *arg) {
    hw_buf_clear(r->err);
    if (r->path.len) {
        hw_buf_puts(r->err, r->path.data);
        hw_buf_puts(r->err, ": ");
    }
    hw_buf_printf(r->err, fmt, arg ? arg : "");
    return false;
}

/* Path helpers: push a key or index, pop back to a saved length. */
static size_t push_key(reader *r, const char *key) {
    size_t saved = r->path.len;
    if (r->path.len)
        hw_buf_puts(&r->path, ".");
    hw_buf_puts(&r->path, key);
    return saved;
}

static size_t push_index(reader *r, int i) {
    size_t saved = r->path.len;
    hw_buf_printf(&r->path, "[%d]", i);
    return saved;
}

static void pop(reader *r, size_t saved) {
    r->path.len = saved;
    if (r->path.data)
        r->path.data[saved] = '\0';
}

static const char *type_name(const cJSON *v) {
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsBool(v))
        return "true or false";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsArray(v))
        return "an array";
    return "an object";
}

/* Refuses keys not in allowed and keys given twice. */
static bool check_keys(reader *r, const cJSON *obj, const char *const *allowed, size_t n,
                       const char *list) {
    for (const cJSON *c = obj->child; c; c = c->next) {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(c->string, allowed[i]) == 0;
        for (const cJSON *d = obj->child; d != c; d = d->next) {
            if (strcmp(c->string, d->string) == 0) {
                size_t saved = push_key(r, c->string);
                fail(r, "given twice%s", NULL);
                pop(r, saved);
                return false;
            }
        }
        if (!known) {
            size_t saved = push_key(r, c->string);
            hw_buf msg;
            hw_buf_init(&msg);
            hw_buf_printf(&msg, "unknown key; expected one of %s", list);
            fail(r, "%s", msg.data);
            hw_buf_free(&msg);
            pop(r, saved);
            return false;
        }
    }
    return true;
}

static bool expect(reader *r, const cJSON *v, bool ok, const char *what) {
    if (ok)
        return true;
    hw_buf msg;
    hw_buf_init(&msg);
    hw_buf_printf(&msg, "expected %s, got ", what);
    if (cJSON_IsNumber(v))
        hw_buf_printf(&msg, "%g", v->valuedouble);
    else if (cJSON_IsString(v))
        hw_buf_printf(&msg, "\"%.40s\"", v->valuestring);
    else
        hw_buf_puts(&msg, type_name(v));
    fail(r, "%s", msg.data);
    hw_buf_free(&msg);
    return false;
}

/* A number of minutes >= 0, as micro-minutes; null means no cap. */
static bool read_minutes(reader *r, const cJSON *v, int64_t *out) {
    if (cJSON_IsNull(v)) {
        *out = HW_NO_CAP;
        return true;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > 100000)
        return expect(r, v, false, "a number of minutes from 0 to 100000 (or null for no cap)");
    *out = llround(v->valuedouble * 1e6);
    return true;
}

static bool read_string(reader *r, const cJSON *v, char **out) {
    if (!expect(r, v, cJSON_IsString(v), "a string"))
        return false;
    free(*out);
    *out = hw_xstrndup(v->valuestring, strlen(v->valuestring));
    return true;
}

static bool read_grade(reader *r, const cJSON *v, int *out) {
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < 1 ||
        v->valuedouble > 12)
        return expect(r, v, false, "a grade from 1 to 12");
    *out = (int)v->valuedouble;
    return true;
}

/* Reads an array of non-empty strings, calling add for each (folded). */
static bool read_words(reader *r, const cJSON *v, hw_strlist *into, hw_strlist *remove_from,
                       size_t nremove) {
    if (!expect(r, v, cJSON_IsArray(v), "an array of strings"))
        return false;
    int i = 0;
    for (const cJSON *w = v->child; w; w = w->next, i++) {
        size_t saved = push_index(r, i);
        if (!expect(r, w, cJSON_IsString(w) && *w->valuestring, "a non-empty string"))
            return false;
        pop(r, saved);
        size_t len = strlen(w->valuestring);
        char *folded = hw_xmalloc(len + 1);
        size_t n = hw_fold(w->valuestring, len, folded);
        for (size_t k = 0; k < nremove; k++)
            hw_strlist_remove(&remove_from[k], folded, n);
        if (n && !hw_strlist_has(into, folded, n))
            hw_strlist_add(into, folded);
        free(folded);
    }
    return true;
}

static bool read_band(reader *r, const cJSON *v, hw_band *b) {
    static const char *const keys[] = {"name",
                                       "grades",
                                       "written",
                                       "daily_cap",
                                       "weekly_average_cap",
                                       "weekly_average_over",
                                       "subject_caps"};
    if (!expect(r, v, cJSON_IsObject(v), "an object"))
        return false;
    if (!check_keys(r, v, keys, sizeof keys / sizeof *keys,
                    "name, grades, written, daily_cap, weekly_average_cap, "
                    "weekly_average_over, subject_caps"))
        return false;
    b->written_allowed = true;
    b->daily_cap = HW_NO_CAP;
    b->weekly_average_cap = HW_NO_CAP;
    const cJSON *grades = cJSON_GetObjectItemCaseSensitive(v, "grades");
    if (!grades)
        return fail(r, "missing key \"grades\" (e.g. \"grades\": [3, 4])%s", NULL);
    for (const cJSON *c = v->child; c; c = c->next) {
        size_t saved = push_key(r, c->string);
        bool ok = true;
        if (strcmp(c->string, "name") == 0) {
            ok = read_string(r, c, &b->name);
        } else if (strcmp(c->string, "grades") == 0) {
            if (cJSON_IsNumber(c)) {
                ok = read_grade(r, c, &b->lo);
                b->hi = b->lo;
            } else if (cJSON_IsArray(c) && cJSON_GetArraySize(c) == 2) {
                size_t s2 = push_index(r, 0);
                ok = read_grade(r, c->child, &b->lo);
                pop(r, s2);
                s2 = push_index(r, 1);
                ok = ok && read_grade(r, c->child->next, &b->hi);
                pop(r, s2);
                if (ok && b->lo > b->hi)
                    ok = fail(r, "expected [first, last] with first <= last%s", NULL);
            } else {
                ok = expect(r, c, false, "[first, last] grades (e.g. [3, 4]) or one grade");
            }
        } else if (strcmp(c->string, "written") == 0) {
            ok = expect(r, c, cJSON_IsBool(c), "true or false");
            b->written_allowed = cJSON_IsTrue(c);
        } else if (strcmp(c->string, "daily_cap") == 0) {
            ok = read_minutes(r, c, &b->daily_cap);
        } else if (strcmp(c->string, "weekly_average_cap") == 0) {
            ok = read_minutes(r, c, &b->weekly_average_cap);
        } else if (strcmp(c->string, "weekly_average_over") == 0) {
            ok = false;
            for (size_t i = 0; i < 3 && !ok; i++)
                if (cJSON_IsString(c) && strcmp(c->valuestring, avg_names[i]) == 0) {
                    b->weekly_average_over = (hw_avg_over)i;
                    ok = true;
                }
            if (!ok)
                expect(r, c, false, "\"dates\", \"school-days\" or \"seven-days\"");
        } else if (strcmp(c->string, "subject_caps") == 0) {
            ok = expect(r, c, cJSON_IsObject(c),
                        "an object of subject: minutes (e.g. {\"语文\": 15, \"*\": 10})");
            for (const cJSON *s = ok ? c->child : NULL; s && ok; s = s->next) {
                size_t s2 = push_key(r, s->string);
                int64_t cap = 0;
                size_t len = strlen(s->string);
                char *folded = hw_xmalloc(len + 1);
                size_t flen = hw_fold(s->string, len, folded);
                ok = read_minutes(r, s, &cap) &&
                     (cap != HW_NO_CAP || fail(r, "expected a number of minutes >= 0%s", NULL)) &&
                     (flen > 0 || fail(r, "a subject name cannot be empty%s", NULL));
                /* "语文" and " 语文" are one subject, as in a register */
                for (size_t k = 0; ok && k < b->nsubject_caps; k++)
                    if (strcmp(b->subject_cap[k].subject, folded) == 0)
                        ok = fail(r, "given twice%s", NULL);
                if (ok) {
                    b->subject_cap = hw_xreallocarray(b->subject_cap, b->nsubject_caps + 1,
                                                      sizeof *b->subject_cap);
                    b->subject_cap[b->nsubject_caps++] = (hw_subject_cap){folded, cap};
                } else {
                    free(folded);
                }
                pop(r, s2);
            }
        }
        pop(r, saved);
        if (!ok)
            return false;
    }
    return true;
}

static bool read_bands(reader *r, const cJSON *v, hw_policy *p) {
    if (!expect(r, v, cJSON_IsArray(v), "an array of grade bands"))
        return false;
    if (!v->child)
        return fail(r, "expected at least one grade band%s", NULL);
    hw_bands_free(p->band, p->nbands);
    size_t n = (size_t)cJSON_GetArraySize(v);
    p->band = hw_xcalloc(n, sizeof *p->band);
    p->nbands = 0;
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        size_t saved = push_index(r, i);
        hw_band *b = &p->band[p->nbands++];
        if (!read_band(r, c, b))
            return false;
        for (size_t k = 0; k + 1 < p->nbands; k++) {
            const hw_band *o = &p->band[k];
            if (b->lo <= o->hi && o->lo <= b->hi) {
                char msg[160];
                snprintf(msg, sizeof msg, "grades %d-%d overlap bands[%zu] (grades %d-%d)", b->lo,
                         b->hi, k, o->lo, o->hi);
                size_t s2 = push_key(r, "grades");
                fail(r, "%s", msg);
                pop(r, s2);
                return false;
            }
        }
        pop(r, saved);
    }
    return true;
}

static bool read_weekdays(reader *r, const cJSON *v, unsigned *out) {
    if (!expect(r, v, cJSON_IsArray(v), "an array of weekdays, 1 (Monday) to 7 (Sunday)"))
        return false;
    *out = 0;
    int i = 0;
    for (const cJSON *d = v->child; d; d = d->next, i++) {
        size_t saved = push_index(r, i);
        if (!cJSON_IsNumber(d) || d->valuedouble != floor(d->valuedouble) || d->valuedouble < 1 ||
            d->valuedouble > 7)
            return expect(r, d, false, "a weekday from 1 (Monday) to 7 (Sunday)");
        *out |= 1u << (int)d->valuedouble;
        pop(r, saved);
    }
    return true;
}

static bool apply(reader *r, const cJSON *root, hw_policy *p) {
    static const char *const keys[] = {"name",     "description", "extends",
                                       "bands",    "types",       "columns",
                                       "severity", "warn_at",     "homework_free_weekdays",
                                       "$schema"};
    if (!check_keys(r, root, keys, sizeof keys / sizeof *keys,
                    "name, description, extends, bands, homework_free_weekdays, types, columns, "
                    "severity, warn_at"))
        return false;
    for (const cJSON *c = root->child; c; c = c->next) {
        size_t saved = push_key(r, c->string);
        bool ok = true;
        if (strcmp(c->string, "name") == 0) {
            ok = read_string(r, c, &p->name);
        } else if (strcmp(c->string, "description") == 0) {
            ok = read_string(r, c, &p->description);
        } else if (strcmp(c->string, "bands") == 0) {
            ok = read_bands(r, c, p);
        } else if (strcmp(c->string, "homework_free_weekdays") == 0) {
            ok = read_weekdays(r, c, &p->free_weekdays);
        } else if (strcmp(c->string, "types") == 0) {
            static const char *const tkeys[] = {"written", "not_written"};
            ok =
                expect(r, c, cJSON_IsObject(c), "an object with \"written\" and \"not_written\"") &&
                check_keys(r, c, tkeys, 2, "written, not_written");
            for (const cJSON *t = ok ? c->child : NULL; t && ok; t = t->next) {
                size_t s2 = push_key(r, t->string);
                bool w = strcmp(t->string, "written") == 0;
                ok = read_words(r, t, w ? &p->written : &p->not_written,
                                w ? &p->not_written : &p->written, 1);
                pop(r, s2);
            }
        } else if (strcmp(c->string, "columns") == 0) {
            static const char *const fkeys[] = {"school",  "class",   "grade", "date",
                                                "subject", "minutes", "type",  "title"};
            ok = expect(r, c, cJSON_IsObject(c), "an object of field: [header names]") &&
                 check_keys(r, c, fkeys, HW_FIELD__COUNT,
                            "school, class, grade, date, subject, minutes, type, title");
            for (const cJSON *f = ok ? c->child : NULL; f && ok; f = f->next) {
                size_t s2 = push_key(r, f->string);
                int field = 0;
                while (strcmp(hw_field_name((hw_field)field), f->string) != 0)
                    field++;
                /* A name moves to this field: no header may name two fields. */
                hw_strlist others[HW_FIELD__COUNT];
                size_t nothers = 0;
                for (int g = 0; g < HW_FIELD__COUNT; g++)
                    if (g != field)
                        others[nothers++] = p->alias[g];
                ok = read_words(r, f, &p->alias[field], others, nothers);
                nothers = 0;
                for (int g = 0; g < HW_FIELD__COUNT; g++)
                    if (g != field)
                        p->alias[g] = others[nothers++];
                pop(r, s2);
            }
        } else if (strcmp(c->string, "severity") == 0) {
            ok = expect(r, c, cJSON_IsObject(c),
                        "an object of rule: \"error\", \"warning\" or \"off\"");
            for (const cJSON *s = ok ? c->child : NULL; s && ok; s = s->next) {
                size_t s2 = push_key(r, s->string);
                int rule = 0;
                while (rule < HW_RULE__COUNT && strcmp(hw_rule_id((hw_rule)rule), s->string) != 0)
                    rule++;
                if (rule == HW_RULE__COUNT) {
                    ok = fail(r,
                              "unknown rule; expected one of no-written, homework-free-day, "
                              "daily-cap, subject-cap, weekly-average, near-cap, unknown-type%s",
                              NULL);
                } else {
                    ok = false;
                    for (int k = 0; k < 3 && !ok; k++)
                        if (cJSON_IsString(s) && strcmp(s->valuestring, sev_names[k]) == 0) {
                            p->severity[rule] = (hw_severity)k;
                            ok = true;
                        }
                    if (!ok)
                        expect(r, s, false, "\"error\", \"warning\" or \"off\"");
                }
                pop(r, s2);
            }
        } else if (strcmp(c->string, "warn_at") == 0) {
            if (cJSON_IsNull(c)) {
                p->warn_at_permille = 0;
            } else if (!cJSON_IsNumber(c) || !(c->valuedouble > 0 && c->valuedouble <= 1)) {
                ok = expect(r, c, false,
                            "a share of a cap above 0 and at most 1 (e.g. 0.9), or null");
            } else {
                p->warn_at_permille = (int)lround(c->valuedouble * 1000);
            }
        }
        pop(r, saved);
        if (!ok)
            return false;
    }
    return true;
}

static bool build_preset(hw_policy *p, size_t i, hw_buf *err) {
    hw_policy_base(p);
    cJSON *root = cJSON_Parse(presets[i].json);
    reader r = {err, {NULL, 0, 0}};
    bool ok = root && apply(&r, root, p);
    cJSON_Delete(root);
    hw_buf_free(&r.path);
    if (!ok) {
        hw_policy_free(p);
        return false;
    }
    p->name = hw_xstrndup(presets[i].name, strlen(presets[i].name));
    p->description = hw_xstrndup(presets[i].description, strlen(presets[i].description));
    return true;
}

bool hw_policy_preset(hw_policy *p, const char *name) {
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < NPRESETS; i++) {
        if (strcmp(presets[i].name, name) == 0) {
            hw_buf err;
            hw_buf_init(&err);
            bool ok = build_preset(p, i, &err);
            hw_buf_free(&err);
            return ok;
        }
    }
    return false;
}

/* "line L, column C" of a byte offset, for JSON syntax errors. */
static void position(const char *json, size_t off, hw_buf *out) {
    unsigned long line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (json[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)json[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    hw_buf_printf(out, "line %lu, column %lu", line, col);
}

bool hw_policy_parse(hw_policy *p, const char *json, size_t len, const char *base_preset,
                     hw_buf *err) {
    memset(p, 0, sizeof *p);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        hw_buf_clear(err);
        hw_buf_puts(err, "not valid JSON at ");
        position(json, end && end >= json ? (size_t)(end - json) : len, err);
        return false;
    }
    /* Nothing but white space may follow the object. */
    size_t off = (size_t)(end - json);
    while (off < len &&
           (json[off] == ' ' || json[off] == '\n' || json[off] == '\r' || json[off] == '\t'))
        off++;
    if (off < len || !cJSON_IsObject(root)) {
        hw_buf_clear(err);
        if (off < len) {
            hw_buf_puts(err, "not valid JSON: text after the policy object at ");
            position(json, off, err);
        } else {
            hw_buf_puts(err, "expected a JSON object ({ ... })");
        }
        cJSON_Delete(root);
        return false;
    }
    reader r = {err, {NULL, 0, 0}};
    const char *base = base_preset ? base_preset : "shuangjian";
    const cJSON *ext = cJSON_GetObjectItemCaseSensitive(root, "extends");
    bool ok = true;
    if (ext) {
        size_t saved = push_key(&r, "extends");
        ok = expect(&r, ext, cJSON_IsString(ext), "the name of a preset (see --list-presets)");
        if (ok)
            base = ext->valuestring;
        pop(&r, saved);
    }
    size_t which = NPRESETS;
    for (size_t i = 0; ok && i < NPRESETS; i++)
        if (strcmp(presets[i].name, base) == 0)
            which = i;
    if (ok && which == NPRESETS) {
        size_t saved = push_key(&r, "extends");
        ok = fail(&r, "no preset named \"%s\" (see hwcheck --list-presets)", base);
        pop(&r, saved);
    }
    ok = ok && build_preset(p, which, err);
    if (ok) {
        free(p->extends);
        p->extends = hw_xstrndup(presets[which].name, strlen(presets[which].name));
        free(p->name);
        p->name = hw_xstrndup("custom", 6);
        ok = apply(&r, root, p);
        if (!ok)
            hw_policy_free(p);
    }
    cJSON_Delete(root);
    hw_buf_free(&r.path);
    return ok;
}

bool hw_policy_load(hw_policy *p, const char *path, const char *base_preset, hw_buf *err) {
    memset(p, 0, sizeof *p);
    FILE *f = fopen(path, "rb");
    hw_buf text;
    hw_buf_init(&text);
    if (!f) {
        hw_buf_clear(err);
        hw_buf_printf(err, "%s: %s", path, strerror(errno));
        return false;
    }
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len < (1u << 24))
        hw_buf_append(&text, chunk, n);
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (read_error || text.len >= (1u << 24)) {
        hw_buf_clear(err);
        hw_buf_printf(err, "%s: %s", path,
                      read_error ? "cannot read the file" : "too large for a policy (16 MiB)");
        hw_buf_free(&text);
        return false;
    }
    hw_buf msg;
    hw_buf_init(&msg);
    bool ok = hw_policy_parse(p, text.data ? text.data : "", text.len, base_preset, &msg);
    if (!ok) {
        hw_buf_clear(err);
        hw_buf_printf(err, "%s: %s", path, msg.data);
    }
    hw_buf_free(&msg);
    hw_buf_free(&text);
    return ok;
}

/* ---- printing ---------------------------------------------------------- */

static cJSON *minutes_json(int64_t umin) {
    return hw_need(umin == HW_NO_CAP ? cJSON_CreateNull() : cJSON_CreateNumber((double)umin / 1e6));
}

static cJSON *words_json(const hw_strlist *l) {
    cJSON *a = hw_need(cJSON_CreateArray());
    for (size_t i = 0; i < l->n; i++)
        cJSON_AddItemToArray(a, hw_need(cJSON_CreateString(l->item[i])));
    return a;
}

/* Prints JSON the way people edit it: two-space indents, one key a line,
 * arrays of plain values on one line. */
static void pretty(const cJSON *v, int depth, hw_buf *out) {
    bool container = cJSON_IsObject(v) || cJSON_IsArray(v);
    bool flat = cJSON_IsArray(v);
    for (const cJSON *c = container ? v->child : NULL; c && flat; c = c->next)
        flat = !cJSON_IsObject(c) && !cJSON_IsArray(c);
    if (flat && v->child) { /* cJSON writes [1,2]; people write [1, 2] */
        hw_buf_puts(out, "[");
        for (const cJSON *c = v->child; c; c = c->next) {
            char *s = hw_need(cJSON_PrintUnformatted(c));
            hw_buf_puts(out, s);
            hw_buf_puts(out, c->next ? ", " : "");
            free(s);
        }
        hw_buf_puts(out, "]");
        return;
    }
    if (!container || !v->child) {
        char *s = hw_need(cJSON_PrintUnformatted(v));
        hw_buf_puts(out, s);
        free(s);
        return;
    }
    hw_buf_puts(out, cJSON_IsObject(v) ? "{\n" : "[\n");
    for (const cJSON *c = v->child; c; c = c->next) {
        hw_buf_printf(out, "%*s", (depth + 1) * 2, "");
        if (cJSON_IsObject(v)) {
            cJSON *key = hw_need(cJSON_CreateString(c->string));
            char *k = hw_need(cJSON_PrintUnformatted(key));
            hw_buf_printf(out, "%s: ", k);
            free(k);
            cJSON_Delete(key);
        }
        pretty(c, depth + 1, out);
        hw_buf_puts(out, c->next ? ",\n" : "\n");
    }
    hw_buf_printf(out, "%*s%s", depth * 2, "", cJSON_IsObject(v) ? "}" : "]");
}

void hw_policy_to_json(const hw_policy *p, hw_buf *out) {
    cJSON *o = hw_need(cJSON_CreateObject());
    cJSON_AddItemToObject(o, "name", hw_need(cJSON_CreateString(p->name ? p->name : "custom")));
    if (p->description)
        cJSON_AddItemToObject(o, "description", hw_need(cJSON_CreateString(p->description)));
    if (p->extends)
        cJSON_AddItemToObject(o, "extends", hw_need(cJSON_CreateString(p->extends)));
    cJSON *bands = hw_need(cJSON_AddArrayToObject(o, "bands"));
    for (size_t i = 0; i < p->nbands; i++) {
        const hw_band *b = &p->band[i];
        cJSON *bo = hw_need(cJSON_CreateObject());
        cJSON_AddItemToArray(bands, bo);
        if (b->name)
            cJSON_AddItemToObject(bo, "name", hw_need(cJSON_CreateString(b->name)));
        int g[2] = {b->lo, b->hi};
        cJSON_AddItemToObject(bo, "grades", hw_need(cJSON_CreateIntArray(g, 2)));
        cJSON_AddItemToObject(bo, "written", hw_need(cJSON_CreateBool(b->written_allowed)));
        cJSON_AddItemToObject(bo, "daily_cap", minutes_json(b->daily_cap));
        cJSON_AddItemToObject(bo, "weekly_average_cap", minutes_json(b->weekly_average_cap));
        cJSON_AddItemToObject(bo, "weekly_average_over",
                              hw_need(cJSON_CreateString(avg_names[b->weekly_average_over])));
        cJSON *caps = hw_need(cJSON_AddObjectToObject(bo, "subject_caps"));
        for (size_t k = 0; k < b->nsubject_caps; k++)
            cJSON_AddItemToObject(caps, b->subject_cap[k].subject,
                                  minutes_json(b->subject_cap[k].cap));
    }
    cJSON *days = hw_need(cJSON_AddArrayToObject(o, "homework_free_weekdays"));
    for (int d = 1; d <= 7; d++)
        if (p->free_weekdays & (1u << d))
            cJSON_AddItemToArray(days, hw_need(cJSON_CreateNumber(d)));
    cJSON *types = hw_need(cJSON_AddObjectToObject(o, "types"));
    cJSON_AddItemToObject(types, "written", words_json(&p->written));
    cJSON_AddItemToObject(types, "not_written", words_json(&p->not_written));
    cJSON *cols = hw_need(cJSON_AddObjectToObject(o, "columns"));
    for (int f = 0; f < HW_FIELD__COUNT; f++)
        cJSON_AddItemToObject(cols, hw_field_name((hw_field)f), words_json(&p->alias[f]));
    cJSON *sev = hw_need(cJSON_AddObjectToObject(o, "severity"));
    for (int r = 0; r < HW_RULE__COUNT; r++)
        cJSON_AddItemToObject(sev, hw_rule_id((hw_rule)r),
                              hw_need(cJSON_CreateString(sev_names[p->severity[r]])));
    if (p->warn_at_permille)
        cJSON_AddItemToObject(o, "warn_at",
                              hw_need(cJSON_CreateNumber(p->warn_at_permille / 1000.0)));
    else
        cJSON_AddItemToObject(o, "warn_at", hw_need(cJSON_CreateNull()));
    pretty(o, 0, out);
    hw_buf_puts(out, "\n");
    cJSON_Delete(o);
}
