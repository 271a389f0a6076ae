#!/bin/sh
# Login throughput of Apache mod_auth_openidc against the bridge, both
# against bench/fastop and driven by the same bench/logins.py: Apache's
# protected location starts the code flow, its redirect_uri exchanges the
# code, verifies the RS256 ID token and sets a session cookie. The bridge
# does the same and also maps claims, evaluates rules and signs a token.
#
# Figures: logins/s (wall clock) and logins per CPU-second of the server's own
# processes (Apache: the parent and its children). Target ratio >= 1.0.
#
#   BENCH_LOGINS=3000 BENCH_SECONDS=15 sh bench/apache.sh
. "$(dirname "$0")/lib.sh"
need python3 curl "$BR_BIN" "$FASTOP"
mod=/usr/lib/apache2/modules
if [ ! -x /usr/sbin/apache2 ] || [ ! -f "$mod/mod_auth_openidc.so" ]; then
	echo "# apache2 or libapache2-mod-auth-openidc not installed (contrib/install-deps --bench): skipped"
	exit 77
fi
: "${BENCH_LOGINS:=3000}"
: "${BENCH_SECONDS:=15}"
: "${BENCH_CONC:=16}"
hz=$(getconf CLK_TCK)

machine
echo "# $BENCH_LOGINS logins or ${BENCH_SECONDS}s each, $BENCH_CONC connections; bridge workers=1 and 2; Apache mpm_event, 1 process of 64 threads"

start_fastop
key=$TMP/signing.pem
"$BR_BIN" --generate-key "$key" >/dev/null || exit 1
bport=$(free_port)
write_conf "$TMP/bridge.conf" "$bport" 1 "$key"
start_bridge "$TMP/bridge.conf" bridge
bpid1=$BRIDGE_PID
bport2=$(free_port)
write_conf "$TMP/bridge2.conf" "$bport2" 2 "$key"
start_bridge "$TMP/bridge2.conf" bridge2
bpid2=$BRIDGE_PID

aport=$(free_port)
a=$TMP/apache
mkdir -p "$a/htdocs/protected" "$a/logs"
echo ok >"$a/htdocs/protected/index.html"
chmod -R a+rX "$TMP"
cat >"$a/httpd.conf" <<CONF
ServerRoot $a
ServerName 127.0.0.1
Listen 127.0.0.1:$aport
PidFile $a/logs/httpd.pid
ErrorLog $a/logs/error.log
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module $mod/mod_mpm_event.so
LoadModule authz_core_module $mod/mod_authz_core.so
LoadModule authn_core_module $mod/mod_authn_core.so
LoadModule authz_user_module $mod/mod_authz_user.so
LoadModule dir_module $mod/mod_dir.so
LoadModule auth_openidc_module $mod/mod_auth_openidc.so
StartServers 1
ServerLimit 1
ThreadsPerChild 64
MinSpareThreads 1
MaxSpareThreads 64
MaxRequestWorkers 64
DocumentRoot $a/htdocs
DirectoryIndex index.html
OIDCProviderMetadataURL $ISSUER/.well-known/openid-configuration
OIDCClientID jitsi
OIDCClientSecret bench-secret
OIDCRedirectURI http://127.0.0.1:$aport/protected/redirect_uri
OIDCCryptoPassphrase bench-passphrase-not-secret
OIDCScope "openid"
<Location /protected>
	AuthType openid-connect
	Require valid-user
</Location>
CONF
/usr/sbin/apache2 -f "$a/httpd.conf" -DFOREGROUND >"$a/logs/out.log" 2>&1 &
apid=$!
PIDS="$PIDS $apid"
if ! wait_for_http "http://127.0.0.1:$aport/" 10; then
	echo "# apache did not start: $(cat "$a/logs/out.log" "$a/logs/error.log")"
	exit 1
fi

# run NAME PID BASE [LOGIN CALLBACK EXPECT]: prints "ok wall percpu".
run() {
	name=$1 pid=$2 base=$3
	shift 3
	python3 "$BR_SRCDIR/bench/logins.py" "$base" 200 10 "$BENCH_CONC" "$@" >/dev/null # warm-up
	t0=$(ticks "$pid")
	out=$(python3 "$BR_SRCDIR/bench/logins.py" "$base" "$BENCH_LOGINS" "$BENCH_SECONDS" "$BENCH_CONC" "$@")
	t1=$(ticks "$pid")
	ok=$(echo "$out" | awk '{ print $4 }')
	failed=$(echo "$out" | awk '{ print $6 }')
	secs=$(echo "$out" | awk '{ print $8 }')
	wall=$(awk -v n="$ok" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	percpu=$(awk -v n="$ok" -v t=$((t1 - t0)) -v hz="$hz" 'BEGIN { if (t > 0) printf "%.0f", n * hz / t; else print 0 }')
	echo "$name: ok $ok failed $failed in ${secs}s: $wall logins/s wall, $percpu logins per server CPU-second" >&2
	echo "$wall $percpu"
}
set -- $(run apache "$apid" "http://127.0.0.1:$aport" /protected/ /protected/redirect_uri /protected/)
aw=$1 ac=$2
set -- $(run "bridge workers=1" "$bpid1" "http://127.0.0.1:$bport/auth")
bw=$1 bc=$2
set -- $(run "bridge workers=2" "$bpid2" "http://127.0.0.1:$bport2/auth")
bw2=$1 bc2=$2
echo "# load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bridge workers=1 / apache: wall $(ratio "$bw" "$aw"), per CPU-second $(ratio "$bc" "$ac") (target >= 1.0)"
echo "bridge workers=2 / apache: wall $(ratio "$bw2" "$aw"), per CPU-second $(ratio "$bc2" "$ac")"
