#!/bin/sh
# `make test`: builds the sanitizer test build and runs every suite.
#   layers   sh scripts/check-includes.sh       (no include against the layers)
#   build    make -j2 build/zhengqi build/zhengqi-test test-c
#   unit     build/tests/unit/test_*            (cmocka, SQLite)
#   pg       build/tests/unit/test_db           (cmocka, throwaway PostgreSQL)
#   api      build/tests/api/test_*             (cmocka, fresh SQLite each, then PostgreSQL)
#   web      make web
#   browser  node --test tests/browser/         (headless Chromium, ZQ_BIN=build/zhengqi)
# Every suite's full output goes to build/test-logs/; a failing suite's tail
# is printed. A binary that crashes, times out or runs no test counts as a
# failure. The last line is `zhengqi: N passed, M failed`; the exit status is
# non-zero when anything failed.
#   ZQ_TEST_TIMEOUT  seconds per C suite (default 600), browser gets 2x
#   ZQ_TEST_SKIP     steps to leave out while iterating, e.g. "pg browser"
#                    (ignored when CI=true)
#   tests/lsan.supp  LeakSanitizer suppressions, used when present
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

LOGS=build/test-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
tmp=$(mktemp -d /tmp/zq-test.XXXXXX)
chmod 755 "$tmp" # the PostgreSQL cluster inside runs as user postgres
pgdir=$tmp/pg
pg_up=0

stop_pg() {
  if [ "$pg_up" = 1 ]; then
    pg_up=0
    sh scripts/pg-cluster.sh stop "$pgdir" >>"$LOGS/pg-cluster.log" 2>&1 || true
  fi
}
cleanup() { stop_pg; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

timeout_s=${ZQ_TEST_TIMEOUT:-600}
skip=${ZQ_TEST_SKIP:-}
[ "${CI:-}" = true ] && skip=
skipped() { case " $skip " in *" $1 "*) return 0 ;; esac; return 1; }

export CMOCKA_MESSAGE_OUTPUT=stdout
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# leaks inside third-party libraries that are not ours to fix go here
if [ -f tests/lsan.supp ] && [ -z "${LSAN_OPTIONS:-}" ]; then
  export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

total_pass=0
total_fail=0
steps=$tmp/steps # one line per suite: step passed failed ms

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { printf '%d.%ds' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }

# record STEP NAME PASSED FAILED MS LOG NOTE — count a result, print its line,
# and the tail of its log when it failed.
record() {
  r_step=$1 r_name=$2 r_p=$3 r_f=$4 r_ms=$5 r_log=$6 r_note=$7
  total_pass=$(( total_pass + r_p ))
  total_fail=$(( total_fail + r_f ))
  echo "$r_step $r_p $r_f $r_ms" >>"$steps"
  if [ "$r_f" -eq 0 ]; then mark=ok; else mark=FAIL; fi
  printf '%-4s %-10s %-30s %4d passed %3d failed %7s%s\n' \
    "$mark" "$r_step" "$r_name" "$r_p" "$r_f" "$(secs "$r_ms")" "${r_note:+  ($r_note)}"
  if [ "$r_f" -ne 0 ] && [ -n "$r_log" ] && [ -s "$r_log" ]; then
    # A node run's tail shows only the passing end of the list; its failing
    # subtests ("not ok" and their diagnostics) are what CI readers need.
    if grep -q '^ *not ok' "$r_log"; then
      echo "---- failing subtests in $r_log"
      awk '/^ *not ok/ { n = 45 } n > 0 { print; n-- }' "$r_log" | head -n 200 | sed 's/^/| /'
    else
      echo "---- tail of $r_log"
      sed '/^Shadow bytes around/,/Right alloca redzone/d' "$r_log" | tail -n 40 | sed 's/^/| /'
    fi
    echo "----"
  fi
}

# run_suite STEP NAME KIND TIMEOUT LOG CMD... — run one test binary or runner
# (KIND cmocka or node), parse its counts, record them.
run_suite() {
  s_step=$1 s_name=$2 s_kind=$3 s_to=$4 s_log=$5
  shift 5
  t0=$(now_ms)
  rc=0
  timeout -k 10 "$s_to" "$@" >"$s_log" 2>&1 </dev/null || rc=$?
  ms=$(( $(now_ms) - t0 ))
  case $s_kind in
    cmocka) counts=$(awk '
      /^\[  PASSED  \] [0-9]+ test\(s\)/ { p += $4 }
      /^\[  FAILED  \] [0-9]+ test\(s\)/ { f += $4 }
      END { print p + 0, f + 0 }' "$s_log") ;;
    node) counts=$(awk '
      /^# pass [0-9]+$/      { p += $3 }
      /^# fail [0-9]+$/      { f += $3 }
      /^# cancelled [0-9]+$/ { f += $3 }
      END { print p + 0, f + 0 }' "$s_log") ;;
  esac
  p=${counts% *} f=${counts#* }
  note=
  if [ "$rc" -ne 0 ]; then
    case $rc in
      124|137) note="timed out after ${s_to}s" ;;
      *) if [ "$rc" -gt 128 ]; then note="killed by signal $(( rc - 128 ))"; else note="exit $rc"; fi ;;
    esac
    if grep -q 'ERROR: LeakSanitizer' "$s_log"; then note="$note, memory leak"
    elif grep -q 'ERROR: AddressSanitizer' "$s_log"; then note="$note, AddressSanitizer"
    elif grep -q 'runtime error:' "$s_log"; then note="$note, UBSan"
    fi
    [ "$f" -eq 0 ] && f=1
  elif [ "$f" -gt 0 ]; then
    note="exit 0 despite failures"
  fi
  if [ $(( p + f )) -eq 0 ]; then f=1; note="ran no tests${note:+, $note}"; fi
  record "$s_step" "$s_name" "$p" "$f" "$ms" "$s_log" "$note"
}

# run_step STEP NAME LOG CMD... — a command that is not a test (a build):
# nothing counted when it works, one failure when it does not.
run_step() {
  b_step=$1 b_name=$2 b_log=$3
  shift 3
  t0=$(now_ms)
  rc=0
  "$@" >"$b_log" 2>&1 </dev/null || rc=$?
  ms=$(( $(now_ms) - t0 ))
  if [ "$rc" -eq 0 ]; then
    echo "$b_step 0 0 $ms" >>"$steps"
    printf '%-4s %-10s %-30s %30s\n' ok "$b_step" "$b_name" "$(secs "$ms")"
    return 0
  fi
  record "$b_step" "$b_name" 0 1 "$ms" "$b_log" "exit $rc"
  return 1
}

missing() { record "$1" "$2" 0 1 0 "" "$3"; }

summary() {
  echo
  printf '%-10s %7s %7s %9s\n' step passed failed time
  awk '{ p[$1] += $2; f[$1] += $3; t[$1] += $4; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
    END { for (i = 0; i < n; i++) { s = order[i];
      printf "%-10s %7d %7d %8.1fs\n", s, p[s], f[s], t[s] / 1000 } }' "$steps" 2>/dev/null || true
  echo "logs: $LOGS/"
  echo "zhengqi: $total_pass passed, $total_fail failed"
}
: >"$steps"

# ---- layers (cheap, and not skippable: a wrong include is a failure) -----
run_step layers "scripts/check-includes.sh" "$LOGS/layers.log" sh scripts/check-includes.sh || true

# ---- build -------------------------------------------------------------
if ! run_step build "make build/zhengqi{,-test} test-c" "$LOGS/build.log" \
     make -j2 build/zhengqi build/zhengqi-test test-c; then
  stop_pg
  summary
  exit 1
fi

# ---- unit (SQLite) ------------------------------------------------------
if ! skipped unit; then
  n=0
  for t in build/tests/unit/test_*; do
    [ -x "$t" ] || continue
    n=$(( n + 1 ))
    name=${t##*/}
    run_suite unit "$name" cmocka "$timeout_s" "$LOGS/unit-$name.log" \
      env ZQ_TEST_DB="sqlite:$tmp/unit-$name.db" "$t"
  done
  [ "$n" -gt 0 ] || missing unit "build/tests/unit/test_*" "no unit test binaries"
fi

# ---- throwaway PostgreSQL ----------------------------------------------
pg_url=
if ! skipped pg; then
  if [ ! -f scripts/pg-cluster.sh ]; then
    missing pg "pg-cluster start" "scripts/pg-cluster.sh missing"
  else
    t0=$(now_ms)
    pg_up=1 # stop even a half-started cluster
    if pg_url=$(sh scripts/pg-cluster.sh start "$pgdir" 2>"$LOGS/pg-cluster.log") && [ -n "$pg_url" ]; then
      ms=$(( $(now_ms) - t0 ))
      echo "pg 0 0 $ms" >>"$steps"
      printf '%-4s %-10s %-30s %30s\n' ok pg "pg-cluster start" "$(secs "$ms")"
    else
      pg_url=
      record pg "pg-cluster start" 0 1 "$(( $(now_ms) - t0 ))" "$LOGS/pg-cluster.log" "no PostgreSQL"
      stop_pg
    fi
  fi
  if [ -n "$pg_url" ]; then
    if [ -x build/tests/unit/test_db ]; then
      run_suite pg test_db cmocka "$timeout_s" "$LOGS/pg-test_db.log" \
        env ZQ_TEST_DB="$pg_url" build/tests/unit/test_db
    else
      missing pg test_db "build/tests/unit/test_db missing"
    fi
  fi
fi

# ---- API (each binary on a fresh SQLite file, then on PostgreSQL) --------
if ! skipped api; then
  n=0
  for t in build/tests/api/test_*; do
    [ -x "$t" ] || continue
    n=$(( n + 1 ))
    name=${t##*/}
    run_suite api-sqlite "$name" cmocka "$timeout_s" "$LOGS/api-$name.sqlite.log" \
      env ZQ_TEST_DB="sqlite:$tmp/api-$name.db" "$t"
    if [ -n "$pg_url" ]; then
      run_suite api-pg "$name" cmocka "$timeout_s" "$LOGS/api-$name.pg.log" \
        env ZQ_TEST_DB="$pg_url" "$t"
    fi
  done
  [ "$n" -gt 0 ] || missing api "build/tests/api/test_*" "no API test binaries"
fi
stop_pg

# ---- web UI + browser -----------------------------------------------------
if ! skipped browser; then
  if run_step web "make web" "$LOGS/web.log" make web; then
    run_suite browser "node --test tests/browser/" node $(( timeout_s * 2 )) "$LOGS/browser.log" \
      env ZQ_BIN="$root/build/zhengqi" ZQ_WEB="$root/web/dist" NODE_PATH="$root/web/node_modules" \
      node --test --test-concurrency=1 --test-reporter=tap tests/browser/
  fi
fi

summary
[ "$total_fail" -eq 0 ]
