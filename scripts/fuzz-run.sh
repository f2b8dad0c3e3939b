#!/usr/bin/env bash
# Runs every libFuzzer target built in $FUZZ_DIR (default build-asan) for a bounded time and prints, per target,
# executions, exec/s and coverage (libFuzzer's "cov", edges reached), then fails if any target
# crashed. The committed corpus (fuzz/corpus/<target>) and crashers (fuzz/regressions/<target>)
# seed each run but are never written: new inputs go to $FUZZ_DIR/corpus/<target>, crashers
# to $FUZZ_DIR/artifacts/<target>/.
#
# FUZZ_SECONDS  time per target (default 60)
# FUZZ_JOBS     targets run at once (default 1)
# FUZZ_TARGETS  space-separated target names (default: every fuzz_* binary)
# FUZZ_RUNS     stop a target after this many inputs as well (default: no limit)
# FUZZ_SEED     libFuzzer's random seed (default: a new one each run). With a seed and a run
#               count a run explores the same inputs every time, so CI is a repeatable
#               regression check; `make fuzz` without them keeps exploring.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
limits=()
[[ -n ${FUZZ_RUNS:-} ]] && limits+=("-runs=$FUZZ_RUNS")
[[ -n ${FUZZ_SEED:-} ]] && limits+=("-seed=$FUZZ_SEED")
export FUZZ_LIMITS="${limits[*]}"
jobs=${FUZZ_JOBS:-1}
fuzz_dir=${FUZZ_DIR:-build-asan}
bin_dir=$fuzz_dir/bin
out_dir=$fuzz_dir/fuzz-runs
export FUZZ_DIR=$fuzz_dir

if [[ -z ${FUZZ_TARGETS:-} ]]; then
  FUZZ_TARGETS=$(find "$bin_dir" -maxdepth 1 -name 'fuzz_*' -type f -printf '%f\n' | sed 's/^fuzz_//' | sort)
fi
if [[ -z $FUZZ_TARGETS ]]; then
  echo "fuzz-run: no fuzz targets in $bin_dir (make fuzz-build first)" >&2
  exit 1
fi
mkdir -p "$out_dir"

run_one() {
  local name=$1 seconds=$2 bin_dir=$3 out_dir=$4
  local work=$FUZZ_DIR/corpus/$name artifacts=$FUZZ_DIR/artifacts/$name/
  mkdir -p "$work" "$artifacts"
  local dirs=("$work")
  for d in fuzz/corpus/$name fuzz/regressions/$name; do
    [[ -d $d ]] && dirs+=("$d")
  done
  # Inputs that take longer than 10 s or 2 GB are failures too: a peer must not be able to
  # stall or exhaust us with one message.
  # CPU seconds as well as wall time: runs share cores (FUZZ_JOBS, other work), so executions
  # per CPU-second is the figure that compares between runs.
  local TIMEFORMAT='%U %S'
  # shellcheck disable=SC2086  # FUZZ_LIMITS is a list of flags
  if { time "$bin_dir/fuzz_$name" $FUZZ_LIMITS -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "${dirs[@]}" >"$out_dir/$name.log" 2>&1; } 2>"$out_dir/$name.cpu"; then
    echo "ok" >"$out_dir/$name.result"
  else
    echo "CRASH" >"$out_dir/$name.result"
  fi
}
export -f run_one

start=$(date +%s)
printf '%s\n' $FUZZ_TARGETS | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$seconds" "$bin_dir" "$out_dir"

failed=0
printf '%-34s %10s %8s %9s %7s %7s  %s\n' target execs exec/s exec/cpu-s cov ft result
for name in $FUZZ_TARGETS; do
  log=$out_dir/$name.log
  result=$(cat "$out_dir/$name.result" 2>/dev/null || echo "?")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  cpu=$(awk 'NF == 2 { printf "%.1f", $1 + $2 }' "$out_dir/$name.cpu" 2>/dev/null || true)
  per_cpu=$(awk -v e="${execs:-0}" -v c="${cpu:-0}" 'BEGIN { if (c > 0) printf "%d", e / c; else print "?" }')
  printf '%-34s %10s %8s %9s %7s %7s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$per_cpu" "${cov:-?}" "${ft:-?}" "$result"
  if [[ $result != ok ]]; then
    failed=1
    echo "---- $name: $log (artifacts in $fuzz_dir/artifacts/$name/)" >&2
    grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written|#[0-9]+ +in ' "$log" | head -20 >&2 || true
  fi
done
echo "fuzz-run: $(echo $FUZZ_TARGETS | wc -w) targets, ${seconds}s each, $(($(date +%s) - start))s in all"
exit $failed
