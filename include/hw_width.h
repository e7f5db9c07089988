/* How many terminal columns UTF-8 text takes: East Asian Wide and Fullwidth
 * characters (汉字, full-width forms) take two, combining marks none. */
#ifndef HW_WIDTH_H
#define HW_WIDTH_H

#include <stddef.h>
#include <stdint.h>

#include "hw_util.h"

/* The columns one code point takes: 0, 1 or 2. */
int hw_char_width(uint32_t cp);
/* The columns s[0..len) takes; a byte that is not valid UTF-8 counts as one
 * column (it is shown as one replacement character). */
size_t hw_text_width(const char *s, size_t len);
/* Appends s, then spaces up to width columns (left-aligned); with right,
 * the spaces come first. Text wider than width is appended whole. */
void hw_buf_pad(hw_buf *b, const char *s, size_t width, int right);

#endif
