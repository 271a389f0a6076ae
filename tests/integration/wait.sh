# wait.sh - stopping processes, free ports and bounded waits, shared by tests/integration/lib.sh
# and bench/lib.sh (POSIX sh, sourced). Every wait polls with a limit, never
# a fixed sleep.

# stop_pids PID...: SIGTERM each, then reap each.
stop_pids() {
	for p in "$@"; do
		kill "$p" 2>/dev/null
	done
	for p in "$@"; do
		wait "$p" 2>/dev/null
	done
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# free_ports N: N distinct free ports on 127.0.0.1, held open together while
# they are picked, below the kernel's ephemeral range when it leaves room
# there (so that no outgoing connection of a test running beside this one
# takes a port between our check and the server's bind).  Fails when fewer
# than N were found.
free_ports() {
	python3 -c '
import random, socket, sys
n = int(sys.argv[1])
try:
    lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    lo = 0
ss = []
for _ in range(200):
    if len(ss) == n:
        break
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(20000, lo) if lo > 21000 else 0))
        ss.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss:
    s.close()
sys.exit(0 if len(ss) == n else 1)' "$1"
}

# wait_for_http URL [SECONDS]: until the URL answers (any status).
wait_for_http() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt "$limit" ]; do
		if curl -s -o /dev/null -m 1 "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}
