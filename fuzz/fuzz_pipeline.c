/* libFuzzer harness for the whole reading pipeline: bytes in as a file,
 * decoder + CSV reader + record normaliser + totals + rules + report out.
 *
 * Each input is read four ways: as a regular file with the encoding guessed,
 * forced to UTF-8 and forced to GB18030 (with --fill-down), and (when it
 * fits a pipe) through a pipe with the encoding guessed. Checked on every run:
 *   - nothing crashes, leaks or trips a sanitizer;
 *   - no row is lost: every data row is either readable or counted bad, and
 *     a bad row has at least one input error;
 *   - the JSON report parses as JSON and the text report is valid UTF-8;
 *   - a file and a pipe holding the same bytes give the same report;
 *   - standard input from a pipe, cut into a few parts as it comes and read
 *     on two threads, gives the report of one thread reading it in order;
 *   - the file split into a few parts read on two threads gives the report
 *     of one thread (parts merged, class-days settled, rules and report in
 *     shares);
 *   - GB18030 looked up in the decoder's two-byte table (the parts and the
 *     pipe) reads as with iconv alone (the file on one thread);
 *   - UTF-8 checked sixteen bytes at a time reads as thirty-two at a time. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw_decode.h"
#include "hw_policy.h"
#include "hw_utf8_fast.h"
#include "pipeline.h"

/* Both the memory file and the pipe are read through this descriptor, so the
 * file name in every message is the same. */
#define INPUT_FD 200
#define INPUT_PATH "/proc/self/fd/200"
/* A pipe holds 64 KiB before a writer blocks. */
#define PIPE_MAX 65536

static int memfd = -1;

/* Runs the pipeline on path with jobs threads and parts of part_size bytes
 * (0: the default); returns the report (the caller frees it). */
static char *run_path(const char *path, hw_encoding enc, hw_format format, hw_lang lang,
                      unsigned jobs, size_t part_size, bool fill_down, size_t *len) {
    hw_policy policy;
    hw_policy_default(&policy);
    pipeline_opts opts = {.policy = &policy,
                          .encoding = enc,
                          .lang = lang,
                          .format = format,
                          .jobs = jobs,
                          .part_size = part_size,
                          .fill_down = fill_down};
    pipeline_result res;
    pipeline_run(&opts, &path, 1, &res);
    hw_policy_free(&policy);
    /* Never lose a row: a bad row is reported, and bad rows are rows. */
    const hw_summary *s = &res.summary;
    if (s->bad_rows > s->rows || s->errors < s->bad_rows)
        abort();
    *len = res.len;
    return res.text;
}

/* run_path on INPUT_PATH. */
static char *run_jobs(hw_encoding enc, hw_format format, hw_lang lang, unsigned jobs,
                      size_t part_size, bool fill_down, size_t *len) {
    return run_path(INPUT_PATH, enc, format, lang, jobs, part_size, fill_down, len);
}

/* Puts data[0..size) (at most PIPE_MAX) in a new pipe, open as fd. */
static void pipe_as(int fd, const uint8_t *data, size_t size) {
    int p[2];
    if (pipe(p) != 0)
        abort();
    fcntl(p[1], F_SETPIPE_SZ, PIPE_MAX);
    if (size && write(p[1], data, size) != (ssize_t)size)
        abort();
    close(p[1]);
    if (dup2(p[0], fd) < 0)
        abort();
    close(p[0]);
}

/* The report of "-" with data piped to standard input, read with jobs
 * threads in parts of part_size bytes. */
static char *run_stdin(const uint8_t *data, size_t size, unsigned jobs, size_t part_size,
                       size_t *len) {
    int saved = dup(STDIN_FILENO);
    if (saved < 0)
        abort();
    pipe_as(STDIN_FILENO, data, size);
    char *text =
        run_path("-", HW_ENC_AUTO, HW_FORMAT_JSON, HW_LANG_EN, jobs, part_size, false, len);
    if (dup2(saved, STDIN_FILENO) < 0)
        abort();
    close(saved);
    return text;
}

static char *run(hw_encoding enc, hw_format format, hw_lang lang, size_t *len) {
    return run_jobs(enc, format, lang, 1, 0, false, len);
}

static void check_report(const char *text, size_t len, hw_format format) {
    hw_utf8_check u;
    hw_utf8_check_init(&u);
    hw_utf8_check_feed(&u, (const unsigned char *)text, len);
    if (!hw_utf8_check_end(&u) || memchr(text, '\0', len))
        abort(); /* a report is UTF-8 text, whatever the input held */
    if (format == HW_FORMAT_JSON) {
        cJSON *j = cJSON_ParseWithLength(text, len);
        if (!j)
            abort();
        cJSON_Delete(j);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (memfd < 0) {
        memfd = memfd_create("fuzz-input", 0);
        if (memfd < 0)
            abort();
    }
    if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
        abort();
    if (dup2(memfd, INPUT_FD) < 0)
        abort();

    size_t len;
    hw_decode_gb_table(false);
    char *file_json = run(HW_ENC_AUTO, HW_FORMAT_JSON, HW_LANG_EN, &len);
    hw_decode_gb_table(true);
    check_report(file_json, len, HW_FORMAT_JSON);
    size_t file_json_len = len;

    /* UTF-8 checked sixteen bytes at a time instead of thirty-two. */
    hw_decode_gb_table(false);
    hw_utf8_fast_wide(false);
    char *narrow = run(HW_ENC_AUTO, HW_FORMAT_JSON, HW_LANG_EN, &len);
    hw_utf8_fast_wide(true);
    hw_decode_gb_table(true);
    if (len != file_json_len || memcmp(narrow, file_json, len) != 0) {
        fprintf(stderr, "16- and 32-byte UTF-8 checks differ:\n%s\n---\n%s\n", file_json, narrow);
        abort();
    }
    free(narrow);

    /* Parts of a quarter of the input (a file is split once it holds two). */
    if (size >= 16) {
        char *par = run_jobs(HW_ENC_AUTO, HW_FORMAT_JSON, HW_LANG_EN, 2, size / 4, false, &len);
        if (len != file_json_len || memcmp(par, file_json, len) != 0) {
            fprintf(stderr, "one thread and two differ:\n%s\n---\n%s\n", file_json, par);
            abort();
        }
        free(par);
    }

    /* Forced encodings; the GB18030 run with empty cells filled from above. */
    static const hw_encoding forced[] = {HW_ENC_UTF8, HW_ENC_GB18030};
    for (size_t i = 0; i < 2; i++) {
        char *t =
            run_jobs(forced[i], HW_FORMAT_TEXT, i ? HW_LANG_ZH : HW_LANG_EN, 1, 0, i == 1, &len);
        check_report(t, len, HW_FORMAT_TEXT);
        free(t);
    }

    if (size <= PIPE_MAX) {
        pipe_as(INPUT_FD, data, size);
        char *pipe_json = run(HW_ENC_AUTO, HW_FORMAT_JSON, HW_LANG_EN, &len);
        /* The guess from the first 64 KiB sees all of a short input, so a
         * pipe and a file must agree. */
        if (len != file_json_len || memcmp(pipe_json, file_json, len) != 0) {
            fprintf(stderr, "file and pipe reports differ:\n%s\n---\n%s\n", file_json, pipe_json);
            abort();
        }
        free(pipe_json);
    }

    /* Standard input piped, in parts of a quarter of it on two threads. */
    if (size >= 16 && size <= PIPE_MAX) {
        char *whole = run_stdin(data, size, 1, 0, &len);
        size_t whole_len = len;
        char *parts = run_stdin(data, size, 2, size / 4, &len);
        if (len != whole_len || memcmp(parts, whole, len) != 0) {
            fprintf(stderr, "a pipe in order and in parts differ:\n%s\n---\n%s\n", whole, parts);
            abort();
        }
        free(whole);
        free(parts);
    }
    free(file_json);
    close(INPUT_FD);
    return 0;
}
