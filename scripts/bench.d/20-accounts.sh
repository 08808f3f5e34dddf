# Section of scripts/bench.sh (sourced): the accounts paths of issue 3.
#  - password login, where argon2id (t=2, m=19 MiB, p=1) is the cost by
#    design: logins/s and p99 with 16 connections;
#  - registration submit under 16 concurrent clients: the logged-in
#    “添加企业” submit (POST /api/v1/enterprises) — the same validation,
#    USCC check, dictionary look-ups and transactional insert + audit as
#    POST /api/v1/register, without the SMS step, whose per-phone limits
#    (60 s between codes) make a load test of the public form meaningless.
"$ZQ_BIN" seed-demo --db "$ZQ_DB" --enterprises 40 --logins-file "$BENCH_TMP/logins.txt" >/dev/null 2>&1 ||
  die "seed-demo failed"

lua=$BENCH_TMP/login.lua
cat >"$lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local phone = string.format("139%08d", (n % 40) + 1)
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"},
    '{"phone":"' .. phone .. '","password":"Demo@2026"}')
end
LUA
section "login: POST /api/v1/auth/login (argon2id t=2 m=19MiB), wrk -t2 -c16 -d10s"
bench_warm "$ZQ_URL/api/v1/auth/login" -c16 -s "$lua"
bench_wrk login "$ZQ_URL/api/v1/auth/login" -c16 -s "$lua"
login_rps=$W_RPS login_p99=$W_P99
[ "$W_ERR" = 0 ] || out "warning: $W_ERR non-2xx answers during the login run (see build/bench/wrk.log)"
out "argon2id cost: opslimit 2, memlimit 19 MiB, 1 lane (OWASP minimum for argon2id)"

# one logged-in session for the submit run
hdr=$BENCH_TMP/login.hdr
body=$(curl -s -D "$hdr" -H 'Content-Type: application/json' \
  -d '{"phone":"13900000004","password":"Demo@2026"}' "$ZQ_URL/api/v1/auth/login")
cookie=$(awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }' "$hdr")
csrf=$(printf '%s' "$body" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
[ -n "$cookie" ] && [ -n "$csrf" ] || die "could not log in for the submit bench: $body"

lua=$BENCH_TMP/submit.lua
cat >"$lua" <<LUA
local alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local w = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
local n = 0
local threads = 0
-- setup runs in the main state; each thread gets its own id as a global
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
local function uscc(k)
  local s = "9135010" .. tostring(tid or 1)
  local t = {}
  for i = 1, 9 do
    local d = k % 31; k = math.floor(k / 31)
    t[i] = alpha:sub(d + 1, d + 1)
  end
  s = s .. table.concat(t)
  local sum = 0
  for i = 1, 17 do sum = sum + (alpha:find(s:sub(i, i), 1, true) - 1) * w[i] end
  local c = (31 - sum % 31) % 31
  return s .. alpha:sub(c + 1, c + 1)
end
request = function()
  n = n + 1
  local code = uscc(n + 7919 * (tid or 1))
  return wrk.format("POST", "/api/v1/enterprises", {
      ["Content-Type"] = "application/json", ["Cookie"] = "$cookie", ["X-CSRF-Token"] = "$csrf"},
    '{"name":"福州压测企业' .. code .. '有限公司","uscc":"' .. code .. '","applicant_role":"legal_rep",' ..
    '"contact_name":"林压测","region":"350102","industry":"39","characteristics":["private","hightech"],' ..
    '"scale":"small","registered_capital":"100.5","email":"bench@example.com","trade_type":"export",' ..
    '"customs_code":"3501999999","address":"福建省福州市鼓楼区五四路1号"}')
end
LUA
section "registration submit: POST /api/v1/enterprises, 16 concurrent clients, wrk -t2 -c16 -d10s"
bench_wrk submit "$ZQ_URL/api/v1/enterprises" -c16 -s "$lua"
submit_p99=$W_P99
[ "$W_ERR" = 0 ] || out "warning: $W_ERR non-2xx answers during the submit run (see build/bench/wrk.log)"
out "enterprises stored by the run: $(sqlite3 "${ZQ_DB#sqlite:}" 'SELECT COUNT(*) FROM enterprise' 2>/dev/null || echo '?')"
out "zhengqi peak RSS after the accounts runs: $(mib "$(rss_zq)") MiB"
