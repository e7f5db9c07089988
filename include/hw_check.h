/* The pipeline for a list of inputs: each file is opened, sniffed, decoded,
 * parsed as CSV, read into records and added to the totals. */
#ifndef HW_CHECK_H
#define HW_CHECK_H

#include <stddef.h>

#include "hw_decode.h"
#include "hw_msg.h"
#include "hw_policy.h"
#include "hw_progress.h"
#include "hw_report.h"
#include "hw_totals.h"

typedef struct {
    const hw_policy *policy;
    hw_encoding encoding; /* HW_ENC_AUTO unless --encoding */
    hw_lang lang;
    hw_error_sink sink;    /* where input errors go */
    hw_progress *progress; /* told of rows as they are read, or NULL */
    unsigned jobs;         /* threads for hw_check_files; 1 reads one file at a time */
    size_t part_size;      /* bytes per part of a split file; 0: the default */
    bool fill_down;        /* --fill-down (hw_fill_down): files are then read whole */
} hw_check_opts;

/* The most threads -j accepts. */
#define HW_MAX_JOBS 256

typedef struct {
    hw_check_opts opts;
    hw_totals totals;
    size_t files;
    size_t rows;     /* data rows read */
    size_t bad_rows; /* rows with an input error */
    size_t errors;   /* input errors reported */
    /* Reading ahead of the totals before it (a thread's share of the input),
     * to be merged only if every class's grade agrees with them (else read
     * again in order). A row whose grade conflicts with one a row of the
     * share fixed is reported at once, as one thread would; conflict lists
     * those errors, so that the merge names where the grade was fixed as
     * the merged totals have it (hw_check_report_conflict). */
    bool speculative;
    struct hw_conflict *conflict;
    size_t nconflicts, capconflicts;
} hw_check;

/* A grade conflict reported by a speculative check: its error (counting the
 * check's errors from 0) and the class's school and name. */
typedef struct hw_conflict {
    size_t error;
    char *school, *cls;
    size_t school_len, cls_len;
} hw_conflict;

/* A piece of a regular file that starts at a row boundary. */
typedef struct {
    long long start, end; /* byte range; end -1: to the end of the file */
    unsigned long line;   /* the editor's line of the byte at start */
    hw_encoding encoding; /* UTF-8 or GB18030, decided for the whole file */
    bool valid_utf8;      /* the whole file was found to be valid UTF-8 */
    bool check_utf8;      /* or is taken to be, this part checking its own bytes */
} hw_part;

typedef enum {
    HW_PART_OK = 0,
    HW_PART_NO_HEADER,    /* no header row before the end of a first part that is not the last */
    HW_PART_CUT_ROW,      /* the part does not end between rows: its end is no row boundary */
    HW_PART_HEADER_AGAIN, /* a header row came again: the parts after it were read by the old */
    HW_PART_NOT_UTF8,     /* check_utf8, and its bytes are not valid UTF-8 (nothing is kept) */
} hw_part_status;

/* Starts a check; free with hw_check_free. */
void hw_check_init(hw_check *c, const hw_check_opts *opts);
/* Frees what a check holds. */
void hw_check_free(hw_check *c);
/* Reads one input ("-" is standard input) into the totals. Problems become
 * input errors; the check goes on with the next file. */
void hw_check_file(hw_check *c, const char *path);
/* The encoding hw_check_file reads the regular file open as fd in (the
 * guess it makes when none is given), reading it from its start; *valid:
 * the file is valid UTF-8 throughout. HW_ENC_AUTO when it cannot be read. */
hw_encoding hw_check_guess_encoding(int fd, bool *valid);
/* Reads a part of file number file (already added to c's totals) into c.
 * A part after the first reads the file's header from the file's start
 * silently. Sets *next_line to the line of the byte at the part's end. */
hw_part_status hw_check_part(hw_check *c, const char *path, uint32_t file, const hw_part *part,
                             unsigned long *next_line);
/* A part of an input held in memory: bytes[0..len) (part->start and
 * part->end tell where they lie in the input), then, when more >= 0, what
 * more gives after them; head[0..head_len), the input from its start up to
 * its header row at least, for a part after the first. */
typedef struct {
    const unsigned char *head;
    size_t head_len;
    const unsigned char *bytes;
    size_t len;
    int more;
} hw_part_bytes;
/* Whether the header row of file number file (in c) is within its first
 * bytes p[0..n), read as a part after the first reads it (rows after it
 * are not read, and nothing is reported). */
bool hw_check_header_within(hw_check *c, uint32_t file, const unsigned char *p, size_t n,
                            hw_encoding enc, bool valid_utf8);
/* hw_check_part on a part held in memory. */
hw_part_status hw_check_part_bytes(hw_check *c, const hw_part_bytes *b, uint32_t file,
                                   const hw_part *part, unsigned long *next_line);
/* Reads standard input as hw_check_file(c, "-") does, its first n bytes
 * having been read already into bytes (from a pipe). */
void hw_check_stdin_after(hw_check *c, const unsigned char *bytes, size_t n);
/* Reads inputs in the order given, as hw_check_file on each would, using
 * opts.jobs threads: files are read in parallel and a large regular file is
 * split at row boundaries; the totals and the input errors (in file and line
 * order) are the same as with one thread, and settled (hw_totals_settle),
 * ready for the rules. sizes: each input's size in bytes, -1 for one that is
 * not a regular file (hw_inputs.size); NULL to look. */
void hw_check_files(hw_check *c, const char *const *paths, const long long *sizes, size_t n);
/* Reports e, grade conflict k of the speculative check share just merged
 * into c (its files as c's file on), to c's sink (e counted already),
 * naming where c fixed the class's grade. */
void hw_check_report_conflict(hw_check *c, const hw_check *share, uint32_t file,
                              const hw_conflict *k, const hw_input_error *e);

/* The counts that close a report of what c read and the findings on it
 * (no baseline). */
hw_summary hw_check_summary(const hw_check *c, const hw_findings *f);

#endif
