#!/bin/sh
# `make fuzz FUZZ_SECONDS=60`: builds every libFuzzer target fuzz/fuzz_*.c
# with clang (scripts/fuzz.mk) and runs each for SECONDS, starting from the
# committed seeds in fuzz/corpus/<target>/. New inputs go to a working corpus
# in build/fuzz/corpus/<target>/ (kept between runs, never in the repo);
# a crashing input is saved as build/fuzz/artifacts/<target>-crash-*.
# Exits non-zero when a target fails to build or crashes.
set -eu
cd "$(dirname "$0")/.."

secs=${1:-60}
case $secs in ''|*[!0-9]*) echo "usage: $0 SECONDS" >&2; exit 2 ;; esac
command -v clang >/dev/null 2>&1 || { echo "fuzz: clang not found: run 'make setup'" >&2; exit 1; }

targets=
for f in fuzz/fuzz_*.c; do [ -f "$f" ] && targets="$targets $(basename "$f" .c)"; done
[ -n "$targets" ] || { echo "fuzz: no targets (fuzz/fuzz_*.c)" >&2; exit 1; }

mkdir -p build/fuzz/artifacts build/fuzz/corpus
log=build/fuzz/build.log
if ! { make -s build/gen/migrations_gen.c && make -s -j2 -f scripts/fuzz.mk; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "fuzz: build failed (full log: $log)" >&2
  exit 1
fi

failed=0
for t in $targets; do
  work=build/fuzz/corpus/$t
  mkdir -p "$work"
  if [ -d "fuzz/corpus/$t" ]; then cp -R "fuzz/corpus/$t/." "$work/"; fi
  set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
         -artifact_prefix="build/fuzz/artifacts/$t-"
  [ -f "fuzz/$t.dict" ] && set -- "$@" -dict="fuzz/$t.dict"
  tlog=build/fuzz/$t.log
  rm -f build/fuzz/artifacts/"$t"-*
  rc=0
  timeout -k 10 $(( secs + 300 )) "build/fuzz/$t" "$@" "$work" >"$tlog" 2>&1 || rc=$?
  runs=$(awk '/^stat::number_of_executed_units:/ { print $NF }' "$tlog")
  cov=$(grep -o 'cov: [0-9]*' "$tlog" | tail -n 1 | cut -d' ' -f2)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz: %-28s ok    %s runs in %ss, cov %s, corpus %s\n' \
      "$t" "${runs:-?}" "$secs" "${cov:-?}" "$(ls "$work" | wc -l)"
  else
    failed=$(( failed + 1 ))
    printf 'fuzz: %-28s FAIL  exit %s (log: %s)\n' "$t" "$rc" "$tlog"
    # the sanitizer's report from its first line, else the log's tail
    if grep -q '^==[0-9]*==ERROR' "$tlog"; then
      sed -n '/^==[0-9]*==ERROR/,$p' "$tlog" | sed '/^Shadow bytes around/,/Right alloca redzone/d' | head -n 40 | sed 's/^/| /'
    else
      tail -n 40 "$tlog" | sed 's/^/| /'
    fi
    for a in build/fuzz/artifacts/"$t"-*; do
      if [ -f "$a" ]; then echo "  reproduce: build/fuzz/$t $a"; fi
    done
  fi
done
[ "$failed" -eq 0 ] || { echo "fuzz: $failed target(s) crashed" >&2; exit 1; }
