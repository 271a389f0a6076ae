/*
 * file.c - reading a small file that may hold a secret (see file.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "bridge/file.h"

enum br_file_fault br_file_read_small(const char *path, size_t max, char **out, size_t *len,
                                      mode_t *mode, int *errnum)
{
	/* O_NONBLOCK: a FIFO must not block start-up; it is refused as not a
	 * regular file below. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	enum br_file_fault rc;
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	*errnum = 0;
	if (fd < 0) {
		*errnum = errno;
		return BR_FILE_OPEN;
	}
	if (fstat(fd, &st) != 0) {
		*errnum = errno;
		rc = BR_FILE_STAT;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = BR_FILE_NOT_REGULAR;
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		rc = BR_FILE_TOO_LARGE;
		goto out;
	}
	buf = malloc(max + 1);
	if (buf == NULL) {
		rc = BR_FILE_NOMEM;
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*errnum = errno;
			rc = BR_FILE_READ;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) { /* it grew since fstat() */
			rc = BR_FILE_TOO_LARGE;
			goto out;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	*mode = st.st_mode;
	buf = NULL;
	rc = BR_FILE_OK;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, max + 1);
		free(buf);
	}
	close(fd);
	return rc;
}
