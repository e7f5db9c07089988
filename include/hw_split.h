/* Splitting a large file into parts that start at row boundaries, so that
 * threads can read them at once. One scan per range of the file counts its
 * quotes and finds its first line ends (LF, or CR alone where a range has
 * no LF); from the quote counts of the ranges
 * before, a line end outside quotes is chosen as each part's start. The CSV
 * reader then confirms each boundary (hw_csv_between_rows at the part's
 * end): a malformed file whose quotes mislead the count is read in order.
 * (A UTF-8 file is first cut without the scan, at the first line end after
 * each cut, as if no quote were open: see check_large in parallel.c.) */
#ifndef HW_SPLIT_H
#define HW_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw_decode.h"

/* What the scan of one range of a file found. */
typedef struct {
    long long start, end; /* the range [start, end) */
    uint64_t quotes;      /* '"' bytes in it */
    /* Just after the first '\n' of the range preceded, within the range, by
     * an even [0] or odd [1] number of quotes; -1 when there is none. */
    long long after_lf[2];
    /* Likewise after the first CR not followed by '\n' (files whose lines end
     * with CR alone), used where the range has no '\n' to start at. */
    long long after_cr[2];
    long long cr_end; /* just after a CR that ended the last bytes fed, or -1 */
    int cr_parity;    /* the quotes before it, odd or even */
    bool utf8;        /* valid UTF-8 (if checked; see hw_split_scan_fd) */
    bool failed;      /* the range could not be read */
} hw_split_range;

/* Starts the scan of the range [start, end). */
void hw_split_range_init(hw_split_range *r, long long start, long long end);
/* Scans the next n bytes of the range. */
void hw_split_feed(hw_split_range *r, const unsigned char *p, size_t n, long long at);
/* Ends the scan of a range: next is the byte after it, or -1 at the end of
 * the file (a CR that ended the range is alone unless next is '\n'). */
void hw_split_finish(hw_split_range *r, int next);
/* Scans range r of the file open as fd (read with pread into buf of size
 * cap, at least 8 bytes), checking that it is valid UTF-8 when check_utf8:
 * a range checks the characters that start in it, so the ranges together
 * check the whole file exactly once. */
void hw_split_scan_fd(hw_split_range *r, int fd, long long size, bool check_utf8,
                      unsigned char *buf, size_t cap);
/* The starts of the parts, from the scans of consecutive ranges r[0..n)
 * that cover a file from a row's start: starts[0] is r[0]'s start, and each
 * range after the first gives
 * the line end in it that lies outside quotes, if any. Returns the number
 * of parts (starts has room for n). */
size_t hw_split_starts(const hw_split_range *r, size_t n, long long *starts);

#endif
