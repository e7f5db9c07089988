#include "pipeline.h"

#include <stdio.h>
#include <stdlib.h>

#include "hw_check.h"
#include "hw_rules.h"

void pipeline_run(const pipeline_opts *o, const char *const *paths, size_t n,
                  pipeline_result *res) {
    res->text = NULL;
    res->len = 0;
    FILE *out = open_memstream(&res->text, &res->len);
    if (!out)
        abort();
    hw_report report;
    hw_report_begin(&report, o->format, o->lang, out, o->policy);
    report.jobs = o->jobs;
    hw_check_opts copts = {.policy = o->policy,
                           .encoding = o->encoding,
                           .lang = o->lang,
                           .sink = {hw_report_input_error, &report},
                           .jobs = o->jobs,
                           .part_size = o->part_size,
                           .fill_down = o->fill_down};
    hw_check check;
    hw_check_init(&check, &copts);
    hw_check_files(&check, paths, NULL, n);
    hw_findings findings;
    hw_rules_run_jobs(o->policy, &check.totals, &findings, o->jobs);
    hw_report_findings(&report, &check.totals, &findings);
    res->summary = hw_check_summary(&check, &findings);
    hw_report_end(&report, &res->summary);
    hw_findings_free(&findings);
    hw_check_free(&check);
    if (fclose(out) != 0)
        abort();
}
