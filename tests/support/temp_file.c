#include "temp_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void temp_file_write(char *path, const char *tag, const void *data, size_t len) {
    int w = snprintf(path, TEMP_FILE_PATH, "/tmp/hwcheck-%s-XXXXXX", tag);
    if (w < 0 || w >= TEMP_FILE_PATH)
        abort();
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    for (const char *p = data; len > 0;) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            abort();
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0)
        abort();
}
