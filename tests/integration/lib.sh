# lib.sh - shared helpers of the integration tests (POSIX sh, sourced).
#
# Every wait is a bounded poll, never a fixed sleep; every process started
# is stopped by the trap that cleanup() installs.

: "${BR_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BR_BUILDDIR:=$BR_SRCDIR}"
: "${BR_BIN:=$BR_BUILDDIR/jitsi-oidc-bridge}"
export BR_SRCDIR BR_BUILDDIR BR_BIN
. "$BR_SRCDIR/tests/integration/wait.sh"

# The helpers below (free ports, HTTP status) need curl and python3, which
# are test dependencies, not build ones: without them, skip and say why. A
# test that uses neither sets BR_NEEDS (the tools it needs) before sourcing.
for _tool in ${BR_NEEDS-curl python3}; do
	if ! command -v "$_tool" >/dev/null 2>&1; then
		echo "SKIP: $_tool not found (contrib/install-deps installs the test dependencies)"
		exit 77
	fi
done

passed=0
failed=0
PIDS=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/br-it.XXXXXX")

cleanup() {
	# shellcheck disable=SC2086
	stop_pids $PIDS
	if [ "$failed" -eq 0 ] && [ -z "${BR_KEEP_TMP:-}" ]; then
		rm -rf "$TMP"
	else
		echo "# logs kept in $TMP"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {
	passed=$((passed + 1))
	echo "ok $((passed + failed)) - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok $((passed + failed)) - $1"
	[ -n "${2:-}" ] && printf '#   %s\n' "$2"
	return 0
}

# check NAME COMMAND...: ok when the command succeeds.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}



# wait_for_log FILE PATTERN [SECONDS]
wait_for_log() {
	i=0
	limit=$(( ${3:-10} * 10 ))
	while [ $i -lt "$limit" ]; do
		if grep -q -- "$2" "$1" 2>/dev/null; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# wait_for_exit PID SECONDS: until the process is gone; returns 1 on timeout.
wait_for_exit() {
	i=0
	limit=$(( $2 * 20 ))
	while [ $i -lt "$limit" ]; do
		if ! kill -0 "$1" 2>/dev/null; then
			return 0
		fi
		state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
		[ "$state" = "Z" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# start_bridge CONFIG LOG: runs the bridge in the background; sets BRIDGE_PID.
start_bridge() {
	"$BR_BIN" -c "$1" >>"$2" 2>&1 &
	BRIDGE_PID=$!
	PIDS="$PIDS $BRIDGE_PID"
}

# wait_bridge_ready BASE [TENTHS]: until the bridge start_bridge started
# answers BASE/healthz with 200 (it has the IdP's metadata and keys), at
# most TENTHS tenths of a second (300 by default: an ASan build starts
# slower); fails at once when the bridge has exited.
wait_bridge_ready() {
	i=0
	while [ "$(status_of "$1/healthz")" != 200 ]; do
		i=$((i + 1))
		if [ $i -gt "${2:-300}" ] || ! kill -0 "$BRIDGE_PID" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
}

# status_of URL [curl args]: the HTTP status code.
status_of() {
	url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' -m 15 "$@" "$url"
}
