#include "hw_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw_util.h"

bool hw_output_open(hw_output *o, const char *path) {
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return true;
    }
    o->path = hw_xstrndup(path, strlen(path));
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->fp = fopen(path, "w");
        if (!o->fp)
            goto fail;
        return true;
    }
    /* A half-written report must never replace a good one: write beside it,
     * then rename. */
    size_t n = strlen(path);
    o->tmp = hw_xmalloc(n + sizeof ".tmpXXXXXX");
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    int fd = mkstemp(o->tmp);
    if (fd < 0)
        goto fail;
    /* mkstemp makes 0600; a report is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        errno = e;
        goto fail;
    }
    return true;
fail:;
    int e = errno;
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    errno = e;
    return false;
}

bool hw_output_close(hw_output *o) {
    bool ok = true;
    int e = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        ok = false;
        e = errno ? errno : EIO;
    }
    if (o->fp != stdout) {
        if (fclose(o->fp) != 0 && ok) {
            ok = false;
            e = errno;
        }
    }
    o->fp = NULL;
    if (o->tmp) {
        if (ok && rename(o->tmp, o->path) != 0) {
            ok = false;
            e = errno;
        }
        if (!ok)
            unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    if (!ok)
        errno = e;
    return ok;
}

void hw_output_abort(hw_output *o) {
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
