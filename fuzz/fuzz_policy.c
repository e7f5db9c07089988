/* libFuzzer harness for the policy file parser (hw_policy_load).
 *
 * The JSON policy loader is declared in include/hw_policy.h once it exists;
 * until then the Makefile does not build this harness (`make fuzz` says so)
 * and this file compiles to nothing. When the loader lands, check that the
 * call below matches its declaration, then build with `make fuzz`.
 *
 * Checked: no crash, no leak; a policy that loads is one the rules can use
 * (bands within grades 1..12, lo <= hi, caps not negative unless unset). */
#ifdef HW_HAVE_POLICY_LOAD
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw_policy.h"
#include "hw_util.h"

static int memfd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (memfd < 0) {
        memfd = memfd_create("fuzz-policy", 0);
        if (memfd < 0)
            abort();
    }
    if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);

    hw_policy p;
    hw_buf err;
    hw_buf_init(&err);
    /* Assumed: true and p filled on success; false with a message in err. */
    if (hw_policy_load(&p, path, &err)) {
        for (size_t i = 0; i < p.nbands; i++) {
            const hw_band *b = &p.band[i];
            if (b->lo < 1 || b->hi > 12 || b->lo > b->hi)
                abort();
            if ((b->daily_cap < 0 && b->daily_cap != HW_NO_CAP) ||
                (b->weekly_average_cap < 0 && b->weekly_average_cap != HW_NO_CAP))
                abort();
        }
        for (int g = -1; g <= 14; g++)
            (void)hw_policy_band(&p, g);
        hw_policy_free(&p);
    }
    hw_buf_free(&err);
    return 0;
}
#else
/* Keeps the translation unit non-empty (ISO C) while the loader is missing. */
typedef int hw_fuzz_policy_unavailable;
#endif
