#include "hw_output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hw_util.h"

/* The temporary file a signal handler removes: set while one exists. A
 * pointer is read whole on every platform hwcheck runs on; volatile keeps the
 * compiler from caching it. */
static const char *volatile pending_tmp;

static void remove_tmp_and_die(int sig) {
    /* Only async-signal-safe calls: unlink, signal, raise. */
    const char *tmp = pending_tmp;
    if (tmp)
        unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* An interrupted run (Ctrl-C, kill, a closed terminal, the file size limit)
 * leaves no temporary file behind. Signals the caller chose to ignore stay
 * ignored: an ignored SIGXFSZ makes the write fail, which is reported. */
static void catch_signals(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_tmp_and_die;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

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
    catch_signals();
    int fd = mkstemp(o->tmp);
    if (fd < 0)
        goto fail;
    pending_tmp = o->tmp;
    /* mkstemp makes 0600; a report is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        pending_tmp = NULL;
        errno = e;
        goto fail;
    }
    return true;
fail:;
    int e = errno;
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
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
        pending_tmp = NULL; /* after the rename: a signal before it still cleans up */
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
    pending_tmp = NULL;
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
