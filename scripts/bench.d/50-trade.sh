# Section of scripts/bench.sh (sourced): foreign-trade forecasts (issue 12
# "Measure") on the running SQLite server, with 10,000 generated trade
# firms (seed-demo --bulk), each with a legal rep, a session, a draft report in one open task
# and 24 months of approved history and customs actuals:
#  - 10,000 firms submitting their report (POST …/reports/:id/submit, wrk
#    64 connections, each request a different firm's session), against a
#    baseline in the same run: the sqlite3 shell on the same file (WAL,
#    synchronous=FULL, as zhengqi opens it) running the same transactions
#    in a plain loop (the conditional UPDATE, the version row, the trade
#    revision and the audit row, one transaction per report, as a submit
#    writes them); target at least half its rate;
#  - the task summary (completeness chart and picture) and the task with
#    its counts over the 10,000 reports: p99 ≤ 50 ms; the 24-month analysis
#    over the 10,000 firms: p99 ≤ 200 ms (wrk, 8 connections);
#  - a 100,000-row actuals import (.csv): time and zhengqi's peak RSS.
# ZQ_BENCH_TRADE_FIRMS (default 10000) and ZQ_BENCH_TRADE_ROUNDS (default 2) size it.
# Session tokens are hashed with python3 when present (sha256sum otherwise).
TB_N=${ZQ_BENCH_TRADE_FIRMS:-10000}
tdb=${ZQ_DB#sqlite:}
now=$(date +%s)
ym_y=$(date -u +%Y)
ym_m=$(date -u +%-m)

trade_login() {
  curl -s -c "$2" -H 'Content-Type: application/json' -d '{"username":"city","password":"Demo@2026"}' \
    "$1/api/v1/admin/auth/login" >/dev/null
  sleep 0.3
  t_code=$(grep '验证码' "$BENCH_DIR/zhengqi.log" | tail -n 1 | sed 's/.*验证码 \([0-9]*\).*/\1/')
  curl -s -c "$2" -H 'Content-Type: application/json' \
    -d "{\"username\":\"city\",\"password\":\"Demo@2026\",\"sms_code\":\"$t_code\"}" \
    "$1/api/v1/admin/auth/login" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p'
}

[ "$(sqlite3 "$tdb" "SELECT COUNT(*) FROM staff WHERE username = 'city'")" = 1 ] ||
  "$ZQ_BIN" seed-demo --db "$ZQ_DB" --enterprises 40 >/dev/null 2>&1 || die "seed-demo failed"

# tokens: 43 characters as the server issues them, tb<i>-<random>x…, and their SHA-256 for the session rows
salt=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
tok_file=$BENCH_TMP/trade-tokens.txt
if command -v python3 >/dev/null 2>&1; then
  python3 -c "
import hashlib
for i in range(1, $TB_N + 1):
    t = ('tb%08d-$salt' % i).ljust(43, 'x')
    print(i, t, hashlib.sha256(t.encode()).hexdigest())" >"$tok_file"
else
  i=1
  while [ $i -le "$TB_N" ]; do
    t=$(printf 'tb%08d-%s' "$i" "$salt" | awk '{ while (length($0) < 43) $0 = $0 "x"; print }')
    echo "$i $t $(printf '%s' "$t" | sha256sum | cut -d' ' -f1)"
    i=$(( i + 1 ))
  done >"$tok_file"
fi
awk '{ printf "INSERT INTO tb_tok VALUES (%d, '\''%s'\'');\n", $1, $3 }' "$tok_file" >"$BENCH_TMP/trade-tok.sql"

t0=$(date +%s.%N)
"$ZQ_BIN" seed-demo --db "$ZQ_DB" --bulk "$TB_N" >/dev/null 2>&1 || die "seed-demo --bulk failed"
sqlite3 "$tdb" >/dev/null <<SQL || die "trade bench seeding failed"
PRAGMA journal_mode=WAL;
CREATE TEMP TABLE tb_tok(i INTEGER PRIMARY KEY, hash TEXT);
BEGIN;
$(cat "$BENCH_TMP/trade-tok.sql")
-- the firms seed-demo --bulk just added (the FTS triggers need zhengqi's tokenizer, so it inserts them)
CREATE TEMP TABLE tb_ent AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS i, region
  FROM (SELECT id, region FROM enterprise ORDER BY id DESC LIMIT $TB_N);
UPDATE enterprise SET status = 'approved', trade_type = 'export',
  customs_code = (SELECT 'TB' || printf('%08d', t.i) FROM tb_ent t WHERE t.id = enterprise.id)
  WHERE id IN (SELECT id FROM tb_ent);
INSERT INTO app_user(phone, name, password_hash, created_at, updated_at)
  SELECT '188' || printf('%08d', i), '压测' || i, 'x', 0, 0 FROM tb_ent;
INSERT INTO user_consent(user_id, terms_version, privacy_version, channel, created_at)
  SELECT u.id, (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'), (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy'),
  'web', 0 FROM app_user u WHERE u.phone LIKE '188%';
INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)
  SELECT t.id, u.id, 1, 'active', 0, 0 FROM tb_ent t JOIN app_user u ON u.phone = '188' || printf('%08d', t.i);
INSERT INTO session(token_hash, user_id, enterprise_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at)
  SELECT k.hash, u.id, t.id, 'csrf' || t.i, $now, $now, $now + 86400, $now + 86400
  FROM tb_ent t JOIN app_user u ON u.phone = '188' || printf('%08d', t.i) JOIN tb_tok k ON k.i = t.i;
-- 24 months of history before this month (each its own task), then the open task
WITH RECURSIVE m(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM m WHERE k < 24)
INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, note, source, reports, created_at, updated_at)
  SELECT ($ym_y * 12 + $ym_m - 1 - k) / 12, ($ym_y * 12 + $ym_m - 1 - k) % 12 + 1, 'export', '压测历史任务', '2000-01-28', 0, '',
  'manual', $TB_N, 0, 0 FROM m;
INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, status, month_amt, ytd_amt, next_month_amt,
  next_quarter_amt, version, submitted_at, reviewed_at, created_at, updated_at)
SELECT k.id, t.id, t.region, k.year, k.month, 'export', 'approved', 1000000 + (t.i * 7919 + k.month * 104729) % 9000000,
  0, 0, 0, 3, 1, 1, 0, 0 FROM tb_ent t, trade_task k WHERE k.name = '压测历史任务';
INSERT INTO trade_actual(enterprise_id, year, month, direction, amount, imported_at, region)
SELECT enterprise_id, year, month, 'export', month_amt + month_amt / 10 - (enterprise_id % 7) * 10000, 0, region FROM trade_report
  WHERE task_id IN (SELECT id FROM trade_task WHERE name = '压测历史任务');
INSERT INTO trade_task(year, month, direction, name, deadline, deadline_at, note, source, reports, created_at, updated_at)
  VALUES ($ym_y, $ym_m, 'export', '压测任务', '2099-12-28', 4102444800, '', 'manual', $TB_N, $now, $now);
INSERT INTO trade_report(task_id, enterprise_id, region, year, month, direction, status, month_amt, ytd_amt, next_month_amt,
  next_quarter_amt, month_reason, ytd_reason, version, created_at, updated_at)
SELECT (SELECT MAX(id) FROM trade_task), t.id, t.region, $ym_y, $ym_m, 'export', 'draft', 1100000 + t.i * 13, 12000000 + t.i * 131,
  1200000, 3600000, '压测原因', '压测原因', 2, 0, 0 FROM tb_ent t;
COMMIT;
SQL
out "trade bench data: $TB_N firms, 25 tasks, $(sqlite3 "$tdb" 'SELECT COUNT(*) FROM trade_report') reports in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
task=$(sqlite3 "$tdb" "SELECT MAX(id) FROM trade_task")
reset_reports() {
  sqlite3 "$tdb" "DELETE FROM trade_report_version WHERE report_id IN (SELECT id FROM trade_report WHERE task_id = $task);
    UPDATE trade_report SET status = 'draft', version = 2, submitted_at = 0, flags = '' WHERE task_id = $task;" ||
    die "resetting the bench reports failed"
}

# the baseline: the same transactions from a plain loop in the sqlite3 shell
base_sql=$BENCH_TMP/trade-baseline.sql
sqlite3 "$tdb" "SELECT id FROM trade_report WHERE task_id = $task ORDER BY id" | awk -v now="$now" -v q="'" '
  BEGIN { print ".timeout 10000"; print "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;" }
  { printf "BEGIN IMMEDIATE; UPDATE trade_report SET status = %spending%s, version = version + 1, submitted_at = %d, reopened = 0, updated_at = %d WHERE id = %d AND version = 2 AND status IN (%sdraft%s, %sreturned%s);", q, q, now, now, $1, q, q, q, q
    printf " INSERT INTO trade_report_version(report_id, version, action, status, values_json, actor_kind, actor_id, actor_name, at) SELECT id, version, %ssubmit%s, status, %s{}%s, %suser%s, 1, %sbench%s, %d FROM trade_report WHERE id = %d;", q, q, q, q, q, q, q, q, now, $1
    printf " UPDATE trade_rev SET rev = rev + 1 WHERE id = 1;"
    printf " INSERT INTO audit_log(at, actor_kind, actor_id, actor_name, enterprise_id, region, action, object_type, object_id, result, detail, prev_hash, hash) SELECT %d, %suser%s, 1, %sbench%s, enterprise_id, region, %strade.report_submit%s, %strade_report%s, CAST(id AS TEXT), %sok%s, %s{}%s, COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), %s%s), lower(hex(randomblob(32))) FROM trade_report WHERE id = %d; COMMIT;\n", now, q, q, q, q, q, q, q, q, q, q, q, q, q, q, $1 }' >"$base_sql"

# wrk: each request is the next firm's submit, with that firm's session
ids=$BENCH_TMP/trade-ids.txt
sqlite3 "$tdb" "SELECT r.id, CAST(substr(e.customs_code, 3) AS INTEGER) FROM trade_report r JOIN enterprise e ON e.id = r.enterprise_id
  WHERE r.task_id = $task ORDER BY r.id" | tr '|' ' ' >"$ids"
awk 'NR == FNR { tok[$1] = $2; next } { print $1, tok[$2], "csrf" $2 }' "$tok_file" "$ids" >"$BENCH_TMP/trade-submits.txt"
cat >"$BENCH_TMP/trade-submit.lua" <<LUA
local lines, n = {}, 0
for l in io.lines("$BENCH_TMP/trade-submits.txt") do
  local id, tok, csrf = l:match("(%S+) (%S+) (%S+)")
  n = n + 1
  lines[n] = wrk.format("POST", "/api/v1/enterprise/trade/reports/" .. id .. "/submit",
    {["Host"] = "${ZQ_URL#http://}", ["Cookie"] = "zq_sid=" .. tok, ["X-CSRF-Token"] = csrf, ["Content-Type"] = "application/json"}, "{}")
end
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
-- thread t takes lines t+1, t+3, …; then it goes round its lines again (a
-- line wrk consumed without sending gets sent; the rest answer 409) until
-- the poll below sees every report pending and stops wrk
local step, first, i, told = 2, 1, 1, false
function init(args) first = wrk.thread:get("tid") + 1; i = first end
function request()
  if i > n then i = first end
  local r = lines[i]
  i = i + step
  return r
end
function response(status, headers, body)
  if status ~= 200 and status ~= 409 and not told then
    told = true
    io.stderr:write("submit answered " .. status .. ": " .. body .. "\n")
  end
end
LUA

# one submit by hand first: the sessions and reports are right
set -- $(head -n 1 "$BENCH_TMP/trade-submits.txt")
probe=$(curl -s -w ' %{http_code}' -X POST -H "Cookie: zq_sid=$2" -H "X-CSRF-Token: $3" -H 'Content-Type: application/json' \
  -d '{}' "$ZQ_URL/api/v1/enterprise/trade/reports/$1/submit")
case "$probe" in *' 200') ;; *) die "a bench submit failed: $probe" ;; esac

section "trade: $TB_N firms submitting (64 connections) vs a plain loop of the same transactions; summary, analysis, import"
best_zq=0 best_base=0 best_p99=nan
for round in $(seq 1 "${ZQ_BENCH_TRADE_ROUNDS:-2}"); do
  reset_reports
  b0=$(date +%s.%N)
  sqlite3 "$tdb" <"$base_sql" >/dev/null || die "trade baseline failed"
  b1=$(date +%s.%N)
  base=$(awk -v n="$TB_N" -v a="$b0" -v b="$b1" 'BEGIN { printf "%.0f", n / (b - a) }')
  reset_reports
  # wrk's own rate counts its whole -d; the rate here is the firms' submits
  # over the time until the last one is pending (polled), then wrk stops
  w_out=$BENCH_TMP/wrk-submit.out
  s0=$(date +%s.%N)
  wrk -t2 -c64 -d300s --latency -s "$BENCH_TMP/trade-submit.lua" "$ZQ_URL" >"$w_out" 2>&1 &
  wpid=$!
  last=-1 still=0
  while :; do
    pend=$(sqlite3 "$tdb" ".timeout 5000" "SELECT COUNT(*) FROM trade_report WHERE task_id = $task AND status = 'pending'")
    [ "$pend" -ge "$TB_N" ] && break
    kill -0 "$wpid" 2>/dev/null || break
    if [ "$pend" = "$last" ]; then still=$(( still + 1 )); else still=0 last=$pend; fi
    [ "$still" -lt 50 ] || break   # nothing moved for 10 s
    sleep 0.2
  done
  s1=$(date +%s.%N)
  kill -INT "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  cat "$w_out" >>"$wrklog"
  W_RPS=$(awk -v n="$pend" -v a="$s0" -v b="$s1" 'BEGIN { printf "%.0f", n / (b - a) }')
  W_P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$w_out")")
  grep -m1 'submit answered' "$w_out" | while read -r l; do out "warning: $l"; done
  [ "$pend" -ge "$TB_N" ] || out "warning: only $pend of $TB_N reports pending when wrk stopped"
  out "$(printf 'round %d  zhengqi %6s submits/s (p99 %s ms, %s reports pending)   baseline loop %6s tx/s' "$round" "$W_RPS" "$W_P99" "$pend" "$base")"
  if [ "$W_RPS" -gt "$best_zq" ]; then best_zq=$W_RPS best_p99=$W_P99; fi
  [ "$base" -gt "$best_base" ] && best_base=$base
done
half=$(awk -v b="$best_base" 'BEGIN { printf "%.0f", b / 2 }')
target "submits/s (half the baseline: $half)" "$best_zq" ge "$half" /s
out "submit p99 at the best round: $best_p99 ms"

csrf=$(trade_login "$ZQ_URL" "$BENCH_TMP/trade-staff.cookies")
sid=$(awk '$6 == "zq_sid" { print $7 }' "$BENCH_TMP/trade-staff.cookies")
[ -n "$sid" ] && [ -n "$csrf" ] || die "staff login failed"
ck="Cookie: zq_sid=$sid"
cold=$(curl -s -o /dev/null -w '%{time_total}' -H "$ck" "$ZQ_URL/api/v1/admin/trade/tasks/$task/summary")
out "task summary computed (first request after a change): $(awk -v t="$cold" 'BEGIN { printf "%.0f", t * 1000 }') ms"
bench_warm "$ZQ_URL/api/v1/admin/trade/tasks/$task/summary" -c8 -H "$ck"
# a run with no answered request (wrk's 2 s timeout) has no p99: nan, a MISS
p99_or_nan() { if [ "${W_RPS:-0}" -gt 0 ] && [ "$W_ERR" = 0 ]; then echo "$W_P99"; else echo nan; fi; }
bench_wrk summary "$ZQ_URL/api/v1/admin/trade/tasks/$task/summary" -c8 -H "$ck"
s_p99=$(p99_or_nan)
bench_wrk task-counts "$ZQ_URL/api/v1/admin/trade/tasks/$task" -c8 -H "$ck"
c_p99=$(p99_or_nan)
# the analysis is rendered once per change of the data (src/trade/view_cache.c):
# its first request after a change pays the computation, timed here alone
cold=$(curl -s -o /dev/null -w '%{time_total}' -H "$ck" "$ZQ_URL/api/v1/admin/trade/analysis?direction=export")
out "24-month analysis computed (first request after a change): $(awk -v t="$cold" 'BEGIN { printf "%.0f", t * 1000 }') ms"
bench_wrk analysis-24m "$ZQ_URL/api/v1/admin/trade/analysis?direction=export" -c8 -H "$ck"
a_p99=$(p99_or_nan)
target "task summary p99 ($TB_N reports)" "$s_p99" le 50 ms
target "task with counts p99" "$c_p99" le 50 ms
target "24-month analysis p99 ($TB_N firms)" "$a_p99" le 200 ms

# 100,000 rows: ten months of 2020 for each firm
csv=$BENCH_TMP/trade-actuals.csv
{
  printf '海关代码,年份,月份,方向,金额（万元）\r\n'
  sqlite3 "$tdb" "SELECT customs_code FROM enterprise WHERE customs_code LIKE 'TB%' ORDER BY id" |
    awk '{ for (m = 1; m <= 10; m++) printf "%s,2020,%d,出口,%d.%04d\r\n", $1, m, 100 + NR % 900, (NR * m) % 10000 }'
} >"$csv"
rows=$(( $(wc -l <"$csv") - 1 ))
echo 5 >"/proc/$ZQ_PID/clear_refs" 2>/dev/null || out "warning: cannot reset VmHWM; the peak below may predate the import"
idle=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ZQ_PID/status")
res=$(curl -s -o "$BENCH_TMP/import.json" -w '%{http_code} %{time_total}' -H "$ck" -H "X-CSRF-Token: $csrf" \
  -H 'Content-Type: text/csv' --data-binary @"$csv" "$ZQ_URL/api/v1/admin/trade/actuals/import")
set -- $res
peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ZQ_PID/status")
inserted=$(sed -n 's/.*"inserted":\([0-9]*\).*/\1/p' "$BENCH_TMP/import.json")
out "actuals import: HTTP $1, $rows rows ($inserted inserted) in $2 s; zhengqi RSS before $(mib "$idle") MiB, peak $(mib "$peak") MiB"
target "100,000-row import time" "$2" le 10 s
