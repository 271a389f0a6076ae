# browser/lib.sh - what the headless-Chromium tests share (POSIX sh, sourced
# after ../lib.sh by login.sh, inline.sh and sso.sh).
# shellcheck shell=sh

chromium=${BR_CHROMIUM:-/usr/bin/chromium}
_browser_test=$(basename "$0")
_browser_dir=$(cd "$(dirname "$0")" && pwd)

skip() {
	echo "$_browser_test: $1, skipped"
	exit 77
}

# browser_needs TOOL...: skips (77) without node, npm, chromium or one of the
# tools named; 99 when the bridge is not built.
browser_needs() {
	for tool in node npm "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (contrib/install-deps)"
	done
	[ -x "$chromium" ] || skip "$chromium not found (contrib/install-deps)"
	if [ ! -x "$BR_BIN" ]; then
		echo "$_browser_test: $BR_BIN not built"
		exit 99
	fi
}

# start_mockop PORT: the mock OP on 127.0.0.1:PORT (log in $TMP/mockop.log),
# issuing refresh tokens; fails when it does not come up.
start_mockop() {
	python3 "$BR_SRCDIR/tests/integration/mockop/mockop.py" --port "$1" --keys "$TMP/op-keys" \
		>"$TMP/mockop.out" 2>"$TMP/mockop.log" &
	PIDS="$PIDS $!"
	wait_for_log "$TMP/mockop.out" PORT 60 &&
		curl -s -f -X POST -H 'Content-Type: application/json' \
			-d '{"refresh": {"issue": true}}' "http://127.0.0.1:$1/_control" >/dev/null
}

# run_node_test FILE SECONDS: runs FILE (of this folder) with node, its
# environment exported by the caller, and adds its last line ("N passed, M
# failed") to our counts.  In the background, so that a signal reaches the
# caller's trap at once (the trap stops node, and node's playwright closes
# Chromium); the timeout only guards against a hang.  node_pid is set while
# it runs.
run_node_test() {
	timeout -k 5 "$2" node "$_browser_dir/$1" >"$TMP/node.out" 2>&1 &
	node_pid=$!
	PIDS="$PIDS $node_pid"
	wait "$node_pid"
	rc=$?
	node_pid=
	cat "$TMP/node.out"
	counts=$(tail -n 1 "$TMP/node.out")
	case "$counts" in
	*" passed, "*" failed")
		passed=$((passed + ${counts%% passed*}))
		n=${counts#* passed, }
		failed=$((failed + ${n%% failed}))
		;;
	esac
	[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || not_ok "$1 exited $rc"
}

# no_sanitizer_report LOG: ASan/UBSan builds report into the bridge's log.
no_sanitizer_report() {
	if grep -q -E 'Sanitizer|runtime error:' "$1"; then
		not_ok "no sanitizer report in the bridge log" \
			"$(grep -m 3 -E 'Sanitizer|runtime error:' "$1")"
	else
		ok "no sanitizer report in the bridge log"
	fi
}
