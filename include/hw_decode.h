/* Decode stage: bytes of a file in UTF-8 or GB18030/GBK in, UTF-8 out. */
#ifndef HW_DECODE_H
#define HW_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "hw_util.h"

/* Undecodable input bytes come out as this byte, which valid UTF-8 never
 * contains, so the CSV and record stages can report them on their line. */
#define HW_BAD_BYTE 0xFF

typedef enum {
    HW_ENC_AUTO = 0, /* decide from the bytes */
    HW_ENC_UTF8,
    HW_ENC_GB18030,
} hw_encoding;

/* What the first bytes of a file say it is. */
typedef enum {
    HW_SNIFF_TEXT = 0,
    HW_SNIFF_UTF16LE, /* FF FE, or NUL in every odd byte */
    HW_SNIFF_UTF16BE, /* FE FF, or NUL in every even byte */
    HW_SNIFF_XLSX,    /* a zip archive: PK\3\4 */
    HW_SNIFF_XLS,     /* an OLE2 compound file: D0 CF 11 E0 A1 B1 1A E1 */
} hw_sniff;

/* Looks at the first n bytes of a file (up to a few hundred are enough). */
hw_sniff hw_sniff_bytes(const unsigned char *p, size_t n);

/* Incremental UTF-8 validity check over a stream cut anywhere. Past the
 * first invalid sequence it goes on counting, so that a UTF-8 file with a few
 * stray bytes can be told from GB18030 text (see hw_utf8_check_mostly). */
typedef struct {
    unsigned char pending[4];
    unsigned npending;
    bool valid;
    size_t nseq;  /* valid multi-byte sequences (0: none seen) */
    size_t nbad;  /* invalid sequences */
    bool gave_up; /* so many invalid that it cannot be mostly UTF-8: stopped */
} hw_utf8_check;

/* Valid sequences a stream needs for each invalid one to count as UTF-8
 * with stray bytes rather than as GB18030 (where, read as UTF-8, most
 * non-ASCII bytes are invalid). */
#define HW_UTF8_MOSTLY_RATIO 8

/* Starts a check (valid so far, nothing seen). */
void hw_utf8_check_init(hw_utf8_check *c);
/* Feeds n more bytes; returns c->valid. Stops looking once invalid. */
bool hw_utf8_check_feed(hw_utf8_check *c, const unsigned char *p, size_t n);
/* Ends the stream (a cut sequence at the end is invalid); returns c->valid. */
bool hw_utf8_check_end(hw_utf8_check *c);
/* Whether the stream so far is UTF-8, or UTF-8 with a few stray bytes: at
 * least HW_UTF8_MOSTLY_RATIO valid multi-byte sequences per invalid one. */
bool hw_utf8_check_mostly(const hw_utf8_check *c);

typedef struct hw_decoder hw_decoder;

/* A decoder for one file. HW_ENC_AUTO looks at the first 64 KiB (or all of a
 * shorter input): valid UTF-8, or UTF-8 with a few stray bytes
 * (hw_utf8_check_mostly), is read as UTF-8, otherwise GB18030; if that
 * window is all ASCII, the first non-ASCII sequence decides. A leading UTF-8
 * BOM is removed. The caller frees it with hw_decoder_free. */
hw_decoder *hw_decoder_new(hw_encoding enc);
/* Frees a decoder (NULL is fine). */
void hw_decoder_free(hw_decoder *d);
/* The input starts in the middle of a stream (at a line start): no BOM is
 * looked for. Only for a decoder of a decided encoding. */
void hw_decoder_mid_stream(hw_decoder *d);
/* Appends to out the UTF-8 decoded from in[0..len). Bytes of a sequence cut
 * at the end of in are held until the next call. */
void hw_decoder_feed(hw_decoder *d, const unsigned char *in, size_t len, hw_buf *out);
/* Ends the input: held bytes are decoded or, if incomplete, come out as
 * HW_BAD_BYTE. */
void hw_decoder_finish(hw_decoder *d, hw_buf *out);
/* The encoding in use: HW_ENC_AUTO while still undecided. */
hw_encoding hw_decoder_encoding(const hw_decoder *d);
/* Whether GB18030 decoders look two-byte characters up in a table asked of
 * iconv once (the default, from the point where the decoders of a run have
 * converted 256 KiB) or convert each one through iconv: the output is the
 * same. true makes the table at once. For tests and measurements. */
void hw_decode_gb_table(bool use);
/* Name of an encoding for messages: "UTF-8", "GB18030". */
const char *hw_encoding_name(hw_encoding e);

#endif
