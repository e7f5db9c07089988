/* The list of inputs to check: command-line arguments and --files-from
 * lists, with folders searched for CSV files. */
#ifndef HW_INPUTS_H
#define HW_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hw_msg.h"

/* A file already in the list, known by device and inode. */
typedef struct {
    unsigned long long dev, ino;
} hw_input_id;

typedef struct {
    char **path;     /* owned copies, in checking order */
    long long *size; /* each one's size in bytes when it is a regular file, else -1 */
    size_t n, cap;
    hw_lang lang;       /* of the messages sent to sink */
    hw_error_sink sink; /* folders that cannot be searched, folders without CSV */
    size_t errors;      /* problems sent to sink */
    hw_input_id *id;    /* the regular files in the list: a hash set (see seen in inputs.c) */
    size_t nids, capids;
    unsigned jobs; /* threads that look many files up at once (1 after hw_inputs_init) */
} hw_inputs;

/* Starts an empty list; free with hw_inputs_free. */
void hw_inputs_init(hw_inputs *in, hw_lang lang, hw_error_sink sink);
/* Frees the list and its paths. */
void hw_inputs_free(hw_inputs *in);
/* Adds one argument. A folder adds every file under it whose name ends in
 * .csv (any case), subfolders included, hidden names (starting with '.')
 * skipped, symbolic links to folders not followed, in byte order of their
 * paths. Anything else ("-", a file, a name that does not exist) is added as
 * it is, for the checker to read or report. A file already in the list (by
 * any name: a folder and a list may both name it) is not added again, so
 * that no row counts twice. */
void hw_inputs_add(hw_inputs *in, const char *arg);
/* Adds n arguments in order, each as hw_inputs_add does. */
void hw_inputs_add_all(hw_inputs *in, const char *const *args, size_t n);
/* The size the list keeps for path (see hw_inputs.size): standard input
 * ("-") and anything that is not a regular file have -1. */
long long hw_inputs_size(const char *path);
/* Adds the paths listed in f, one per line (a final CR is removed, blank
 * lines are skipped), as hw_inputs_add_all does. Returns false on a read
 * error (errno set), when none is added. */
bool hw_inputs_add_list(hw_inputs *in, FILE *f);
/* Whether a file name ends in .csv, in any case. */
bool hw_inputs_is_csv(const char *name);

#endif
