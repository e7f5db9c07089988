/* A progress line on standard error while a long run goes on: files done of
 * all, rows, rows per second. Only on a terminal, only after the run has
 * lasted a moment, redrawn in place at most a few times a second, and erased
 * when the run ends, so it never mixes with the report or a log. */
#ifndef HW_PROGRESS_H
#define HW_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw_msg.h"

/* How long a run goes before the line appears, and how often it is redrawn. */
#define HW_PROGRESS_DELAY_MS 500
#define HW_PROGRESS_EVERY_MS 200

typedef struct {
    FILE *out; /* NULL: disabled */
    hw_lang lang;
    size_t files_total; /* 0: unknown */
    int64_t start_ms, last_ms;
    bool shown;                /* a line is on screen */
    int64_t (*clock_ms)(void); /* monotonic milliseconds; replaceable by tests */
} hw_progress;

/* Starts a progress line on out when out is a terminal (or when force is
 * true, for tests); otherwise every call does nothing. */
void hw_progress_start(hw_progress *p, FILE *out, bool force, size_t files_total, hw_lang lang);
/* Reports files done and rows read so far; cheap enough to call every file
 * and every few thousand rows. */
void hw_progress_update(hw_progress *p, size_t files_done, size_t rows);
/* Erases the line, if one is shown. */
void hw_progress_finish(hw_progress *p);

#endif
