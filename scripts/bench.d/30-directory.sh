# Section of scripts/bench.sh (sourced): the bureau directory (企业库) over
# 100,000 generated enterprises (issue 4's "Measure"):
#  - GET /api/v1/admin/enterprises latency: a filtered first page (district +
#    industry section), a keyword search and the unfiltered first page, as
#    city staff, 8 concurrent clients (a busy bureau), against nginx serving
#    the filtered page's very bytes;
#  - GET /api/v1/admin/enterprises/export of every firm: time, size, and how
#    far the server's peak RSS rises over its size before the export.
BULK=${ZQ_BENCH_BULK:-100000}
"$ZQ_BIN" seed-demo --db "$ZQ_DB" --enterprises 40 --logins-file "$BENCH_TMP/logins.txt" >/dev/null 2>&1 ||
  die "seed-demo failed"
bulk_out=$("$ZQ_BIN" seed-demo --db "$ZQ_DB" --bulk "$BULK" 2>&1) || die "seed-demo --bulk failed: $bulk_out"
firms=$(sqlite3 "${ZQ_DB#sqlite:}" 'SELECT COUNT(*) FROM enterprise' 2>/dev/null || echo '?')

# city staff: password, then the SMS code the log provider wrote to the server's log
ck=$BENCH_TMP/staff.cookies
curl -s -c "$ck" -H 'Content-Type: application/json' -d '{"username":"city","password":"Demo@2026"}' \
  "$ZQ_URL/api/v1/admin/auth/login" >/dev/null
sleep 0.3
code=$(grep '验证码' "$BENCH_DIR/zhengqi.log" | tail -n 1 | sed 's/.*验证码 \([0-9]*\).*/\1/')
[ -n "$code" ] || die "no staff SMS code in $BENCH_DIR/zhengqi.log"
curl -s -c "$ck" -H 'Content-Type: application/json' \
  -d "{\"username\":\"city\",\"password\":\"Demo@2026\",\"sms_code\":\"$code\"}" \
  "$ZQ_URL/api/v1/admin/auth/login" | grep -q csrf_token || die "staff login failed"
sid=$(awk '$6 == "zq_sid" { print $7 }' "$ck")
[ -n "$sid" ] || die "no session cookie after the staff login"
cookie="Cookie: zq_sid=$sid"

filtered="/api/v1/admin/enterprises?region=350102&industry=C&page=1"
keyword="/api/v1/admin/enterprises?q=%E9%97%BD%E6%B1%9F%E5%8D%8E%E5%85%B4&page=1" # 闽江华兴
first="/api/v1/admin/enterprises?page=1"
page_file=$NGINX_ROOT/directory-page.json
code=$(curl -s -H "$cookie" -o "$page_file" -w '%{http_code}' "$ZQ_URL$filtered")
[ "$code" = 200 ] || die "GET $filtered answered $code"
chmod 644 "$page_file"
total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' "$page_file")

section "directory: $firms firms; filtered first page ($total matches, $(wc -c <"$page_file") bytes), wrk -t2 -c8 -d10s"
bench_warm "$ZQ_URL$filtered" -c8 -H "$cookie"
bench_wrk filtered "$ZQ_URL$filtered" -c8 -H "$cookie"
dir_p99=$W_P99
bench_wrk keyword "$ZQ_URL$keyword" -c8 -H "$cookie"
kw_p99=$W_P99
bench_wrk first-page "$ZQ_URL$first" -c8 -H "$cookie"
bench_wrk nginx-same "$NGINX_URL/directory-page.json" -c8
[ "$(bench_errors filtered)$(bench_errors keyword)$(bench_errors first-page)" = 000 ] ||
  out "warning: errors or non-2xx responses during the directory runs (see build/bench/wrk.log)"
target "directory filtered first page p99" "$dir_p99" le 20 ms
target "directory keyword search p99" "$kw_p99" le 20 ms

# export: the server's RSS before, its peak during (VmHWM reset first)
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
