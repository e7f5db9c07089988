/* --format sarif: SARIF 2.1.0, the format code-scanning services (GitHub,
 * GitLab, Azure DevOps) read. One run; every rule described in
 * tool.driver.rules; each finding and each input error a result located at
 * its first row, the other rows as related locations. Results are printed
 * one at a time, so memory stays at one finding. */
#include <cjson/cJSON.h>
#include <string.h>

#include "hw_notation.h"
#include "hw_report_fmt.h"

#ifndef HW_HOMEPAGE
#define HW_HOMEPAGE ""
#endif

/* The index of input-error in tool.driver.rules: after every hw_rule. */
#define INPUT_ERROR_INDEX HW_RULE__COUNT

static void add_item(cJSON *array, cJSON *item) {
    if (!cJSON_AddItemToArray(array, item)) {
        cJSON_Delete(item);
        hw_need(NULL);
    }
}

/* {"text": s} as the member key of o. */
static void add_text(cJSON *o, const char *key, const char *s) {
    cJSON *m = hw_need(cJSON_AddObjectToObject(o, key));
    hw_need(cJSON_AddStringToObject(m, "text", s));
}

static const char *level(hw_severity s) {
    return s == HW_SEV_ERROR ? "error" : s == HW_SEV_WARNING ? "warning" : "none";
}

/* A file name as a URI reference: relative to the working directory when
 * it lies inside it, else a file: URI; bytes outside RFC 3986's unreserved
 * set (and '/') percent-encoded. */
static void file_uri(hw_buf *out, const char *file) {
    static const char hex[] = "0123456789ABCDEF";
    hw_buf rel;
    hw_buf_init(&rel);
    hw_report_relpath(&rel, file);
    if (rel.data[0] == '/')
        hw_buf_puts(out, "file://");
    for (const unsigned char *p = (const unsigned char *)rel.data; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            hw_buf_append(out, p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            hw_buf_append(out, e, 3);
        }
    }
    hw_buf_free(&rel);
}

/* The URI of the last file asked for, by its index among the input files:
 * a finding's rows come by file, so most of them reuse it. */
typedef struct {
    hw_buf uri;
    uint32_t file; /* HW_NONE: none yet */
} uri_cache;

/* The URI of file (input file number index), or NULL for standard input,
 * which has no file to point at; valid until the next call. */
static const char *uri_of(uri_cache *c, const char *file, uint32_t index) {
    if (strcmp(file, "<stdin>") == 0)
        return NULL;
    if (c->file != index) {
        hw_buf_clear(&c->uri);
        file_uri(&c->uri, file);
        c->file = index;
    }
    return c->uri.data;
}

/* {"physicalLocation": {artifactLocation, region}}. */
static cJSON *location(const char *uri, unsigned long line) {
    cJSON *loc = hw_need(cJSON_CreateObject());
    cJSON *phys = hw_need(cJSON_AddObjectToObject(loc, "physicalLocation"));
    cJSON *art = hw_need(cJSON_AddObjectToObject(phys, "artifactLocation"));
    hw_need(cJSON_AddStringToObject(art, "uri", uri));
    /* A problem of the whole file (line 0) is shown on its first line. */
    cJSON *region = hw_need(cJSON_AddObjectToObject(phys, "region"));
    hw_need(cJSON_AddNumberToObject(region, "startLine", line ? (double)line : 1.0));
    return loc;
}

static cJSON *rule_json(hw_lang lang, const char *id, size_t i, hw_severity sev) {
    cJSON *rule = hw_need(cJSON_CreateObject());
    hw_need(cJSON_AddStringToObject(rule, "id", id));
    /* SARIF's rule name is an identifier: daily-cap becomes DailyCap. */
    char name[64];
    size_t n = 0;
    for (const char *p = id; *p && n + 1 < sizeof name; p++) {
        if (*p == '-')
            continue;
        name[n++] = (p == id || p[-1] == '-') && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
    }
    name[n] = '\0';
    hw_need(cJSON_AddStringToObject(rule, "name", name));
    add_text(rule, "shortDescription", hw_msg(lang, (hw_msg_id)(HW_M_RULE_SHORT + i)));
    add_text(rule, "fullDescription", hw_msg(lang, (hw_msg_id)(HW_M_RULE_FULL + i)));
    add_text(rule, "help", hw_msg(lang, (hw_msg_id)(HW_M_RULE_HELP + i)));
    cJSON *conf = hw_need(cJSON_AddObjectToObject(rule, "defaultConfiguration"));
    hw_need(cJSON_AddStringToObject(conf, "level", level(sev)));
    return rule;
}

static void sarif_begin(hw_report *r, const hw_policy *p) {
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
          "\"runs\":[{\"tool\":",
          r->out);
    cJSON *tool = hw_need(cJSON_CreateObject());
    cJSON *driver = hw_need(cJSON_AddObjectToObject(tool, "driver"));
    hw_need(cJSON_AddStringToObject(driver, "name", "hwcheck"));
    hw_need(cJSON_AddStringToObject(driver, "version", HW_VERSION));
    hw_need(cJSON_AddStringToObject(driver, "semanticVersion", HW_VERSION));
    if (*HW_HOMEPAGE)
        hw_need(cJSON_AddStringToObject(driver, "informationUri", HW_HOMEPAGE));
    cJSON *rules = hw_need(cJSON_AddArrayToObject(driver, "rules"));
    for (size_t i = 0; i < HW_RULE__COUNT; i++)
        add_item(rules, rule_json(r->lang, hw_rule_id((hw_rule)i), i, p->severity[i]));
    add_item(rules, rule_json(r->lang, HW_INPUT_ERROR_RULE, INPUT_ERROR_INDEX, HW_SEV_ERROR));
    /* The policy in effect, so a result can be traced to its caps. */
    cJSON *props = hw_need(cJSON_AddObjectToObject(driver, "properties"));
    hw_need(cJSON_AddStringToObject(props, "policy", p->name ? p->name : ""));
    hw_report_print_json(r, tool);
    fputs(",\n\"results\":[", r->out);
}

static void put_result(hw_report *r, cJSON *result) {
    fputs(r->nitems ? ",\n" : "\n", r->out);
    hw_report_print_json(r, result);
    r->nitems++;
}

static cJSON *result_json(const char *rule, size_t index, const char *lvl, const char *message) {
    cJSON *res = hw_need(cJSON_CreateObject());
    hw_need(cJSON_AddStringToObject(res, "ruleId", rule));
    hw_need(cJSON_AddNumberToObject(res, "ruleIndex", (double)index));
    hw_need(cJSON_AddStringToObject(res, "level", lvl));
    add_text(res, "message", message);
    return res;
}

static void sarif_input_error(hw_report *r, const hw_input_error *e) {
    hw_buf b;
    hw_buf_init(&b);
    hw_msg_excerpt(&b, e->message, strlen(e->message), SIZE_MAX, 0);
    cJSON *res = result_json(HW_INPUT_ERROR_RULE, INPUT_ERROR_INDEX, "error", b.data);
    hw_buf_clear(&b);
    hw_msg_excerpt(&b, e->file, strlen(e->file), SIZE_MAX, 0);
    uri_cache uc = {.file = HW_NONE};
    const char *uri = uri_of(&uc, b.data, 0);
    if (uri) {
        cJSON *locs = hw_need(cJSON_AddArrayToObject(res, "locations"));
        add_item(locs, location(uri, e->line));
    }
    hw_buf_free(&uc.uri);
    /* The column is a CSV column, not a character position: a property, not
     * region.startColumn. */
    if (e->column) {
        cJSON *props = hw_need(cJSON_AddObjectToObject(res, "properties"));
        hw_need(cJSON_AddNumberToObject(props, "column", e->column));
        if (e->header) {
            hw_buf_clear(&b);
            hw_msg_excerpt(&b, e->header, strlen(e->header), SIZE_MAX, 0);
            hw_need(cJSON_AddStringToObject(props, "header", b.data));
        }
    }
    hw_buf_free(&b);
    put_result(r, res);
}

/* Rows that move keep a finding's identity: what the baseline matches on. */
static void fingerprint(hw_buf *b, const hw_totals *t, const hw_finding *f) {
    hw_finding_id id;
    hw_finding_identity(&id, t, f);
    /* The parts a rule does not have are left out, separator and all. */
    for (size_t i = 0; i < HW_FINDING_ID_PARTS; i++) {
        if (!id.part[i])
            continue;
        if (i)
            hw_buf_puts(b, "|");
        hw_buf_puts(b, id.part[i]);
    }
    uint64_t h = hw_hash(b->data, b->len);
    hw_buf_clear(b);
    hw_buf_printf(b, "%016llx", (unsigned long long)h);
}

static void sarif_finding(hw_report *r, const hw_totals *t, const hw_finding *f,
                          const char *const *files, const char *message) {
    cJSON *res = result_json(hw_rule_id(f->rule), (size_t)f->rule, level(f->severity), message);
    const hw_row_ref *first = &t->row[f->rows[0]];
    uri_cache uc = {.file = HW_NONE};
    const char *uri = uri_of(&uc, files[first->file], first->file);
    if (uri) {
        cJSON *locs = hw_need(cJSON_AddArrayToObject(res, "locations"));
        add_item(locs, location(uri, first->line));
    }
    cJSON *related = NULL;
    char mins[32];
    hw_buf b;
    hw_buf_init(&b);
    for (size_t i = 1; i < f->nrows; i++) {
        const hw_row_ref *row = &t->row[f->rows[i]];
        uri = uri_of(&uc, files[row->file], row->file);
        if (!uri)
            continue;
        cJSON *rl = location(uri, row->line);
        if (!related)
            related = hw_need(cJSON_AddArrayToObject(res, "relatedLocations"));
        hw_need(cJSON_AddNumberToObject(rl, "id", (double)i));
        hw_format_minutes_text(row->umin, mins);
        hw_buf_clear(&b);
        hw_buf_printf(&b, r->lang == HW_LANG_ZH ? "%s %s 分钟" : "%s %s min",
                      hw_totals_str(t, row->subject), mins);
        add_text(rl, "message", b.data);
        add_item(related, rl);
    }
    hw_buf_clear(&b);
    fingerprint(&b, t, f);
    cJSON *fp = hw_need(cJSON_AddObjectToObject(res, "partialFingerprints"));
    hw_need(cJSON_AddStringToObject(fp, "hwcheckFinding/v1", b.data));
    hw_buf_free(&b);
    hw_buf_free(&uc.uri);
    put_result(r, res);
}

static void sarif_unmatched(hw_report *r, const hw_unmatched *u, const char *message) {
    (void)u;
    fputs(r->nunmatched ? ",\n"
                        : "\n],\n\"invocations\":[{\"executionSuccessful\":true,"
                          "\"toolExecutionNotifications\":[\n",
          r->out);
    cJSON *n = hw_need(cJSON_CreateObject());
    hw_need(cJSON_AddStringToObject(n, "level", "note"));
    add_text(n, "message", message);
    hw_report_print_json(r, n);
}

static void sarif_end(hw_report *r, const hw_summary *s) {
    if (r->nunmatched)
        fputs("\n]}]", r->out);
    else
        fputs(r->nitems ? "\n],\n\"invocations\":[{\"executionSuccessful\":true}]"
                        : "],\n\"invocations\":[{\"executionSuccessful\":true}]",
              r->out);
    cJSON *o = hw_report_summary_json(s);
    fputs(",\n\"columnKind\":\"unicodeCodePoints\",\"properties\":{\"summary\":", r->out);
    hw_report_print_json(r, o);
    fputs("}}]}\n", r->out);
}

const hw_report_writer hw_writer_sarif = {sarif_begin, sarif_input_error, sarif_finding,
                                          sarif_unmatched, sarif_end};
