/* What a run does once the options are read: the policy, the inputs, the
 * pipeline over them, the reports and the exit status. */
#include "hw_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw_baseline.h"
#include "hw_check.h"
#include "hw_inputs.h"
#include "hw_output.h"
#include "hw_pool.h"
#include "hw_progress.h"
#include "hw_rules.h"

int hw_usage_error(hw_lang lang, const char *what, const char *arg) {
    if (lang == HW_LANG_ZH)
        fprintf(stderr, "hwcheck：%s%s%s\n请运行 hwcheck --help 查看用法。\n", what,
                arg ? "：" : "", arg ? arg : "");
    else
        fprintf(stderr, "hwcheck: %s%s%s\nTry 'hwcheck --help'.\n", what, arg ? ": " : "",
                arg ? arg : "");
    return 2;
}

/* Prints "hwcheck: " and a message whose format takes two strings. */
static void print_error(hw_lang lang, hw_msg_id id, const char *a, const char *b) {
    fputs("hwcheck: ", stderr);
    fprintf(stderr, hw_msg(lang, id), a, b);
    fputs("\n", stderr);
}

/* Loads the policy the options name; a bad policy stops the run before any
 * input is read. Returns -1 to go on, or the exit status. */
static int load_policy(const hw_options *o, hw_policy *policy) {
    if (o->preset) {
        /* With --policy the preset is the base of a file that names none in
         * "extends"; it must exist either way. */
        const char *name, *desc;
        bool known = false;
        for (size_t i = 0; hw_policy_preset_info(i, &name, &desc); i++)
            known = known || strcmp(name, o->preset) == 0;
        if (!known || (!o->policy_file && !hw_policy_preset(policy, o->preset)))
            return hw_usage_error(o->lang,
                                  o->lang == HW_LANG_ZH ? "没有这个内置策略（见 --list-presets）"
                                                        : "no such preset (see --list-presets)",
                                  o->preset);
    }
    if (o->policy_file) {
        hw_buf err;
        hw_buf_init(&err);
        if (!hw_policy_load(policy, o->policy_file, o->preset, &err)) {
            fprintf(stderr,
                    o->lang == HW_LANG_ZH ? "hwcheck：策略文件有误，未检查任何文件：%s\n"
                                          : "hwcheck: bad policy, nothing was checked: %s\n",
                    err.data);
            hw_buf_free(&err);
            return 2;
        }
        hw_buf_free(&err);
    } else if (!o->preset) {
        hw_policy_default(policy);
    }
    return -1;
}

/* With --write-baseline, input errors go to the report and to the baseline. */
static void input_error_to_both(void *reports, const hw_input_error *e) {
    hw_report *r = reports;
    hw_report_input_error(&r[0], e);
    hw_report_input_error(&r[1], e);
}

/* The files to check: the arguments, then the --files-from list, folders
 * searched. Returns -1 to go on, or the exit status. */
static int expand_inputs(const hw_options *o, hw_error_sink sink, hw_inputs *in) {
    hw_inputs_init(in, o->lang, sink);
    in->jobs = o->jobs;
    hw_inputs_add_all(in, (const char *const *)o->files, o->nfiles);
    if (!o->files_from)
        return -1;
    bool is_stdin = strcmp(o->files_from, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(o->files_from, "r");
    if (!f || !hw_inputs_add_list(in, f)) {
        int e = errno;
        fprintf(stderr,
                o->lang == HW_LANG_ZH ? "hwcheck：无法读取文件列表 %s：%s\n"
                                      : "hwcheck: cannot read the list of files %s: %s\n",
                o->files_from, strerror(e));
        if (f && !is_stdin)
            fclose(f);
        return 2;
    }
    if (!is_stdin)
        fclose(f);
    return -1;
}

static int print_and_exit(FILE *f, const char *text) {
    fputs(text, f);
    return fflush(f) == 0 && !ferror(f) ? 0 : 2;
}

/* The last steps of a run, done at once on two threads: the report file
 * put in place (replacing the previous one frees its blocks, some
 * milliseconds for a district's report) and the totals freed (as long). */
typedef struct {
    hw_output *out;
    bool closed;
    int err; /* errno when not closed */
    hw_findings *findings;
    hw_check *check;
} finish;

static void finish_step(void *ctx, size_t i) {
    finish *f = ctx;
    if (i == 0) {
        f->closed = hw_output_close(f->out);
        f->err = errno;
    } else {
        hw_findings_free(f->findings);
        hw_check_free(f->check);
    }
}

static int run(const hw_options *op) {
    const hw_options o = *op;
    int status;
    if (o.list_presets) {
        hw_buf text;
        hw_buf_init(&text);
        const char *name, *desc;
        for (size_t i = 0; hw_policy_preset_info(i, &name, &desc); i++)
            hw_buf_printf(&text, "%-22s %s\n", name, desc);
        status = print_and_exit(stdout, text.data);
        hw_buf_free(&text);
        return status;
    }

    hw_policy policy;
    status = load_policy(&o, &policy);
    if (status >= 0)
        return status;
    if (o.print_policy) {
        hw_buf text;
        hw_buf_init(&text);
        hw_policy_to_json(&policy, &text);
        status = print_and_exit(stdout, text.data);
        hw_buf_free(&text);
        hw_policy_free(&policy);
        return status;
    }
    hw_baseline baseline;
    memset(&baseline, 0, sizeof baseline);
    if (o.baseline) {
        hw_buf err;
        hw_buf_init(&err);
        if (!hw_baseline_load(&baseline, o.baseline, o.lang, &err)) {
            print_error(o.lang, HW_M_BASELINE_BAD, o.baseline, err.data);
            hw_buf_free(&err);
            hw_policy_free(&policy);
            return 2;
        }
        hw_buf_free(&err);
    }
    hw_output out, bout;
    if (!hw_output_open(&out, o.output)) {
        int e = errno;
        hw_baseline_free(&baseline);
        hw_policy_free(&policy);
        fprintf(stderr,
                o.lang == HW_LANG_ZH ? "hwcheck：无法创建报告文件 %s：%s\n"
                                     : "hwcheck: cannot create the report file %s: %s\n",
                o.output, strerror(e));
        return 2;
    }
    if (o.write_baseline && !hw_output_open(&bout, o.write_baseline)) {
        int e = errno;
        hw_output_abort(&out);
        hw_baseline_free(&baseline);
        hw_policy_free(&policy);
        print_error(o.lang, HW_M_BASELINE_WRITE, o.write_baseline, strerror(e));
        return 2;
    }

    /* The report, and with --write-baseline a JSON report of every finding
     * beside it: input errors go to both. */
    hw_report report[2];
    size_t nreports = o.write_baseline ? 2 : 1;
    hw_report_begin(&report[0], o.format, o.lang, out.fp, &policy);
    report[0].summary = o.summary;
    report[0].out_encoding = o.out_encoding;
    report[0].jobs = o.jobs;
    if (o.write_baseline) {
        hw_report_begin(&report[1], HW_FORMAT_JSON, o.lang, bout.fp, &policy);
        report[1].jobs = o.jobs;
    }
    hw_error_sink sink = {nreports == 2 ? input_error_to_both : hw_report_input_error, report};
    hw_inputs inputs;
    status = expand_inputs(&o, sink, &inputs);
    if (status >= 0) {
        hw_inputs_free(&inputs);
        hw_output_abort(&out);
        if (o.write_baseline)
            hw_output_abort(&bout);
        hw_baseline_free(&baseline);
        hw_policy_free(&policy);
        return status;
    }
    hw_progress progress;
    hw_progress_start(&progress, stderr, false, inputs.n, o.lang);
    hw_check_opts copts = {.policy = &policy,
                           .encoding = o.encoding,
                           .lang = o.lang,
                           .sink = sink,
                           .progress = &progress,
                           .jobs = o.jobs,
                           .fill_down = o.fill_down};
    hw_check check;
    hw_check_init(&check, &copts);
    hw_check_files(&check, (const char *const *)inputs.path, inputs.size, inputs.n);
    hw_progress_finish(&progress);
    check.errors += inputs.errors;
    hw_inputs_free(&inputs);

    hw_findings findings;
    hw_rules_run_jobs(&policy, &check.totals, &findings, o.jobs);
    hw_summary summary = hw_check_summary(&check, &findings);
    status = 0;
    if (o.write_baseline) {
        hw_report_findings(&report[1], &check.totals, &findings);
        hw_report_end(&report[1], &summary);
        if (!hw_output_close(&bout)) {
            print_error(o.lang, HW_M_BASELINE_WRITE, o.write_baseline, strerror(errno));
            status = 2;
        }
    }
    if (o.baseline) {
        summary.baseline = true;
        summary.baselined = hw_baseline_apply(&baseline, &check.totals, &findings);
        summary.findings = findings.n;
        summary.breaches = findings.errors;
        summary.warnings = findings.warnings;
    }
    hw_report_findings(&report[0], &check.totals, &findings);
    if (o.baseline)
        summary.unmatched = hw_baseline_report_unmatched(&baseline, &check.totals, &report[0]);
    hw_report_end(&report[0], &summary);

    if (summary.errors || status == 2)
        status = 2;
    else if (o.fail_on == HW_SEV_ERROR)
        status = summary.breaches ? 1 : 0;
    else if (o.fail_on == HW_SEV_WARNING)
        status = summary.findings ? 1 : 0;
    finish fin = {&out, false, 0, &findings, &check};
    hw_pool_run(2, o.jobs, finish_step, &fin);
    if (!fin.closed) {
        fprintf(stderr,
                o.lang == HW_LANG_ZH ? "hwcheck：无法写入报告 %s：%s\n"
                                     : "hwcheck: cannot write the report to %s: %s\n",
                o.output               ? o.output
                : o.lang == HW_LANG_ZH ? "标准输出"
                                       : "standard output",
                strerror(fin.err));
        status = 2;
    }
    hw_baseline_free(&baseline);
    hw_policy_free(&policy);
    return status;
}

int hw_run(const hw_options *op) {
    int status = run(op);
    hw_pool_crew_end(); /* the program ends with no thread of its own left */
    return status;
}
