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
