/*
 * notify.h - the systemd notification protocol (sd_notify(3)) without
 * libsystemd.
 *
 * A Type=notify service tells systemd READY=1, RELOADING=1, STOPPING=1 and
 * WATCHDOG=1 by sending a datagram to the AF_UNIX socket named in
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace).  The
 * protocol is a documented, stable interface; speaking it directly keeps
 * libsystemd and its compression and crypto libraries out of the process.
 */
#ifndef BR_NOTIFY_H
#define BR_NOTIFY_H

#include <stdint.h>

/* Sends STATE ("READY=1", ...) to $NOTIFY_SOCKET.  Returns 1 when sent, 0
 * when there is no $NOTIFY_SOCKET (not run by systemd), -1 on error (errno
 * set).  Never blocks: the socket is non-blocking. */
int br_notify(const char *state);

/* The watchdog interval systemd asked for ($WATCHDOG_USEC), in
 * microseconds, or 0 when there is none or it is meant for another process
 * ($WATCHDOG_PID is set and is not ours). */
uint64_t br_notify_watchdog_usec(void);

#endif
