# Section of scripts/bench.sh (sourced): questionnaires (issue 14 "Measure"),
# by build/bench/bench_survey on its own SQLite file:
#  - ZQ_BENCH_SURVEY_RESPONSES (default 10,000) responses to a 30-question
#    questionnaire stored by 64 concurrent clients through a pool of 8
#    connections with the API's checks and writes (survey_store_response,
#    one transaction each), against a plain C loop inserting the same rows
#    in the same run;
#  - the results (computed on request from covering indexes, docs/survey.md)
#    over them: p99 unfiltered, by region, and the cross-tab by region.
S_N=${ZQ_BENCH_SURVEY_RESPONSES:-10000}
S_BIN=$root/build/bench/bench_survey
[ -x "$S_BIN" ] || die "$S_BIN missing: run 'make build/bench/bench_survey'"
section "surveys: $S_N responses by 64 clients vs a plain insert loop; results of a 30-question questionnaire"
rm -f "$BENCH_TMP"/survey.db*
s_out=$("$S_BIN" "sqlite:$BENCH_TMP/survey.db" "$S_N") || die "bench_survey failed: $s_out"
rm -f "$BENCH_TMP"/survey.db*
s_get() { printf '%s\n' "$s_out" | sed -n "s/^$1=//p"; }
out "submit: $(s_get submit_per_s) responses/s, p99 $(s_get submit_p99_ms) ms, $(s_get failed) failed; plain insert loop: $(s_get baseline_per_s) responses/s; ratio $(s_get speed_ratio); load average $(cut -d' ' -f1-3 /proc/loadavg)"
out "results p50 $(s_get results_p50_ms) ms, p99 $(s_get results_p99_ms) ms; one district p99 $(s_get results_region_p99_ms) ms; cross-tab by region p99 $(s_get results_crosstab_region_p99_ms) ms"
target "survey results p99 ($S_N responses, 30 questions)" "$(s_get results_p99_ms)" le 100 ms
# the issue asks for the figures, not a ratio: a submit also keeps ~130 tally
# counters (the results' constant-time counts) that the plain loop skips
out "survey submit speed / plain insert loop of the answer rows: $(s_get speed_ratio) (figure only, no target in issue 14)"
