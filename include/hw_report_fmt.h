/* Report formats beyond text and JSON plug into report.c through a writer:
 * report.c builds each finding's message and the cleaned file names, a writer
 * only lays them out. One writer per format, one source file per family. */
#ifndef HW_REPORT_FMT_H
#define HW_REPORT_FMT_H

#include "hw_report.h"
#include "hw_util.h"

/* What a writer does at each step of a report; every member is required. */
typedef struct hw_report_writer {
    void (*begin)(hw_report *r, const hw_policy *p);
    void (*input_error)(hw_report *r, const hw_input_error *e);
    /* files: the input files' names, printable; message: in the report's language. */
    void (*finding)(hw_report *r, const hw_totals *t, const hw_finding *f, const char *const *files,
                    const char *message);
    /* message: the note on the entry, in the report's language. */
    void (*unmatched)(hw_report *r, const hw_unmatched *u, const char *message);
    void (*end)(hw_report *r, const hw_summary *s);
} hw_report_writer;

/* --format gcc and --format github (src/report_ci.c). */
extern const hw_report_writer hw_writer_gcc;
extern const hw_report_writer hw_writer_github;
/* --format sarif (src/report_sarif.c). */
extern const hw_report_writer hw_writer_sarif;

/* Appends path as the working directory sees it: "./" prefixes dropped, and
 * an absolute path inside the working directory made relative. Other paths
 * are kept as given. */
void hw_report_relpath(hw_buf *out, const char *path);

/* Replaces b's content with a printable one-line copy of s: file names need
 * not be UTF-8, and a line break inside a name must not start a new line
 * that tools would misread (control characters become spaces). */
void hw_report_one_line(hw_buf *b, const char *s);
/* The input files' names made printable once for a whole report (with
 * oneline, as hw_report_one_line makes them); free with hw_report_files_free. */
char **hw_report_files(const hw_totals *t, int oneline);
void hw_report_files_free(char **files, const hw_totals *t);

/* Appends the summary as people read it: the files, rows and classes
 * checked, then what was found (or that all is clear), then with a baseline
 * what it left out; one line each, with no line end after the last. */
void hw_report_summary_text(hw_buf *b, hw_lang lang, const hw_summary *s);

struct cJSON;
/* Writes o to the report on one line (cJSON_PrintUnformatted) and deletes it. */
void hw_report_print_json(hw_report *r, struct cJSON *o);
/* The summary's counts as a JSON object, for the JSON report and SARIF's
 * properties; the caller owns it (cJSON_Delete). */
struct cJSON *hw_report_summary_json(const hw_summary *s);

/* The id of the rule that input errors are reported under ("input-error"). */
#define HW_INPUT_ERROR_RULE "input-error"

#endif
