# Section of scripts/bench.sh (sourced): GET /api/v1/dicts/industry, the
# largest public dictionary, from zhengqi against nginx serving the very
# same bytes as a static file. 2 s warm-up each, then 2 alternating rounds.
path=/api/v1/dicts/industry
mkdir -p "$NGINX_ROOT${path%/*}"
code=$(curl -s -o "$NGINX_ROOT$path" -w '%{http_code}' "$ZQ_URL$path") || die "curl $ZQ_URL$path failed"
[ "$code" = 200 ] || die "GET $path answered $code: $(head -c 300 "$NGINX_ROOT$path")"
chmod 644 "$NGINX_ROOT$path"
size=$(wc -c <"$NGINX_ROOT$path")
got=$(curl -s "$NGINX_URL$path" | cmp -s - "$NGINX_ROOT$path" && echo same || echo differ)
[ "$got" = same ] || die "nginx does not serve the same bytes for $path"

section "dicts: GET $path ($size bytes), wrk -t2 -c64 -d10s"
bench_warm "$ZQ_URL$path"
bench_warm "$NGINX_URL$path"
for round in 1 2; do
  bench_wrk zhengqi "$ZQ_URL$path"
  bench_wrk nginx "$NGINX_URL$path"
done

zq_rps=$(bench_mean zhengqi rps)
ng_rps=$(bench_mean nginx rps)
zq_p99=$(bench_max zhengqi p99)
zq_rss=$(rss_zq)
ng_rss=$(rss_nginx)
ratio=$(awk -v a="$zq_rps" -v b="$ng_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')
out "$(printf '%-14s %12.0f  p50 %6.2fms  p99(max) %6.2fms  peak RSS %6s MiB' zhengqi "$zq_rps" "$(bench_mean zhengqi p50)" "$zq_p99" "$(mib "$zq_rss")")"
out "$(printf '%-14s %12.0f  p50 %6.2fms  p99(max) %6.2fms  peak RSS %6s MiB' nginx "$ng_rps" "$(bench_mean nginx p50)" "$(bench_max nginx p99)" "$(mib "$ng_rss")")"
out "ratio zhengqi/nginx req/s: $ratio"
[ "$(bench_errors zhengqi)$(bench_errors nginx)" = 00 ] || out "warning: errors or non-2xx responses during the runs (see build/bench/wrk.log)"
target "dicts req/s ratio zhengqi/nginx" "$ratio" ge 1.0 ""
target "dicts zhengqi p99" "$zq_p99" le 10 ms
target "zhengqi peak RSS" "$(mib "$zq_rss")" le 64 MiB
