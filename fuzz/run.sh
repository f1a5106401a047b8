#!/bin/sh
# Runs each fuzz target for SECONDS (default 600), one after the other, at low priority, one
# job each. Crash inputs land in fuzz/artifacts/<target>/; logs in fuzz/logs/<target>.log.
# Usage: fuzz/run.sh [SECONDS] [TARGET…]
set -eu
cd "$(dirname "$0")"
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-parse shell lint_fix}
[ -d corpus/parse ] || ./seed.sh
mkdir -p logs
for target in $targets; do
    mkdir -p "artifacts/$target"
    max_len=8192
    [ "$target" = lint_fix ] && max_len=4096
    # -fork=1 with -ignore_*: one job that keeps going after a crash, so one run finds them all.
    RUSTC_BOOTSTRAP=1 nice -n 10 cargo fuzz run -s none "$target" "corpus/$target" -- \
        -dict=dockerfile.dict -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="artifacts/$target/" >"logs/$target.log" 2>&1 || true
    tail -n 3 "logs/$target.log"
done
