/* Where the report goes: standard output, or a file written whole or not at all. */
#ifndef HW_OUTPUT_H
#define HW_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    FILE *fp;
    char *path; /* the file asked for, NULL for standard output */
    char *tmp;  /* the temporary file renamed over path on success, or NULL */
} hw_output;

/* Opens the output: NULL or "-" is standard output. A regular (or new) file
 * is written through a temporary file in the same folder; anything else (a
 * FIFO, a terminal, /dev/full) is written directly. Returns false and sets
 * errno on failure. */
bool hw_output_open(hw_output *o, const char *path);
/* Flushes and checks the output, then renames the temporary file into place.
 * Returns false and sets errno if anything could not be written; the earlier
 * file at path is then left as it was. */
bool hw_output_close(hw_output *o);
/* Abandons the output: the temporary file is removed. */
void hw_output_abort(hw_output *o);

#endif
