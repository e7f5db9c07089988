#include "hw_progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw_util.h"

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hw_progress_start(hw_progress *p, FILE *out, bool force, size_t files_total, hw_lang lang) {
    memset(p, 0, sizeof *p);
    int fd = out ? fileno(out) : -1;
    if (!out || (!force && (fd < 0 || !isatty(fd))))
        return;
    p->out = out;
    p->lang = lang;
    p->files_total = files_total;
    p->clock_ms = monotonic_ms;
    p->start_ms = p->last_ms = p->clock_ms();
}

/* 1234567 as "1,234,567". */
static void grouped(hw_buf *b, uint64_t v) {
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            hw_buf_puts(b, ",");
        hw_buf_append(b, digits + i, 1);
    }
}

void hw_progress_update(hw_progress *p, size_t files_done, size_t rows) {
    if (!p->out)
        return;
    int64_t now = p->clock_ms();
    if (now - p->start_ms < HW_PROGRESS_DELAY_MS ||
        (p->shown && now - p->last_ms < HW_PROGRESS_EVERY_MS))
        return;
    p->last_ms = now;
    bool zh = p->lang == HW_LANG_ZH;
    uint64_t rate = (uint64_t)rows * 1000 / (uint64_t)(now - p->start_ms);
    hw_buf line;
    hw_buf_init(&line);
    hw_buf_puts(&line, zh ? "hwcheck：" : "hwcheck: ");
    hw_buf_printf(&line, "%zu", files_done);
    if (p->files_total)
        hw_buf_printf(&line, "/%zu", p->files_total);
    hw_buf_puts(&line, zh ? " 个文件，" : " files, ");
    grouped(&line, rows);
    hw_buf_puts(&line, zh ? " 行，每秒 " : " rows, ");
    grouped(&line, rate);
    hw_buf_puts(&line, zh ? " 行" : " rows/s");
    /* \033[K clears the rest of the line, so a shorter line leaves no tail. */
    fputs("\r\033[K", p->out);
    fputs(line.data, p->out);
    fflush(p->out);
    p->shown = true;
    hw_buf_free(&line);
}

void hw_progress_finish(hw_progress *p) {
    if (!p->out || !p->shown)
        return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->shown = false;
}
