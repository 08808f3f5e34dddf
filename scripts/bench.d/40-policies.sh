# Section of scripts/bench.sh (sourced): policies (issue 11 "Speed").
#  - publishing one policy to ZQ_BENCH_POLICY_FIRMS (default 100,000)
#    matching firms on SQLite, inbox + messages + outbox committed, against
#    a plain batched INSERT of the same rows measured in the same run
#    (build/bench/bench_policy publish, on its own database file);
#  - the public list and search over 10,000 published policies
#    (ZQ_BENCH_POLICIES): the cached first page against nginx serving the
#    same bytes, page 9, keywords of two and four characters (each kept
#    rendered once asked; the first asking of each is timed alone first).
P_FIRMS=${ZQ_BENCH_POLICY_FIRMS:-100000}
P_N=${ZQ_BENCH_POLICIES:-10000}
P_BIN=$root/build/bench/bench_policy
[ -x "$P_BIN" ] || die "$P_BIN missing: run 'make build/bench/bench_policy'"

section "policies: publish one policy to $P_FIRMS firms (SQLite), and a plain batched INSERT of the same rows"
p_out=$("$P_BIN" publish "sqlite:$BENCH_TMP/publish.db" "$P_FIRMS") || die "bench_policy publish failed: $p_out"
rm -f "$BENCH_TMP"/publish.db*
p_get() { printf '%s\n' "$p_out" | sed -n "s/^$1=//p"; }
out "inbox $(p_get inbox), messages $(p_get messages), outbox $(p_get outbox) rows; load average $(cut -d' ' -f1-3 /proc/loadavg)"
out "publish: $(p_get publish_s) s; plain batched INSERT of the same rows: $(p_get baseline_s) s; speed ratio $(p_get speed_ratio)"
target "publish to $P_FIRMS firms" "$(p_get publish_s)" le 2 s
target "publish speed / plain INSERT speed" "$(p_get speed_ratio)" ge 0.5 ""

p_out=$("$P_BIN" content "$ZQ_DB" "$P_N") || die "bench_policy content failed: $p_out"
list=/api/v1/policies
page9="/api/v1/policies?page=9"
kw2="/api/v1/policies?q=%E8%A1%A5%E8%B4%B4"                # 补贴
kw4="/api/v1/policies?q=%E8%B7%A8%E5%A2%83%E7%94%B5%E5%95%86" # 跨境电商
# every list query is kept rendered once asked (src/policy/public_cache.c):
# what the first asking costs, timed alone before anything asks them
p_cold() { curl -s -o /dev/null -w '%{time_total}' "$ZQ_URL$1" | awk '{ printf "%.1f", $1 * 1000 }'; }
p_cold_line="first request (computed, then kept until the next publication): page 9 $(p_cold "$page9") ms, 补贴 $(p_cold "$kw2") ms, 跨境电商 $(p_cold "$kw4") ms"
p_total() { curl -s "$ZQ_URL$1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }
code=$(curl -s -o "$NGINX_ROOT/policies.json" -w '%{http_code}' "$ZQ_URL$list") || die "curl $ZQ_URL$list failed"
[ "$code" = 200 ] || die "GET $list answered $code"
chmod 644 "$NGINX_ROOT/policies.json"
curl -s "$NGINX_URL/policies.json" | cmp -s - "$NGINX_ROOT/policies.json" || die "nginx does not serve the same bytes"

section "policies: $P_N published; list $(p_total "$list"), 补贴 $(p_total "$kw2"), 跨境电商 $(p_total "$kw4") matches; wrk -t2 -c64 -d10s"
out "$p_cold_line"
bench_warm "$ZQ_URL$list"
bench_warm "$NGINX_URL/policies.json"
for round in 1 2; do
  bench_wrk list-cached "$ZQ_URL$list"
  bench_wrk nginx-same "$NGINX_URL/policies.json"
done
bench_wrk list-page9 "$ZQ_URL$page9" -c8
bench_wrk search-2 "$ZQ_URL$kw2" -c8
bench_wrk search-4 "$ZQ_URL$kw4" -c8
p_ratio=$(awk -v a="$(bench_mean list-cached rps)" -v b="$(bench_mean nginx-same rps)" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')
out "ratio cached list / nginx req/s: $p_ratio"
target "cached list req/s ratio zhengqi/nginx" "$p_ratio" ge 1.0 ""
target "list p99 (page 9)" "$(bench_max list-page9 p99)" le 10 ms
target "search 补贴 p99" "$(bench_max search-2 p99)" le 10 ms
target "search 跨境电商 p99" "$(bench_max search-4 p99)" le 10 ms
