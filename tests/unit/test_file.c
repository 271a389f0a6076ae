/* test_file.c - the bounded small-file reader shared by the config loader
 * and the keys module: contents, size bound, what is not a regular file. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bridge/file.h"

static char dir[] = "/tmp/test_file.XXXXXX";

static void put(const char *name, const char *data, size_t n, mode_t mode, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_reads_whole(void **state)
{
	char path[256], *buf = NULL;
	size_t len = 0;
	mode_t mode = 0;
	int e = -1;

	put("secret", "s3cret\0x\n", 9, 0640, path, sizeof(path));
	assert_int_equal(br_file_read_small(path, 16, &buf, &len, &mode, &e), BR_FILE_OK);
	assert_int_equal(len, 9);
	assert_memory_equal(buf, "s3cret\0x\n", 9); /* NULs are the caller's to judge */
	assert_int_equal(buf[9], '\0');
	assert_int_equal(mode & 0777, 0640);
	assert_int_equal(e, 0);
	free(buf);

	/* exactly max bytes is fine; an empty file too */
	put("nine", "123456789", 9, 0600, path, sizeof(path));
	buf = NULL;
	assert_int_equal(br_file_read_small(path, 9, &buf, &len, &mode, &e), BR_FILE_OK);
	assert_int_equal(len, 9);
	free(buf);
	put("empty", "", 0, 0600, path, sizeof(path));
	buf = NULL;
	assert_int_equal(br_file_read_small(path, 9, &buf, &len, &mode, &e), BR_FILE_OK);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
}

static void test_refuses(void **state)
{
	char path[256], *buf = NULL;
	size_t len = 0;
	mode_t mode = 0;
	int e = 0;

	put("ten", "1234567890", 10, 0600, path, sizeof(path));
	assert_int_equal(br_file_read_small(path, 9, &buf, &len, &mode, &e), BR_FILE_TOO_LARGE);
	assert_null(buf);

	snprintf(path, sizeof(path), "%s/nosuch", dir);
	assert_int_equal(br_file_read_small(path, 9, &buf, &len, &mode, &e), BR_FILE_OPEN);
	assert_int_equal(e, ENOENT);
	assert_null(buf);

	assert_int_equal(br_file_read_small(dir, 9, &buf, &len, &mode, &e), BR_FILE_NOT_REGULAR);
	assert_null(buf);

	/* a FIFO with no writer: refused, not waited on */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(br_file_read_small(path, 9, &buf, &len, &mode, &e), BR_FILE_NOT_REGULAR);
	assert_null(buf);
}

static int setup(void **state)
{
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {"secret", "nine", "empty", "ten", "fifo"};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reads_whole),
	        cmocka_unit_test(test_refuses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
