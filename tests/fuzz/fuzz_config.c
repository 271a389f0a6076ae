/* fuzz_config.c - libFuzzer target for the config loader: any bytes as the
 * config file must give a config or an error, never a crash or a leak. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bridge/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const env[] = {NULL};
	char path[64];
	struct br_error err;

	int fd = memfd_create("fuzz-config", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		br_config_free(br_config_load(path, env, &err));
	}
	close(fd);
	return 0;
}
