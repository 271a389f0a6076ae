#!/bin/sh
# /asap/<sha256(kid)>.pem and /healthz of the bridge against nginx serving
# the same bytes from files, with the same wrk settings; the bridge with
# workers = 1 and 2, nginx with worker_processes = 1 and 2.
#
# For each server and path: req/s (wall clock) and req per CPU-second of the
# server's own processes (utime+stime from /proc, nginx master + workers),
# which holds up better than req/s on a shared or busy machine. The runs are
# interleaved over BENCH_ROUNDS rounds and the median is printed. Ratios:
# bridge/nginx (target >= 1.0) and bridge 2 workers / 1 worker (target >= 1.7
# on 2 cores; wrk runs on the same cores and takes its share).
#
#   BENCH_WRK="-t2 -c64 -d2s" BENCH_ROUNDS=3 sh bench/asap.sh
. "$(dirname "$0")/lib.sh"
need wrk nginx curl "$BR_BIN" "$FASTOP"
: "${BENCH_WRK:=-t2 -c64 -d2s}"
: "${BENCH_ROUNDS:=3}"

machine
echo "# wrk $BENCH_WRK, $BENCH_ROUNDS interleaved rounds, medians; bridge log_level=$BENCH_LOG, nginx access_log off"

key=$TMP/signing.pem
kid=$("$BR_BIN" --generate-key "$key") || exit 1
hash=$(printf '%s' "$kid" | sha256sum | cut -d' ' -f1)
start_fastop

# nginx serves the bridge's exact bytes as files.
mkdir -p "$TMP/www/auth/asap"
for w in 1 2; do
	eval "bport_$w=\$(free_port)"
	eval "write_conf \"\$TMP/bridge$w.conf\" \"\$bport_$w\" $w \"\$key\""
	start_bridge "$TMP/bridge$w.conf" "bridge$w"
	eval "bpid_$w=\$BRIDGE_PID"
done
curl -sf "http://127.0.0.1:$bport_1/auth/asap/$hash.pem" >"$TMP/www/auth/asap/$hash.pem" || exit 1
curl -sf "http://127.0.0.1:$bport_1/auth/healthz" >"$TMP/www/auth/healthz" || exit 1

for w in 1 2; do
	d=$TMP/nginx$w
	mkdir -p "$d/logs"
	eval "nport_$w=\$(free_port)"
	eval "port=\$nport_$w"
	cat >"$d/nginx.conf" <<CONF
user root;
worker_processes $w;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $d/body;
	proxy_temp_path $d/proxy;
	fastcgi_temp_path $d/fastcgi;
	uwsgi_temp_path $d/uwsgi;
	scgi_temp_path $d/scgi;
	server {
		listen 127.0.0.1:$port;
		root $TMP/www;
		location /auth/asap/ { default_type application/x-pem-file; }
		location = /auth/healthz { default_type text/plain; }
	}
}
CONF
	nginx -p "$d" -c "$d/nginx.conf" -g 'daemon off;' >"$d/out.log" 2>&1 &
	eval "npid_$w=\$!"
	PIDS="$PIDS $!"
	if ! wait_for_200 "http://127.0.0.1:$port/auth/healthz" 10; then
		echo "# nginx did not start: $(cat "$d/out.log" "$d/logs/error.log")"
		exit 1
	fi
done

# run_wrk NAME PID URL: appends "req/s req-per-cpu-s" to $TMP/NAME.
run_wrk() {
	t0=$(ticks "$2")
	# shellcheck disable=SC2086
	wrk $BENCH_WRK "$3" >"$TMP/wrk.out" 2>&1
	t1=$(ticks "$2")
	if grep -q 'Non-2xx\|Socket errors' "$TMP/wrk.out"; then
		echo "# warning $1: $(grep 'Non-2xx\|Socket errors' "$TMP/wrk.out" | tr '\n' ' ')"
	fi
	n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$TMP/wrk.out")
	rps=$(sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p' "$TMP/wrk.out")
	hz=$(getconf CLK_TCK)
	echo "$rps $(awk -v n="$n" -v t=$((t1 - t0)) -v hz="$hz" 'BEGIN { if (t > 0) printf "%.0f", n * hz / t; else print 0 }')" >>"$TMP/$1"
}

# median NAME COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$TMP/$1" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

r=0
while [ $r -lt "$BENCH_ROUNDS" ]; do
	for w in 1 2; do
		eval "np=\$nport_$w nd=\$npid_$w bp=\$bport_$w bd=\$bpid_$w"
		run_wrk "ng_asap_$w" "$nd" "http://127.0.0.1:$np/auth/asap/$hash.pem"
		run_wrk "br_asap_$w" "$bd" "http://127.0.0.1:$bp/auth/asap/$hash.pem"
		run_wrk "ng_health_$w" "$nd" "http://127.0.0.1:$np/auth/healthz"
		run_wrk "br_health_$w" "$bd" "http://127.0.0.1:$bp/auth/healthz"
	done
	r=$((r + 1))
done

echo "# load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-3s %12s %12s %8s   %14s %14s %8s\n' path w "bridge req/s" "nginx req/s" ratio \
	"bridge req/cpu" "nginx req/cpu" ratio
for p in asap health; do
	for w in 1 2; do
		b=$(median "br_${p}_$w" 1)
		n=$(median "ng_${p}_$w" 1)
		bc=$(median "br_${p}_$w" 2)
		nc=$(median "ng_${p}_$w" 2)
		printf '%-8s %-3s %12s %12s %8s   %14s %14s %8s\n' "$p" "$w" "$b" "$n" "$(ratio "$b" "$n")" \
			"$bc" "$nc" "$(ratio "$bc" "$nc")"
	done
done
for p in asap health; do
	echo "workers 2/1 $p: bridge $(ratio "$(median "br_${p}_2" 1)" "$(median "br_${p}_1" 1)"), nginx $(ratio "$(median "ng_${p}_2" 1)" "$(median "ng_${p}_1" 1)") (req/s)"
done
