/* Test support: a file in /tmp holding given bytes, for the tests of code
 * that reads files by name. */
#ifndef TEMP_FILE_H
#define TEMP_FILE_H

#include <stddef.h>

/* The size of a name temp_file_write makes. */
#define TEMP_FILE_PATH 64

/* Writes data[0..len) to a new file /tmp/hwcheck-<tag>-XXXXXX and puts its
 * name in path (TEMP_FILE_PATH bytes); the caller unlinks it. The program
 * aborts if the file cannot be made. */
void temp_file_write(char *path, const char *tag, const void *data, size_t len);

#endif
