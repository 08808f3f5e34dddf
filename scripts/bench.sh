#!/bin/sh
# `make bench`: starts build/zhengqi (fresh SQLite database) and an nginx
# baseline on loopback, then runs the sections scripts/bench.d/*.sh in name
# order. Prints one table per section and writes everything printed to
# build/bench/latest.txt (raw wrk output: build/bench/wrk.log).
#
# A section is a shell fragment sourced here; it may use:
#   ZQ_URL                 http://127.0.0.1:PORT of zhengqi
#   NGINX_URL              http://127.0.0.1:PORT of nginx, which serves the
#                          files under $NGINX_ROOT (default_type application/json)
#   ZQ_BIN ZQ_DB ZQ_PID NGINX_PID BENCH_TMP BENCH_DIR
#   out TEXT...            print and append to latest.txt
#   section TITLE          start a section
#   bench_wrk NAME URL [wrk args]
#                          one wrk run (-t2 -c64 -d10s --latency unless the
#                          args override them); sets W_RPS W_P50 W_P99 (ms)
#                          W_ERR (non-2xx + socket errors), prints a row and
#                          records it under NAME
#   bench_warm URL [wrk args]   2 s of wrk, discarded
#   bench_mean NAME FIELD / bench_max NAME FIELD
#                          over NAME's recorded rows; FIELD rps|p50|p99
#   rss_zq / rss_nginx     peak RSS in KiB (VmHWM; nginx = master + workers)
#   target LABEL VALUE OP LIMIT UNIT   OP ge|le: prints PASS or MISS
#   mib KIB                KiB as MiB with one decimal
# Environment: ZQ_BENCH_ONLY=PATTERN runs only sections whose file name
# contains it; ZQ_BENCH_STRICT=1 exits 1 on any MISS; ZQ_BENCH_KEEP_DB=FILE
# copies the SQLite database there at the end.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

for tool in wrk nginx curl pgrep; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found: run 'make setup'" >&2; exit 1; }
done
ZQ_BIN=$root/build/zhengqi
[ -x "$ZQ_BIN" ] || { echo "bench: $ZQ_BIN missing: run 'make all'" >&2; exit 1; }

BENCH_DIR=$root/build/bench
mkdir -p "$BENCH_DIR"
latest=$BENCH_DIR/latest.txt
wrklog=$BENCH_DIR/wrk.log
: >"$latest"
: >"$wrklog"

BENCH_TMP=$(mktemp -d /tmp/zq-bench.XXXXXX)
chmod 755 "$BENCH_TMP" # nginx workers run as nobody
results=$BENCH_TMP/results # section name rps p50 p99 err
: >"$results"
ZQ_PID=
NGINX_PID=

cleanup() {
  # PG_ZQ_PID / pg_dir: the directory section's PostgreSQL run, if any
  for p in $ZQ_PID $NGINX_PID ${PG_ZQ_PID:-}; do kill "$p" 2>/dev/null || true; done
  for p in $ZQ_PID $NGINX_PID ${PG_ZQ_PID:-}; do wait "$p" 2>/dev/null || true; done
  [ -z "${pg_dir:-}" ] || sh scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
  # ZQ_BENCH_KEEP_DB=FILE keeps the run's SQLite database for a closer look
  # (query plans, one request timed alone) after the numbers are in
  [ -z "${ZQ_BENCH_KEEP_DB:-}" ] || cp "$BENCH_TMP/bench.db" "$ZQ_BENCH_KEEP_DB" 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

out() { printf '%s\n' "$*" | tee -a "$latest"; }
die() { echo "bench: $*" >&2; exit 1; }

# free_port: an unused loopback TCP port.
free_port() {
  while :; do
    p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000 ))
    ss -Htln "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}

# wait_http URL PID NAME LOG: until URL answers anything, or PID dies.
wait_http() {
  i=0
  while ! curl -s -o /dev/null --max-time 1 "$1"; do
    kill -0 "$2" 2>/dev/null || { tail -n 20 "$4" >&2; die "$3 exited at start (log: $4)"; }
    i=$(( i + 1 ))
    [ "$i" -lt 100 ] || die "$3 not answering on $1 after 10 s"
    sleep 0.1
  done
}

# ---- zhengqi -------------------------------------------------------------
ZQ_PORT=${ZQ_BENCH_PORT:-$(free_port)}
ZQ_DB=sqlite:$BENCH_TMP/bench.db
ZQ_URL=http://127.0.0.1:$ZQ_PORT
"$ZQ_BIN" migrate --db "$ZQ_DB" >"$BENCH_DIR/zhengqi.log" 2>&1 ||
  { tail -n 20 "$BENCH_DIR/zhengqi.log" >&2; die "migrate failed"; }
"$ZQ_BIN" serve --listen "127.0.0.1:$ZQ_PORT" --db "$ZQ_DB" --no-access-log >>"$BENCH_DIR/zhengqi.log" 2>&1 &
ZQ_PID=$!
wait_http "$ZQ_URL/" "$ZQ_PID" zhengqi "$BENCH_DIR/zhengqi.log"

# ---- nginx baseline --------------------------------------------------------
NGINX_PORT=${ZQ_BENCH_NGINX_PORT:-$(free_port)}
NGINX_URL=http://127.0.0.1:$NGINX_PORT
NGINX_ROOT=$BENCH_TMP/www
mkdir -p "$NGINX_ROOT" "$BENCH_TMP/nginx-tmp"
nconf=$BENCH_TMP/nginx.conf
cat >"$nconf" <<EOF
worker_processes $(nproc);
daemon off;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000;
  open_file_cache max=100 inactive=60s;
  open_file_cache_valid 60s;
  types { }
  default_type application/json;
  client_body_temp_path $BENCH_TMP/nginx-tmp/body;
  proxy_temp_path $BENCH_TMP/nginx-tmp/proxy;
  fastcgi_temp_path $BENCH_TMP/nginx-tmp/fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx-tmp/uwsgi;
  scgi_temp_path $BENCH_TMP/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NGINX_ROOT;
    location / { }
  }
}
EOF
nginx -t -q -e "$BENCH_TMP/nginx-error.log" -p "$BENCH_TMP" -c "$nconf" 2>"$BENCH_TMP/nginx-t.log" ||
  { cat "$BENCH_TMP/nginx-t.log" >&2; die "nginx configuration rejected"; }
nginx -e "$BENCH_TMP/nginx-error.log" -p "$BENCH_TMP" -c "$nconf" >"$BENCH_DIR/nginx.log" 2>&1 &
NGINX_PID=$!
wait_http "$NGINX_URL/" "$NGINX_PID" nginx "$BENCH_TMP/nginx-error.log"

# ---- helpers for sections --------------------------------------------------
cur_section=none
section() {
  cur_section=$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' _)
  out ""
  out "== $1"
  out "$(printf '%-14s %12s %9s %9s %7s' name req/s p50 p99 errors)"
}

# to_ms VALUE-WITH-UNIT (wrk: 412.00us 1.23ms 2.01s 1.00m)
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

bench_warm() {
  w_url=$1; shift
  wrk -t2 -c64 -d2s "$@" "$w_url" >>"$wrklog" 2>&1 || die "wrk failed on $w_url (see $wrklog)"
}

bench_wrk() {
  w_name=$1 w_url=$2; shift 2
  w_out=$BENCH_TMP/wrk.out
  echo "### $cur_section $w_name $w_url $*" >>"$wrklog"
  wrk -t2 -c64 -d10s --latency "$@" "$w_url" >"$w_out" 2>&1 || { cat "$w_out" >>"$wrklog"; die "wrk failed on $w_url (see $wrklog)"; }
  cat "$w_out" >>"$wrklog"
  W_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$w_out")
  W_P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$w_out")")
  W_P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$w_out")")
  W_ERR=$(awk '/Non-2xx or 3xx responses:/ { e += $NF }
    /Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } END { print e + 0 }' "$w_out")
  [ -n "$W_RPS" ] || die "could not read wrk output for $w_url (see $wrklog)"
  echo "$cur_section $w_name $W_RPS $W_P50 $W_P99 $W_ERR" >>"$results"
  out "$(printf '%-14s %12s %7.2fms %7.2fms %7s' "$w_name" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR")"
}

bench_mean() {
  awk -v s="$cur_section" -v n="$1" -v f="$2" '
    BEGIN { c = (f == "rps") ? 3 : (f == "p50") ? 4 : 5 }
    $1 == s && $2 == n { t += $c; k++ } END { if (k) printf "%.3f", t / k; else print "nan" }' "$results"
}
bench_max() {
  awk -v s="$cur_section" -v n="$1" -v f="$2" '
    BEGIN { c = (f == "rps") ? 3 : (f == "p50") ? 4 : 5; m = "nan" }
    $1 == s && $2 == n { if (m == "nan" || $c + 0 > m + 0) m = $c } END { print m }' "$results"
}
bench_errors() {
  awk -v s="$cur_section" -v n="$1" '$1 == s && $2 == n { e += $6 } END { print e + 0 }' "$results"
}

# peak RSS (KiB) of the given pids, summed: VmHWM, VmRSS where HWM is absent
rss_of() {
  t=0
  for p in "$@"; do
    k=$(awk '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 } END { print (h ? h : r) + 0 }' "/proc/$p/status" 2>/dev/null || echo 0)
    t=$(( t + k ))
  done
  echo "$t"
}
rss_zq() { rss_of "$ZQ_PID"; }
rss_nginx() { rss_of "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

misses=0
target() {
  t_label=$1 t_val=$2 t_op=$3 t_lim=$4 t_unit=$5
  if awk -v v="$t_val" -v l="$t_lim" -v o="$t_op" 'BEGIN { exit !((o == "ge") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)) }' &&
     [ "$t_val" != nan ]; then res=PASS; else res=MISS; misses=$(( misses + 1 )); fi
  if [ "$t_op" = ge ]; then sym='>='; else sym='<='; fi
  out "$(printf 'target %-34s %10s %-4s  %s' "$t_label $sym $t_lim $t_unit" "$t_val" "$t_unit" "$res")"
}

# ---- sections ---------------------------------------------------------------
out "zhengqi bench  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  $(uname -r)"
out "zhengqi $ZQ_URL (pid $ZQ_PID)   nginx $(nginx -v 2>&1 | sed 's/.*\///') $NGINX_URL (pid $NGINX_PID)"
ran=0
for f in scripts/bench.d/*.sh; do
  [ -f "$f" ] || continue
  case ${f##*/} in *"${ZQ_BENCH_ONLY:-}"*) ;; *) continue ;; esac
  . "./$f"
  ran=$(( ran + 1 ))
  kill -0 "$ZQ_PID" 2>/dev/null || die "zhengqi died during $f (log: $BENCH_DIR/zhengqi.log)"
done
[ "$ran" -gt 0 ] || die "no section in scripts/bench.d/ matched '${ZQ_BENCH_ONLY:-}'"
out ""
out "bench: $misses target(s) missed; figures in build/bench/latest.txt"
[ "${ZQ_BENCH_STRICT:-0}" != 1 ] || [ "$misses" -eq 0 ]
