# Section of scripts/bench.sh (sourced): the bureau directory (企业库) over a
# city of generated enterprises, at two sizes (issue 4's "Measure", issue
# 10.8): 100,000 firms, then grown to ZQ_BENCH_BULK (default 300,000, the
# size this platform must serve on one server).
#  - GET /api/v1/admin/enterprises latency per query kind, as city staff,
#    8 concurrent clients (a busy bureau): a filtered first page (district +
#    industry section), keywords of four, one and two characters, the
#    unfiltered first page, a city-wide industry section (counted up to
#    10,000), against nginx serving the filtered page's very bytes;
#  - GET /api/v1/admin/enterprises/export of every firm at the first size:
#    time, size, and how far the server's peak RSS rises over its size
#    before the export.
# ZQ_BENCH_SIZES="100000 300000" overrides the sizes (ascending; each run
# adds firms up to the next size). ZQ_BENCH_PG=1 repeats the latency runs
# on PostgreSQL in a throwaway cluster (scripts/pg-cluster.sh): off by
# default, as bulk seeding there takes a round trip per firm (minutes at
# 300,000 on this machine). ZQ_BENCH_DIR_SECONDS (default 10): each wrk run.
DIR_SIZES=${ZQ_BENCH_SIZES:-"100000 ${ZQ_BENCH_BULK:-300000}"}

# dir_login URL LOG COOKIEJAR: city staff's session cookie header, with the
# SMS code the log provider wrote to LOG.
dir_login() {
  curl -s -c "$3" -H 'Content-Type: application/json' -d '{"username":"city","password":"Demo@2026"}' \
    "$1/api/v1/admin/auth/login" >/dev/null
  sleep 0.3
  l_code=$(grep '验证码' "$2" | tail -n 1 | sed 's/.*验证码 \([0-9]*\).*/\1/')
  [ -n "$l_code" ] || die "no staff SMS code in $2"
  curl -s -c "$3" -H 'Content-Type: application/json' \
    -d "{\"username\":\"city\",\"password\":\"Demo@2026\",\"sms_code\":\"$l_code\"}" \
    "$1/api/v1/admin/auth/login" | grep -q csrf_token || die "staff login failed"
  l_sid=$(awk '$6 == "zq_sid" { print $7 }' "$3")
  [ -n "$l_sid" ] || die "no session cookie after the staff login"
  echo "Cookie: zq_sid=$l_sid"
}

# dir_total URL COOKIE: the list's total (with a + when capped)
dir_total() {
  curl -s -H "$2" "$1" | sed -n 's/.*"total":\([0-9]*\),"total_capped":\(true\)\{0,1\}.*/\1\2/p' | sed 's/true$/+/'
}

# dir_seed DBURL N: generated firms up to N in all (DIR_BULK_DONE so far)
dir_seed() {
  d_more=$(( $2 - DIR_BULK_DONE ))
  if [ "$d_more" -gt 0 ]; then
    d_t0=$(date +%s.%N)
    d_out=$("$ZQ_BIN" seed-demo --db "$1" --bulk "$d_more" 2>&1) || die "seed-demo --bulk failed: $d_out"
    out "bulk seeding: $d_more firms in $(awk -v a="$d_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
  fi
  DIR_BULK_DONE=$2
}

filtered="/api/v1/admin/enterprises?region=350102&industry=C&page=1"
keyword="/api/v1/admin/enterprises?q=%E9%97%BD%E6%B1%9F%E5%8D%8E%E5%85%B4&page=1" # 闽江华兴
kw1="/api/v1/admin/enterprises?q=%E9%97%BD&page=1"                               # 闽
kw2="/api/v1/admin/enterprises?q=%E5%8D%8E%E5%85%B4&page=1"                      # 华兴
first="/api/v1/admin/enterprises?page=1"
industry="/api/v1/admin/enterprises?industry=C&page=1"

# dir_runs ENGINE URL COOKIE FIRMS: the latency table of one size on one engine
dir_runs() {
  r_url=$2 r_ck=$3 r_d=-d${ZQ_BENCH_DIR_SECONDS:-10}s
  section "directory ($1): $4 firms; filtered first page ($(dir_total "$r_url$filtered" "$r_ck") matches), wrk -t2 -c8 $r_d"
  out "matches: keyword $(dir_total "$r_url$keyword" "$r_ck"), 闽 $(dir_total "$r_url$kw1" "$r_ck"), 华兴 $(dir_total "$r_url$kw2" "$r_ck"), industry C $(dir_total "$r_url$industry" "$r_ck") (+ = counted up to 10,000)"
  bench_warm "$r_url$filtered" -c8 -H "$r_ck"
  bench_warm "$r_url$kw1" -c8 -H "$r_ck"
  bench_wrk filtered "$r_url$filtered" -c8 $r_d -H "$r_ck"
  r_filtered=$W_P99
  bench_wrk keyword "$r_url$keyword" -c8 $r_d -H "$r_ck"
  r_keyword=$W_P99
  bench_wrk keyword-1 "$r_url$kw1" -c8 $r_d -H "$r_ck"
  r_kw1=$W_P99
  bench_wrk keyword-2 "$r_url$kw2" -c8 $r_d -H "$r_ck"
  r_kw2=$W_P99
  bench_wrk first-page "$r_url$first" -c8 $r_d -H "$r_ck"
  r_first=$W_P99
  bench_wrk industry-C "$r_url$industry" -c8 $r_d -H "$r_ck"
  r_industry=$W_P99
  [ "$1" = sqlite ] && bench_wrk nginx-same "$NGINX_URL/directory-page.json" -c8 $r_d
  r_err=0
  for n in filtered keyword keyword-1 keyword-2 first-page industry-C; do r_err=$(( r_err + $(bench_errors $n) )); done
  [ "$r_err" = 0 ] || out "warning: errors or non-2xx responses during the directory runs (see build/bench/wrk.log)"
  target "$1 $4 filtered first page p99" "$r_filtered" le 20 ms
  target "$1 $4 keyword p99" "$r_keyword" le 20 ms
  target "$1 $4 keyword 1 char p99" "$r_kw1" le 20 ms
  target "$1 $4 keyword 2 chars p99" "$r_kw2" le 20 ms
  target "$1 $4 unfiltered first page p99" "$r_first" le 20 ms
  target "$1 $4 city-wide industry p99" "$r_industry" le 20 ms
}

# dir_export FIRMS: the export of every firm from the SQLite server
dir_export() {
  idle=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ZQ_PID/status")
  echo 5 >"/proc/$ZQ_PID/clear_refs" 2>/dev/null || out "warning: cannot reset VmHWM; the peak below may predate the export"
  res=$(curl -s -H "$cookie" -o "$BENCH_TMP/export.xlsx" -w '%{http_code} %{size_download} %{time_total}' \
    "$ZQ_URL/api/v1/admin/enterprises/export")
  set -- $res
  if [ "$1" = 200 ]; then
    peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ZQ_PID/status")
    rows=$(unzip -p "$BENCH_TMP/export.xlsx" xl/worksheets/sheet1.xml 2>/dev/null | grep -o '<row ' | wc -l)
    growth=$(mib $(( peak - idle )))
    out ""
    out "== directory export: GET /api/v1/admin/enterprises/export (every firm)"
    out "$(printf 'rows %s (incl. header)  size %.1f MiB  time %.2f s' "$rows" "$(awk -v b="$2" 'BEGIN { print b / 1048576 }')" "$3")"
    out "zhengqi RSS before $(mib "$idle") MiB, peak during $(mib "$peak") MiB, growth $growth MiB"
    target "export RSS growth" "$growth" le 64 MiB
    target "export of all firms, time" "$3" le 30 s
  else
    out "export: not available (HTTP $1)"
  fi
}

"$ZQ_BIN" seed-demo --db "$ZQ_DB" --enterprises 40 --logins-file "$BENCH_TMP/logins.txt" >/dev/null 2>&1 ||
  die "seed-demo failed"
cookie=$(dir_login "$ZQ_URL" "$BENCH_DIR/zhengqi.log" "$BENCH_TMP/staff.cookies")
DIR_BULK_DONE=0
for size in $DIR_SIZES; do
  dir_seed "$ZQ_DB" "$size"
  firms=$(sqlite3 "${ZQ_DB#sqlite:}" 'SELECT COUNT(*) FROM enterprise' 2>/dev/null || echo '?')
  page_file=$NGINX_ROOT/directory-page.json
  code=$(curl -s -H "$cookie" -o "$page_file" -w '%{http_code}' "$ZQ_URL$filtered")
  [ "$code" = 200 ] || die "GET $filtered answered $code"
  chmod 644 "$page_file"
  dir_runs sqlite "$ZQ_URL" "$cookie" "$firms"
  # the export refuses more than 200,000 rows (filter, then export): once
  [ "$size" != "${DIR_SIZES%% *}" ] || dir_export
done

# PostgreSQL: a throwaway cluster and a second server on it (ZQ_BENCH_PG=1)
if [ "${ZQ_BENCH_PG:-0}" = 1 ]; then
  pg_dir=$BENCH_TMP/pg
  pg_url=$(sh scripts/pg-cluster.sh start "$pg_dir" 2>"$BENCH_DIR/pg-cluster.log") || die "pg-cluster start failed (see $BENCH_DIR/pg-cluster.log)"
  pg_port=$(free_port)
  pg_log=$BENCH_DIR/zhengqi-pg.log
  "$ZQ_BIN" migrate --db "$pg_url" >"$pg_log" 2>&1 || die "migrate on PostgreSQL failed (see $pg_log)"
  "$ZQ_BIN" seed-demo --db "$pg_url" --enterprises 40 --logins-file "$BENCH_TMP/logins-pg.txt" >/dev/null 2>&1 ||
    die "seed-demo on PostgreSQL failed"
  "$ZQ_BIN" serve --listen "127.0.0.1:$pg_port" --db "$pg_url" --no-access-log >>"$pg_log" 2>&1 &
  PG_ZQ_PID=$!
  wait_http "http://127.0.0.1:$pg_port/" "$PG_ZQ_PID" "zhengqi on PostgreSQL" "$pg_log"
  pg_cookie=$(dir_login "http://127.0.0.1:$pg_port" "$pg_log" "$BENCH_TMP/staff-pg.cookies")
  DIR_BULK_DONE=0
  for size in $DIR_SIZES; do
    dir_seed "$pg_url" "$size"
    # a served database has been vacuumed (autovacuum): measured right
    # after a bulk load, autovacuum's pass over the new rows and their
    # grams runs during the wrk runs, and index-only reads visit the heap
    psql -q "$pg_url" -c 'VACUUM ANALYZE' >/dev/null 2>&1 || true
    dir_runs postgres "http://127.0.0.1:$pg_port" "$pg_cookie" "$(psql -tA "$pg_url" -c 'SELECT COUNT(*) FROM enterprise' 2>/dev/null || echo '?')"
  done
  kill "$PG_ZQ_PID" 2>/dev/null || true
  wait "$PG_ZQ_PID" 2>/dev/null || true
  sh scripts/pg-cluster.sh stop "$pg_dir" >>"$BENCH_DIR/pg-cluster.log" 2>&1 || true
fi
