# Section of scripts/bench.sh (sourced): the delivery worker draining
# 100,000 due outbox rows (SMS through the in-process log provider, so the
# figure is the worker's own cost: claim, send, record, SMS log) with
# `zhengqi deliver`, against a baseline in the same run: a plain batched
# UPDATE marking the same rows sent, 5,000 per transaction, by the sqlite3
# shell on the same file (WAL, synchronous=FULL, as zhengqi opens it).
# Its own database, so the running server's worker does not drain it.
ndb=$BENCH_TMP/notify.db
rows=100000
rm -f "$ndb" "$ndb-wal" "$ndb-shm"
"$ZQ_BIN" migrate --db "sqlite:$ndb" >>"$BENCH_DIR/zhengqi.log" 2>&1 || die "migrate $ndb failed"
sqlite3 "$ndb" "INSERT INTO app_user(phone, name, password_hash, created_at, updated_at) VALUES ('13900000001', '压测', 'x', 0, 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO notify_outbox(channel, account_kind, account_id, topic, template_code, ref_type, ref_id, body, status, next_at, created_at)
SELECT 'sms', 'user', 1, 'policy', 'policy.published', 'bench', i, '【政企互动平台】您的企业收到新政策《外贸稳增长十条》，请登录平台查看。',
       'pending', 0, 0 FROM n;" || die "filling $ndb failed"
reset_rows() { sqlite3 "$ndb" "DELETE FROM sms_outbox; UPDATE notify_outbox SET status = 'pending', attempts = 0, sent_at = 0, claim = 0, next_at = 0;"; }
base_sql=$BENCH_TMP/notify-baseline.sql
{
  echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
  i=0
  while [ $i -lt $(( rows / 5000 )) ]; do
    echo "BEGIN; UPDATE notify_outbox SET status = 'sent', attempts = attempts + 1, sent_at = 1 WHERE id IN (SELECT id FROM notify_outbox WHERE status = 'pending' ORDER BY id LIMIT 5000); COMMIT;"
    i=$(( i + 1 ))
  done
} >"$base_sql"

section "notify: drain $rows due deliveries (log SMS provider), baseline batched UPDATE"
best_zq=0 best_base=0
for round in 1 2; do
  reset_rows
  t0=$(date +%s.%N)
  sqlite3 "$ndb" <"$base_sql" >/dev/null || die "baseline failed"
  t1=$(date +%s.%N)
  base=$(awk -v n="$rows" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  reset_rows
  line=$("$ZQ_BIN" deliver --db "sqlite:$ndb" 2>/dev/null) || die "zhengqi deliver failed"
  zq=$(printf '%s' "$line" | sed -n 's/.*(\([0-9]*\)\/s).*/\1/p')
  sent=$(printf '%s' "$line" | sed -n 's/^sent \([0-9]*\) .*/\1/p')
  [ "$sent" = "$rows" ] || die "zhengqi deliver sent $sent of $rows"
  out "$(printf 'round %d  worker %8s rows/s   baseline UPDATE %8s rows/s' "$round" "$zq" "$base")"
  [ "$zq" -gt "$best_zq" ] && best_zq=$zq
  [ "$base" -gt "$best_base" ] && best_base=$base
done
ratio=$(awk -v a="$best_zq" -v b="$best_base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')
out "best: worker $best_zq rows/s, baseline $best_base rows/s, ratio $ratio"
out "sms log rows written: $(sqlite3 "$ndb" 'SELECT COUNT(*) FROM sms_outbox')"
target "notify worker drain rows/s" "$best_zq" ge 20000 rows/s
