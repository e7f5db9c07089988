/* The line formats CI tools read: --format gcc (FILE:LINE:COL: error: ...
 * [rule], as compilers print, which editors, make and GitLab parse) and
 * --format github (workflow commands that GitHub Actions turns into
 * annotations on the offending row). Severity words stay English in both:
 * the tools that read these lines match them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw_report_fmt.h"

void hw_report_relpath(hw_buf *out, const char *path) {
    /* The working directory does not change during a run: ask once. */
    static char cwd[4096];
    static int have_cwd = -1;
    if (have_cwd < 0)
        have_cwd = getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, "/") != 0;
    if (path[0] == '/' && have_cwd) {
        size_t n = strlen(cwd);
        if (strncmp(path, cwd, n) == 0 && path[n] == '/')
            path += n + 1;
    }
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
    hw_buf_puts(out, *path ? path : ".");
}

/* ------------------------------------------------------------------ gcc */

static void gcc_begin(hw_report *r, const hw_policy *p) {
    (void)r;
    (void)p;
}

static void gcc_line(hw_report *r, const char *file, unsigned long line, unsigned col,
                     const char *severity, const char *message, const char *rule) {
    hw_buf path, msg;
    hw_buf_init(&path);
    hw_buf_init(&msg);
    hw_report_relpath(&path, file);
    hw_report_one_line(&msg, message);
    if (line)
        fprintf(r->out, "%s:%lu:%u: %s: %s [%s]\n", path.data, line, col ? col : 1, severity,
                msg.data, rule);
    else
        fprintf(r->out, "%s: %s: %s [%s]\n", path.data, severity, msg.data, rule);
    hw_buf_free(&path);
    hw_buf_free(&msg);
}

static void gcc_input_error(hw_report *r, const hw_input_error *e) {
    hw_buf file;
    hw_buf_init(&file);
    hw_report_one_line(&file, e->file);
    gcc_line(r, file.data, e->line, e->column, "error", e->message, HW_INPUT_ERROR_RULE);
    hw_buf_free(&file);
}

static void gcc_finding(hw_report *r, const hw_totals *t, const hw_finding *f,
                        const char *const *files, const char *message) {
    const hw_row_ref *first = &t->row[f->rows[0]];
    gcc_line(r, files[first->file], first->line, 1,
             f->severity == HW_SEV_ERROR ? "error" : "warning", message, hw_rule_id(f->rule));
}

static void gcc_unmatched(hw_report *r, const hw_unmatched *u, const char *message) {
    hw_buf line;
    hw_buf_init(&line);
    hw_report_one_line(&line, message);
    fprintf(r->out, "%s: note: %s\n", u->baseline, line.data);
    hw_buf_free(&line);
}

static void gcc_end(hw_report *r, const hw_summary *s) {
    (void)r;
    (void)s;
}

const hw_report_writer hw_writer_gcc = {gcc_begin, gcc_input_error, gcc_finding, gcc_unmatched,
                                        gcc_end};

/* --------------------------------------------------------------- github */

/* Escapes as @actions/core does: the message ("data") loses %, CR and LF;
 * a property value also : and ,. */
static void gh_escape(hw_buf *out, const char *s, int property) {
    for (; *s; s++) {
        switch (*s) {
        case '%':
            hw_buf_puts(out, "%25");
            break;
        case '\r':
            hw_buf_puts(out, "%0D");
            break;
        case '\n':
            hw_buf_puts(out, "%0A");
            break;
        case ':':
            hw_buf_puts(out, property ? "%3A" : ":");
            break;
        case ',':
            hw_buf_puts(out, property ? "%2C" : ",");
            break;
        default:
            hw_buf_append(out, s, 1);
        }
    }
}

/* ::KIND file=F,line=L,col=C,title=T::MESSAGE; file NULL for none, line 0
 * for a whole file. */
static void gh_command(hw_report *r, const char *kind, const char *file, unsigned long line,
                       unsigned col, const char *title, const char *message) {
    hw_buf b, v;
    hw_buf_init(&b);
    hw_buf_init(&v);
    hw_buf_printf(&b, "::%s ", kind);
    if (file) {
        hw_msg_excerpt(&v, file, strlen(file), SIZE_MAX, 0);
        hw_buf_puts(&b, "file=");
        hw_buf path;
        hw_buf_init(&path);
        hw_report_relpath(&path, v.data);
        gh_escape(&b, path.data, 1);
        hw_buf_free(&path);
        if (line)
            hw_buf_printf(&b, ",line=%lu", line);
        if (line && col)
            hw_buf_printf(&b, ",col=%u", col);
        hw_buf_puts(&b, ",");
    }
    hw_buf_puts(&b, "title=");
    gh_escape(&b, title, 1);
    hw_buf_puts(&b, "::");
    hw_buf_clear(&v);
    hw_msg_excerpt(&v, message, strlen(message), SIZE_MAX, 0);
    gh_escape(&b, v.data, 0);
    hw_buf_puts(&b, "\n");
    fputs(b.data, r->out);
    hw_buf_free(&b);
    hw_buf_free(&v);
}

static void gh_input_error(hw_report *r, const hw_input_error *e) {
    gh_command(r, "error", e->file, e->line, e->column, "hwcheck " HW_INPUT_ERROR_RULE, e->message);
}

static void gh_finding(hw_report *r, const hw_totals *t, const hw_finding *f,
                       const char *const *files, const char *message) {
    const hw_row_ref *first = &t->row[f->rows[0]];
    hw_buf title;
    hw_buf_init(&title);
    hw_buf_printf(&title, "hwcheck %s", hw_rule_id(f->rule));
    gh_command(r, f->severity == HW_SEV_ERROR ? "error" : "warning", files[first->file],
               first->line, 1, title.data, message);
    hw_buf_free(&title);
}

static void gh_unmatched(hw_report *r, const hw_unmatched *u, const char *message) {
    (void)u;
    gh_command(r, "notice", NULL, 0, 0, "hwcheck baseline", message);
}

/* GitHub shows only the first annotations of a step: the totals come last,
 * as a notice of their own. */
static void gh_end(hw_report *r, const hw_summary *s) {
    hw_buf msg;
    hw_buf_init(&msg);
    hw_report_summary_text(&msg, r->lang, s);
    gh_command(r, "notice", NULL, 0, 0, "hwcheck", msg.data);
    hw_buf_free(&msg);
}

const hw_report_writer hw_writer_github = {gcc_begin, gh_input_error, gh_finding, gh_unmatched,
                                           gh_end};
