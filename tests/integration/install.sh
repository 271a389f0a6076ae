#!/bin/sh
# `make install DESTDIR=...` of this build tree puts what the README's next
# steps and the systemd unit expect: the daemon in sbin (its man page is in
# section 8) and runnable, the unit's ExecStart naming that path, the man
# pages, the example config, and the configuration (0755) and state (0700)
# directories, all below DESTDIR.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# Only make and the build: not lib.sh's curl and python3.
BR_NEEDS=make
# shellcheck source=lib.sh
. "$here/lib.sh"

if [ ! -f "$BR_BUILDDIR/Makefile" ]; then
	echo "install.sh: no Makefile in $BR_BUILDDIR"
	exit 99
fi
root=$TMP/root
# A make of its own, not the jobs or variables of the make check around it.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$BR_BUILDDIR" install DESTDIR="$root" \
	>"$TMP/install.out" 2>&1; then
	ok "make install DESTDIR=... exits 0"
else
	not_ok "make install DESTDIR=... exits 0" "$(tail -n 20 "$TMP/install.out")"
	finish
	exit 1
fi

bin=$(find "$root" -type f -name jitsi-oidc-bridge -path '*/sbin/*' | head -n 1)
if [ -n "$bin" ]; then
	ok "the daemon is installed in sbin (${bin#"$root"})"
else
	not_ok "the daemon is installed in sbin" "$(find "$root" -name 'jitsi-oidc-bridge*')"
fi
check "no copy in bin" test -z "$(find "$root" -path '*/bin/jitsi-oidc-bridge')"
check "the installed daemon runs (--version)" "${bin:-/nonexistent}" --version

unit=$(find "$root" -type f -name jitsi-oidc-bridge.service | head -n 1)
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "${unit:-/dev/null}")
if [ -n "$bin" ] && [ "$exec_start" = "${bin#"$root"}" ]; then
	ok "the unit's ExecStart names the installed daemon ($exec_start)"
else
	not_ok "the unit's ExecStart names the installed daemon" "ExecStart=$exec_start, daemon ${bin#"$root"}"
fi
check "the man page is in section 8" test -n "$(find "$root" -path '*/man8/jitsi-oidc-bridge.8')"
check "bridge.conf(5) is installed" test -n "$(find "$root" -path '*/man5/bridge.conf.5')"
check "the example configuration is installed" \
	test -n "$(find "$root" -path '*/doc/jitsi-oidc-bridge/bridge.conf.example')"

# mode_of SUFFIX: the mode of the one directory below $root ending in SUFFIX
mode_of() {
	d=$(find "$root" -type d -path "*$1" | head -n 1)
	[ -n "$d" ] && stat -c %a "$d"
}
m=$(mode_of /etc/jitsi-oidc-bridge)
check "the configuration directory exists, mode 755" test "$m" = 755
m=$(mode_of /lib/jitsi-oidc-bridge)
check "the state directory (the signing key's) exists, mode 700" test "$m" = 700
finish
