/*
 * file.h - reading a small file that may hold a secret (a client secret, the
 * state key, a signing key), shared by the configuration loader and the keys
 * module.
 *
 * Bounded (never more than max bytes are read or allocated), refuses what
 * is not a regular file (a FIFO must not block start-up: the file is opened
 * with O_NONBLOCK), and wipes the buffer before freeing it on failure.  The
 * callers word their own messages (they name the file differently), so the
 * reader returns what went wrong instead of a struct br_error.
 */
#ifndef BR_FILE_H
#define BR_FILE_H

#include <stddef.h>
#include <sys/types.h>

enum br_file_fault {
	BR_FILE_OK = 0,
	BR_FILE_OPEN,        /* open() failed; errno in *errnum */
	BR_FILE_STAT,        /* fstat() failed; errno in *errnum */
	BR_FILE_NOT_REGULAR, /* a directory, FIFO, device, ... */
	BR_FILE_TOO_LARGE,   /* more than max bytes */
	BR_FILE_NOMEM,
	BR_FILE_READ, /* read() failed; errno in *errnum */
};

/* Reads the file at path whole.  On BR_FILE_OK, *out is a new buffer (the
 * caller wipes and frees it) holding the *len bytes of the file and a NUL
 * after them, and *mode the file's mode (for a "readable by everyone"
 * warning).  On failure nothing is returned in *out and *errnum holds the
 * errno of the failed call (0 when there is none). */
enum br_file_fault br_file_read_small(const char *path, size_t max, char **out, size_t *len,
                                      mode_t *mode, int *errnum);

#endif
