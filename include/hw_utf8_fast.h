/* Decode stage, its fast lane: how much of a buffer is valid UTF-8, many
 * bytes at a time. decode.c's validator takes it before going byte by byte. */
#ifndef HW_UTF8_FAST_H
#define HW_UTF8_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of a prefix of p[0..n) that is valid UTF-8 and ends between
 * characters, and in *nlead the number of multi-byte characters in it. The
 * prefix may be shorter than the valid text (0 where the processor lacks
 * the instructions, or near the end of p): the caller goes on from there. */
size_t hw_utf8_valid_prefix(const unsigned char *p, size_t n, uint64_t *nlead);
/* Whether this processor has the instructions hw_utf8_valid_prefix uses (it
 * returns 0 where it does not). */
bool hw_utf8_fast_available(void);
/* Whether it has those of the thirty-two-byte blocks (AVX2), used unless
 * hw_utf8_fast_wide(false) was called (tests check the sixteen-byte ones so). */
bool hw_utf8_fast_wide_available(void);
void hw_utf8_fast_wide(bool use);

#endif
