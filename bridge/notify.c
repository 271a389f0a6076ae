/*
 * notify.c - sd_notify(3) spoken directly: one datagram per state change to
 * the AF_UNIX socket in $NOTIFY_SOCKET.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bridge/notify.h"

int br_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t n, len = strlen(state);
	socklen_t salen;
	ssize_t sent;
	int fd, saved;

	if (path == NULL || path[0] == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* the abstract namespace */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	sent = sendto(fd, state, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	saved = errno;
	close(fd);
	if (sent != (ssize_t)len) {
		errno = sent < 0 ? saved : EMSGSIZE;
		return -1;
	}
	return 1;
}

/* A decimal number that is all digits and fits; 0 otherwise. */
static unsigned long long env_number(const char *name)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return v;
}

uint64_t br_notify_watchdog_usec(void)
{
	const char *pid = getenv("WATCHDOG_PID");

	if (pid != NULL && env_number("WATCHDOG_PID") != (unsigned long long)getpid())
		return 0;
	return (uint64_t)env_number("WATCHDOG_USEC");
}
