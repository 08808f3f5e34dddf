# Section of scripts/bench.sh (sourced): project declarations (issue 13).
#  - 批量下载: GET /api/v1/admin/declarations/:id/materials.zip of 1,000
#    applications × 3 materials of 100 KiB, as city staff: time, MiB/s and
#    the server's peak RSS growth (VmHWM reset through clear_refs first),
#    against `zip -0` of the same 3,000 files on disk in the same run.
#  - 500 firms submitting in the last minute (64 concurrent clients, each
#    application with three 1 MiB materials already uploaded):
#    submits/s, p50 and p99 by build/bench/bench_declare (64 threads, one
#    keep-alive connection each, every request a different firm's session),
#    and nothing lost (submitted rows = versions = 200 answers); against a
#    baseline in the same run: the sqlite3 shell on a copy of the same
#    drafts (WAL, synchronous=FULL, cache as zhengqi opens it) running the
#    transactions a submit writes in a plain loop (the status move, the
#    version row with the materials' names, sizes and SHA-256, the event
#    row and the chained audit row), one transaction per application.
# Data goes straight into the server's database (sqlite3, WAL) — materials
# with readfile(), member sessions with known tokens — so the figures are
# the routes' own cost, not the seeding's.
command -v zip >/dev/null 2>&1 || die "zip not found: run 'make setup'"
D_BIN=$root/build/bench/bench_declare
[ -x "$D_BIN" ] || die "$D_BIN missing: run 'make build/bench/bench_declare'"
command -v dir_login >/dev/null 2>&1 || eval "$(sed -n '/^dir_login() {/,/^}/p' "$root/scripts/bench.d/30-directory.sh")"
ddb=${ZQ_DB#sqlite:}
dtmp=$BENCH_TMP/declare
rm -rf "$dtmp" && mkdir -p "$dtmp/files" "$dtmp/big"
napps=1000
[ "$(sqlite3 "$ddb" "SELECT COUNT(*) FROM staff WHERE username = 'city'")" = 1 ] ||
  "$ZQ_BIN" seed-demo --db "$ZQ_DB" --enterprises 40 --logins-file "$BENCH_TMP/logins.txt" >/dev/null 2>&1 ||
  die "seed-demo failed"
firms=$(sqlite3 "$ddb" "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'")
# generated firms are not all approved: ask for enough
while [ "$firms" -lt "$napps" ]; do
  "$ZQ_BIN" seed-demo --db "$ZQ_DB" --bulk $(( 2 * (napps - firms) + 100 )) >/dev/null 2>&1 || die "seed-demo --bulk failed"
  firms=$(sqlite3 "$ddb" "SELECT COUNT(*) FROM enterprise WHERE status = 'approved'")
done
now=$(date +%s)

# ---- the zip: 1,000 applications × 3 files of 100 KiB ----
i=0
while [ $i -lt $(( napps * 3 )) ]; do
  head -c 102400 /dev/urandom >"$dtmp/files/m$i.pdf"
  i=$(( i + 1 ))
done
{
  echo "BEGIN;"
  echo "INSERT INTO decl_call(status, title, body_html, body_text, open_at, close_at, levels, slots_json, created_at, updated_at)"
  echo " VALUES ('closed', '压测：批量下载', '<p>x</p>', 'x', 1, 2, 'city',"
  echo " '[{\"key\":\"a\",\"name\":\"材料一\"},{\"key\":\"b\",\"name\":\"材料二\"},{\"key\":\"c\",\"name\":\"材料三\"}]', 1, 1);"
  echo "CREATE TEMP TABLE f(i INTEGER PRIMARY KEY, data BLOB);"
  i=0
  while [ $i -lt $(( napps * 3 )) ]; do
    echo "INSERT INTO f VALUES ($i, readfile('$dtmp/files/m$i.pdf'));"
    i=$(( i + 1 ))
  done
  cat <<SQL
INSERT INTO file_blob(sha256, size, chunk_count, created_at) SELECT printf('bench%059d', i), length(data), 1, 0 FROM f;
INSERT INTO file_chunk(sha256, seq, data) SELECT printf('bench%059d', i), 0, data FROM f;
CREATE TEMP TABLE ent AS SELECT id, region, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM enterprise WHERE status = 'approved'
  ORDER BY id LIMIT $napps;
INSERT INTO decl_app(call_id, enterprise_id, region, status, no, fields_json, version, submitted_at, created_at, updated_at)
  SELECT (SELECT MAX(id) FROM decl_call), id, region, 'approved', 'ZB' || printf('%06d', k), '{}', 1, 1, 1, 1 FROM ent;
INSERT INTO upload(enterprise_id, sha256, name, size, mime, created_at)
  SELECT e.id, printf('bench%059d', f.i), '项目材料' || f.i || '.pdf', 102400, 'application/pdf', 0 FROM f JOIN ent e ON e.k = f.i / 3;
INSERT INTO decl_material(app_id, slot_key, upload_id, sort)
  SELECT a.id, substr('abc', (CAST(substr(u.sha256, 6) AS INTEGER) % 3) + 1, 1), u.id, 0 FROM upload u
  JOIN decl_app a ON a.enterprise_id = u.enterprise_id AND a.call_id = (SELECT MAX(id) FROM decl_call)
  WHERE u.sha256 LIKE 'bench%';
COMMIT;
SQL
} >"$dtmp/fill.sql"
sqlite3 "$ddb" <"$dtmp/fill.sql" >/dev/null || die "filling the zip data failed"
zcall=$(sqlite3 "$ddb" "SELECT MAX(id) FROM decl_call")
nfiles=$(sqlite3 "$ddb" "SELECT COUNT(*) FROM decl_material WHERE app_id IN (SELECT id FROM decl_app WHERE call_id = $zcall)")
cookie=$(dir_login "$ZQ_URL" "$BENCH_DIR/zhengqi.log" "$BENCH_TMP/decl-staff.cookies")

section "declarations: materials.zip of $napps applications × 3 files of 100 KiB, baseline zip -0"
total_mib=$(awk -v n="$nfiles" 'BEGIN { printf "%.1f", n * 102400 / 1048576 }')
best_zq=999999 best_base=999999 growth=0
for round in 1 2; do
  t0=$(date +%s.%N)
  (cd "$dtmp/files" && rm -f ../base.zip && zip -0 -q ../base.zip ./*.pdf) || die "zip -0 failed"
  t1=$(date +%s.%N)
  base=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  rss0=$(rss_zq)
  echo 5 >"/proc/$ZQ_PID/clear_refs" 2>/dev/null || true
  hwm0=$(rss_zq)
  res=$(curl -s -H "$cookie" -o "$dtmp/out.zip" -w '%{http_code} %{size_download} %{time_total}' \
    "$ZQ_URL/api/v1/admin/declarations/$zcall/materials.zip")
  hwm1=$(rss_zq)
  set -- $res
  [ "$1" = 200 ] || die "materials.zip answered $1"
  entries=$(unzip -l "$dtmp/out.zip" | tail -n 1 | awk '{ print $2 }')
  [ "$entries" = "$nfiles" ] || die "materials.zip holds $entries of $nfiles files"
  g=$(( hwm1 - hwm0 ))
  [ "$g" -gt "$growth" ] && growth=$g
  out "$(printf 'round %d  zhengqi %6.2f s %7.1f MiB/s   zip -0 %6.2f s %7.1f MiB/s   zip %s MiB, RSS %s MiB, peak growth %s MiB' \
    "$round" "$3" "$(awk -v m="$total_mib" -v t="$3" 'BEGIN { print m / t }')" "$base" \
    "$(awk -v m="$total_mib" -v t="$base" 'BEGIN { print m / t }')" "$(mib $(( $2 / 1024 )))" "$(mib "$rss0")" "$(mib "$g")")"
  best_zq=$(awk -v a="$best_zq" -v b="$3" 'BEGIN { print (b < a) ? b : a }')
  best_base=$(awk -v a="$best_base" -v b="$base" 'BEGIN { print (b < a) ? b : a }')
done
zq_mibs=$(awk -v m="$total_mib" -v t="$best_zq" 'BEGIN { printf "%.1f", m / t }')
base_mibs=$(awk -v m="$total_mib" -v t="$best_base" 'BEGIN { printf "%.1f", m / t }')
out "best: zhengqi ${best_zq} s ($zq_mibs MiB/s), zip -0 ${best_base} s ($base_mibs MiB/s) for $total_mib MiB in $nfiles files"
target "materials.zip peak RSS growth" "$(mib "$growth")" le 64 MiB
target "materials.zip vs zip -0 throughput" "$(awk -v a="$zq_mibs" -v b="$base_mibs" 'BEGIN { printf "%.2f", a / b }')" ge 0.25 x

# ---- 500 firms submitting in the last minute ----
nsub=500
head -c 1048576 /dev/urandom >"$dtmp/big/m.pdf"
# the blob is stored under its real SHA-256, as an upload would be
big_sha=$(sha256sum "$dtmp/big/m.pdf" | cut -c1-64)
{
  echo "BEGIN;"
  echo "INSERT INTO decl_call(status, title, body_html, body_text, open_at, close_at, levels, slots_json, fields_json,"
  echo " published_at, created_at, updated_at) VALUES ('published', '压测：截止前一分钟集中提交', '<p>x</p>', 'x', $(( now - 86400 )),"
  echo " $(( now + 600 )), 'district,city',"
  echo " '[{\"key\":\"a\",\"name\":\"材料一\",\"required\":true,\"types\":[\"pdf\"],\"max_mb\":2},"
  echo "{\"key\":\"b\",\"name\":\"材料二\",\"required\":true,\"types\":[\"pdf\"],\"max_mb\":2},"
  echo "{\"key\":\"c\",\"name\":\"材料三\",\"required\":true,\"types\":[\"pdf\"],\"max_mb\":2}]',"
  echo " '[{\"key\":\"amount\",\"label\":\"申请金额(万元)\",\"type\":\"amount\",\"required\":true}]', 1, 1, 1);"
  cat <<SQL
CREATE TEMP TABLE sent AS SELECT id, region, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM enterprise WHERE status = 'approved'
  ORDER BY id LIMIT $nsub;
INSERT INTO app_user(phone, name, password_hash, password_changed_at, created_at, updated_at)
  SELECT '1990' || printf('%07d', k), '压测用户' || k, 'x', $now, $now, $now FROM sent;
INSERT INTO user_consent(user_id, terms_version, privacy_version, channel, ip, created_at)
  SELECT u.id, (SELECT MAX(version) FROM legal_doc WHERE kind = 'terms'), (SELECT MAX(version) FROM legal_doc WHERE kind = 'privacy'),
  'web', '127.0.0.1', $now FROM app_user u WHERE u.phone LIKE '1990%';
INSERT INTO membership(enterprise_id, user_id, is_legal_rep, status, created_at, updated_at)
  SELECT s.id, u.id, 1, 'active', $now, $now FROM sent s JOIN app_user u ON u.phone = '1990' || printf('%07d', s.k);
CREATE TEMP TABLE big(data BLOB);
INSERT INTO big VALUES (readfile('$dtmp/big/m.pdf'));
INSERT INTO file_blob(sha256, size, chunk_count, created_at) VALUES ('$big_sha', 1048576, 4, 0);
INSERT INTO file_chunk(sha256, seq, data) SELECT '$big_sha', s.i, substr(big.data, s.i * 262144 + 1, 262144)
  FROM big, (SELECT 0 AS i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) s;
INSERT INTO decl_app(call_id, enterprise_id, region, status, fields_json, created_at, updated_at)
  SELECT (SELECT MAX(id) FROM decl_call), id, region, 'draft', '{"amount":100}', $now, $now FROM sent;
INSERT INTO upload(enterprise_id, sha256, name, size, mime, created_at)
  SELECT s.id, '$big_sha', '材料' || x.slot || '.pdf', 1048576, 'application/pdf', $now
  FROM sent s, (SELECT 'a' AS slot UNION ALL SELECT 'b' UNION ALL SELECT 'c') x;
INSERT INTO decl_material(app_id, slot_key, upload_id, sort)
  SELECT a.id, substr(u.name, 3, 1), u.id, 0 FROM decl_app a JOIN upload u ON u.enterprise_id = a.enterprise_id
  AND u.sha256 = '$big_sha' WHERE a.call_id = (SELECT MAX(id) FROM decl_call);
SQL
  k=0
  while [ $k -lt $nsub ]; do
    # cookie tokens are 43 base64url characters, as the server makes them
    h=$(printf 'benchtoken%033d' "$k" | sha256sum | cut -c1-64)
    echo "INSERT INTO session(token_hash, user_id, enterprise_id, csrf_token, ip, created_at, last_seen_at, idle_expires_at, expires_at)"
    echo " SELECT '$h', u.id, s.id, '$(printf 'benchcsrf%034d' "$k")', '127.0.0.1', $now, $now, $(( now + 3600 )), $(( now + 86400 ))"
    echo " FROM sent s JOIN app_user u ON u.phone = '1990' || printf('%07d', s.k) WHERE s.k = $k;"
    k=$(( k + 1 ))
  done
  echo "COMMIT;"
} >"$dtmp/submit.sql"
sqlite3 "$ddb" <"$dtmp/submit.sql" >/dev/null || die "filling the submit data failed"
scall=$(sqlite3 "$ddb" "SELECT MAX(id) FROM decl_call")
sqlite3 "$ddb" "SELECT s.k, a.id FROM sent s JOIN decl_app a ON a.enterprise_id = s.id AND a.call_id = $scall" 2>/dev/null >"$dtmp/apps.txt" ||
  sqlite3 "$ddb" "SELECT ROW_NUMBER() OVER (ORDER BY a.enterprise_id) - 1, a.id FROM decl_app a WHERE a.call_id = $scall" >"$dtmp/apps.txt"
[ "$(wc -l <"$dtmp/apps.txt")" = "$nsub" ] || die "expected $nsub draft applications"

# one line per submit for the client: application, cookie token, CSRF token
awk -F'|' '{ printf "%d benchtoken%033d benchcsrf%034d\n", $2, $1, $1 }' "$dtmp/apps.txt" >"$dtmp/submits.txt"
# the baseline's copy: the same drafts before any submit (.backup reads the WAL too)
rm -f "$dtmp/base.db"
sqlite3 "$ddb" ".backup '$dtmp/base.db'" || die "copying the database for the baseline failed"

# baseline in the same run: what a submit writes, from a plain loop in the
# sqlite3 shell on the pre-submit copy, opened as zhengqi opens its database
# (db_sqlite.c's pragmas); no HTTP, no session, no checks. The shell parses
# each statement anew where zhengqi reuses prepared ones, and runs one
# transaction at a time where the server overlaps one submit's reads and
# HTTP with another's commit: the ratio can pass 1.
sqlite3 "$dtmp/base.db" "SELECT id FROM decl_app WHERE call_id = $scall AND status = 'draft' ORDER BY id" >"$dtmp/base-ids.txt"
b_n=$(wc -l <"$dtmp/base-ids.txt")
awk -v now="$now" -v q="'" 'BEGIN { print ".timeout 10000"; print "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;" }
  { printf "BEGIN IMMEDIATE; UPDATE decl_app SET status = %ssubmitted%s, no = COALESCE(no, %sSB%06d%s), version = version + 1, submitted_at = %d, updated_at = %d, return_deadline = 0 WHERE id = %d AND status IN (%sdraft%s, %sreturned%s, %swithdrawn%s);", q, q, q, $1, q, now, now, $1, q, q, q, q, q, q
    printf " INSERT INTO decl_version(app_id, version, fields_json, materials_json, submitted_at, submitted_by) SELECT id, version, fields_json, (SELECT json_group_array(json_object(%sslot%s, slot_key, %supload_id%s, uid, %sname%s, name, %ssize%s, size, %ssha256%s, sha256)) FROM (SELECT m.slot_key, u.id AS uid, u.name, u.size, u.sha256 FROM decl_material m JOIN upload u ON u.id = m.upload_id WHERE m.app_id = %d ORDER BY m.slot_key, m.sort)), %d, 1 FROM decl_app WHERE id = %d;", q, q, q, q, q, q, q, q, q, q, $1, now, $1
    printf " INSERT INTO decl_event(app_id, at, actor_kind, actor_id, actor_name, action) VALUES (%d, %d, %suser%s, 1, %sbench%s, %ssubmit%s);", $1, now, q, q, q, q, q, q
    printf " INSERT INTO audit_log(at, actor_kind, actor_id, actor_name, enterprise_id, region, ip, action, object_type, object_id, result, detail, prev_hash, hash) SELECT %d, %suser%s, 1, %sbench%s, enterprise_id, region, %s127.0.0.1%s, %sapplication.submit%s, %sapplication%s, CAST(id AS TEXT), %sok%s, NULL, (SELECT last_hash FROM audit_head WHERE id = 1), lower(hex(randomblob(32))) FROM decl_app WHERE id = %d;", now, q, q, q, q, q, q, q, q, q, q, q, q, $1
    printf " UPDATE audit_head SET last_id = last_insert_rowid(), last_hash = (SELECT hash FROM audit_log WHERE id = last_insert_rowid()) WHERE id = 1; COMMIT;\n" }' \
  "$dtmp/base-ids.txt" >"$dtmp/base.sql"
# one baseline round: the copy's applications back to draft, then the loop
decl_baseline() {
  sqlite3 "$dtmp/base.db" "DELETE FROM decl_version WHERE app_id IN (SELECT id FROM decl_app WHERE call_id = $scall);
    DELETE FROM decl_event WHERE app_id IN (SELECT id FROM decl_app WHERE call_id = $scall);
    UPDATE decl_app SET status = 'draft', version = 0, no = NULL WHERE call_id = $scall;" || die "resetting the baseline copy failed"
  b0=$(date +%s.%N)
  sqlite3 "$dtmp/base.db" <"$dtmp/base.sql" >/dev/null || die "baseline failed"
  b1=$(date +%s.%N)
  b_done=$(sqlite3 "$dtmp/base.db" "SELECT COUNT(*) FROM decl_version v JOIN decl_app a ON a.id = v.app_id WHERE a.call_id = $scall")
  [ "$b_done" = "$b_n" ] || die "baseline wrote $b_done versions for $b_n drafts"
  base=$(awk -v n="$b_done" -v a="$b0" -v b="$b1" 'BEGIN { printf "%.0f", n / (b - a) }')
  out "baseline ($1): $b_done submits' writes (status, version with the materials' SHA-256, event, chained audit row) by sqlite3 in a plain loop, one transaction each: $base tx/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$base" -gt "${best_base:-0}" ] && best_base=$base
  return 0
}

section "declarations: $nsub firms submit in the last minute (64 concurrent clients, 3 × 1 MiB materials each)"
best_base=0
decl_baseline before
d_out=$("$D_BIN" "${ZQ_URL##*:}" "$dtmp/submits.txt" 64) || die "bench_declare failed: $d_out"
d_get() { printf '%s\n' "$d_out" | sed -n "s/^$1=//p"; }
ok=$(d_get status_200)
ok=${ok:-0}
rate=$(d_get submit_per_s)
stored=$(sqlite3 "$ddb" ".timeout 5000" "SELECT COUNT(*) FROM decl_app WHERE call_id = $scall AND status = 'submitted'")
versions=$(sqlite3 "$ddb" ".timeout 5000" "SELECT COUNT(*) FROM decl_version v JOIN decl_app a ON a.id = v.app_id WHERE a.call_id = $scall")
out "$(printf 'submits %d answered 200 of %d in %s s: %s submits/s, p50 %s ms, p99 %s ms, max %s ms (bench_declare: 64 keep-alive clients); load average %s' \
  "$ok" "$nsub" "$(d_get submit_s)" "$rate" "$(d_get p50_ms)" "$(d_get p99_ms)" "$(d_get max_ms)" "$(cut -d' ' -f1-3 /proc/loadavg)")"
out "answers by status: $(printf '%s\n' "$d_out" | sed -n 's/^status_\([0-9]*\)=\(.*\)/\1: \2/p' | tr '\n' ' ')(0 = no answer)"
[ -z "$(d_get first_error)" ] || out "first other answer: $(d_get first_error)"
out "stored: $stored submitted applications, $versions versions"
target "declaration submits answered 200" "$ok" ge "$nsub" submits
target "nothing lost (stored = answered)" "$stored" ge "$ok" rows
target "one version per submit" "$versions" ge "$ok" rows

decl_baseline after
# the disk's fsync rate moves with the machine's load: a baseline round just
# before and just after the submits, the ratio against the faster one
out "declaration submits/s / baseline tx/s: $(awk -v a="${rate:-0}" -v b="$best_base" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }') (figure only, no target in issue 13)"
